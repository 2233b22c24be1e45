import Vapor

/// One item of a folder listing.
struct FileEntry: Content {
    enum Kind: String, Codable {
        case directory
        case file
    }

    var name: String
    /// Relative to the shared folder; what `?path=` takes.
    var path: String
    var kind: Kind
    var size: Int64?
}

struct FolderListing: Content {
    var path: String
    var parent: String?
    var entries: [FileEntry]
}
