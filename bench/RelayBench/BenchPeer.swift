import DTLS
import Foundation
import RTP
import Relay

/// One WebRTC peer connection of the load generator, built from the project's own modules: a
/// UDP socket on 127.0.0.1, ICE as the controlling agent (checks with USE-CANDIDATE), DTLS as
/// client, then SRTP both ways.
final class BenchPeer {
    struct Remote {
        var credentials: IceCredentials
        var fingerprint: CertificateFingerprint
        var address: TransportAddress
    }

    enum Failure: Error, CustomStringConvertible {
        case socket(Int32)
        case connect(String)

        var description: String {
            switch self {
            case .socket(let code): "cannot open a UDP socket (errno \(code))"
            case .connect(let reason): "peer connection failed: \(reason)"
            }
        }
    }

    let socket: Int32
    let address: TransportAddress
    let credentials = IceCredentials.random()
    private(set) var remote: Remote?
    private(set) var outbound: SrtpSession?
    private(set) var inbound: SrtpSession?
    private let tieBreaker = UInt64.random(in: 0...UInt64.max)

    init() throws {
        let socket = BenchSocket.bindLoopback()
        guard socket >= 0 else { throw Failure.socket(errno) }
        self.socket = socket
        address = .ipv4(127, 0, 0, 1, port: BenchSocket.port(of: socket))
    }

    deinit {
        close(socket)
    }

    /// A consent check (RFC 7675), nominating as Chrome does toward an ICE-lite peer.
    func bindingRequest() -> [UInt8]? {
        guard let remote else { return nil }
        return StunMessage(.request, .binding, transactionId: .random(), attributes: [
            .username("\(remote.credentials.ufrag):\(credentials.ufrag)"),
            .priority(2_130_706_431),
            .iceControlling(tieBreaker),
            .useCandidate,
        ]).encoded(integrityKey: Array(remote.credentials.pwd.utf8), fingerprint: true)
    }

    /// ICE, then the DTLS handshake in the role of `context`, blocking until SRTP is keyed or
    /// `timeout` seconds pass.
    func connect(to remote: Remote, context: DtlsContext, timeout: Double = 10) throws {
        self.remote = remote
        let dtls: DtlsEndpoint
        do {
            dtls = try DtlsEndpoint(context: context, remoteFingerprint: remote.fingerprint)
        } catch {
            throw Failure.connect("DTLS setup: \(error)")
        }
        let deadline = Monotonic.now() + UInt64(timeout * 1e9)
        var iceDone = false
        var nextCheck: UInt64 = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while outbound == nil {
            let now = Monotonic.now()
            guard now < deadline else { throw Failure.connect(iceDone ? "DTLS handshake timed out" : "no ICE answer") }
            if !iceDone, now >= nextCheck, let request = bindingRequest() {
                send(request)
                nextCheck = now + 100_000_000
            }
            if iceDone {
                if let due = dtls.nextTimeout, due <= now { dtls.handleTimeout(now: now) }
                while let datagram = dtls.pollTransmit() { send(datagram) }
            }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, 20)
            while true {
                let count = recv(socket, &buffer, buffer.count, 0)
                guard count > 0 else { break }
                let datagram = Array(buffer[0..<count])
                switch DatagramKind(classifying: datagram) {
                case .stun:
                    if let response = answer(datagram) {
                        send(response)
                        continue
                    }
                    if let message = try? StunMessage.parse(datagram), message.messageClass == .successResponse, !iceDone {
                        iceDone = true
                        dtls.start(now: Monotonic.now())
                        while let out = dtls.pollTransmit() { send(out) }
                    }
                case .dtls:
                    do {
                        try dtls.handleDatagram(datagram, now: Monotonic.now())
                    } catch {
                        throw Failure.connect("DTLS: \(error)")
                    }
                    while let out = dtls.pollTransmit() { send(out) }
                    while let event = dtls.pollEvent() {
                        switch event {
                        case .connected(let keys):
                            do {
                                outbound = try SrtpSession(profile: keys.profile, keyingMaterial: keys.local, direction: .outbound)
                                inbound = try SrtpSession(profile: keys.profile, keyingMaterial: keys.remote, direction: .inbound)
                            } catch {
                                throw Failure.connect("SRTP: \(error)")
                            }
                        case .closed(let error):
                            throw Failure.connect("DTLS closed: \(String(describing: error))")
                        }
                    }
                default:
                    break
                }
            }
        }
    }

    /// The success response to a binding request the peer sent us, as a full ICE agent owes
    /// one (RFC 8445 §7.3): an SFU whose agent checks back, like libnice, waits for it before it
    /// considers the path valid. Nil for anything else, or a request not signed with our password.
    func answer(_ datagram: [UInt8]) -> [UInt8]? {
        guard let remote, let request = try? StunMessage.parse(datagram),
            request.messageClass == .request, request.method == .binding,
            (try? StunMessageIntegrity.verify(datagram, key: Array(credentials.pwd.utf8))) != nil
        else { return nil }
        return StunMessage(.successResponse, .binding, transactionId: request.transactionId, attributes: [
            .xorMappedAddress(remote.address),
        ]).encoded(integrityKey: Array(credentials.pwd.utf8), fingerprint: true)
    }

    func send(_ datagram: [UInt8]) {
        guard let destination = remote?.address else { return }
        var storage = sockaddr_in()
        storage.sin_family = sa_family_t(AF_INET)
        storage.sin_port = destination.port.bigEndian
        let bytes = destination.addressBytes
        storage.sin_addr.s_addr = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
        _ = datagram.withUnsafeBytes { raw in
            withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(socket, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }
}
