import Foundation

/// Loads a recording kept under Fixtures/AudioLevels: the RFC 6464 level (0 loudest, 127
/// silence) of every 20 ms packet Chromium sent for one clip, as numbers separated by white
/// space, after header lines that start with `#`.
enum AudioLevelFixture {
    struct Missing: Error {
        let name: String
    }

    struct Malformed: Error {
        let name: String
        let token: String
    }

    static func levels(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "levels", subdirectory: "Fixtures/AudioLevels")
        else { throw Missing(name: name) }
        var levels: [UInt8] = []
        for line in try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            for token in line.split(whereSeparator: \.isWhitespace) {
                guard let level = UInt8(token), level <= 127 else { throw Malformed(name: name, token: String(token)) }
                levels.append(level)
            }
        }
        return levels
    }
}
