import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// HTTP requests with JSON bodies over async-http-client, blocking for the generator's threads:
/// Janus's REST API.
enum HttpJson {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func request(method: String, host: String, port: UInt16, path: String, body: [String: Any]? = nil, timeout: Double = 40) throws -> Any {
        let response = try fetch(method: method, url: "http://\(host):\(port)\(path)", body: body, timeout: timeout)
        return try JSONSerialization.jsonObject(with: response)
    }

    /// The body of the answer to one request; an HTTP error status is a failure.
    static func fetch(method: String = "GET", url: String, body: [String: Any]? = nil, timeout: Double) throws -> Data {
        var request = try HTTPClient.Request(url: url, method: HTTPMethod(rawValue: method))
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .data(try JSONSerialization.data(withJSONObject: body))
        }
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeout * 1000))
        let response: HTTPClient.Response
        do {
            response = try HTTPClient.shared.execute(request: request, deadline: deadline).wait()
        } catch {
            throw Failure(description: "\(method) \(url): \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            throw Failure(description: "\(method) \(url): \(response.status)")
        }
        return Data(response.body.map { Array($0.readableBytesView) } ?? [])
    }
}
