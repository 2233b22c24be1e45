// An ICE restart (RFC 8445 §9) when a connection that worked loses its path: the network
// changed (Wi-Fi to mobile, a new address) and the candidates it has no longer reach the other
// end. 'disconnected' can heal by itself (a few lost checks), so a restart waits
// DISCONNECTED_WAIT_MS for it; 'failed' restarts at once, and so does a connection the page saw
// receive nothing for a whole quality reading (`stalled`), which the browser takes 5 to 6 s to
// call 'disconnected'. A restart that has not brought the connection back within RETRY_MS is
// tried again, up to MAX_ATTEMPTS times in a row.

const DISCONNECTED_WAIT_MS = 3000;
const RETRY_MS = 5000;
const MAX_ATTEMPTS = 12;

export class IceRestarter {
  // restart: starts one ICE restart of `pc` (new credentials, through the signaling of its
  // connection); onRestart: told of each one, for the page's log and connection line.
  constructor(pc, { restart, onRestart = () => {} }) {
    this.pc = pc;
    this.restart = restart;
    this.onRestart = onRestart;
    this.wasConnected = false;
    this.attempts = 0;
    this.firedAt = 0;
    this.timer = null;
    pc.addEventListener('connectionstatechange', () => this.stateChanged());
  }

  // Whether a restart is under way: started, and the connection not back yet.
  get restarting() {
    return this.attempts > 0;
  }

  stateChanged() {
    const state = this.pc.connectionState;
    if (state === 'connected' || state === 'closed') {
      this.wasConnected = this.wasConnected || state === 'connected';
      this.attempts = 0;
      this.cancel();
      return;
    }
    // A connection that never came up is the page's first-connection timeout's to judge.
    if (!this.wasConnected) return;
    if (state === 'failed') this.fire();
    else if (state === 'disconnected' && !this.timer) this.wait(DISCONNECTED_WAIT_MS);
  }

  // The page saw nothing arrive on this connection for a reading: restart now, unless one was
  // started less than RETRY_MS ago.
  stalled() {
    if (!this.wasConnected || this.pc.connectionState === 'closed') return;
    if (this.attempts > 0 && Date.now() - this.firedAt < RETRY_MS) return;
    this.fire();
  }

  // Media arrives again. The browser may have said 'connected' throughout (it had not yet
  // noticed the loss), so this, not a state change, can be what ends a restart.
  flowing() {
    if (this.attempts === 0 || this.pc.connectionState !== 'connected') return;
    this.attempts = 0;
    this.cancel();
  }

  wait(ms) {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      const state = this.pc.connectionState;
      if (state !== 'connected' && state !== 'closed') this.fire();
    }, ms);
  }

  fire() {
    if (this.attempts >= MAX_ATTEMPTS) return;
    this.attempts += 1;
    this.firedAt = Date.now();
    this.onRestart(this.attempts);
    Promise.resolve(this.restart()).catch((error) => console.warn(`ICE restart failed: ${error.message}`));
    this.wait(RETRY_MS);
  }

  cancel() {
    clearTimeout(this.timer);
    this.timer = null;
  }
}
