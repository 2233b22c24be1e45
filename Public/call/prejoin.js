// The pre-join screen: camera and microphone preview, the choice of devices, name, password.

export class PreJoin {
  constructor(elements) {
    this.elements = elements;
    this.stream = null;
  }

  async capture({ cameraId, microphoneId } = {}) {
    const video = { width: { ideal: 640 }, height: { ideal: 480 } };
    if (cameraId) video.deviceId = { exact: cameraId };
    const audio = microphoneId ? { deviceId: { exact: microphoneId } } : true;
    const stream = await navigator.mediaDevices.getUserMedia({ audio, video });
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = stream;
    this.elements.preview.srcObject = stream;
    return stream;
  }

  async listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const current = (kind) => {
      const track = kind === 'videoinput' ? this.stream.getVideoTracks()[0] : this.stream.getAudioTracks()[0];
      return track ? track.getSettings().deviceId : null;
    };
    for (const [select, kind] of [[this.elements.camera, 'videoinput'], [this.elements.microphone, 'audioinput']]) {
      const options = devices.filter((device) => device.kind === kind).map((device, index) => {
        const option = document.createElement('option');
        option.value = device.deviceId;
        option.textContent = device.label || `${kind === 'videoinput' ? 'Camera' : 'Microphone'} ${index + 1}`;
        option.selected = device.deviceId === current(kind);
        return option;
      });
      select.replaceChildren(...options);
    }
  }

  // Resolves with what the participant chose when the form is submitted.
  async run({ name, mode }) {
    const { elements } = this;
    elements.screen.hidden = false;
    elements.name.value = name;
    elements.mode.value = mode;
    try {
      await this.capture();
      await this.listDevices();
    } catch (error) {
      elements.status.textContent = `Camera or microphone unavailable: ${error.message}`;
    }
    const recapture = () => this.capture({ cameraId: elements.camera.value, microphoneId: elements.microphone.value })
      .catch((error) => { elements.status.textContent = `That device cannot be used: ${error.message}`; });
    elements.camera.addEventListener('change', recapture);
    elements.microphone.addEventListener('change', recapture);
    return new Promise((resolve) => {
      elements.form.addEventListener('submit', (event) => {
        event.preventDefault();
        const chosenName = elements.name.value.trim();
        if (!chosenName || !this.stream) return;
        elements.screen.hidden = true;
        resolve({
          name: chosenName,
          mode: elements.mode.value,
          password: elements.password.value,
          stream: this.stream,
          microphoneOn: elements.microphoneOn.checked,
          cameraOn: elements.cameraOn.checked,
        });
      });
    });
  }
}
