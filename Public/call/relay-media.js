// Sfu mode: camera and microphone go to the relay on a publish connection (the client offers);
// everyone else comes back on a subscribe connection that the relay offers and renegotiates as
// people come and go.

import { IceRestarter } from './ice-restart.js';

// The camera goes out as three simulcast layers, lowest first, so that the relay can send each
// subscriber the one its downlink and tile can take. The ceilings: the top layer gets what a
// direct call sends at 640×480 (Chromium's own ceiling there, ~1.7 Mbit/s, also enough for 720p
// talking heads), so that a subscriber on a good link sees what a direct call shows; each lower
// one a third to a fifth of the next, so stepping down frees a clear share of a tight downlink,
// and the lowest (a thumbnail) is small enough that two of them and two voices, with their
// headers, stay under 400 kbit/s.
//
// Each layer is sent with three temporal layers (L1T3: a base at a quarter of the frame rate,
// a second doubling it, a third doubling that again), so the relay can halve or quarter the
// frame rate toward a subscriber at once, with no keyframe, while a switch to a lower layer
// waits out its hysteresis.
const CAMERA_LAYERS = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 100_000, scalabilityMode: 'L1T3' },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_700_000, scalabilityMode: 'L1T3' },
];

// libwebrtc encodes at most this many simulcast layers for a picture of at least so many pixels,
// and drops the top ones when asked for more (measured in Chromium 156: a 640×480 camera asked
// for q, h and f sent only q at 160×120 and h at 320×240). Asking for the top N instead keeps the
// camera's full size on offer: h and f for 640×480.
const LAYERS_BY_PIXELS = [
  { pixels: 960 * 540, layers: 3 },
  { pixels: 480 * 270, layers: 2 },
  { pixels: 0, layers: 1 },
];

// Firefox publishes one layer. Measured on two cores (Firefox 153 ESR beside two Chromium), its
// simulcast top layer carried 149 kbit/s at 9.8 fps where the same camera sent 352 kbit/s at
// 11 fps as one layer: a subscriber on a good link would see half the picture.
const SIMULCAST = !/Firefox\//.test(navigator.userAgent);

// The size a camera is asked for in sfu mode: the top layer's.
export const CAMERA_TARGET = { width: 1280, height: 720 };

// The size the camera runs at once it is asked for CAMERA_TARGET: the target within what the
// camera can do, or what it reports when it says nothing of that. Its settings alone can still
// show the size from before the request even after applyConstraints resolved (seen in Chromium:
// a 960×540 camera first opened at 640×480 published two layers instead of three).
export function expectedSize(track) {
  const settings = track.getSettings();
  const capabilities = track.getCapabilities ? track.getCapabilities() : {};
  const maxWidth = capabilities.width && capabilities.width.max;
  const maxHeight = capabilities.height && capabilities.height.max;
  if (!maxWidth || !maxHeight) return settings;
  return {
    width: Math.max(settings.width || 0, Math.min(CAMERA_TARGET.width, maxWidth)),
    height: Math.max(settings.height || 0, Math.min(CAMERA_TARGET.height, maxHeight)),
  };
}

// The layers to ask for, lowest first, for a track of this size (settings of an unknown size
// get all three); without simulcast, one encoding with the top layer's ceiling and no rid.
export function layersFor({ width, height } = {}, simulcast = SIMULCAST) {
  if (!simulcast) return [{ scaleResolutionDownBy: 1, maxBitrate: CAMERA_LAYERS[CAMERA_LAYERS.length - 1].maxBitrate }];
  const pixels = width && height ? width * height : Infinity;
  const count = LAYERS_BY_PIXELS.find((limit) => pixels >= limit.pixels).layers;
  return CAMERA_LAYERS.slice(CAMERA_LAYERS.length - count).map((layer) => ({ ...layer }));
}

// A shared screen is text: scaled down by 2 or 4 it cannot be read, so only the full layer
// stays on, and it keeps its resolution under a tight target, giving up frames instead.
const SCREEN_MAX_FRAMERATE = 5;

export class RelayMedia {
  // onIceRestart(role, attempt): a connection that had worked lost its path and restarts ICE.
  constructor({ iceServers, iceTransportPolicy = 'all', stream, send, onRemoteTrack, onStateChange, onSubscribed, onIceRestart = () => {} }) {
    this.iceServers = iceServers;
    this.iceTransportPolicy = iceTransportPolicy;
    this.stream = stream;
    this.send = send;
    this.onRemoteTrack = onRemoteTrack;
    this.onStateChange = onStateChange;
    this.onSubscribed = onSubscribed;
    this.onIceRestart = onIceRestart;
    this.restarters = {};
    this.publishPc = null;
    this.subscribePc = null;
    this.videoSender = null;
    this.offeredTracks = {};
    // Subscribe offers are handled one at a time, in the order they arrive.
    this.negotiation = Promise.resolve();
  }

