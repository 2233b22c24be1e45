// Whether a connection is poor, as the person on it would notice: over the last reading, more
// than POOR_LOSS of the media lost even after repair (or reported lost by the other end of what
// this page sends), a round trip of POOR_ROUND_TRIP_S or more (talk starts to overlap: ITU-T
// G.114 puts the comfortable one-way limit at 150 ms), or received video frozen for FREEZE_S.
// A connection that received nothing at all since the last reading is `silent`: every live one
// gets RTCP at least every second or so, besides its media, so its path is gone.

const POOR_LOSS = 0.05;
const POOR_ROUND_TRIP_S = 0.4;
const FREEZE_S = 0.5;
// Below this many packets in a reading, a loss fraction says little.
const MIN_PACKETS = 50;

export class ConnectionQuality {
  constructor() {
    this.previous = new WeakMap();
    this.verdicts = new WeakMap();
  }

  // Reads `pc` once and returns {poor, silent, loss, roundTrip, frozen} for the time since the
  // last read.
  async sample(pc) {
    const stats = await pc.getStats();
    const now = { received: 0, lost: 0, frozen: 0, bytes: null };
    let sentLoss = 0;
    let roundTrip = null;
    let pairId = null;
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp') {
        now.received += s.packetsReceived || 0;
        now.lost += Math.max(0, s.packetsLost || 0);
        now.frozen += s.totalFreezesDuration || 0;
      } else if (s.type === 'remote-inbound-rtp' && typeof s.fractionLost === 'number') {
        sentLoss = Math.max(sentLoss, s.fractionLost);
      } else if (s.type === 'transport' && s.selectedCandidatePairId) {
        pairId = s.selectedCandidatePairId;
      }
    });
    const pair = pairId ? stats.get(pairId) : null;
    if (pair && typeof pair.currentRoundTripTime === 'number') roundTrip = pair.currentRoundTripTime;
    if (pair && typeof pair.bytesReceived === 'number') now.bytes = pair.bytesReceived;
    const before = this.previous.get(pc);
    this.previous.set(pc, now);
    let loss = sentLoss;
    let frozen = 0;
    let silent = false;
    if (before) {
      silent = now.bytes !== null && now.bytes === before.bytes;
      const lost = now.lost - before.lost;
      const expected = now.received - before.received + lost;
      if (expected >= MIN_PACKETS) loss = Math.max(loss, lost / expected);
      frozen = now.frozen - before.frozen;
    }
    const verdict = {
      loss,
      roundTrip,
      frozen,
      silent,
      poor: loss >= POOR_LOSS || (roundTrip !== null && roundTrip >= POOR_ROUND_TRIP_S) || frozen >= FREEZE_S,
    };
    this.verdicts.set(pc, verdict);
    return verdict;
  }

  verdict(pc) {
    return this.verdicts.get(pc) || null;
  }
}

// Why a connection is poor, in a few words: "poor: 12% lost", "poor: 650 ms round trip".
export function describePoor({ loss, roundTrip, frozen }) {
  const reasons = [];
  if (loss >= POOR_LOSS) reasons.push(`${Math.round(loss * 100)}% lost`);
  if (roundTrip !== null && roundTrip >= POOR_ROUND_TRIP_S) reasons.push(`${Math.round(roundTrip * 1000)} ms round trip`);
  if (frozen >= FREEZE_S) reasons.push('video freezing');
  return `poor: ${reasons.join(', ')}`;
}
