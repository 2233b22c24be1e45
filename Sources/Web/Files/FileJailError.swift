import Vapor

/// Why a path given to the file explorer was refused.
enum FileJailError: Error, Equatable {
    case absolutePath
    case parentReference
    case forbiddenCharacter
    /// A component of the path is a symbolic link: links are never followed, wherever they lead.
    case symbolicLink
    /// A FIFO, socket or device: only regular files and folders are served.
    case notRegularFile
    /// Missing, hidden (its name starts with "."), or a file where a folder was expected.
    case notFound
    /// Opened, then could not be read.
    case unreadable

    var status: HTTPResponseStatus {
        switch self {
        case .notFound: .notFound
        case .unreadable: .internalServerError
        default: .forbidden
        }
    }

    var message: String {
        switch self {
        case .absolutePath: "Paths are relative to the shared folder; absolute paths are refused."
        case .parentReference: "“..” is refused: the explorer stays inside the shared folder."
        case .forbiddenCharacter: "The path holds a character that is not allowed."
        case .symbolicLink: "Links are not followed: the explorer shows only what is in the shared folder itself."
        case .notRegularFile: "Only regular files and folders are served."
        case .notFound: "No such file or folder."
        case .unreadable: "The file could not be read."
        }
    }
}

extension FileJailError: AbortError {
    var reason: String { message }
}
