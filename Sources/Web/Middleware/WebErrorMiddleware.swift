import Leaf
import Vapor

/// Turns every error into a clear answer: JSON `{status, message}` for the API, the `error` page
/// for browsers. Unexpected errors are logged and answered 500 without their details.
struct WebErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await response(for: error, to: request)
        }
    }

    private func response(for error: any Error, to request: Request) async -> Response {
        let status: HTTPResponseStatus
        let message: String
        var headers: HTTPHeaders = [:]
        if let abort = error as? any AbortError {
            status = abort.status
            message = abort.reason
            headers = abort.headers
        } else {
            request.logger.report(error: error)
            status = .internalServerError
            message = "Something went wrong on the server."
        }
        headers.remove(name: .contentType)
        switch ResponseFormat(for: request) {
        case .json:
            let response = Response(status: status, headers: headers)
            do {
                try response.content.encode(ErrorBody(status: Int(status.code), message: message))
            } catch {
                response.body = .init(string: message)
            }
            return response
        case .html:
            let context = ErrorPageContext(
                page: PageContext(request: request, title: "\(status.code) \(status.reasonPhrase)"),
                status: Int(status.code), reason: status.reasonPhrase, message: message)
            do {
                let view = try await request.view.render("error", context)
                let response = try await view.encodeResponse(status: status, headers: headers, for: request)
                return response
            } catch {
                headers.replaceOrAdd(name: .contentType, value: "text/plain; charset=utf-8")
                return Response(status: status, headers: headers, body: .init(string: message))
            }
        }
    }
}

struct ErrorPageContext: Encodable {
    var page: PageContext
    var status: Int
    var reason: String
    var message: String
}
