// The line under the grid that says what each connection is doing (README, "A call"): its
// state, a TURN route, a poor path, an ICE restart under way, what the relay estimates and sends,
// a reconnecting socket, a draining server.

import { describePoor } from './connection-quality.js';

// connections: [{role, peer, pc, restarting}]; names: peer id -> name; quality: the
// ConnectionQuality; routes: the TurnRoutes; link: the relay's last `link` estimate;
// layers: peer id -> the layer this page gets of its camera.
export function connectionLine({ connections, names, quality, routes, link, layers, reconnecting, drainingUntil }) {
  const states = connections.map(({ role, peer, pc, restarting }) => {
    const label = `${role === 'p2p' ? names[peer] ?? peer : role}: ${pc.connectionState}`;
    if (restarting) return `${label}, finding a new network path`;
    if (pc.connectionState !== 'connected') return label;
    const routed = routes.viaTurn(pc) ? `${label} via TURN` : label;
    const verdict = quality.verdict(pc);
    return verdict && verdict.poor ? `${routed}, ${describePoor(verdict)}` : routed;
  });
  if (link) {
    states.push(`from the relay: ${formatBitrate(link.estimate)}`);
    if (link.videoPaused) states.push('video paused: the connection is too slow for it');
  }
  for (const [id, layer] of Object.entries(layers || {})) states.push(`${names[id] ?? id}: ${describeLayer(layer)}`);
  if (reconnecting) states.unshift('reconnecting to the server');
  if (drainingUntil) {
    states.unshift(`the server is shutting down: this call ends by ${new Date(drainingUntil).toLocaleTimeString()} at the latest`);
  }
  return states.join(', ');
}

// Whether each connected pc's selected pair runs through a TURN server (its local candidate is a
// relayed one): slower and costlier than a direct path, so the page says so. Learnt once per
// pc, from its statistics, once they name a selected pair (just after connecting they may not
// yet: then it is asked again at the next redraw); `onLearned` redraws the line when the answer
// is yes.
export class TurnRoutes {
  constructor(onLearned) {
    this.onLearned = onLearned;
    this.routes = new WeakMap();
  }

  viaTurn(pc) {
    if (!this.routes.has(pc)) this.learn(pc);
    return this.routes.get(pc) === true;
  }

  async learn(pc) {
    this.routes.set(pc, false);
    try {
      const stats = await pc.getStats();
      let pair = null;
      stats.forEach((s) => {
        if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
      });
      const local = pair && stats.get(pair.localCandidateId);
      if (!local) {
        this.routes.delete(pc);
      } else if (local.candidateType === 'relay') {
        this.routes.set(pc, true);
        this.onLearned();
      }
    } catch {
      this.routes.delete(pc);
    }
  }
}

// A received layer as a person reads it: "h 640×360", "f", "paused".
function describeLayer({ rid, width, height, paused }) {
  if (paused) return 'video paused';
  const size = width && height ? `${width}×${height}` : '';
  return [rid, size].filter(Boolean).join(' ') || 'one layer';
}

// A bitrate as a person reads it: "850 kbit/s", "2.4 Mbit/s".
function formatBitrate(bitsPerSecond) {
  if (bitsPerSecond >= 1_000_000) return `${(bitsPerSecond / 1_000_000).toFixed(1)} Mbit/s`;
  return `${Math.round(bitsPerSecond / 1000)} kbit/s`;
}
