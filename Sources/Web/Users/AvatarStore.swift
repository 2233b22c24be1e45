import Foundation
import NIOCore
import Vapor

/// Avatar files under `data/uploads`, each under a random name that only the server chooses, so
/// an upload can never name or overwrite another file.
struct AvatarStore: Sendable {
    static let maximumBytes = 2 * 1024 * 1024

    let directory: String

    /// Writes the picture and returns its new name.
    func save(_ bytes: ByteBuffer, kind: ImageKind, fileio: FileIO) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }
        let name = random.joined() + "." + kind.fileExtension
        try await fileio.writeFile(bytes, at: path(of: name))
        return name
    }

    /// Removes a replaced or orphaned picture; a file already gone is not an error.
    func remove(_ name: String) {
        guard Self.isStoredName(name) else {
            return
        }
        try? FileManager.default.removeItem(atPath: path(of: name))
    }

    func path(of name: String) -> String {
        directory + "/" + name
    }

    /// A name this store made: 32 hex digits and a known extension, nothing that could climb out.
    static func isStoredName(_ name: String) -> Bool {
        let parts = name.split(separator: ".")
        guard parts.count == 2, parts[0].count == 32,
              parts[0].allSatisfy({ $0.isHexDigit }),
              ImageKind(storedName: name) != nil else {
            return false
        }
        return true
    }
}
