// The signaling socket (/ws): one JSON object a frame, in both directions, in order.

// The server answers more than 20 frames a second (after a burst of 40) with `rate-limited`
// and drops them; frames wait here instead, so a burst of signals is late, never lost.
const FRAMES_PER_SECOND = 15;
const FRAME_BURST = 30;

export class SignalingSocket {
  constructor({ onMessage, onClose }) {
    this.onMessage = onMessage;
    this.onClose = onClose;
    this.socket = null;
    this.queue = [];
    this.tokens = FRAME_BURST;
    this.refilledAt = performance.now();
    this.timer = null;
  }

  open() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.socket = new WebSocket(`${scheme}//${location.host}/ws`);
    this.socket.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      this.onMessage(message);
    });
    this.socket.addEventListener('close', () => this.onClose());
    return new Promise((resolve, reject) => {
      this.socket.addEventListener('open', () => resolve(), { once: true });
      this.socket.addEventListener('error', () => reject(new Error('the signaling socket did not open')), { once: true });
    });
  }

  send(message) {
    this.queue.push(JSON.stringify(message));
    this.drain();
  }

  drain() {
    const now = performance.now();
    this.tokens = Math.min(FRAME_BURST, this.tokens + ((now - this.refilledAt) / 1000) * FRAMES_PER_SECOND);
    this.refilledAt = now;
    while (this.queue.length > 0 && this.tokens >= 1) {
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
        this.queue = [];
        return;
      }
      this.socket.send(this.queue.shift());
      this.tokens -= 1;
    }
    if (this.queue.length > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.drain();
      }, 1000 / FRAMES_PER_SECOND);
    }
  }

  close() {
    if (this.socket) this.socket.close();
  }
}
