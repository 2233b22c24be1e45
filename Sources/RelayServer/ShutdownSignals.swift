import Dispatch
import Foundation

/// SIGTERM and SIGINT as a stream: the server drains on the first and exits on the second.
/// Their default action (ending the process at once) is turned off while the stream exists.
final class ShutdownSignals {
    let received: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init() {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        received = stream
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
