/// One ICE candidate as the `a=candidate` attribute of SDP carries it (RFC 8839 §5.1):
///
///     candidate:<foundation> <component-id> <transport> <priority> <address> <port> typ <type>
///         [raddr <address>] [rport <port>] *(<extension-name> <extension-value>)
///
/// The relay, ICE-lite, offers one host candidate per worker port and learns the peer's address
/// from its checks; it parses the peer's candidates only to report them.
public struct IceCandidate: Hashable, Sendable, CustomStringConvertible {
    public var foundation: String
    public var component: Int
    public var priority: UInt32
    public var address: TransportAddress
    public var type: IceCandidateType
    /// The name-value pairs after the type (raddr, rport, generation, ufrag, network-id...),
    /// kept in order so a candidate re-serialises as it came.
    public var extensions: [(name: String, value: String)]

    public init(
        foundation: String, component: Int = 1, priority: UInt32, address: TransportAddress,
        type: IceCandidateType, extensions: [(name: String, value: String)] = []
    ) {
        self.foundation = foundation
        self.component = component
        self.priority = priority
        self.address = address
        self.type = type
        self.extensions = extensions
    }

    /// The relay's host candidate on one UDP port (RFC 8445 §5.1.2.1 priority; one component,
    /// since BUNDLE and rtcp-mux put everything on one port).
    public static func host(_ address: TransportAddress, foundation: String = "1", localPreference: UInt16 = 65535) -> IceCandidate {
        IceCandidate(
            foundation: foundation, priority: priority(type: .host, localPreference: localPreference, component: 1),
            address: address, type: .host)
    }

    /// RFC 8445 §5.1.2.1: (2^24) * type preference + (2^8) * local preference + (256 - component).
    public static func priority(type: IceCandidateType, localPreference: UInt16, component: Int) -> UInt32 {
        type.typePreference << 24 + UInt32(localPreference) << 8 + UInt32(256 - component)
    }

    /// The attribute value, without "a=": what SDP and the trickle `candidate` field carry.
    public var description: String {
        var fields = [
            "candidate:\(foundation)", String(component), "udp", String(priority), address.ipString,
            String(address.port), "typ", type.rawValue,
        ]
        for (name, value) in extensions { fields += [name, value] }
        return fields.joined(separator: " ")
    }

    /// Parses a candidate attribute, with or without the leading "a=".
    public init(parsing line: String) throws(IceCandidateError) {
        var text = Substring(line)
        if text.hasPrefix("a=") { text = text.dropFirst(2) }
        guard text.hasPrefix("candidate:") else { throw .notACandidate }
        let fields = text.dropFirst("candidate:".count).split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 8 else { throw .missingFields }
        guard let component = Int(fields[1]), (1...256).contains(component) else {
            throw .badComponent(String(fields[1]))
        }
        guard fields[2].lowercased() == "udp" else { throw .unsupportedTransport(String(fields[2])) }
        guard let priority = UInt32(fields[3]), (1...0x7FFF_FFFF).contains(priority) else {
            throw .badPriority(String(fields[3]))
        }
        guard let port = UInt16(fields[5]) else { throw .badPort(String(fields[5])) }
        guard let address = TransportAddress(ip: String(fields[4]), port: port) else {
            throw .unresolvedAddress(String(fields[4]))
        }
        guard fields[6] == "typ" else { throw .missingType }
        guard let type = IceCandidateType(rawValue: String(fields[7])) else { throw .unknownType(String(fields[7])) }
        var extensions: [(name: String, value: String)] = []
        var index = 8
        while index + 1 < fields.count {
            extensions.append((String(fields[index]), String(fields[index + 1])))
            index += 2
        }
        self.init(
            foundation: String(fields[0]), component: component, priority: priority, address: address,
            type: type, extensions: extensions)
    }

    public static func == (lhs: IceCandidate, rhs: IceCandidate) -> Bool {
        lhs.foundation == rhs.foundation && lhs.component == rhs.component && lhs.priority == rhs.priority
            && lhs.address == rhs.address && lhs.type == rhs.type
            && lhs.extensions.elementsEqual(rhs.extensions) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(foundation)
        hasher.combine(component)
        hasher.combine(address)
        hasher.combine(type)
    }
}
