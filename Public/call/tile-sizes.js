// Sfu mode: the size at which this page shows each remote participant's video, sent to the
// relay as `tile` so that it sends no larger a layer than the tile can show. The size is in
// device pixels (CSS size × devicePixelRatio); 0×0 when the tile is off screen or the page is
// hidden, so the relay can send that participant's smallest layer, or none.

// Resizing a window or scrolling fires many changes a second; only where things settle counts.
const DEBOUNCE_MS = 200;

export class TileSizes {
  // send(message): sends one `tile` message; called only while enabled.
  constructor({ send }) {
    this.send = send;
    this.enabled = false;
    this.tiles = new Map(); // participant id -> the element whose size counts
    this.visible = new Map(); // participant id -> whether it intersects the viewport
    this.sent = new Map(); // participant id -> "W×H" last sent
    this.timer = null;
    this.resizes = new ResizeObserver(() => this.schedule());
    this.intersections = new IntersectionObserver((entries) => {
      for (const entry of entries) this.visible.set(entry.target.dataset.sizeOf, entry.isIntersecting);
      this.schedule();
    });
    document.addEventListener('visibilitychange', () => this.schedule());
  }

  observe(id, element) {
    if (this.tiles.get(id) === element) return;
    this.unobserve(id);
    element.dataset.sizeOf = id;
    this.tiles.set(id, element);
    this.resizes.observe(element);
    this.intersections.observe(element);
    this.schedule();
  }

  unobserve(id) {
    const element = this.tiles.get(id);
    if (!element) return;
    this.resizes.unobserve(element);
    this.intersections.unobserve(element);
    this.tiles.delete(id);
    this.visible.delete(id);
    this.sent.delete(id);
  }

  // On while the page is in sfu mode; turning it on forgets what was sent to an earlier relay.
  setEnabled(enabled) {
    this.enabled = enabled;
    this.sent.clear();
    if (enabled) this.schedule();
  }

  size(id) {
    const element = this.tiles.get(id);
    // Until the first intersection report arrives the tile counts as on screen.
    const onScreen = document.visibilityState === 'visible' && this.visible.get(id) !== false;
    if (!element || !onScreen) return { width: 0, height: 0 };
    const box = element.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    return { width: Math.round(box.width * ratio), height: Math.round(box.height * ratio) };
  }

  schedule() {
    if (!this.enabled || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush(false);
    }, DEBOUNCE_MS);
  }

  // Sends every tile whose size changed since it was last sent, or every tile when `all`: a new
  // subscription on the relay starts without any size.
  flush(all) {
    if (!this.enabled) return;
    for (const id of this.tiles.keys()) {
      const { width, height } = this.size(id);
      const key = `${width}×${height}`;
      if (!all && this.sent.get(id) === key) continue;
      this.sent.set(id, key);
      this.send({ type: 'tile', peer: id, width, height });
    }
  }

  resendAll() {
    this.flush(true);
  }
}
