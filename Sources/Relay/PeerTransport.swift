import DTLS
import RTP

/// One peer connection's transport on the relay, without I/O: ICE-lite, then DTLS with the
/// relay as server, then SRTP both ways (RFC 8825 §4). Datagrams arrive already sorted by
/// first byte (RFC 7983); what the transport sends goes to a `DatagramSink`.
public final class PeerTransport {
    public let id: TransportID
    public var localCredentials: IceCredentials { ice.localCredentials }
    public private(set) var remoteAddress: TransportAddress?
    public private(set) var isConnected = false
    public private(set) var isClosed = false
    public private(set) var srtpProfile: SrtpProfile?

    private var ice: IceLiteAgent
    /// `ice.nextTimeout`, kept after each change of the agent: read on each pass over the
    /// worker's timers for every transport, a computed property of the struct would copy it
    /// whole each time.
    private var iceTimeout: UInt64?
    private let dtls: DtlsEndpoint
    private var inbound: SrtpSession?
    private var outbound: SrtpSession?
    /// RTP protection on OpenSSL when the profile is AEAD_AES_128_GCM: the forwarding path's
    /// largest cost after the kernel's (bench/PROFILE.md).
    private var gcmSender: SrtpGcmSender?
    /// SRTP and SRTCP unprotection on OpenSSL with AEAD_AES_128_GCM, in place of `inbound`.
    private var gcmReceiver: SrtpGcmReceiver?
    private var events: [PeerTransportEvent] = []

    public init(
        id: TransportID, localCredentials: IceCredentials, remoteCredentials: IceCredentials,
        dtlsContext: DtlsContext, remoteFingerprint: CertificateFingerprint
    ) throws(DtlsError) {
        self.id = id
        self.ice = IceLiteAgent(localCredentials: localCredentials, remoteCredentials: remoteCredentials)
        self.dtls = try DtlsEndpoint(context: dtlsContext, remoteFingerprint: remoteFingerprint)
        iceTimeout = ice.nextTimeout
    }

    /// The earliest time `handleTimeout` has work to do.
    public var nextTimeout: UInt64? {
        switch (iceTimeout, dtls.nextTimeout) {
        case (let a?, let b?): min(a, b)
        case (let a?, nil): a
        case (nil, let b?): b
        case (nil, nil): nil
        }
    }

    public func pollEvent() -> PeerTransportEvent? {
        events.isEmpty ? nil : events.removeFirst()
    }

    /// An ICE restart: new credentials, with DTLS and SRTP kept (RFC 8445 §9; RFC 8842 §4.2:
    /// a changed ICE session alone starts no new DTLS association).
    public func restartIce(local: IceCredentials, remote: IceCredentials?) {
        ice.restart(local: local, remote: remote)
        iceTimeout = ice.nextTimeout
    }

    /// Authenticated media from `source`, which is not the selected path: the peer may have
    /// moved there (`IceLiteAgent.mediaArrived`).
    public func mediaArrived(from source: TransportAddress, now: UInt64, sink: some DatagramSink) {
        guard !isClosed else { return }
        ice.mediaArrived(from: source, now: now)
        drainIce(sink: sink, now: now)
    }

    /// The local ufrags the peer's checks may name (two during an ICE restart).
    public var acceptedUfrags: [String] { ice.acceptedUfrags }

    /// The peer's credentials arrived after an ICE restart the relay offered.
    public func setRemoteCredentials(_ remote: IceCredentials) {
        ice.setRemoteCredentials(remote)
        iceTimeout = ice.nextTimeout
    }

    /// A STUN message from `source`; returns why it was refused, or nil for a valid check.
    @discardableResult
    public func handleStun(_ bytes: UnsafeRawBufferPointer, from source: TransportAddress, now: UInt64, sink: some DatagramSink) -> StunRefusal? {
        guard !isClosed else { return .transportClosed }
        let refusal = ice.handleStun(Array(bytes), from: source, now: now)
        drainIce(sink: sink, now: now)
        return refusal
    }

    /// A DTLS record from `source`; refused unless ICE has validated that address.
    public func handleDtls(_ bytes: UnsafeRawBufferPointer, from source: TransportAddress, now: UInt64, sink: some DatagramSink) throws(DtlsError) {
        guard !isClosed, ice.isValidated(source) else { return }
        ice.peerUsed(source)
        drainIce(sink: sink, now: now)
        if dtls.state == .idle { dtls.start(now: now) }
        defer { drainDtls(sink: sink) }
        try dtls.handleDatagram(bytes, now: now)
    }

