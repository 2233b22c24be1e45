// P2P mode: one direct connection to one other participant, negotiated with the perfect
// negotiation pattern (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example): both ends
// may offer at once; the impolite one ignores a colliding offer, the polite one rolls back and
// answers, so simultaneous offers never wedge the call. Chat also goes over a data channel.

import { IceRestarter } from './ice-restart.js';

const CANDIDATE_BATCH_MS = 100;
const FIRST_OFFER_WAIT_MS = 1000;

export class MeshPeer {
  // generation: this client's count of entries into p2p mode; the other end drops signals of an
  // older generation and starts afresh on a newer one, so a signal from before a mode change
  // never reaches the connection that replaced it.
  constructor({ selfId, peerId, generation, iceServers, iceTransportPolicy = 'all', stream, videoTrack, sendSignal, onTrack, onChat, onStateChange, onIceRestart = () => {} }) {
    this.peerId = peerId;
    this.polite = selfId > peerId;
    this.generation = generation;
    this.remoteGeneration = null;
    this.sendSignal = sendSignal;
    this.onTrack = onTrack;
    this.onChat = onChat;
    this.onStateChange = onStateChange;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.waitedForFirstOffer = false;
    this.queue = Promise.resolve();

    const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy });
    this.pc = pc;
    for (const track of stream.getAudioTracks()) pc.addTrack(track, stream);
    if (videoTrack) pc.addTrack(videoTrack, stream);
    // Negotiated with a fixed id on both ends: one channel, whoever offers first.
    this.channel = pc.createDataChannel('chat', { negotiated: true, id: 0 });
    this.channel.addEventListener('message', (event) => this.receiveChat(event.data));
    pc.addEventListener('track', (event) => this.onTrack(event.track));
    // Candidates go in batches: one signal per gathering burst instead of one per candidate,
    // which keeps a mesh's signaling well inside the server's rate limit.
    this.pendingCandidates = [];
    this.candidateTimer = null;
    pc.addEventListener('icecandidate', ({ candidate }) => {
      if (candidate) this.pendingCandidates.push(candidate.toJSON());
      if (!candidate) this.flushCandidates();
      else if (!this.candidateTimer) this.candidateTimer = setTimeout(() => this.flushCandidates(), CANDIDATE_BATCH_MS);
    });
    pc.addEventListener('negotiationneeded', () => this.offer());
    pc.addEventListener('connectionstatechange', () => this.onStateChange());
    // restartIce() sets the next offer's new credentials and fires 'negotiationneeded': the
    // offer goes through the same pattern as any other, collisions included.
    this.restarter = new IceRestarter(pc, { restart: () => pc.restartIce(), onRestart: onIceRestart });
  }

  flushCandidates() {
    clearTimeout(this.candidateTimer);
    this.candidateTimer = null;
    if (this.pendingCandidates.length === 0) return;
    this.signal({ candidates: this.pendingCandidates });
    this.pendingCandidates = [];
  }

  signal(payload) {
    this.sendSignal({ gen: this.generation, ...payload });
  }

  async offer() {
    // Both ends open the connection at the same moment. An offer that arrives while the polite
    // end's own first offer is still being set wedged Chromium's first negotiation now and then
    // (both ends stable, ICE never started), so the polite end leaves the first offer to the
    // other for a moment; later collisions are resolved by the pattern as usual.
    if (this.polite && !this.pc.remoteDescription && !this.waitedForFirstOffer) {
      this.waitedForFirstOffer = true;
      setTimeout(() => {
        if (!this.pc.remoteDescription && this.pc.signalingState === 'stable') this.offer();
      }, FIRST_OFFER_WAIT_MS);
      return;
    }
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.signal({ description: this.pc.localDescription.toJSON() });
    } catch (error) {
      console.warn(`offer to ${this.peerId} failed: ${error.message}`);
    } finally {
      this.makingOffer = false;
    }
  }

  // 'stale': a signal from before the other end's latest start; 'restarted': the other end
  // started afresh and this connection must be replaced.
  classify(generation) {
    if (this.remoteGeneration === null || generation === this.remoteGeneration) return 'current';
    return generation < this.remoteGeneration ? 'stale' : 'restarted';
  }

  handleSignal(data) {
    this.remoteGeneration = data.gen;
    this.queue = this.queue.then(() => this.apply(data)).catch((error) => {
      console.warn(`signal from ${this.peerId} failed: ${error.message}`);
    });
    return this.queue;
  }

  async apply({ description, candidates }) {
    if (this.pc.signalingState === 'closed') return;
    if (description) {
      const collision = description.type === 'offer' && (this.makingOffer || this.pc.signalingState !== 'stable');
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      await this.pc.setRemoteDescription(description);
      if (description.type === 'offer') {
        await this.pc.setLocalDescription();
        this.signal({ description: this.pc.localDescription.toJSON() });
      }
    } else if (Array.isArray(candidates)) {
      for (const candidate of candidates) {
        try {
          await this.pc.addIceCandidate(candidate);
        } catch (error) {
          if (!this.ignoreOffer) throw error;
        }
      }
    }
  }

  sendChat(message) {
    if (this.channel.readyState !== 'open') return false;
    this.channel.send(JSON.stringify(message));
    return true;
  }

  receiveChat(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message.id !== 'string' || typeof message.text !== 'string') return;
    this.onChat({ id: message.id, text: message.text.slice(0, 2000), ts: Number(message.ts) || Date.now() });
  }

  async replaceVideo(track) {
    for (const sender of this.pc.getSenders()) {
      if (sender.track && sender.track.kind === 'video') await sender.replaceTrack(track);
    }
  }

  close() {
    this.restarter.cancel();
    clearTimeout(this.candidateTimer);
    this.channel.close();
    this.pc.close();
  }
}
