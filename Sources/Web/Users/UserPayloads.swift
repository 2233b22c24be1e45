import Foundation
import Vapor

/// A user as the API shows it; the password hash never leaves the server.
struct UserResponse: Content {
    var id: UUID
    var username: String
    var displayName: String
    var role: String
    var avatarURL: String?
    var createdAt: Date?

    init(_ user: User) throws {
        let id = try user.requireID()
        self.id = id
        self.username = user.username
        self.displayName = user.displayName
        self.role = user.roleName
        self.avatarURL = user.avatarFile == nil ? nil : "/api/users/\(id.uuidString)/avatar"
        self.createdAt = user.createdAt
    }
}

struct CreateUserRequest: Content {
    var username: String
    var password: String
    var displayName: String?
    var role: String?
}

struct UpdateUserRequest: Content {
    var username: String?
    var password: String?
    /// Required with `password` when an account changes its own.
    var currentPassword: String?
    var displayName: String?
    var role: String?
}

/// One page of users with what a client needs to ask for the next.
struct UserListResponse: Content {
    var items: [UserResponse]
    var page: Int
    var per: Int
    var total: Int
}

struct AvatarUpload: Content {
    var file: File
}
