/// The members of a client frame, read by type. A member of the wrong type reads as missing or
/// invalid, so the client is told which field is wrong.
struct MessageFields {
    let values: [String: JSONValue]

    func string(_ key: String) throws(SignalingError) -> String {
        guard let value = try optionalString(key) else { throw .missingField(key) }
        return value
    }

    func optionalString(_ key: String) throws(SignalingError) -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw .missingField(key)
        }
    }

    func bool(_ key: String) throws(SignalingError) -> Bool {
        guard let value = try optionalBool(key) else { throw .missingField(key) }
        return value
    }

    func optionalBool(_ key: String) throws(SignalingError) -> Bool? {
        switch values[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw .invalidField(key, "true or false")
        }
    }

    func optionalInteger(_ key: String) throws(SignalingError) -> Int? {
        switch values[key] {
        case nil, .null?: return nil
        case .number(let value)?:
            guard let integer = Int(exactly: value) else { throw .invalidField(key, "a whole number") }
            return integer
        default: throw .invalidField(key, "a whole number")
        }
    }
}
