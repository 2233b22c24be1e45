// The participants on screen: one tile per remote participant in #remotes (video, name, muted
// microphone and camera), and the participant list beside the chat.

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
    tile.append(video, initial, caption);
    this.remotes.append(tile);
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
