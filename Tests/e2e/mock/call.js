// A stand-in for the call page that keeps only its test contract (window.relayCall and the
// remote tiles), so the end-to-end harness can be checked without the relay. Participants meet
// through the mock server's room list; the media of each remote is this page's own camera and
// microphone sent through a publish -> subscribe pair of peer connections inside the page.
'use strict';

const room = decodeURIComponent(location.pathname.split('/').pop());
const params = new URLSearchParams(location.search);
const remotes = document.getElementById('remotes');
let connections = [];
let trackOwners = {};
let local = null;

const call = window.relayCall = {
    state: 'idle',
    selfId: null,
    peers: {},
    peerConnections: () => connections.slice(),
    tracks: () => ({...trackOwners}),
    leave,
};

async function api(path, options) {
    const reply = await fetch(`/mock/${path}?room=${encodeURIComponent(room)}&${options.query}`, {method: options.method});
    return reply.json();
}

async function join() {
    call.state = 'joining';
    try {
        local = await navigator.mediaDevices.getUserMedia({audio: true, video: {width: 320, height: 240}});
        call.selfId = (await api('join', {method: 'POST', query: `name=${encodeURIComponent(params.get('name'))}`})).id;
        call.state = 'connected';
        while (call.state === 'connected') {
            await followRoom();
            await new Promise(resolve => setTimeout(resolve, 250));
        }
    } catch (error) {
        console.error('mock call failed', error);
        call.state = 'failed';
    }
}

// Polls the room; on any change of the others rebuilds the loopback and the tiles.
async function followRoom() {
    const {peers} = await api('peers', {method: 'GET', query: ''});
    delete peers[call.selfId];
    const same = Object.keys(peers).sort().join() === Object.keys(call.peers).sort().join();
    if (same || call.state !== 'connected') return;
    call.peers = peers;
    await connect(Object.keys(peers));
    if (call.state !== 'connected') return closeConnections();  // left while connecting
    showTiles();
}

// One publish -> subscribe pair carrying an audio and a video clone of the local tracks per remote.
async function connect(peerIds) {
    closeConnections();
    if (peerIds.length === 0) return;
    const publish = new RTCPeerConnection();
    const subscribe = new RTCPeerConnection();
    publish.onicecandidate = event => event.candidate && subscribe.addIceCandidate(event.candidate);
    subscribe.onicecandidate = event => event.candidate && publish.addIceCandidate(event.candidate);
    const owners = new Map();
    for (const peer of peerIds) {
        for (const track of local.getTracks()) {
            const clone = track.clone();
            owners.set(clone, peer);
            publish.addTrack(clone);
        }
    }
    await publish.setLocalDescription();
    await subscribe.setRemoteDescription(publish.localDescription);
    await subscribe.setLocalDescription();
    await publish.setRemoteDescription(subscribe.localDescription);
    trackOwners = {};
    for (const transceiver of publish.getTransceivers()) {
        const track = transceiver.sender.track;
        trackOwners[transceiver.mid] = {peer: owners.get(track), kind: track.kind};
    }
    connections = [{role: 'publish', pc: publish}, {role: 'subscribe', pc: subscribe}];
}

function showTiles() {
    remotes.replaceChildren();
    const subscribe = connections.find(c => c.role === 'subscribe')?.pc;
    for (const [peer, name] of Object.entries(call.peers)) {
        const tile = document.createElement('div');
        tile.dataset.peerId = peer;
        const video = document.createElement('video');
        video.autoplay = true;
        video.muted = true;
        video.srcObject = new MediaStream(subscribe.getTransceivers()
            .filter(t => trackOwners[t.mid]?.peer === peer)
            .map(t => t.receiver.track));
        const label = document.createElement('div');
        label.className = 'name';
        label.textContent = name;
        tile.append(video, label);
        remotes.append(tile);
    }
}

function closeConnections() {
    for (const {pc} of connections) {
        pc.getSenders().forEach(sender => sender.track && sender.track.stop());
        pc.close();
    }
    connections = [];
    trackOwners = {};
}

async function leave() {
    if (call.state !== 'connected') return;
    call.state = 'left';
    closeConnections();
    local.getTracks().forEach(track => track.stop());
    remotes.replaceChildren();
    call.peers = {};
    await api('leave', {method: 'POST', query: `id=${encodeURIComponent(call.selfId)}`});
}

if (params.get('autojoin') === '1') join();
