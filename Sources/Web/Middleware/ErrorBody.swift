import Vapor

/// The JSON body of every error the web application answers: `{"status": 403, "message": "..."}`.
struct ErrorBody: Content {
    var status: Int
    var message: String
}
