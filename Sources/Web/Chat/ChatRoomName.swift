import Foundation

/// A chat room's name: 1 to 40 letters, digits, dashes or underscores, so it is safe in a URL
/// and in a page.
enum ChatRoomName {
    static let maximumLength = 40

    static func isValid(_ name: String) -> Bool {
        (1...maximumLength).contains(name.count)
            && name.unicodeScalars.allSatisfy { allowed.contains($0) }
    }

    private static let allowed = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
}
