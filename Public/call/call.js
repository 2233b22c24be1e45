// The call page: joins a room over the signaling socket (/ws) and, in sfu mode, sends camera
// and microphone on a publish connection and receives everyone else on a subscribe
// connection that the relay renegotiates as people come and go.

const params = new URLSearchParams(location.search);
const room = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] || '');
const elements = {
  roomName: document.getElementById('room-name'),
  state: document.getElementById('state'),
  transportState: document.getElementById('transport-state'),
  form: document.getElementById('join-form'),
  nameInput: document.getElementById('name-input'),
  error: document.getElementById('error'),
  localVideo: document.getElementById('local-video'),
  selfName: document.getElementById('self-name'),
  remotes: document.getElementById('remotes'),
  leave: document.getElementById('leave-button'),
};

class CallSession {
  constructor() {
    this.state = 'idle';
    this.selfId = null;
    this.mode = null;
    this.peers = {};
    this.socket = null;
    this.localStream = null;
    this.publishPc = null;
    this.subscribePc = null;
    this.offeredTracks = {};
    this.remoteStreams = new Map();
    // Subscribe offers are handled one at a time, in the order they arrive.
    this.negotiation = Promise.resolve();
  }

  peerConnections() {
    const list = [];
    if (this.publishPc) list.push({ role: 'publish', pc: this.publishPc });
    if (this.subscribePc) list.push({ role: 'subscribe', pc: this.subscribePc });
    return list;
  }

  tracks() {
    return { ...this.offeredTracks };
  }

  setState(state) {
    this.state = state;
    elements.state.textContent = state;
  }

  fail(message) {
    elements.error.textContent = message;
    elements.error.hidden = false;
    this.setState('failed');
  }

