/// What an account may do: `admin` reaches the admin pages and the write side of the users API.
enum UserRole: String, Codable, Sendable, CaseIterable {
    case admin
    case user
}
