import Testing

@testable import Relay

struct ResendGuardTests {
    @Test func aPacketGoesAgainOnlyAfterTheInterval() {
        var guardian = ResendGuard()
        #expect(guardian.mayResend(7, now: 1_000, interval: 100))
        guardian.resent(7, at: 1_000)
        #expect(!guardian.mayResend(7, now: 1_099, interval: 100))
        #expect(guardian.mayResend(7, now: 1_100, interval: 100))
        #expect(guardian.mayResend(8, now: 1_050, interval: 100), "another packet is not held back")
    }

    @Test func aLaterPacketInTheSameSlotFreesIt() {
        var guardian = ResendGuard()
        guardian.resent(7, at: 1_000)
        guardian.resent(7 &+ UInt16(ResendGuard.slots), at: 1_010)
        #expect(guardian.mayResend(7, now: 1_020, interval: 100))
        #expect(!guardian.mayResend(7 &+ UInt16(ResendGuard.slots), now: 1_020, interval: 100))
    }

    @Test func sequenceNumbersWrap() {
        var guardian = ResendGuard()
        guardian.resent(UInt16.max, at: 5)
        #expect(!guardian.mayResend(UInt16.max, now: 6, interval: 100))
        #expect(guardian.mayResend(0, now: 6, interval: 100))
    }

    @Test func aResendAtTimeZeroStillCounts() {
        var guardian = ResendGuard()
        guardian.resent(1, at: 0)
        #expect(!guardian.mayResend(1, now: 0, interval: 100))
    }
}