  async join(name, mode) {
    this.setState('joining');
    elements.selfName.textContent = `${name} (you)`;
    try {
      this.localStream = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: { width: { ideal: 640 }, height: { ideal: 480 } },
      });
    } catch (error) {
      this.fail(`camera or microphone unavailable: ${error.message}`);
      return;
    }
    elements.localVideo.srcObject = this.localStream;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.socket = new WebSocket(`${scheme}//${location.host}/ws`);
    this.socket.addEventListener('open', () => this.send({ type: 'join', room, name, mode }));
    this.socket.addEventListener('message', (event) => this.receive(JSON.parse(event.data)));
    this.socket.addEventListener('close', () => {
      if (this.state !== 'left') this.fail('the signaling connection closed');
    });
    elements.leave.hidden = false;
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  receive(message) {
    switch (message.type) {
      case 'joined':
        this.selfId = message.id;
        this.mode = message.mode;
        for (const peer of message.peers) this.addPeer(peer);
        if (message.mode === 'sfu') {
          this.publish(message.iceServers).catch((error) => this.fail(`publish failed: ${error.message}`));
        } else {
          this.fail(`this page speaks sfu mode; the room is in ${message.mode} mode`);
        }
        break;
      case 'peer-joined':
        this.addPeer(message.peer);
        break;
      case 'peer-left':
        this.removePeer(message.id);
        break;
      case 'answer':
        this.publishPc.setRemoteDescription({ type: 'answer', sdp: message.sdp })
          .catch((error) => this.fail(`the relay's answer was refused: ${error.message}`));
        break;
      case 'offer':
        this.negotiation = this.negotiation
          .then(() => this.subscribe(message))
          .catch((error) => this.fail(`the relay's offer was refused: ${error.message}`));
        break;
      case 'error':
        elements.error.textContent = `${message.code}: ${message.message}`;
        elements.error.hidden = false;
        break;
      default:
        break;
    }
  }

  async publish(iceServers) {
    const pc = new RTCPeerConnection({ iceServers: iceServers || [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    this.publishPc = pc;
    this.watch(pc);
    for (const track of this.localStream.getTracks()) {
      pc.addTransceiver(track, { direction: 'sendonly', streams: [this.localStream] });
    }
    await pc.setLocalDescription(await pc.createOffer());
    this.send({ type: 'publish', sdp: pc.localDescription.sdp });
  }

  async subscribe(message) {
    if (!this.subscribePc) {
      const pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
      this.subscribePc = pc;
      this.watch(pc);
      pc.addEventListener('track', (event) => this.attach(event.transceiver.mid, event.track));
    }
    this.offeredTracks = {};
    for (const track of message.tracks) this.offeredTracks[track.mid] = { peer: track.peer, kind: track.kind };
    await this.subscribePc.setRemoteDescription({ type: 'offer', sdp: message.sdp });
    await this.subscribePc.setLocalDescription(await this.subscribePc.createAnswer());
    this.send({ type: 'answer', sdp: this.subscribePc.localDescription.sdp });
    // A reused slot carries a new track without a new 'track' event in every browser.
    for (const transceiver of this.subscribePc.getTransceivers()) {
      if (transceiver.mid in this.offeredTracks) this.attach(transceiver.mid, transceiver.receiver.track);
    }
  }

  attach(mid, track) {
    const offered = this.offeredTracks[mid];
    if (!offered) return;
    const stream = this.streamOf(offered.peer);
    for (const existing of stream.getTracks()) {
      if (existing.kind === track.kind && existing !== track) stream.removeTrack(existing);
    }
    if (!stream.getTracks().includes(track)) stream.addTrack(track);
    const video = this.tileOf(offered.peer).querySelector('video');
    if (video.srcObject !== stream) video.srcObject = stream;
    video.play().catch(() => {});
  }

  streamOf(peer) {
    if (!this.remoteStreams.has(peer)) this.remoteStreams.set(peer, new MediaStream());
    return this.remoteStreams.get(peer);
  }

  watch(pc) {
    const update = () => {
      const states = this.peerConnections().map(({ role, pc }) => `${role}: ${pc.connectionState}`);
      elements.transportState.textContent = `(${states.join(', ')})`;
      const all = this.peerConnections().map(({ pc }) => pc.connectionState);
      if (this.state === 'joining' && all.includes('connected')) this.setState('connected');
      if (all.includes('failed') && this.state !== 'left') this.fail('the media connection failed');
    };
    pc.addEventListener('connectionstatechange', update);
    update();
  }

  addPeer(peer) {
    this.peers[peer.id] = peer.name;
    this.tileOf(peer.id);
  }

  removePeer(id) {
    delete this.peers[id];
    this.remoteStreams.delete(id);
    const tile = elements.remotes.querySelector(`[data-peer-id="${CSS.escape(id)}"]`);
    if (tile) tile.remove();
  }

  tileOf(id) {
    let tile = elements.remotes.querySelector(`[data-peer-id="${CSS.escape(id)}"]`);
    if (tile) return tile;
    tile = document.createElement('figure');
    tile.className = 'tile';
    tile.dataset.peerId = id;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    const caption = document.createElement('figcaption');
    caption.className = 'name';
    caption.textContent = this.peers[id] ?? id;
    tile.append(video, caption);
    elements.remotes.append(tile);
    return tile;
  }

  leave() {
    if (this.state === 'left') return;
    this.setState('left');
    this.send({ type: 'leave' });
    for (const { pc } of this.peerConnections()) pc.close();
    if (this.localStream) for (const track of this.localStream.getTracks()) track.stop();
    if (this.socket) this.socket.close();
    for (const id of Object.keys(this.peers)) this.removePeer(id);
    elements.leave.hidden = true;
  }
}

const call = new CallSession();
window.relayCall = call;
elements.roomName.textContent = room;
elements.leave.addEventListener('click', () => call.leave());
window.addEventListener('pagehide', () => call.leave());

const mode = params.get('mode') || 'sfu';
const presetName = (params.get('name') || '').trim();
if (params.get('autojoin') === '1' && presetName) {
  call.join(presetName, mode);
} else {
  elements.form.hidden = false;
  elements.nameInput.value = presetName;
  elements.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = elements.nameInput.value.trim();
    if (!name) return;
    elements.form.hidden = true;
    call.join(name, mode);
  });
}
