// What the call quality test reads inside a page, through the window.relayCall contract only:
// the video this page sends (outbound-rtp, with the selected pair's available outgoing bitrate),
// the video it receives from each remote participant (inbound-rtp: frames, freezes, losses,
// repairs), each with its codec (the codec stats' mimeType and fmtp line), and the average
// colour of the middle of each remote tile's <video>.
// One async function expression; the harness calls it and gets JSON-able data back. Counters are
// cumulative; the harness takes differences between two readings, with the stats' own
// timestamps (page milliseconds).
(async function qualityStats() {
    const call = window.relayCall;
    if (!call) return null;

    const pick = (s, keys) => Object.fromEntries(keys.map(k => [k, s[k] ?? null]));
    const OUTBOUND = ['timestamp', 'ssrc', 'rid', 'bytesSent', 'headerBytesSent', 'packetsSent',
        'retransmittedBytesSent', 'retransmittedPacketsSent', 'framesSent', 'framesEncoded',
        'frameWidth', 'frameHeight', 'framesPerSecond', 'qualityLimitationReason',
        'qualityLimitationDurations', 'targetBitrate', 'nackCount', 'pliCount', 'firCount', 'encoderImplementation',
        'keyFramesEncoded', 'scalabilityMode'];
    const INBOUND = ['timestamp', 'ssrc', 'mid', 'trackIdentifier', 'bytesReceived', 'packetsReceived', 'packetsLost',
        'framesReceived', 'framesDecoded', 'framesDropped', 'frameWidth', 'frameHeight', 'framesPerSecond',
        'freezeCount', 'totalFreezesDuration', 'pauseCount', 'totalPauseDuration', 'nackCount', 'pliCount',
        'firCount', 'retransmittedPacketsReceived', 'retransmittedBytesReceived', 'jitter', 'keyFramesDecoded',
        'decoderImplementation'];

    const tracks = call.tracks();
    const outbound = [];
    const inbound = {};  // remote peer id -> [inbound video stats]
    const pairs = [];
    for (const {role, pc, peer} of call.peerConnections()) {
        // Which remote participant each receiving track carries.
        const peerOfTrack = {};
        for (const transceiver of pc.getTransceivers()) {
            const track = transceiver.receiver && transceiver.receiver.track;
            if (!track) continue;
            if (role === 'subscribe') {
                const t = transceiver.mid !== null && tracks[transceiver.mid];
                if (t) peerOfTrack[track.id] = t.peer;
            } else if (peer) {
                peerOfTrack[track.id] = peer;
            }
        }
        const stats = await pc.getStats();
        let pair = null;
        stats.forEach(s => {
            if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
        });
        if (!pair) stats.forEach(s => { if (s.type === 'candidate-pair' && s.selected) pair = s; });
        const available = pair ? (pair.availableOutgoingBitrate ?? null) : null;
        pairs.push({role, peer: peer ?? null, availableOutgoingBitrate: available,
                    currentRoundTripTime: pair ? (pair.currentRoundTripTime ?? null) : null,
                    // Everything the connection sent: media, retransmissions, padding, RTCP.
                    bytesSent: pair ? (pair.bytesSent ?? null) : null,
                    timestamp: pair ? pair.timestamp : null,
                    // The address this end sends from: it changes when the network does.
                    localAddress: pair ? (stats.get(pair.localCandidateId)?.address ?? null) : null,
                    state: pc.connectionState});
        const codecOf = s => {
            const codec = s.codecId ? stats.get(s.codecId) : null;
            return {codec: codec ? codec.mimeType : null, codecFmtp: codec ? (codec.sdpFmtpLine ?? null) : null};
        };
        stats.forEach(s => {
            if (s.kind !== 'video') return;
            if (s.type === 'outbound-rtp') {
                outbound.push({role, peer: peer ?? null, availableOutgoingBitrate: available, ...pick(s, OUTBOUND),
                               ...codecOf(s)});
            } else if (s.type === 'inbound-rtp') {
                const from = peerOfTrack[s.trackIdentifier]
                    ?? (role === 'subscribe' && s.mid != null && tracks[s.mid] ? tracks[s.mid].peer : null)
                    ?? (role === 'p2p' ? peer : null);
                if (from) (inbound[from] ??= []).push({role, ...pick(s, INBOUND), ...codecOf(s)});
            }
        });
    }

    // The average colour of the middle of each remote video, drawn at a small size.
    const colours = {};
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    const context = canvas.getContext('2d', {willReadFrequently: true});
    for (const tile of document.querySelectorAll('#remotes [data-peer-id]')) {
        const video = tile.querySelector('video');
        if (!video || !video.videoWidth) {
            colours[tile.dataset.peerId] = null;
            continue;
        }
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        // The middle: rows 45..75 and columns 50..110 of 120x160, inside the solid part.
        const data = context.getImageData(50, 45, 60, 30).data;
        const sum = [0, 0, 0];
        for (let i = 0; i < data.length; i += 4) {
            sum[0] += data[i];
            sum[1] += data[i + 1];
            sum[2] += data[i + 2];
        }
        const n = data.length / 4;
        colours[tile.dataset.peerId] = {rgb: sum.map(v => Math.round(v / n)),
                                        width: video.videoWidth, height: video.videoHeight};
    }
    return {state: call.state, selfId: call.selfId, mode: call.mode ?? null, peers: {...call.peers},
            outbound, inbound, pairs, colours, iceRestarts: call.iceRestarts ?? [], errors: call.errors ?? [],
            reconnections: call.reconnections ?? [], now: Date.now()};
})
