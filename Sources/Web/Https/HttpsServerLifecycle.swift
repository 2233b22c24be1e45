import Dispatch
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Runs the HTTPS server beside the plain one, on the same routes, and reloads its certificate
/// on SIGHUP (a renewed certificate is picked up without a restart; connections already open
/// keep the old one).
final class HttpsServerLifecycle: LifecycleHandler, @unchecked Sendable {
    // @unchecked: `state` is guarded by its lock.
    private let configuration: HttpsConfiguration
    private let state = NIOLockedValueBox<(server: HTTPServer?, reloads: (any DispatchSourceSignal)?)>((nil, nil))

    init(configuration: HttpsConfiguration) {
        self.configuration = configuration
    }

    func didBootAsync(_ application: Application) async throws {
        // A started HTTPServer writes its configuration into the application's, where the plain
        // server reads its own when it is made: make the plain one first.
        _ = application.http.server.shared
        let certificate = try HttpsCertificate.load(configuration.certificate)
        var serverConfiguration = application.http.server.configuration
        serverConfiguration.address = .hostname(configuration.hostname, port: configuration.port)
        serverConfiguration.tlsConfiguration = certificate.tls
        // WebSockets need HTTP/1.1 (the server does not offer RFC 8441 over HTTP/2).
        serverConfiguration.supportVersions = [.one]
        let server = HTTPServer(
            application: application, responder: TlsMarkingResponder(next: application.responder.current),
            configuration: serverConfiguration, on: application.eventLoopGroup)
        try await server.start(address: nil)
        state.withLockedValue { $0.server = server }
        log(certificate, application.logger)
        watchReloads(of: server, logger: application.logger)
    }

    func shutdownAsync(_ application: Application) async {
        let (server, reloads) = state.withLockedValue { state in
            defer { state = (nil, nil) }
            return state
        }
        reloads?.cancel()
        // A WebSocket client that never answers the close would hold the shutdown.
        if let server { await awaitAtMost(.seconds(2)) { await server.shutdown() } }
    }

    private func log(_ certificate: HttpsCertificate, _ logger: Logger) {
        let origin = "https://\(configuration.hostname):\(configuration.port)"
        if certificate.isSelfSigned {
            logger.notice("""
                https: \(origin) with a self-signed certificate\(certificate.wasMade ? " made now" : ""), \
                \(certificate.certificatePath), SHA-256 \(certificate.fingerprint); browsers ask once to accept it \
                (check this fingerprint); --tls-cert and --tls-key give a real one
                """)
        } else {
            logger.notice("https: \(origin) with \(certificate.certificatePath), SHA-256 \(certificate.fingerprint)")
        }
    }

    private func watchReloads(of server: HTTPServer, logger: Logger) {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        let certificateSource = configuration.certificate
        source.setEventHandler {
            do {
                let certificate = try HttpsCertificate.reload(certificateSource)
                server.configuration.tlsConfiguration = certificate.tls
                logger.notice("https: SIGHUP: now \(certificate.certificatePath), SHA-256 \(certificate.fingerprint)")
            } catch {
                logger.error("https: SIGHUP: the certificate could not be read, the old one stays: \(error)")
            }
        }
        source.resume()
        state.withLockedValue { $0.reloads = source }
    }
}
