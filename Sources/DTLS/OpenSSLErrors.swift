internal import COpenSSL

/// OpenSSL keeps errors in a per-thread queue; every failure path drains it so a later call
/// does not report a stale reason.
enum OpenSSLErrors {
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.isEmpty ? "unknown OpenSSL error" : reasons.joined(separator: "; ")
    }

    static func clear() {
        ERR_clear_error()
    }
}
