import Testing

@testable import Congestion

@Suite struct PacerTests {
    static let ms: UInt64 = 1_000_000

    func sent(_ output: Pacer.Output?) -> Pacer.Ticket? {
        if case .send(let ticket) = output { return ticket }
        return nil
    }

    @Test func releasesAudioThenRetransmissionsThenVideoThenPadding() {
        var pacer = Pacer(estimate: 10_000_000)
        let padding = pacer.enqueue(size: 100, kind: .padding, at: 0)
        let video = pacer.enqueue(size: 100, kind: .video, at: 0)
        let retransmission = pacer.enqueue(size: 100, kind: .retransmission, at: 0)
        let audio = pacer.enqueue(size: 100, kind: .audio, at: 0)
        var order: [Pacer.Ticket] = []
        while let ticket = sent(pacer.poll(at: 0)) { order.append(ticket) }
        #expect(order == [audio, retransmission, video, padding])
        #expect(pacer.nextTimeout == nil)
    }

    @Test func spendsTheBudgetAtThePacingRate() {
        // 1 Mbit/s × 2.5 = 2.5 Mbit/s: 1562 bytes per 5 ms.
        var pacer = Pacer(estimate: 1_000_000)
        // 150 000 bytes: 480 ms at the pacing rate, within the 500 ms the queue may hold.
        for _ in 0..<150 { _ = pacer.enqueue(size: 1_000, kind: .video, at: 0) }
        var first = 0
        while sent(pacer.poll(at: 0)) != nil { first += 1 }
        #expect(first == 2)  // 1562 bytes allow two starts: at 1562 and at 562
        // Next when the 438-byte debt is paid and one byte more earned: 439 × 3.2 µs.
        #expect(pacer.nextTimeout == 1_404_800)
        var total = first
        var now: UInt64 = 0
        while now < 1_000 * Self.ms, let next = pacer.nextTimeout {
            now = max(now, next)
            while sent(pacer.poll(at: now)) != nil { total += 1 }
            now += 1
        }
        // All of it, none dropped, in about the 475 ms the 148 packets after the first burst take.
        #expect(pacer.queuedPackets == 0)
        #expect(total == 150)
        #expect(now > 465 * Self.ms && now < 485 * Self.ms, "finished at \(now)")
    }

    @Test func audioGoesEvenOverBudget() {
        var pacer = Pacer(estimate: 100_000)
        _ = pacer.enqueue(size: 1_200, kind: .video, at: 0)
        _ = pacer.enqueue(size: 1_200, kind: .video, at: 0)
        #expect(sent(pacer.poll(at: 0)) != nil)
        #expect(pacer.poll(at: 0) == nil)  // over budget
        let audio = pacer.enqueue(size: 200, kind: .audio, at: 0)
        #expect(sent(pacer.poll(at: 0)) == audio)
        #expect(pacer.nextTimeout! > 0)
    }

    @Test func dropsTheOldestVideoWhenTheQueueIsTooLong() {
        // 100 kbit/s × 2.5: 500 ms holds 15 625 bytes, thirteen 1200-byte packets.
        var pacer = Pacer(estimate: 100_000)
        let audio = pacer.enqueue(size: 1_200, kind: .audio, at: 0)
        var video: [Pacer.Ticket] = []
        for _ in 0..<14 { video.append(pacer.enqueue(size: 1_200, kind: .video, at: 0)) }
        #expect(pacer.queuedPackets == 13)
        // Drops are reported first, oldest video first; audio is never dropped.
        #expect(pacer.poll(at: 0) == .drop(video[0]))
        #expect(pacer.poll(at: 0) == .drop(video[1]))
        #expect(pacer.poll(at: 0) == .send(audio))
        // Audio spent the budget; the next video waits for it.
        #expect(pacer.poll(at: 0) == nil)
        let next = pacer.nextTimeout!
        #expect(next > 0)
        #expect(pacer.poll(at: next) == .send(video[2]))
    }

    @Test func followsTheEstimate() {
        var pacer = Pacer(estimate: 1_000_000)
        pacer.setEstimate(2_000_000)
        #expect(pacer.pacingRate == 5_000_000)
    }
}
