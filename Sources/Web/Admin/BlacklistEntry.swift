import Fluent
import Vapor

/// A client address or an account that gets 403 on every request.
final class BlacklistEntry: Model, @unchecked Sendable {
    static let schema = "blacklist_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kindName: String
    @Field(key: "value") var value: String
    @Field(key: "reason") var reason: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(kind: BlacklistKind, value: String, reason: String) {
        self.kindName = kind.rawValue
        self.value = value
        self.reason = reason
    }
}
