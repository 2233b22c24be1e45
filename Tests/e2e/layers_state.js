// What the simulcast scenarios read in a page, through the window.relayCall contract only: the
// layer the relay says it sends of each participant (`layers`, and `layerLog` in order), whether
// each tile shows the paused overlay, and per remote participant the size of the video decoded
// and the audio packets received so far.
(async function layersState() {
    const call = window.relayCall;
    if (!call) return null;
    const overlays = {};
    for (const tile of document.querySelectorAll('#remotes [data-peer-id]')) {
        const overlay = tile.querySelector('.video-paused');
        overlays[tile.dataset.peerId] = overlay
            ? {shown: !overlay.hidden && overlay.getClientRects().length > 0, text: overlay.textContent}
            : null;
    }
    const tracks = call.tracks();
    const audio = {};
    const video = {};
    for (const {role, pc} of call.peerConnections()) {
        if (role !== 'subscribe') continue;
        const peerOfTrack = {};
        for (const transceiver of pc.getTransceivers()) {
            const track = transceiver.receiver && transceiver.receiver.track;
            const offered = transceiver.mid !== null && tracks[transceiver.mid];
            if (track && offered) peerOfTrack[track.id] = offered.peer;
        }
        const stats = await pc.getStats();
        stats.forEach(s => {
            if (s.type !== 'inbound-rtp') return;
            const peer = peerOfTrack[s.trackIdentifier];
            if (!peer) return;
            if (s.kind === 'audio') audio[peer] = (audio[peer] ?? 0) + (s.packetsReceived ?? 0);
            // The busiest stream when a reused slot left an old one behind.
            if (s.kind === 'video' && (s.framesDecoded ?? 0) >= (video[peer]?.framesDecoded ?? -1)) {
                video[peer] = {width: s.frameWidth ?? 0, height: s.frameHeight ?? 0, framesDecoded: s.framesDecoded ?? 0};
            }
        });
    }
    return {layers: {...(call.layers || {})}, layerLog: [...(call.layerLog || [])], overlays, audio, video,
            now: Date.now()};
})
