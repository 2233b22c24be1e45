"""Fake camera and microphone files, one per participant, for Chromium's fake capture devices.

`write_video` writes a Y4M file (I420, 640x480 or another size, 15 fps, 3 s; Chromium loops it) that shows one
participant: the middle of the frame is a solid colour of its own, so a test can tell whose
video arrived in which tile; a band at the top and one at the bottom hold a textured pattern that
scrolls every frame and a frame-number block, and a strip of the top band is fresh noise every
frame. Without the noise the encoder reaches its lowest quantizer at about 530 kbit/s and sends
whatever the picture needs, whatever the network allows; with it, it sends what its target
allows (about 1.7 Mbit/s at 640x480), so the bitrate measures the congestion loop. Every
participant's bands are the same: only the colour differs, so their encoders have the same work.

`firefox_camera_script` is the same picture for Firefox, drawn on a canvas in the page.

`write_tone` writes a WAV file (16-bit mono, 48 kHz, a sine of the given frequency) for
`--use-file-for-fake-audio-capture`.

    python3 Tests/e2e/fake_media.py OUT_DIR    # writes one file of each colour, to look at
"""

import math
import os
import random
import struct
import sys
import wave

WIDTH, HEIGHT, FPS, SECONDS = 640, 480, 15, 3
# The simulcast scenarios' camera: Chromium encodes three layers only from 960x540 up.
HD = (960, 540)
FRAMES = FPS * SECONDS
BAND = 96  # rows of texture at the top and at the bottom; the middle is the participant's colour
BLOCK = 32  # texture cell size, in pixels
SPEED = 8  # pixels the texture scrolls per frame; PERIOD makes the loop seamless
PERIOD = SPEED * FRAMES  # 360: the texture repeats horizontally every PERIOD pixels
NOISE_TOP, NOISE_ROWS = 40, 16  # rows of the top band that are random noise, new every frame

# Distinct, saturated colours (sRGB), one per participant, far apart after BT.601 round trips.
COLOURS = {
    "red": (220, 40, 40),
    "green": (40, 200, 60),
    "blue": (40, 70, 230),
    "yellow": (230, 210, 40),
    "magenta": (210, 50, 200),
    "cyan": (40, 200, 210),
}


def rgb_to_yuv(rgb):
    """BT.601 limited range, as Chromium reads I420 frames."""
    r, g, b = rgb
    y = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255
    u = 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255
    v = 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255
    return tuple(max(0, min(255, round(c))) for c in (y, u, v))


