import Relay
/// An `a=simulcast` line (RFC 8853 §5.1): the RIDs sent and received, each stream a list of
/// alternatives, e.g. `send q;h;f` or `send 1,2;3 recv 4`.
public struct SdpSimulcast: Equatable, Sendable {
    /// One RID in a simulcast stream list; `~` before it marks the stream paused.
    public struct Alternative: Equatable, Sendable {
        public var rid: String
        public var isPaused: Bool

        public init(rid: String, isPaused: Bool = false) {
            self.rid = rid
            self.isPaused = isPaused
        }

        var text: String { isPaused ? "~\(rid)" : rid }
    }

    /// Streams in the send direction; each is one or more alternative RIDs.
    public var send: [[Alternative]]
    /// Streams in the receive direction.
    public var receive: [[Alternative]]

    public init(send: [[Alternative]] = [], receive: [[Alternative]] = []) {
        self.send = send
        self.receive = receive
    }

    /// The first alternative RID of each sent stream, in order.
    public var sendRids: [String] { send.compactMap { $0.first?.rid } }

    /// The first alternative RID of each received stream, in order.
    public var receiveRids: [String] { receive.compactMap { $0.first?.rid } }

    /// The same streams with the directions swapped: what an answerer writes to accept them
    /// all (RFC 8853 §5.3).
    public var reversed: SdpSimulcast { SdpSimulcast(send: receive, receive: send) }

    /// Also reads the form of draft-ietf-mmusic-sdp-simulcast-03 that older Firefox wrote,
    /// `a=simulcast: send rid=q;h;f`.
    public init?(sdpValue: String) {
        let tokens = sdpValue.split(separator: " ", omittingEmptySubsequences: true)
        guard !tokens.isEmpty, tokens.count % 2 == 0 else { return nil }
        var send: [[Alternative]] = []
        var receive: [[Alternative]] = []
        for index in stride(from: 0, to: tokens.count, by: 2) {
            var list = tokens[index + 1]
            if list.hasPrefix("rid=") { list = list.dropFirst(4) }
            guard let streams = Self.parseStreams(list) else { return nil }
            switch tokens[index] {
            case "send" where send.isEmpty: send = streams
            case "recv" where receive.isEmpty: receive = streams
            default: return nil
            }
        }
        self.init(send: send, receive: receive)
    }

    public var sdpValue: String {
        var parts: [String] = []
        if !send.isEmpty { parts.append("send \(Self.text(send))") }
        if !receive.isEmpty { parts.append("recv \(Self.text(receive))") }
        return parts.joined(separator: " ")
    }

    private static func parseStreams(_ list: Substring) -> [[Alternative]]? {
        var streams: [[Alternative]] = []
        for stream in list.split(separator: ";", omittingEmptySubsequences: false) {
            var alternatives: [Alternative] = []
            for item in stream.split(separator: ",", omittingEmptySubsequences: false) {
                let isPaused = item.hasPrefix("~")
                let rid = isPaused ? item.dropFirst() : item
                guard SdpRid.isValidId(rid) else { return nil }
                alternatives.append(Alternative(rid: String(rid), isPaused: isPaused))
            }
            streams.append(alternatives)
        }
        return streams
    }

    private static func text(_ streams: [[Alternative]]) -> String {
        streams.map { $0.map(\.text).joined(separator: ",") }.joined(separator: ";")
    }
}
