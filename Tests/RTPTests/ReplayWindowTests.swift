import Testing
@testable import RTP

@Suite struct ReplayWindowTests {
    @Test func admitsEachIndexOnceWithinTheWindow() {
        var window = ReplayWindow()
        #expect(window.admits(5_000) && window.highest == nil, "nothing accepted yet")
        window.accept(5_000)
        #expect(!window.admits(5_000))
        #expect(window.admits(5_001))
        #expect(window.admits(4_999), "older but within the window and not seen")
        window.accept(4_999)
        #expect(!window.admits(4_999))
        window.accept(5_010)
        #expect(window.highest == 5_010)
        #expect((5_001...5_009).allSatisfy { window.admits($0) }, "skipped over, not seen")
        #expect(!window.admits(5_000) && !window.admits(4_999) && !window.admits(5_010))
        #expect(window.admits(5_010 - ReplayWindow.size + 1))
        #expect(!window.admits(5_010 - ReplayWindow.size), "too old to tell")
    }

    @Test func skippingAheadForgetsTheBitsOfIndicesAWindowOlder() {
        var window = ReplayWindow()
        window.accept(10)
        window.accept(11)
        // Past 10 + size and 11 + size, which share their bits with 10 and 11: once below the
        // highest, seen 10 and 11 must not make them look replayed.
        window.accept(11 + ReplayWindow.size + 5)
        #expect(window.admits(10 + ReplayWindow.size))
        #expect(window.admits(11 + ReplayWindow.size))
        #expect(!window.admits(11 + ReplayWindow.size + 5))
        // A jump beyond the whole window clears it all.
        var jumped = ReplayWindow()
        for index in UInt64(1)...300 { jumped.accept(index) }
        jumped.accept(300 + 5 * ReplayWindow.size + 2)
        #expect((UInt64(1)...(ReplayWindow.size - 1)).allSatisfy { jumped.admits(300 + 5 * ReplayWindow.size + 2 - $0) })
    }
}
