internal import COpenSSL
import RTP

/// One DTLS 1.2 association for DTLS-SRTP (RFC 5763, RFC 5764), without I/O.
///
/// Feed it the datagrams the peer sent (`handleDatagram`) and the time (`handleTimeout`), then
/// drain `pollTransmit()` for datagrams to send and `pollEvent()` for what happened. Time is
/// monotonic nanoseconds from the caller. OpenSSL decides whether a retransmission timer has
/// expired with its own clock, so the caller's clock must advance at the speed of real time;
/// deadlines are reported on the caller's clock.
public final class DtlsEndpoint {
    public enum Event: Equatable, Sendable {
        /// The handshake finished and the peer's certificate matched its fingerprint.
        case connected(DtlsSrtpKeys)
        /// The association ended: `nil` for an orderly close_notify, else the reason.
        case closed(DtlsError?)
    }

    public enum State: Equatable, Sendable {
        case idle
        case handshaking
        case connected
        case closed
    }

    /// The largest datagram accepted: a flight fragment is at most one path MTU.
    public static let maximumDatagramLength = 4096

    public let role: DtlsContext.Role
    public let remoteFingerprint: CertificateFingerprint
    public let mtu: Int
    public private(set) var state: State = .idle
    /// When `handleTimeout` should next be called, on the caller's clock.
    public private(set) var nextTimeout: UInt64?

    private let context: DtlsContext
    private let ssl: OpaquePointer
    private let readBio: OpaquePointer
    private let writeBio: OpaquePointer
    private let initialRetransmitMicroseconds: UInt32
    private var verificationFailure: DtlsError?
    private var transmitQueue: [[UInt8]] = []
    private var transmitHead = 0
    private var events: [Event] = []

    /// - Parameters:
    ///   - remoteFingerprint: the `a=fingerprint` of the peer's SDP.
    ///   - mtu: the largest datagram to send; 1200 fits any path WebRTC uses.
    ///   - initialRetransmitTimeout: nanoseconds before the first retransmission of a flight;
    ///     it doubles on each retry up to 64 times itself. OpenSSL gives up after 12 retries.
    public init(
        context: DtlsContext, remoteFingerprint: CertificateFingerprint, mtu: Int = 1200,
        initialRetransmitTimeout: UInt64 = 100_000_000
    ) throws(DtlsError) {
        OpenSSLErrors.clear()
        guard let ssl = SSL_new(context.context) else {
            throw .contextSetupFailed(OpenSSLErrors.drain())
        }
        guard let readBio = BIO_new(BIO_s_mem()), let writeBio = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw .contextSetupFailed(OpenSSLErrors.drain())
        }
        // An empty read BIO means "no datagram yet", not end of stream.
        relay_BIO_set_mem_eof_return(readBio, -1)
        relay_BIO_set_mem_eof_return(writeBio, -1)
        SSL_set_bio(ssl, readBio, writeBio)
        relay_DTLS_set_link_mtu(ssl, mtu)
        relay_SSL_set_mtu(ssl, mtu)

        self.context = context
        self.role = context.role
        self.remoteFingerprint = remoteFingerprint
        self.mtu = mtu
        self.ssl = ssl
        self.readBio = readBio
        self.writeBio = writeBio
        self.initialRetransmitMicroseconds = UInt32(clamping: initialRetransmitTimeout / 1_000)

        SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(self).toOpaque())
        DTLS_set_timer_cb(ssl) { ssl, previous in
            DtlsEndpoint.nextRetransmitInterval(ssl: ssl, previous: previous)
        }
        switch role {
        case .client: SSL_set_connect_state(ssl)
        case .server: SSL_set_accept_state(ssl)
        }
    }

    deinit {
        SSL_free(ssl)
    }

    /// Starts the handshake: a client sends its ClientHello, a server waits for one.
    public func start(now: UInt64) {
        guard state == .idle else { return }
        state = .handshaking
        if role == .client { advanceHandshake(now: now) }
    }

    /// Takes a datagram the peer sent (first byte 20–63, RFC 7983).
    public func handleDatagram(_ bytes: UnsafeRawBufferPointer, now: UInt64) throws(DtlsError) {
        guard state != .closed else { throw .closed }
        guard bytes.count <= Self.maximumDatagramLength else { throw .datagramTooLarge(bytes.count) }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        if state == .idle { state = .handshaking }
        BIO_write(readBio, base, Int32(bytes.count))
        if state == .handshaking {
            advanceHandshake(now: now)
        } else {
            readApplicationData()
        }
    }

    public func handleDatagram(_ bytes: [UInt8], now: UInt64) throws(DtlsError) {
        let result: Result<Void, DtlsError> = bytes.withUnsafeBytes { raw in
            do throws(DtlsError) {
                try handleDatagram(raw, now: now)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Retransmits the last flight if its timer expired (RFC 6347 §4.2.4).
    public func handleTimeout(now: UInt64) {
        guard state == .handshaking, let deadline = nextTimeout, now >= deadline else { return }
        OpenSSLErrors.clear()
        if relay_DTLSv1_handle_timeout(ssl) < 0 {
            flushWriteBio()
            close(with: .handshakeTimedOut)
            return
        }
        flushWriteBio()
        updateTimer(now: now)
    }

    /// The next datagram to send, or nil when there is none.
    public func pollTransmit() -> [UInt8]? {
        guard transmitHead < transmitQueue.count else { return nil }
        let datagram = transmitQueue[transmitHead]
        transmitHead += 1
        if transmitHead == transmitQueue.count {
            transmitQueue.removeAll(keepingCapacity: true)
            transmitHead = 0
        }
        return datagram
    }

    /// The next event, or nil when there is none.
    public func pollEvent() -> Event? {
        events.isEmpty ? nil : events.removeFirst()
    }

    /// Sends close_notify and closes the association.
    public func close() {
        guard state != .closed else { return }
        if state == .connected {
            SSL_shutdown(ssl)
            flushWriteBio()
        }
        close(with: nil)
    }

    private func advanceHandshake(now: UInt64) {
        OpenSSLErrors.clear()
        let result = SSL_do_handshake(ssl)
        flushWriteBio()
        if result == 1 {
            finishHandshake()
            return
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            updateTimer(now: now)
        default:
            close(with: verificationFailure ?? .handshakeFailed(OpenSSLErrors.drain()))
        }
    }

    private func finishHandshake() {
        nextTimeout = nil
        guard let peer = SSL_get1_peer_certificate(ssl) else {
            close(with: .noPeerCertificate)
            return
        }
        let digest = DtlsCertificate.sha256(of: peer)
        X509_free(peer)
        let actual = CertificateFingerprint(digest: digest ?? [])
        guard actual == remoteFingerprint else {
            close(with: .fingerprintMismatch(expected: remoteFingerprint, actual: actual))
            return
        }
        guard let selected = SSL_get_selected_srtp_profile(ssl),
            let name = selected.pointee.name,
            let profile = SrtpProfile(dtlsName: String(cString: name))
        else {
            close(with: .noSrtpProfile)
            return
        }
        let label = "EXTRACTOR-dtls_srtp"
        var exported = [UInt8](repeating: 0, count: 2 * (profile.keyLength + profile.saltLength))
        let exportedOK = SSL_export_keying_material(
            ssl, &exported, exported.count, label, label.utf8.count, nil, 0, 0)
        guard exportedOK == 1 else {
            close(with: .keyExportFailed)
            return
        }
        state = .connected
        events.append(.connected(DtlsSrtpKeys(profile: profile, exported: exported, role: role)))
        readApplicationData()
    }

    /// After the handshake the relay expects no application data over DTLS; reading drains
    /// records and notices close_notify and fatal alerts.
    private func readApplicationData() {
        var scratch = [UInt8](repeating: 0, count: 2048)
        while state == .connected {
            OpenSSLErrors.clear()
            let read = SSL_read(ssl, &scratch, Int32(scratch.count))
            if read > 0 { continue }
            let error = SSL_get_error(ssl, read)
            flushWriteBio()
            switch error {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return
            case SSL_ERROR_ZERO_RETURN:
                close(with: nil)
            default:
                close(with: .handshakeFailed(OpenSSLErrors.drain()))
            }
        }
    }

    private func updateTimer(now: UInt64) {
        var remaining = timeval()
        if relay_DTLSv1_get_timeout(ssl, &remaining) == 1 {
            let nanoseconds = UInt64(remaining.tv_sec) * 1_000_000_000 + UInt64(remaining.tv_usec) * 1_000
            nextTimeout = now + nanoseconds
        } else {
            nextTimeout = nil
        }
    }

    private func flushWriteBio() {
        let pending = BIO_ctrl_pending(writeBio)
        guard pending > 0 else { return }
        var stream = [UInt8](repeating: 0, count: Int(pending))
        let read = BIO_read(writeBio, &stream, Int32(stream.count))
        guard read > 0 else { return }
        stream.removeLast(stream.count - Int(read))
        transmitQueue.append(contentsOf: DtlsRecordPacker.pack(stream, mtu: mtu))
    }

    private func close(with error: DtlsError?) {
        guard state != .closed else { return }
        state = .closed
        nextTimeout = nil
        events.append(.closed(error))
    }

    // MARK: OpenSSL callbacks

    private static func endpoint(of ssl: OpaquePointer?) -> DtlsEndpoint? {
        guard let ssl, let pointer = SSL_get_ex_data(ssl, 0) else { return nil }
        return Unmanaged<DtlsEndpoint>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// RFC 5763 §5: the certificate is self-signed, so the chain check is replaced by comparing
    /// the leaf's digest with the fingerprint from SDP.
    static func verifyPeerCertificate(preverified: Int32, store: OpaquePointer?) -> Int32 {
        guard let store else { return 0 }
        guard X509_STORE_CTX_get_error_depth(store) == 0 else { return 1 }
        let ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx())
        guard let endpoint = endpoint(of: OpaquePointer(ssl)),
            let certificate = X509_STORE_CTX_get_current_cert(store),
            let digest = DtlsCertificate.sha256(of: certificate)
        else { return 0 }
        let actual = CertificateFingerprint(hashFunction: endpoint.remoteFingerprint.hashFunction, digest: digest)
        if actual == endpoint.remoteFingerprint { return 1 }
        endpoint.verificationFailure = .fingerprintMismatch(expected: endpoint.remoteFingerprint, actual: actual)
        return 0
    }

    /// OpenSSL asks for the first interval with `previous` 0, then for each retry.
    static func nextRetransmitInterval(ssl: OpaquePointer?, previous: UInt32) -> UInt32 {
        let initial = endpoint(of: ssl)?.initialRetransmitMicroseconds ?? 1_000_000
        guard previous > 0 else { return initial }
        return min(previous.multipliedReportingOverflow(by: 2).partialValue, initial.multipliedReportingOverflow(by: 64).partialValue)
    }
}
