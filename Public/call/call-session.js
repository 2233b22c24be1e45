// One participant's call: the signaling socket, the room's mode (a direct mesh or the relay),
// the move between them without reloading, chat, and mute and screen-share state.

import { ChatLog } from './chat-log.js';
import { connectionLine, TurnRoutes } from './connection-line.js';
import { ConnectionQuality } from './connection-quality.js';
import { MeshPeer } from './mesh-peer.js';
import { ParticipantGrid } from './participant-grid.js';
import { CAMERA_TARGET, RelayMedia } from './relay-media.js';
import { Reconnection } from './reconnection.js';
import { SignalingSocket } from './signaling.js';
import { TileSizes } from './tile-sizes.js';

// An auto room whose relay cannot be reached within this time goes direct (README, fallback).
const RELAY_CONNECT_TIMEOUT_MS = 5000;

// How often each connection's quality is judged (connection-quality.js): often enough that
// "poor" shows within seconds, seldom enough that getStats costs nothing noticeable.
const QUALITY_INTERVAL_MS = 2000;
// How long a node of the cluster may take to answer when this page looks for its call elsewhere.
const FAILOVER_PROBE_MS = 1500;

// A call that lasts has many layer changes; the latest ones are enough to look at.
const LAYER_LOG_LENGTH = 200;

// The camera's resolution per mode. Through the relay the top simulcast layer is the camera's
// own size, and subscribers with small tiles or slow links get a lower one; a direct mesh sends
// one layer to each of up to three others, which 640×480 keeps within what a laptop encodes.
const CAMERA_SIZE = {
  sfu: { width: { ideal: CAMERA_TARGET.width }, height: { ideal: CAMERA_TARGET.height } },
  p2p: { width: { ideal: 640 }, height: { ideal: 480 } },
};

