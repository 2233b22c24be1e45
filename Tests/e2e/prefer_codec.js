// Run in a test's Chromium before the call page's own scripts (browsers.py, page_script), to
// publish with another codec than the browser's first without changing the page: every video
// transceiver added gets codec preferences with the preferred codec first, so the offer lists it
// first and the relay, which answers with the first codec offered that it forwards, takes it.
// mimeType: e.g. 'video/VP9'; fmtp: a parameter its fmtp line must have ('packetization-mode=1'),
// or null. Only entries this browser can also send go first: the receiver's list has profiles it
// can only decode (VP9 profiles 1 and 3, H.264 High 4:4:4), which an answer must not pick.
(function preferCodec(mimeType, fmtp) {
    const addTransceiver = RTCPeerConnection.prototype.addTransceiver;
    RTCPeerConnection.prototype.addTransceiver = function (trackOrKind, init) {
        const transceiver = addTransceiver.apply(this, arguments);
        const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
        if (kind !== 'video') return transceiver;
        const key = c => `${c.mimeType.toLowerCase()} ${c.sdpFmtpLine || ''}`;
        const sendable = new Set(RTCRtpSender.getCapabilities('video').codecs.map(key));
        const preferred = c => c.mimeType.toLowerCase() === mimeType.toLowerCase() && sendable.has(key(c))
            && (!fmtp || (c.sdpFmtpLine || '').split(';').includes(fmtp));
        const codecs = RTCRtpReceiver.getCapabilities('video').codecs;
        transceiver.setCodecPreferences([...codecs.filter(preferred), ...codecs.filter(c => !preferred(c))]);
        return transceiver;
    };
})