def _texture_rows(seed, width):
    """BAND rows of luma, each PERIOD + width bytes wide at least (so any width slice from an
    offset below PERIOD exists): random grey cells of BLOCK pixels."""
    rnd = random.Random(seed)
    cells_x, cells_y = PERIOD // BLOCK + 1, BAND // BLOCK
    cells = [[rnd.randrange(40, 216) for _ in range(cells_x)] for _ in range(cells_y)]
    rows = []
    for y in range(BAND):
        row = bytearray(PERIOD)
        for x in range(PERIOD):
            row[x] = cells[y // BLOCK][x // BLOCK]
        rows.append(bytes(row) + bytes(row) * (width // PERIOD + 1))
    return rows


def _counter_block(frame, rows):
    """Marks the frame number in binary on the left of the bottom band: 8 squares, white for 1."""
    for bit in range(8):
        value = 235 if frame >> bit & 1 else 16
        for y in range(BAND - 24, BAND - 8):
            row = rows[y]
            row[8 + bit * 20: 8 + bit * 20 + 16] = bytes([value]) * 16


def write_video(path, rgb, size=(WIDTH, HEIGHT), fps=FPS):
    """A 3 s Y4M of `size` at `fps` (15 unless told): the colour rgb in the middle, moving texture
    above and below."""
    width, height = size
    y_colour, u_colour, v_colour = rgb_to_yuv(rgb)
    top, bottom = _texture_rows(1, width), _texture_rows(2, width)
    middle = bytes([y_colour]) * (width * (height - 2 * BAND))
    chroma_w, chroma_h, chroma_band = width // 2, height // 2, BAND // 2
    grey_band = bytes([128]) * (chroma_w * chroma_band)
    u_plane = grey_band + bytes([u_colour]) * (chroma_w * (chroma_h - 2 * chroma_band)) + grey_band
    v_plane = grey_band + bytes([v_colour]) * (chroma_w * (chroma_h - 2 * chroma_band)) + grey_band
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        noise = random.Random(3)
        frames = fps * SECONDS
        for frame in range(frames):
            # One period of texture a loop, whatever the frame rate, so the loop has no seam.
            offset = frame * PERIOD // frames
            top_rows = [row[offset:offset + width] for row in top]
            # A strip of fresh noise every frame: no prediction helps, so the encoder spends
            # what its target allows, and the bitrate measures the congestion loop, not the
            # picture.
            for y in range(NOISE_TOP, NOISE_TOP + NOISE_ROWS):
                top_rows[y] = noise.randbytes(width)
            # The bottom band scrolls the other way.
            back = (PERIOD - offset) % PERIOD
            bottom_rows = [bytearray(row[back:back + width]) for row in bottom]
            _counter_block(frame, bottom_rows)
            f.write(b"FRAME\n")
            f.write(b"".join(top_rows))
            f.write(middle)
            f.write(b"".join(bytes(r) for r in bottom_rows))
            f.write(u_plane)
            f.write(v_plane)


def write_tone(path, frequency, seconds=SECONDS, rate=48000, volume=0.3):
    """A sine tone as a 16-bit mono WAV file."""
    samples = bytearray()
    for i in range(int(seconds * rate)):
        samples += struct.pack("<h", int(32767 * volume * math.sin(2 * math.pi * frequency * i / rate)))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(samples))


def colour_distance(a, b):
    return math.dist(a, b)


def nearest_colour(rgb, candidates):
    """The name in `candidates` ({name: rgb}) closest to rgb, and its distance."""
    name = min(candidates, key=lambda n: colour_distance(rgb, candidates[n]))
    return name, colour_distance(rgb, candidates[name])


# Firefox has no fake capture from a file, and its own fake camera is a flat picture that VP8
# encodes in ~80 kbit/s. This page-world script, run before the page's own (see
# browsers.Firefox), makes getUserMedia's video a canvas showing what write_video shows: the
# participant's colour in the middle and scrolling random cells above and below, at 15 fps.
_FIREFOX_CAMERA_JS = """(() => {
    const [W, H, FPS, BAND, BLOCK, SPEED, PERIOD] = %(geometry)s;
    const colour = 'rgb(%(rgb)s)';
    const texture = document.createElement('canvas');
    texture.width = PERIOD + W;
    texture.height = 2 * BAND;
    const t = texture.getContext('2d');
    let seed = 1;
    const random = () => (seed = (seed * 1103515245 + 12345) %% 2147483648) / 2147483648;
    for (let y = 0; y < 2 * BAND; y += BLOCK) {
        for (let x = 0; x < PERIOD; x += BLOCK) {
            const grey = 40 + Math.floor(random() * 176);
            t.fillStyle = `rgb(${grey},${grey},${grey})`;
            t.fillRect(x, y, BLOCK, BLOCK);
        }
    }
    t.drawImage(texture, 0, 0, PERIOD, 2 * BAND, PERIOD, 0, PERIOD, 2 * BAND);
    t.drawImage(texture, 0, 0, W - PERIOD, 2 * BAND, 2 * PERIOD, 0, W - PERIOD, 2 * BAND);
    const canvas = document.createElement('canvas');
    canvas.width = W;
    canvas.height = H;
    const c = canvas.getContext('2d');
    let frame = 0;
    function draw() {
        const offset = frame * SPEED %% PERIOD;
        c.fillStyle = colour;
        c.fillRect(0, BAND, W, H - 2 * BAND);
        c.drawImage(texture, offset, 0, W, BAND, 0, 0, W, BAND);
        c.drawImage(texture, (PERIOD - offset) %% PERIOD, BAND, W, BAND, 0, H - BAND, W, BAND);
        for (let bit = 0; bit < 8; bit++) {
            c.fillStyle = (frame >> bit) & 1 ? '#fff' : '#000';
            c.fillRect(8 + bit * 20, H - 24, 16, 16);
        }
        frame = (frame + 1) %% (PERIOD / SPEED);
    }
    draw();
    setInterval(draw, 1000 / FPS);
    const devices = navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints = {}) => {
        if (!constraints.video) return getUserMedia(constraints);
        const stream = constraints.audio ? await getUserMedia({audio: constraints.audio}) : new MediaStream();
        stream.addTrack(canvas.captureStream(FPS).getVideoTracks()[0]);
        return stream;
    };
})();"""


def firefox_camera_script(rgb):
    """The page-world script that gives a Firefox page the camera write_video(rgb) describes."""
    return _FIREFOX_CAMERA_JS % {"geometry": [WIDTH, HEIGHT, FPS, BAND, BLOCK, SPEED, PERIOD],
                                 "rgb": ",".join(str(c) for c in rgb)}


class FakeMedia:
    """One video file (and optionally a tone) per participant, written under `directory` once and
    reused. The test removes the directory at the end."""

    def __init__(self, directory):
        self.directory = directory
        self.colours = {}

    def video(self, participant, colour_name, size=(WIDTH, HEIGHT), fps=FPS):
        path = os.path.join(self.directory, f"{participant}-{colour_name}-{size[0]}x{size[1]}-{fps}fps.y4m")
        if not os.path.exists(path):
            write_video(path + ".part", COLOURS[colour_name], size, fps)
            os.rename(path + ".part", path)
        self.colours[participant] = COLOURS[colour_name]
        return path

    def tone(self, participant, frequency):
        path = os.path.join(self.directory, f"{participant}-{frequency}hz.wav")
        if not os.path.exists(path):
            write_tone(path, frequency)
        return path

    def silence(self, participant):
        """A microphone that hears nothing."""
        path = os.path.join(self.directory, f"{participant}-silence.wav")
        if not os.path.exists(path):
            write_tone(path, 440, volume=0)
        return path


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    for name, rgb in COLOURS.items():
        write_video(os.path.join(out, f"{name}.y4m"), rgb)
    write_tone(os.path.join(out, "tone-440hz.wav"), 440)
    print(f"wrote {len(COLOURS)} videos and a tone in {out}")