    public func handleTimeout(now: UInt64, sink: some DatagramSink) {
        guard !isClosed else { return }
        ice.handleTimeout(now: now)
        drainIce(sink: sink, now: now)
        dtls.handleTimeout(now: now)
        drainDtls(sink: sink)
    }

    /// Decrypts an SRTP packet in place and returns the RTP length.
    public func unprotectRtp(_ buffer: UnsafeMutableRawBufferPointer) throws(SrtpError) -> Int {
        if let gcmReceiver { return try gcmReceiver.unprotectRtp(buffer, length: buffer.count) }
        guard let inbound else { throw .malformedPacket }
        return try inbound.unprotectRtp(buffer, length: buffer.count)
    }

    /// Decrypts an SRTCP packet in place and returns the RTCP length.
    public func unprotectRtcp(_ buffer: UnsafeMutableRawBufferPointer) throws(SrtpError) -> Int {
        if let gcmReceiver { return try gcmReceiver.unprotectRtcp(buffer, length: buffer.count) }
        guard let inbound else { throw .malformedPacket }
        return try inbound.unprotectRtcp(buffer, length: buffer.count)
    }

    /// Sends an RTP packet: `write` puts the plaintext packet in the buffer and returns its
    /// length; the transport protects it in place. Returns the length queued for sending, 0
    /// when nothing was (not connected, `write` declined, or protection failed).
    @discardableResult
    public func sendRtp(sink: some DatagramSink, origin: UInt64? = nil, _ write: (UnsafeMutableRawBufferPointer) -> Int) -> Int {
        guard let outbound, let remoteAddress else { return 0 }
        let gcmSender = gcmSender
        var queued = 0
        sink.send(to: remoteAddress, origin: origin) { buffer in
            let length = write(buffer)
            guard length > 0 else { return 0 }
            if let gcmSender {
                queued = (try? gcmSender.protectRtp(buffer, length: length)) ?? 0
            } else {
                queued = (try? outbound.protectRtp(buffer, length: length)) ?? 0
            }
            return queued
        }
        return queued
    }

    /// Sends an RTCP compound packet, protected.
    public func sendRtcp(_ packet: [UInt8], sink: some DatagramSink) {
        guard let outbound, let remoteAddress else { return }
        sink.send(to: remoteAddress) { buffer in
            guard packet.count + outbound.profile.rtcpOverhead <= buffer.count else { return 0 }
            buffer.copyBytes(from: packet)
            return (try? outbound.protectRtcp(buffer, length: packet.count)) ?? 0
        }
    }

    /// Closes the transport: a DTLS close_notify if connected.
    public func close(sink: some DatagramSink) {
        guard !isClosed else { return }
        dtls.close()
        drainDtls(sink: sink)
        finish(.removed)
    }

    /// Gives up on a transport that never connected.
    public func expire() {
        finish(.connectTimeout)
    }

    private func drainIce(sink: some DatagramSink, now: UInt64) {
        while let (bytes, destination) = ice.pollTransmit() {
            sink.send(bytes, to: destination)
        }
        while let event = ice.pollEvent() {
            switch event {
            case .validated(let address):
                events.append(.pathValidated(address))
            case .selected(let address):
                remoteAddress = address
                events.append(.pathSelected(address))
            case .consentExpired:
                finish(.consentExpired)
            }
        }
        iceTimeout = ice.nextTimeout
    }

    private func drainDtls(sink: some DatagramSink) {
        if let remoteAddress {
            while let datagram = dtls.pollTransmit() { sink.send(datagram, to: remoteAddress) }
        }
        while let event = dtls.pollEvent() {
            switch event {
            case .connected(let keys):
                do {
                    outbound = try SrtpSession(profile: keys.profile, keyingMaterial: keys.local, direction: .outbound)
                    if keys.profile == .aeadAes128Gcm {
                        gcmSender = try SrtpGcmSender(keyingMaterial: keys.local)
                        gcmReceiver = try SrtpGcmReceiver(keyingMaterial: keys.remote)
                        inbound = nil
                    } else {
                        gcmSender = nil
                        gcmReceiver = nil
                        inbound = try SrtpSession(profile: keys.profile, keyingMaterial: keys.remote, direction: .inbound)
                    }
                    srtpProfile = keys.profile
                    isConnected = true
                    events.append(.connected)
                } catch {
                    finish(.srtpSetupFailed)
                }
            case .closed(let error):
                finish(.dtls(error))
            }
        }
    }

    private func finish(_ reason: PeerTransportCloseReason) {
        guard !isClosed else { return }
        isClosed = true
        isConnected = false
        events.append(.closed(reason))
    }
}