// A message id: 32 hex digits (getRandomValues, unlike randomUUID, exists outside secure contexts).
function randomId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export class CallSession {
  constructor({ room, elements, iceTransportPolicy = 'all' }) {
    this.room = room;
    this.iceTransportPolicy = iceTransportPolicy;
    this.elements = elements;
    this.state = 'idle';
    this.selfId = null;
    this.mode = null;
    this.roomState = null;
    this.peers = {};
    this.peerMedia = {};
    this.media = { audio: true, video: true, screen: false };
    this.modeChanges = [];
    this.errors = [];
    this.iceServers = [];
    this.routes = new TurnRoutes(() => this.updateConnectionState());
    this.stream = null;
    this.cameraTrack = null;
    this.screenTrack = null;
    this.mesh = new Map();
    this.meshGeneration = 0;
    this.relay = null;
    this.relayWatchdog = null;
    // Sfu: the relay's latest estimate of the path to this page ({estimate, received, loss}).
    this.link = null;
    this.drainingUntil = null;
    // Sfu: what the relay sends this page of each participant's camera (`video-layer`), and the
    // latest of those messages in order, `at` in page milliseconds (the page contract).
    this.layers = {};
    this.layerLog = [];
    this.remoteStreams = new Map();
    this.grid = new ParticipantGrid({ remotes: elements.remotes, list: elements.participants, self: elements.selfTile });
    this.tileSizes = new TileSizes({ send: (message) => this.send(message) });
    this.chat = new ChatLog({ list: elements.chatList, onChange: () => this.onChatChange() });
    this.signaling = new SignalingSocket({
      onMessage: (message) => this.receive(message),
      onClose: () => this.signalingClosed(),
    });
    // Reconnection (README, "When the connection drops"): the token `resumable` gave, and the
    // join to send again when there is nothing to resume.
    this.resumeToken = null;
    this.joinMessage = null;
    this.reconnection = new Reconnection({
      open: () => this.signaling.open(),
      reopened: () => (this.resumeToken ? this.send({ type: 'resume', token: this.resumeToken }) : this.rejoin()),
      unreachable: () => this.failOver(),
      gaveUp: () => this.fail('the server cannot be reached'),
    });
    // Cluster (README, "When a node dies"): the other nodes' public URLs, from `nodes`, where
    // this page looks for its call when its own node stops answering.
    this.otherNodes = [];
    this.failingOver = false;
    // ICE restarts of connections that lost their path: [{at, role, peer, attempt}].
    this.iceRestarts = [];
    // Each connected connection's loss, round trip and freezes, read every QUALITY_INTERVAL_MS.
    this.quality = new ConnectionQuality();
    this.qualityTimer = null;
  }

  // The page contract (Tests/e2e/README.md): what the connection line judges of each connection.
  connectionQuality() {
    return this.peerConnections().map(({ role, peer, pc }) => ({ role, peer: peer ?? null, ...this.quality.verdict(pc) }));
  }

  async readQuality() {
    for (const { pc, restarter } of this.peerConnections()) {
      if (pc.connectionState !== 'connected' && pc.connectionState !== 'disconnected') continue;
      const verdict = await this.quality.sample(pc).catch(() => null);
      if (verdict && restarter) {
        if (verdict.silent) restarter.stalled();
        else restarter.flowing();
      }
    }
    this.updateConnectionState();
  }

  get reconnecting() {
    return this.reconnection.active;
  }

  // The page contract (Tests/e2e/README.md).
  get reconnections() {
    return this.reconnection.log;
  }

  // The page contract (Tests/e2e/README.md).
  get chatLog() {
    return this.chat.entries;
  }

  peerConnections() {
    if (this.relay) {
      return this.relay.connections().map((entry) => ({
        ...entry, restarter: this.relay.restarters[entry.role] ?? null, restarting: this.relay.isRestarting(entry.role),
      }));
    }
    return [...this.mesh.values()].map((peer) => ({
      role: 'p2p', peer: peer.peerId, pc: peer.pc, channel: peer.channel, restarter: peer.restarter,
      restarting: peer.restarter.restarting,
    }));
  }

  iceRestarted(role, peer, attempt) {
    this.iceRestarts.push({ at: Date.now(), role, peer, attempt });
    this.updateConnectionState();
  }

  tracks() {
    return this.relay ? { ...this.relay.offeredTracks } : {};
  }

  setState(state) {
    this.state = state;
    this.elements.state.textContent = state;
  }

  fail(message) {
    this.showError(message);
    this.setState('failed');
  }

  showError(message) {
    this.errors.push(message);
    this.elements.error.textContent = message;
    this.elements.error.hidden = false;
  }

  async join({ name, mode, password, stream }) {
    this.name = name;
    this.stream = stream;
    this.cameraTrack = stream.getVideoTracks()[0] || null;
    this.media.audio = stream.getAudioTracks().some((track) => track.enabled);
    this.media.video = !!this.cameraTrack && this.cameraTrack.enabled;
    this.elements.localVideo.srcObject = stream;
    this.elements.selfName.textContent = `${name} (you)`;
    this.setState('joining');
    try {
      await this.signaling.open();
    } catch (error) {
      this.fail(error.message);
      return;
    }
    const join = { type: 'join', room: this.room, name, mode };
    if (password) join.password = password;
    this.joinMessage = join;
    this.signaling.send(join);
  }

  signalingClosed() {
    if (['left', 'failed', 'moving', 'redirecting'].includes(this.state)) return;
    if (!this.reconnecting) {
      if (!this.selfId) {
        this.fail('the signaling connection closed');
        return;
      }
      this.setState('reconnecting');
    }
    this.reconnection.lost();
    this.updateConnectionState();
  }

  // Back in the same call, as the same participant: its media never stopped.
  resumed() {
    this.reconnection.ended('resumed');
    this.setState('connecting');
    this.updateConnectionState();
  }

  // The server no longer knows this participant (it restarted, or the grace ran out): join the
  // same room again with the same name, mode and password, as a new participant.
  rejoin() {
    this.resumeToken = null;
    this.reconnection.ended('rejoined');
    this.closeMedia();
    for (const id of Object.keys(this.peers)) this.removePeer(id);
    this.mode = null;
    this.selfId = null;
    this.setState('joining');
    this.send(this.joinMessage);
  }

  send(message) {
    this.signaling.send(message);
  }

  // This page's node stopped answering: the first other node of the cluster that answers gets
  // the page, which joins the call there (the room is placed anew and keeps its chat). Each
  // failed reconnection attempt tries again, so a node that comes back meanwhile still wins.
  async failOver() {
    if (this.failingOver || this.otherNodes.length === 0 || !this.joinMessage) return;
    this.failingOver = true;
    for (const url of this.otherNodes) {
      try {
        await fetch(`${url}/healthz`, { mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(FAILOVER_PROBE_MS) });
      } catch {
        continue;
      }
      if (!this.reconnecting) break;
      this.reconnection.cancel();
      this.moveTo(url, 'moving');
      return;
    }
    this.failingOver = false;
  }

  // Loads this room's call page on the node at `url`, which joins it with this page's name and
  // mode (and password, if the address carried one) without asking again.
  moveTo(url, state) {
    const query = new URLSearchParams(window.location.search);
    query.set('name', this.joinMessage.name);
    query.set('mode', this.joinMessage.mode);
    query.set('autojoin', '1');
    this.setState(state);
    window.location.assign(`${url}/call/${encodeURIComponent(this.room)}?${query}`);
  }

  receive(message) {
    switch (message.type) {
      case 'joined':
        if (!this.qualityTimer) this.qualityTimer = setInterval(() => this.readQuality(), QUALITY_INTERVAL_MS);
        this.reconnection.joined();
        this.selfId = message.id;
        this.iceServers = message.iceServers || [];
        for (const peer of message.peers) this.addPeer(peer);
        for (const entry of message.history || []) this.chat.add(entry, 'history');
        this.publishMediaState();
        this.enterMode(message.mode, 'joined');
        break;
      case 'room':
        this.roomState = message;
        this.elements.lock.hidden = message.owner !== this.selfId;
        this.elements.lock.textContent = message.locked ? 'Unlock room' : 'Lock room';
        this.elements.lock.setAttribute('aria-pressed', String(message.locked));
        this.renderParticipants();
        break;
      case 'mode':
        this.enterMode(message.mode, message.reason);
        break;
      case 'peer-joined':
        this.addPeer(message.peer);
        if (this.mode === 'p2p') this.connectTo(message.peer.id);
        break;
      case 'peer-left':
        this.removePeer(message.id);
        break;
      case 'media-state':
        this.peerMedia[message.id] = { audio: message.audio, video: message.video, screen: message.screen };
        this.grid.markRemote(message.id, this.peerMedia[message.id]);
        this.renderParticipants();
        break;
      case 'signal':
        this.receiveSignal(message.from, message.data);
        break;
      case 'answer':
        if (this.relay) this.relay.handleAnswer(message.sdp).catch((error) => this.showError(`the relay's answer was refused: ${error.message}`));
        break;
      case 'offer':
        if (this.relay) this.relay.handleOffer(message).catch((error) => this.showError(`the relay's offer was refused: ${error.message}`));
        break;
      case 'chat':
        this.chat.add(message, 'socket');
        break;
      case 'link':
        this.link = message.downlink;
        this.updateConnectionState();
        break;
      case 'speaker':
        this.grid.markSpeaker(message.peer);
        break;
      case 'video-layer':
        if (!this.relay || !(message.peer in this.peers)) break;
        this.layers[message.peer] = {
          rid: message.rid ?? null, width: message.width || 0, height: message.height || 0, paused: !!message.paused,
        };
        this.layerLog.push({ peer: message.peer, ...this.layers[message.peer], at: Date.now() });
        if (this.layerLog.length > LAYER_LOG_LENGTH) this.layerLog.shift();
        this.grid.markLayer(message.peer, this.layers[message.peer]);
        this.updateConnectionState();
        break;
      case 'resumable':
        this.resumeToken = message.token;
        break;
      case 'resumed':
        this.resumed();
        break;
      case 'removed':
        // Taken out by an admin: this page must not join again by itself.
        this.stop();
        this.showError(message.reason === 'room-ended' ? 'An admin ended this call.' : 'An admin removed you from this call.');
        break;
      case 'server-draining':
        // A clock time, not a countdown, so the line is never stale.
        this.drainingUntil = Date.now() + message.seconds * 1000;
        this.updateConnectionState();
        break;
      case 'redirect':
        // The room lives on another node of the cluster: its page there joins it, with the same
        // name, mode and options, and talks to that node's relay.
        this.moveTo(message.url, 'redirecting');
        break;
      case 'moved':
        // This node drains and handed the room to another: leave here, join there.
        this.leave();
        this.moveTo(message.url, 'moving');
        break;
      case 'nodes':
        this.otherNodes = Array.isArray(message.urls) ? message.urls.filter((url) => typeof url === 'string') : [];
        break;
      case 'error':
        if (message.code === 'resume-failed' && this.reconnecting) {
          this.rejoin();
          break;
        }
        if (this.state === 'joining') this.setState('failed');
        this.showError(`${message.code}: ${message.message}`);
        break;
      default:
        break;
    }
  }

  // Leaves the media of the previous mode and starts that of `mode`; the tiles stay.
  enterMode(mode, reason) {
    if (mode === this.mode) return;
    this.modeChanges.push({ mode, reason, at: Date.now() });
    this.mode = mode;
    this.elements.mode.textContent = mode === 'p2p' ? 'direct (p2p)' : 'relay (sfu)';
    this.elements.mode.dataset.mode = mode;
    this.closeMedia();
    const cameraFitted = this.fitCamera(mode);
    this.tileSizes.setEnabled(mode === 'sfu');
    if (mode === 'sfu') {
      this.startRelay(cameraFitted);
    } else {
      this.meshGeneration += 1;
      for (const id of Object.keys(this.peers)) this.connectTo(id);
    }
    this.updateConnectionState();
  }

  // Resolves once the camera has its size for `mode` (the relay's simulcast layers depend on
  // it); a camera that cannot change keeps its size.
  fitCamera(mode) {
    if (!this.cameraTrack || !CAMERA_SIZE[mode]) return Promise.resolve();
    return this.cameraTrack.applyConstraints(CAMERA_SIZE[mode]).catch(() => {});
  }

  closeMedia() {
    clearTimeout(this.relayWatchdog);
    if (this.relay) this.relay.close();
    this.relay = null;
    for (const id of Object.keys(this.layers)) this.grid.markLayer(id, null);
    this.layers = {};
    for (const peer of this.mesh.values()) peer.close();
    this.mesh.clear();
  }

  startRelay(cameraFitted) {
    const relay = new RelayMedia({
      iceServers: this.iceServers,
      iceTransportPolicy: this.iceTransportPolicy,
      stream: this.outgoingStream(),
      send: (message) => this.send(message),
      onRemoteTrack: (peer, track) => this.attach(peer, track),
      onStateChange: () => this.relayStateChanged(relay),
      onSubscribed: () => this.tileSizes.resendAll(),
      onIceRestart: (role, attempt) => this.iceRestarted(role, null, attempt),
    });
    this.relay = relay;
    cameraFitted
      .then(() => (this.relay === relay ? relay.start({ screen: !!this.screenTrack }) : null))
      .catch((error) => this.showError(`publish failed: ${error.message}`));
    this.relayWatchdog = setTimeout(() => {
      if (this.relay === relay && !relay.isConnected()) this.reportRelayUnreachable();
    }, RELAY_CONNECT_TIMEOUT_MS);
  }

  relayStateChanged(relay) {
    if (relay !== this.relay) return;
    if (relay.publishPc && relay.publishPc.connectionState === 'failed' && !relay.hasPublished()) this.reportRelayUnreachable();
    this.updateConnectionState();
  }

  // An auto room goes direct when the relay's media port cannot be reached; in an sfu room
  // there is nothing to fall back to.
  reportRelayUnreachable() {
    if (this.roomState && this.roomState.modePolicy === 'auto') {
      this.send({ type: 'media-failed' });
    } else {
      this.showError('the relay cannot be reached');
    }
  }

  // What is sent: the microphone and the camera, or the shared screen in the camera's place.
  outgoingStream() {
    const tracks = [...this.stream.getAudioTracks()];
    const video = this.screenTrack || this.cameraTrack;
    if (video) tracks.push(video);
    return new MediaStream(tracks);
  }

  connectTo(id) {
    if (this.mesh.has(id) || id === this.selfId) return this.mesh.get(id);
    const outgoing = this.outgoingStream();
    const peer = new MeshPeer({
      selfId: this.selfId,
      peerId: id,
      generation: this.meshGeneration,
      iceServers: this.iceServers,
      iceTransportPolicy: this.iceTransportPolicy,
      stream: outgoing,
      videoTrack: outgoing.getVideoTracks()[0] || null,
      sendSignal: (data) => this.send({ type: 'signal', to: id, data }),
      onTrack: (track) => this.attach(id, track),
      onChat: (message) => this.chat.add({ ...message, from: id, name: this.peers[id] ?? id }, 'datachannel'),
      onStateChange: () => this.updateConnectionState(),
      onIceRestart: (attempt) => this.iceRestarted('p2p', id, attempt),
    });
    this.mesh.set(id, peer);
    return peer;
  }

  receiveSignal(from, data) {
    if (this.mode !== 'p2p' || !(from in this.peers) || !data || typeof data.gen !== 'number') return;
    let peer = this.mesh.get(from);
    const standing = peer ? peer.classify(data.gen) : 'current';
    if (standing === 'stale') return;
    if (standing === 'restarted') {
      peer.close();
      this.mesh.delete(from);
    }
    peer = this.connectTo(from);
    peer.handleSignal(data);
  }

  attach(peerId, track) {
    if (!(peerId in this.peers)) return;
    if (!this.remoteStreams.has(peerId)) this.remoteStreams.set(peerId, new MediaStream());
    const stream = this.remoteStreams.get(peerId);
    for (const existing of stream.getTracks()) {
      if (existing.kind === track.kind && existing !== track) stream.removeTrack(existing);
    }
    if (!stream.getTracks().includes(track)) stream.addTrack(track);
    this.grid.show(peerId, this.peers[peerId], stream);
  }

  addPeer(peer) {
    this.peers[peer.id] = peer.name;
    this.peerMedia[peer.id] = { audio: peer.audio !== false, video: peer.video !== false, screen: !!peer.screen };
    this.tileSizes.observe(peer.id, this.grid.tile(peer.id, peer.name).querySelector('video'));
    this.grid.markRemote(peer.id, this.peerMedia[peer.id]);
    this.renderParticipants();
  }

  removePeer(id) {
    delete this.peers[id];
    delete this.peerMedia[id];
    delete this.layers[id];
    this.tileSizes.unobserve(id);
    this.remoteStreams.delete(id);
    const peer = this.mesh.get(id);
    if (peer) peer.close();
    this.mesh.delete(id);
    this.grid.remove(id);
    this.renderParticipants();
    this.updateConnectionState();
  }

  renderParticipants() {
    const owner = this.roomState ? this.roomState.owner : null;
    const people = [];
    if (this.selfId) people.push({ id: this.selfId, name: this.name, media: this.media, self: true, owner: owner === this.selfId });
    for (const [id, name] of Object.entries(this.peers)) {
      people.push({ id, name, media: this.peerMedia[id], self: false, owner: owner === id });
    }
    this.grid.renderList(people);
    this.elements.count.textContent = String(people.length);
  }

  // `state` is 'connected' once the media of the current mode flows: the publish connection in
  // sfu, every direct connection in p2p (none needed when alone).
  updateConnectionState() {
    const connections = this.peerConnections();
    this.elements.transportState.textContent = connectionLine({
      connections, names: this.peers, quality: this.quality, routes: this.routes,
      link: this.relay ? this.link : null, layers: this.relay ? this.layers : {},
      reconnecting: this.reconnecting, drainingUntil: this.drainingUntil,
    });
    if (this.state === 'left' || this.state === 'failed' || this.reconnecting || !this.mode) return;
    let connected;
    if (this.relay) {
      connected = this.relay.isConnected();
    } else {
      connected = connections.every(({ pc }) => pc.connectionState === 'connected');
    }
    if (connected) this.setState('connected');
    else if (this.state !== 'connected') this.setState('connecting');
  }

  sendChat(text) {
    const trimmed = text.trim();
    if (!trimmed || !this.selfId) return null;
    const message = { id: randomId(), text: trimmed.slice(0, 2000), ts: Date.now() };
    for (const peer of this.mesh.values()) peer.sendChat(message);
    this.send({ type: 'chat', id: message.id, text: message.text });
    return this.chat.add({ ...message, from: this.selfId, name: this.name }, 'self');
  }

  onChatChange() {
    if (this.elements.chatBadge && document.body.dataset.panel !== 'chat') this.elements.chatBadge.hidden = false;
  }

  setMicrophone(on) {
    for (const track of this.stream.getAudioTracks()) track.enabled = on;
    this.media.audio = on;
    this.publishMediaState();
  }

  setCamera(on) {
    if (this.cameraTrack) this.cameraTrack.enabled = on;
    this.media.video = on || this.media.screen;
    this.publishMediaState();
  }

  async shareScreen(on) {
    if (on && !this.screenTrack) {
      const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
      this.screenTrack = display.getVideoTracks()[0];
      this.screenTrack.addEventListener('ended', () => this.shareScreen(false));
    } else if (!on && this.screenTrack) {
      this.screenTrack.stop();
      this.screenTrack = null;
    } else {
      return;
    }
    const video = this.screenTrack || this.cameraTrack;
    this.elements.localVideo.srcObject = this.outgoingStream();
    if (this.relay) await this.relay.replaceVideo(video, { screen: !!this.screenTrack });
    for (const peer of this.mesh.values()) await peer.replaceVideo(video);
    this.media.screen = !!this.screenTrack;
    this.media.video = this.media.screen || (!!this.cameraTrack && this.cameraTrack.enabled);
    this.publishMediaState();
  }

  publishMediaState() {
    ParticipantGrid.mark(this.elements.selfTile, this.media);
    this.renderParticipants();
    this.send({ type: 'media-state', ...this.media });
  }

  setLocked(locked) {
    this.send({ type: 'lock', locked });
  }

  leave() {
    if (this.state === 'left') return;
    this.send({ type: 'leave' });
    this.stop();
  }

  // Ends this page's part in the call: media, camera and microphone, the socket, the tiles.
  stop() {
    if (this.state === 'left') return;
    this.reconnection.cancel();
    clearInterval(this.qualityTimer);
    this.setState('left');
    this.closeMedia();
    if (this.screenTrack) this.screenTrack.stop();
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.signaling.close();
    for (const id of Object.keys(this.peers)) this.removePeer(id);
  }
}
