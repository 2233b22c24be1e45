import Vapor

/// What the shared layout needs on every page: the title, who is logged in, and the CSRF token
/// for the forms (and for the scripts, through a meta tag).
struct PageContext: Encodable {
    var title: String
    var username: String?
    var displayName: String?
    var isAdmin: Bool
    var csrf: String

    init(request: Request, title: String) {
        let user = request.auth.get(User.self)
        self.title = title
        self.username = user?.username
        self.displayName = user?.displayName
        self.isAdmin = user?.role == .admin
        self.csrf = CSRFToken.current(for: request)
    }
}
