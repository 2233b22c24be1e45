// What the end-to-end test reads inside a call page, through the window.relayCall contract only:
// per remote participant the video frames decoded and audio packets received, the selected ICE
// candidate pair of every peer connection, and the remote tiles on screen.
// One async function expression; the harness calls it and gets JSON-able data back.
(async function callStats() {
    // The transport stats name the selected pair (Chromium, Firefox 153); Firefox releases
    // without transport stats mark the pair itself with `selected`.
    async function selectedPair(pc) {
        const stats = await pc.getStats();
        let pair = null;
        stats.forEach(s => {
            if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
        });
        if (!pair) stats.forEach(s => { if (s.type === 'candidate-pair' && s.selected) pair = s; });
        if (!pair) return null;
        const candidate = id => {
            const c = stats.get(id);
            return c ? {address: c.address ?? c.ip ?? null, port: c.port, protocol: c.protocol, type: c.candidateType} : null;
        };
        return {state: pair.state, local: candidate(pair.localCandidateId), remote: candidate(pair.remoteCandidateId)};
    }

    async function inboundRtp(pc, track) {
        let inbound = null;
        (await pc.getStats(track)).forEach(s => { if (s.type === 'inbound-rtp') inbound = s; });
        return inbound;
    }

    const tiles = {};
    for (const tile of document.querySelectorAll('#remotes [data-peer-id]')) {
        const name = tile.querySelector('.name');
        tiles[tile.dataset.peerId] = {name: name ? name.textContent.trim() : null, hasVideo: !!tile.querySelector('video')};
    }
    const call = window.relayCall;
    if (!call) return {state: null, selfId: null, peers: {}, tiles, remotes: {}, connections: []};

    const tracks = call.tracks();
    const remotes = {};
    const connections = [];
    const remoteOf = peer => remotes[peer] ??= {name: call.peers[peer] ?? null, videoFramesDecoded: null, audioPacketsReceived: null};
    // null until the first packet: Chromium creates the inbound-rtp entry only then.
    // A second track of a kind (a screen share) adds to the count.
    function count(remote, kind, inbound) {
        if (!inbound) return;
        if (kind === 'video') remote.videoFramesDecoded = (remote.videoFramesDecoded ?? 0) + (inbound.framesDecoded ?? 0);
        if (kind === 'audio') remote.audioPacketsReceived = (remote.audioPacketsReceived ?? 0) + (inbound.packetsReceived ?? 0);
    }
    for (const {role, pc, peer, channel} of call.peerConnections()) {
        connections.push({role, peer: peer ?? null, connectionState: pc.connectionState, signalingState: pc.signalingState,
                          remoteDescription: pc.remoteDescription ? pc.remoteDescription.type : null,
                          channel: channel ? channel.readyState : null, pair: await selectedPair(pc)});
        if (role === 'subscribe') {
            for (const transceiver of pc.getTransceivers()) {
                const track = transceiver.mid !== null && tracks[transceiver.mid];
                if (!track || transceiver.currentDirection === 'stopped') continue;
                count(remoteOf(track.peer), track.kind, await inboundRtp(pc, transceiver.receiver.track));
            }
        } else if (role === 'p2p' && peer) {
            // A direct connection carries one participant's media.
            for (const receiver of pc.getReceivers()) {
                if (receiver.track) count(remoteOf(peer), receiver.track.kind, await inboundRtp(pc, receiver.track));
            }
        }
    }
    return {state: call.state, selfId: call.selfId, peers: {...call.peers}, tiles, remotes, connections,
            mode: call.mode ?? null, modeChanges: call.modeChanges ?? [], chatLog: call.chatLog ?? [],
            errors: call.errors ?? [], reconnections: call.reconnections ?? [],
            iceRestarts: call.iceRestarts ?? [], now: Date.now()};
})
