import Vapor

struct LoginForm: Content {
    var username: String
    var password: String
    var next: String?
}

struct RegisterForm: Content {
    var username: String
    var displayName: String?
    var password: String
}

struct AccountPageContext: Encodable {
    var page: PageContext
    var error: String?
    var username: String?
    var displayName: String?
    var next: String?
}