  configuration() {
    return { iceServers: this.iceServers, iceTransportPolicy: this.iceTransportPolicy, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };
  }

  connections() {
    const list = [];
    if (this.publishPc) list.push({ role: 'publish', pc: this.publishPc });
    if (this.subscribePc) list.push({ role: 'subscribe', pc: this.subscribePc });
    return list;
  }

  // screen: whether the video track is a shared screen (one layer) rather than the camera.
  async start({ screen = false } = {}) {
    const pc = new RTCPeerConnection(this.configuration());
    this.publishPc = pc;
    pc.addEventListener('connectionstatechange', () => this.onStateChange());
    this.restarters.publish = new IceRestarter(pc, {
      restart: () => this.restartPublish(pc),
      onRestart: (attempt) => this.onIceRestart('publish', attempt),
    });
    for (const track of this.stream.getAudioTracks()) {
      pc.addTransceiver(track, { direction: 'sendonly', streams: [this.stream] });
    }
    for (const track of this.stream.getVideoTracks()) {
      const sendEncodings = layersFor(expectedSize(track));
      this.videoSender = pc.addTransceiver(track, { direction: 'sendonly', streams: [this.stream], sendEncodings }).sender;
    }
    if (screen) await this.setScreenLayers(true);
    await pc.setLocalDescription(await pc.createOffer());
    this.send({ type: 'publish', sdp: pc.localDescription.sdp });
    this.onStateChange();
  }

  isConnected() {
    return this.publishPc !== null && this.publishPc.connectionState === 'connected';
  }

  // Whether the publish connection ever connected: a failure after that is a lost path, which
  // an ICE restart repairs, not a relay that cannot be reached.
  hasPublished() {
    return !!this.restarters.publish && this.restarters.publish.wasConnected;
  }

  isRestarting(role) {
    return !!this.restarters[role] && this.restarters[role].restarting;
  }

  // The client offers on the publish connection, so it restarts ICE with an offer of its own;
  // one still waiting for its answer (the signaling dropped meanwhile) is rolled back first.
  async restartPublish(pc) {
    if (pc !== this.publishPc) return;
    if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
    await pc.setLocalDescription(await pc.createOffer({ iceRestart: true }));
    this.send({ type: 'publish', sdp: pc.localDescription.sdp });
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
      // The relay offers on this connection; the page asks it for an offer with new credentials.
      this.restarters.subscribe = new IceRestarter(pc, {
        restart: () => this.send({ type: 'restart-ice' }),
        onRestart: (attempt) => this.onIceRestart('subscribe', attempt),
      });
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
    if (this.onSubscribed) this.onSubscribed();
  }

  attach(mid, track) {
    const offered = this.offeredTracks[mid];
    if (offered) this.onRemoteTrack(offered.peer, track);
  }

  // The camera and a shared screen take turns on the one video sender: its three encodings stay
  // negotiated, and only which of them are on changes.
  async replaceVideo(track, { screen = false } = {}) {
    if (!this.videoSender) return;
    await this.videoSender.replaceTrack(track);
    await this.setScreenLayers(screen);
  }

  async setScreenLayers(screen) {
    const parameters = this.videoSender.getParameters();
    for (const encoding of parameters.encodings || []) {
      const layer = encoding.rid
        ? CAMERA_LAYERS.find((candidate) => candidate.rid === encoding.rid)
        : CAMERA_LAYERS[CAMERA_LAYERS.length - 1];
      if (!layer) continue;
      encoding.active = !screen || layer.scaleResolutionDownBy === 1;
      encoding.scaleResolutionDownBy = layer.scaleResolutionDownBy;
      encoding.maxBitrate = layer.maxBitrate;
      if (screen) encoding.maxFramerate = SCREEN_MAX_FRAMERATE;
      else delete encoding.maxFramerate;
    }
    parameters.degradationPreference = screen ? 'maintain-resolution' : 'balanced';
    await this.videoSender.setParameters(parameters);
  }

  close() {
    for (const restarter of Object.values(this.restarters)) restarter.cancel();
    this.restarters = {};
    for (const { pc } of this.connections()) pc.close();
    this.publishPc = null;
    this.subscribePc = null;
    this.videoSender = null;
    this.offeredTracks = {};
  }
}
