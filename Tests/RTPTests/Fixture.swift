import Foundation

/// Loads a captured packet kept under Fixtures/ as one line of hex.
enum Fixture {
    struct Missing: Error {
        let name: String
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "hex", subdirectory: "Fixtures") else {
            throw Missing(name: name)
        }
        return hexBytes(try String(contentsOf: url, encoding: .utf8))
    }
}
