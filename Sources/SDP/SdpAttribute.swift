import Relay
/// One `a=` line: a name and, for value attributes, everything after the first colon, kept
/// verbatim (RFC 8866 §5.13). Attributes Relay does not know are carried through unchanged.
public struct SdpAttribute: Equatable, Sendable {
    public var name: String
    /// nil for a property attribute such as `a=rtcp-mux`.
    public var value: String?

    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// Splits the text after `a=` at the first colon.
    init(text: Substring) {
        if let colon = text.firstIndex(of: ":") {
            name = String(text[..<colon])
            value = String(text[text.index(after: colon)...])
        } else {
            name = String(text)
            value = nil
        }
    }

    var text: String {
        if let value { "a=\(name):\(value)" } else { "a=\(name)" }
    }
}

extension Array where Element == SdpAttribute {
    /// The value of the first attribute called `name`.
    public func firstValue(_ name: String) -> String? {
        first { $0.name == name }?.value
    }

    /// The values of every attribute called `name`, in order.
    public func values(_ name: String) -> [String] {
        compactMap { $0.name == name ? $0.value : nil }
    }

    public func contains(_ name: String) -> Bool {
        contains { $0.name == name }
    }
}
