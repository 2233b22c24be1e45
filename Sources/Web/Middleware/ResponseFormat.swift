import Vapor

/// Whether an answer — above all an error — goes out as JSON or as an HTML page.
enum ResponseFormat {
    case json
    case html

    /// The API, `/cluster` (JSON only) and clients that ask for JSON get JSON; browsers get pages.
    init(for request: Request) {
        let path = request.url.path
        if path == "/api" || path.hasPrefix("/api/") || path == "/cluster" {
            self = .json
        } else if request.headers.accept.mediaTypes.contains(.json) {
            self = .json
        } else {
            self = .html
        }
    }
}
