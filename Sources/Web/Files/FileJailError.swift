import Vapor

/// Why a path given to the file explorer was refused.
enum FileJailError: Error, Equatable {
    case absolutePath
    case parentReference
    case forbiddenCharacter
    case leavesRoot
    case notFound

    var status: HTTPResponseStatus {
        switch self {
        case .notFound: .notFound
        default: .forbidden
        }
    }

    var message: String {
        switch self {
        case .absolutePath: "Paths are relative to the shared folder; absolute paths are refused."
        case .parentReference: "“..” is refused: the explorer stays inside the shared folder."
        case .forbiddenCharacter: "The path holds a character that is not allowed."
        case .leavesRoot: "That path leads outside the shared folder."
        case .notFound: "No such file or folder."
        }
    }
}

extension FileJailError: AbortError {
    var reason: String { message }
}
