/// Where the web application keeps its data.
public enum DatabaseLocation: Sendable, Equatable {
    /// An SQLite file, created if missing.
    case sqliteFile(String)
    /// A PostgreSQL server given by a `postgres://user:password@host:port/database` URL; `schema`
    /// puts every table in that schema (created if missing), so test runs stay apart.
    case postgres(url: String, schema: String? = nil)

    /// The PostgreSQL schema the tables live in, if one was chosen.
    var schema: String? {
        if case .postgres(_, let schema) = self {
            return schema
        }
        return nil
    }

    /// `DATABASE_URL` when set (PostgreSQL), else SQLite at `data/relay.sqlite` under `dataDirectory`.
    public static func from(databaseURL: String?, dataDirectory: String) -> DatabaseLocation {
        if let databaseURL, !databaseURL.isEmpty {
            return .postgres(url: databaseURL)
        }
        return .sqliteFile(dataDirectory + "/relay.sqlite")
    }
}
