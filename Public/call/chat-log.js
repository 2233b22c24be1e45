// The chat of the room: messages arrive through the signaling socket, over data channels in p2p
// mode, and as history on join; each is shown once, however many ways it came.

export class ChatLog {
  constructor({ list, onChange }) {
    this.list = list;
    this.onChange = onChange;
    this.entries = [];
    this.byKey = new Map();
  }

  // via: 'socket', 'datachannel', 'history' or 'self'. Returns the entry.
  add({ id, from, name, text, ts }, via) {
    const key = `${from}/${id}`;
    let entry = this.byKey.get(key);
    if (entry) {
      if (!entry.via.includes(via)) entry.via.push(via);
      return entry;
    }
    entry = { id, from, name, text, ts, via: [via], history: via === 'history' };
    this.byKey.set(key, entry);
    this.entries.push(entry);
    this.render(entry);
    this.onChange();
    return entry;
  }

  render(entry) {
    const item = document.createElement('li');
    if (entry.history) item.className = 'history';
    const who = document.createElement('strong');
    who.textContent = entry.name;
    const when = document.createElement('time');
    const date = new Date(entry.ts);
    when.dateTime = date.toISOString();
    when.textContent = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const text = document.createElement('span');
    text.textContent = entry.text;
    item.append(who, ' ', when, document.createElement('br'), text);
    this.list.append(item);
    this.list.scrollTop = this.list.scrollHeight;
  }
}
