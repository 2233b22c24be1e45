// The signaling socket's reconnection (README, "When the connection drops"): once it drops, it
// is opened again, sooner first and then every few seconds, so that a server that restarts is
// found within DELAYS_MS's last step of being back; after ATTEMPTS the call has failed (about
// two and a half minutes). A socket that fails to open, or closes before the server answered,
// comes back through `lost` again.

const DELAYS_MS = [300, 1000, 2000, 4000];
const ATTEMPTS = 40;

export class Reconnection {
  // open(): opens the socket (rejects when it cannot); reopened(): it is open again, resume or
  // join on it; unreachable(): an attempt found the server not answering; gaveUp(): the server
  // could not be reached.
  constructor({ open, reopened, unreachable, gaveUp }) {
    this.open = open;
    this.reopened = reopened;
    this.unreachable = unreachable;
    this.gaveUp = gaveUp;
    this.active = false;
    this.attempts = 0;
    this.timer = null;
    // Every drop, `at` in page milliseconds, and how it ended: 'resumed', 'rejoined', or null
    // while under way (the page contract, Tests/e2e/README.md).
    this.log = [];
  }

  // The socket closed: reconnection starts, or goes on to its next attempt.
  lost() {
    if (!this.active) {
      this.active = true;
      this.attempts = 0;
      this.log.push({ at: Date.now(), outcome: null });
    }
    if (this.timer) return;
    if (this.attempts >= ATTEMPTS) {
      this.active = false;
      this.gaveUp();
      return;
    }
    const delay = DELAYS_MS[Math.min(this.attempts, DELAYS_MS.length - 1)];
    this.attempts += 1;
    this.timer = setTimeout(async () => {
      this.timer = null;
      if (!this.active) return;
      try {
        await this.open();
      } catch {
        this.unreachable();
        return;
      }
      this.reopened();
    }, delay);
  }

  // How this drop ended: 'resumed' (reconnection is over) or 'rejoined' (it is over once the
  // new join is answered, `joined`).
  ended(outcome) {
    if (this.log.length > 0) this.log[this.log.length - 1].outcome = outcome;
    if (outcome === 'resumed') this.active = false;
  }

  joined() {
    this.active = false;
  }

  cancel() {
    clearTimeout(this.timer);
    this.timer = null;
    this.active = false;
  }
}
