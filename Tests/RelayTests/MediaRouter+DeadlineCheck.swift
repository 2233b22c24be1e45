import Testing
@testable import Relay

extension MediaRouter {
    /// Runs `input` (a datagram, a mirrored packet) and checks what the socket loop relies on
    /// to skip its pass over every transport after input: the earlier of the router's deadline
    /// before the input and what the input noted (`takeInputDeadline`) is no later than the
    /// router's earliest deadline after it, so no timer the input set waits behind another.
    /// What earlier input noted is kept for the test to take.
    func checkingDeadlines(now: UInt64, _ input: () -> Void) {
        let before = nextTimeout
        let earlier = takeInputDeadline()
        input()
        let noted = takeInputDeadline()
        noteDeadline(earlier)
        noteDeadline(noted)
        guard let after = nextTimeout else { return }
        let known = min(before ?? .max, noted ?? .max)
        #expect(
            known <= max(after, now),
            "input set a deadline \(Int64(bitPattern: after &- now)) ns from now and noted \(noted.map { String(Int64(bitPattern: $0 &- now)) } ?? "none")")
    }
}
