import Fluent
import Vapor

/// An account: a unique username, a bcrypt password hash, a role, a free-text display name and an
/// optional avatar file under `data/uploads`.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var roleName: String
    @OptionalField(key: "avatar_file") var avatarFile: String?
    @OptionalField(key: "avatar_type") var avatarContentType: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, username: String, displayName: String, passwordHash: String, role: UserRole) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.roleName = role.rawValue
    }

    /// An unknown role in the database counts as the least privileged one.
    var role: UserRole {
        get { UserRole(rawValue: roleName) ?? .user }
        set { roleName = newValue.rawValue }
    }
}

extension User: ModelSessionAuthenticatable {}
