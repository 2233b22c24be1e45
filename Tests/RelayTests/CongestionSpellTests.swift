import Testing
@testable import Relay

@Suite struct CongestionSpellTests {
    static let check = SubscribeLeg.layerCheckInterval

    @Test func congestionLastsAfterHalfASecondOfChecksInARow() {
        var spell = CongestionSpell()
        #expect(spell.update(congested: true, now: 0) == false)
        #expect(spell.update(congested: true, now: Self.check) == false)
        #expect(spell.update(congested: true, now: 2 * Self.check) == true)
        #expect(spell.update(congested: true, now: 3 * Self.check) == true)
    }

    @Test func oneClearCheckStartsTheSpellAgain() {
        var spell = CongestionSpell()
        _ = spell.update(congested: true, now: 0)
        _ = spell.update(congested: true, now: Self.check)
        #expect(spell.update(congested: false, now: 2 * Self.check) == false)
        #expect(spell.update(congested: true, now: 3 * Self.check) == false)
        #expect(spell.update(congested: true, now: 4 * Self.check) == false)
        #expect(spell.update(congested: true, now: 5 * Self.check) == true)
    }
}
