// Sfu mode: camera and microphone go to the relay on a publish connection (the client offers);
// everyone else comes back on a subscribe connection that the relay offers and renegotiates as
// people come and go.

export class RelayMedia {
  constructor({ iceServers, stream, send, onRemoteTrack, onStateChange }) {
    this.iceServers = iceServers;
    this.stream = stream;
    this.send = send;
    this.onRemoteTrack = onRemoteTrack;
    this.onStateChange = onStateChange;
    this.publishPc = null;
    this.subscribePc = null;
    this.offeredTracks = {};
    // Subscribe offers are handled one at a time, in the order they arrive.
    this.negotiation = Promise.resolve();
  }

  configuration() {
    return { iceServers: this.iceServers, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };
  }

  connections() {
    const list = [];
    if (this.publishPc) list.push({ role: 'publish', pc: this.publishPc });
    if (this.subscribePc) list.push({ role: 'subscribe', pc: this.subscribePc });
    return list;
  }

  async start() {
    const pc = new RTCPeerConnection(this.configuration());
    this.publishPc = pc;
    pc.addEventListener('connectionstatechange', () => this.onStateChange());
    for (const track of this.stream.getTracks()) {
      pc.addTransceiver(track, { direction: 'sendonly', streams: [this.stream] });
    }
    await pc.setLocalDescription(await pc.createOffer());
    this.send({ type: 'publish', sdp: pc.localDescription.sdp });
    this.onStateChange();
  }

  isConnected() {
    return this.publishPc !== null && this.publishPc.connectionState === 'connected';
  }

  async handleAnswer(sdp) {
    if (this.publishPc) await this.publishPc.setRemoteDescription({ type: 'answer', sdp });
  }

  handleOffer(message) {
    this.negotiation = this.negotiation.then(() => this.subscribe(message));
    return this.negotiation;
  }

  async subscribe(message) {
    if (!this.subscribePc) {
      const pc = new RTCPeerConnection(this.configuration());
      this.subscribePc = pc;
      pc.addEventListener('connectionstatechange', () => this.onStateChange());
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
    this.onStateChange();
  }

  attach(mid, track) {
    const offered = this.offeredTracks[mid];
    if (offered) this.onRemoteTrack(offered.peer, track);
  }

  async replaceVideo(track) {
    if (!this.publishPc) return;
    for (const sender of this.publishPc.getSenders()) {
      if (sender.track && sender.track.kind === 'video') await sender.replaceTrack(track);
    }
  }

  close() {
    for (const { pc } of this.connections()) pc.close();
    this.publishPc = null;
    this.subscribePc = null;
    this.offeredTracks = {};
  }
}
