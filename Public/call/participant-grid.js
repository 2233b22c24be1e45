// The participants on screen: one tile per remote participant in #remotes (video, name, muted
// microphone and camera), and the participant list beside the chat. Two views: the grid (all
// tiles alike) and the speaker view (one featured tile across the grid, the others thumbnails);
// in sfu the thumbnails' smaller size makes the relay send them a lower layer (tile-sizes.js).

export class ParticipantGrid {
  constructor({ remotes, list, self }) {
    this.remotes = remotes;
    this.list = list;
    this.self = self;
  }

  tile(id, name) {
    let tile = this.remotes.querySelector(`[data-peer-id="${CSS.escape(id)}"]`);
    if (tile) return tile;
    tile = document.createElement('figure');
    tile.className = 'tile';
    tile.dataset.peerId = id;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    const caption = document.createElement('figcaption');
    const label = document.createElement('span');
    label.className = 'name';
    label.textContent = name;
    const badges = document.createElement('span');
    badges.className = 'badges';
    caption.append(label, badges);
    const initial = document.createElement('div');
    initial.className = 'initial';
    initial.textContent = name.slice(0, 1).toUpperCase();
    const paused = document.createElement('div');
    paused.className = 'video-paused';
    paused.hidden = true;
    paused.textContent = 'video paused: connection too slow';
    tile.append(video, initial, paused, caption);
    this.remotes.append(tile);
    this.feature();
    return tile;
  }

  show(id, name, stream) {
    const video = this.tile(id, name).querySelector('video');
    if (video.srcObject !== stream) video.srcObject = stream;
    video.play().catch(() => {});
  }

  remove(id) {
    const tile = this.remotes.querySelector(`[data-peer-id="${CSS.escape(id)}"]`);
    if (tile) tile.remove();
    this.feature();
  }

  // media: {audio, video, screen}; the tile element is the remote's or the own one.
  static mark(tile, media) {
    tile.classList.toggle('video-off', !media.video);
    tile.classList.toggle('screen', !!media.screen);
    const badges = tile.querySelector('.badges');
    const marks = [];
    if (!media.audio) marks.push('mic off');
    if (!media.video) marks.push('camera off');
    if (media.screen) marks.push('screen');
    badges.textContent = marks.join(' · ');
  }

  // The room's dominant speaker, as the relay decided it: their tile is highlighted.
  markSpeaker(id) {
    this.remotes.dataset.speaker = id;
    for (const tile of this.remotes.querySelectorAll('.tile')) {
      tile.classList.toggle('speaking', tile.dataset.peerId === id);
    }
    this.feature();
  }

  // view: 'grid' or 'speaker' (body[data-view], which call.css lays out).
  setView(view) {
    document.body.dataset.view = view;
    this.feature();
  }

  // The tile the speaker view shows large: the dominant speaker's, else the first remote one.
  feature() {
    const tiles = [...this.remotes.querySelectorAll('.tile')];
    const featured = tiles.find((tile) => tile.dataset.peerId === this.remotes.dataset.speaker) || tiles[0];
    for (const tile of tiles) tile.classList.toggle('featured', tile === featured);
  }

  // What the relay sends this page of the participant's camera (a `video-layer` message), or
  // null when nothing is known (p2p): the layer in data-layer, the overlay when it is paused.
  markLayer(id, layer) {
    const tile = this.remotes.querySelector(`[data-peer-id="${CSS.escape(id)}"]`);
    if (!tile) return;
    if (layer && layer.rid) tile.dataset.layer = layer.rid;
    else delete tile.dataset.layer;
    tile.querySelector('.video-paused').hidden = !(layer && layer.paused);
  }

  markRemote(id, media) {
    const tile = this.remotes.querySelector(`[data-peer-id="${CSS.escape(id)}"]`);
    if (tile) ParticipantGrid.mark(tile, media);
  }

  // people: [{id, name, media, self, owner}]
  renderList(people) {
    const items = people.map((person) => {
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.textContent = person.self ? `${person.name} (you)` : person.name;
      const state = document.createElement('small');
      const notes = [];
      if (person.owner) notes.push('host');
      notes.push(person.media.audio ? 'mic on' : 'mic off');
      notes.push(person.media.video ? 'camera on' : 'camera off');
      if (person.media.screen) notes.push('sharing screen');
      state.textContent = notes.join(' · ');
      item.append(name, state);
      return item;
    });
    this.list.replaceChildren(...items);
  }
}
