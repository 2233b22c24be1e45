// The call page /call/ROOM: a pre-join screen, then the call. `?name=NAME&mode=MODE&autojoin=1`
// joins at once with the default devices. `window.relayCall` is the page's contract with the
// browser tests (Tests/e2e/README.md).

import { CallSession } from './call-session.js';
import { PreJoin } from './prejoin.js';

const params = new URLSearchParams(location.search);
const room = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] || '');
const byId = (id) => document.getElementById(id);

const elements = {
  roomName: byId('room-name'),
  state: byId('state'),
  mode: byId('mode'),
  count: byId('count'),
  transportState: byId('transport-state'),
  error: byId('error'),
  localVideo: byId('local-video'),
  selfTile: byId('self-tile'),
  selfName: byId('self-name'),
  remotes: byId('remotes'),
  participants: byId('participant-list'),
  chatList: byId('chat-list'),
  chatBadge: byId('chat-badge'),
  lock: byId('lock-button'),
};

// `?ice=relay` sends all media through the TURN servers the server hands out (it hides this
// browser's addresses from the others, and tests that TURN works).
const iceTransportPolicy = params.get('ice') === 'relay' ? 'relay' : 'all';
const call = new CallSession({ room, elements, iceTransportPolicy });
window.relayCall = call;
elements.roomName.textContent = room;
window.addEventListener('pagehide', () => call.leave());

function toggle(button, on) {
  button.setAttribute('aria-pressed', String(!on));
  button.classList.toggle('off', !on);
}

function wireControls() {
  const microphone = byId('mic-button');
  const camera = byId('camera-button');
  const screen = byId('screen-button');
  toggle(microphone, call.media.audio);
  toggle(camera, call.media.video);
  microphone.addEventListener('click', () => {
    call.setMicrophone(!call.media.audio);
    toggle(microphone, call.media.audio);
  });
  camera.addEventListener('click', () => {
    const on = !(call.cameraTrack && call.cameraTrack.enabled);
    call.setCamera(on);
    toggle(camera, on);
  });
  if (!navigator.mediaDevices.getDisplayMedia) screen.hidden = true;
  screen.addEventListener('click', () => {
    call.shareScreen(!call.screenTrack)
      .then(() => screen.classList.toggle('active', !!call.screenTrack))
      .catch((error) => call.showError(`screen sharing failed: ${error.message}`));
  });
  const view = byId('view-button');
  view.addEventListener('click', () => {
    const speaker = document.body.dataset.view !== 'speaker';
    call.grid.setView(speaker ? 'speaker' : 'grid');
    view.setAttribute('aria-pressed', String(speaker));
    view.textContent = speaker ? 'Grid view' : 'Speaker view';
  });
  elements.lock.addEventListener('click', () => call.setLocked(!(call.roomState && call.roomState.locked)));
  byId('leave-button').addEventListener('click', () => {
    call.leave();
    byId('call').hidden = true;
    byId('left').hidden = false;
  });
  for (const button of document.querySelectorAll('[data-show-panel]')) {
    button.addEventListener('click', () => {
      const panel = button.dataset.showPanel;
      document.body.dataset.panel = document.body.dataset.panel === panel ? '' : panel;
      if (panel === 'chat') elements.chatBadge.hidden = true;
    });
  }
  byId('chat-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = byId('chat-input');
    if (call.sendChat(input.value)) input.value = '';
  });
}

async function start() {
  const name = (params.get('name') || '').trim();
  const mode = ['auto', 'sfu', 'p2p'].includes(params.get('mode')) ? params.get('mode') : 'auto';
  let choice;
  if (params.get('autojoin') === '1' && name) {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: { ideal: 640 }, height: { ideal: 480 } } });
    } catch (error) {
      call.fail(`camera or microphone unavailable: ${error.message}`);
      return;
    }
    choice = { name, mode, password: params.get('password') || '', stream, microphoneOn: true, cameraOn: true };
  } else {
    const preJoin = new PreJoin({
      screen: byId('prejoin'),
      form: byId('join-form'),
      preview: byId('preview-video'),
      name: byId('name-input'),
      password: byId('password-input'),
      mode: byId('mode-select'),
      camera: byId('camera-select'),
      microphone: byId('microphone-select'),
      microphoneOn: byId('mic-on'),
      cameraOn: byId('camera-on'),
      status: byId('prejoin-status'),
    });
    choice = await preJoin.run({ name, mode });
  }
  for (const track of choice.stream.getAudioTracks()) track.enabled = choice.microphoneOn;
  for (const track of choice.stream.getVideoTracks()) track.enabled = choice.cameraOn;
  byId('call').hidden = false;
  wireControls();
  await call.join(choice);
}

start();
