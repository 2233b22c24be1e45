"""Records the audio levels Chromium writes in its RTP packets (RFC 6464, the ssrc-audio-level
header extension) for a few microphone signals, as fixtures for the dominant-speaker tests
(Tests/RelayTests/RecordedSpeakerLevelsTests.swift).

For each clip a WAV file is generated (fixed seed) and played by Chromium's fake microphone
(`--use-file-for-fake-audio-capture`). One headless page, opened from a temporary file, holds two
RTCPeerConnections connected to each other: the first sends the microphone, captured with the
constraints the call page uses (`audio: true`: Chromium's echo canceller, noise suppressor and
gain control on), the second receives it and plays it in a muted <audio> element (Chromium
delivers the received audio, and so its sources, only to a sink). Every 10 ms the page reads
`receiver.getSynchronizationSources()` and keeps the first audioLevel seen for each RTP
timestamp: the level of the packet the sender wrote, which Chromium computed from what it
encoded, converted to linear (10^(-level/20), 0 for 127). It is converted back here to the
header's byte, 0 (loudest) to 127 (silence), one per 20 ms packet.

The microphone starts after the connection is up (the sender's track is replaced in), so the
first packet holds the start of the file, give or take 10 ms (from run to run the packets may
start half a packet apart; otherwise the levels come out the same). A packet the page missed between two reads (a gap in
the RTP timestamps) repeats the level before it; the fixture's header says how many.

    python3 Tests/e2e/record_audio_levels.py                  # every clip, into the fixtures
    python3 Tests/e2e/record_audio_levels.py --clip cough --out /tmp/levels
"""

import argparse
import json
import math
import os
import random
import shutil
import signal
import struct
import sys
import tempfile
import time
import wave

import processes
from browsers import Chromium

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO_ROOT, "Tests", "RelayTests", "Fixtures", "AudioLevels")
RATE = 48000
FILE_SECONDS = 24  # longer than a recording: Chromium loops the file
RECORD_SECONDS = 20
PACKET_TICKS = 960  # RTP timestamp step of a 20 ms Opus packet at 48 kHz
POLL_MS = 10
CONNECT_TIMEOUT_S = 20
PER_LINE = 25  # levels per fixture line: half a second
RUN_DEADLINE_S = 600


# MARK: Signals. Each returns a list of float samples in [-1, 1] at RATE.

def dbfs(level):
    """The amplitude of an RMS level in dBFS (a full-scale square wave is 0 dBFS)."""
    return 10 ** (level / 20)


def rms(samples):
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


def scaled(samples, level):
    """samples scaled to an RMS of `level` dBFS."""
    gain = dbfs(level) / rms(samples)
    return [s * gain for s in samples]


def noise(rng, count, smoothing=0.0):
    """White noise, low-passed by a one-pole filter when smoothing > 0 (a darker hiss)."""
    out, y = [], 0.0
    for _ in range(count):
        y = smoothing * y + (1 - smoothing) * rng.uniform(-1, 1)
        out.append(y)
    return out


def noise_floor(rng, seconds, level):
    """An open microphone in a quiet room."""
    return scaled(noise(rng, int(seconds * RATE), smoothing=0.5), level)


# One period of a voice-like source: harmonics falling 6 dB an octave.
_VOICE_TABLE_SIZE = 4096
_VOICE_TABLE = [sum(math.sin(2 * math.pi * k * i / _VOICE_TABLE_SIZE) / k for k in range(1, 16))
                for i in range(_VOICE_TABLE_SIZE)]


def talker(rng, seconds, level=-30.0, floor=-70.0):
    """Speech-like: phrases of 1.5 to 3.5 s with pauses of 0.3 to 1 s between them; in a phrase,
    syllables of 0.15 to 0.3 s (about 4 a second), each a Hann-shaped swell of a harmonic source
    (pitch 110 to 190 Hz, falling through the phrase) with some breath noise, its own loudness
    within 8 dB. The phrases' RMS is `level` dBFS; under everything, a noise floor."""
    count = int(seconds * RATE)
    voice = [0.0] * count
    t = 0.1
    while t < seconds:
        phrase_end = min(seconds, t + rng.uniform(1.5, 3.5))
        pitch = rng.uniform(110, 190)
        phase = 0.0
        phrase_start = t
        while t < phrase_end - 0.15:
            length = rng.uniform(0.15, 0.3)
            gain = dbfs(rng.uniform(-8, 0))
            first, n = int(t * RATE), int(length * RATE)
            for i in range(n):
                if first + i >= count:
                    break
                progress = (t + i / RATE - phrase_start) / (phrase_end - phrase_start)
                phase = (phase + pitch * (1 - 0.2 * progress) / RATE) % 1.0
                envelope = math.sin(math.pi * i / n) ** 2
                source = _VOICE_TABLE[int(phase * _VOICE_TABLE_SIZE)] + 0.3 * rng.uniform(-1, 1)
                voice[first + i] = gain * envelope * source
            t += length + rng.uniform(0.0, 0.05)
        t = phrase_end + rng.uniform(0.3, 1.0)
    spoken = [s for s in voice if s != 0.0]
    gain = dbfs(level) / rms(spoken)
    floor_samples = noise_floor(rng, seconds, floor)
    return [v * gain + f for v, f in zip(voice, floor_samples)]


def silence(rng, seconds):
    """Digital silence: a muted microphone."""
    return [0.0] * int(seconds * RATE)


COUGHS = (7.0, 13.0)  # seconds into the file


def cough(rng, seconds, level=-15.0, floor=-70.0):
    """The quiet room's floor with two coughs of 0.3 s at COUGHS: noise that starts in 20 ms and
    decays, its RMS over the 0.3 s `level` dBFS."""
    samples = noise_floor(rng, seconds, floor)
    length = int(0.3 * RATE)
    for start in COUGHS:
        burst = noise(rng, length, smoothing=0.3)
        burst = [b * min(1.0, i / (0.02 * RATE)) * math.exp(-i / (0.12 * RATE)) for i, b in enumerate(burst)]
        first = int(start * RATE)
        for i, b in enumerate(scaled(burst, level)):
            samples[first + i] += b
    return samples


def background(rng, seconds, level=-55.0):
    """A fan: steady dark noise with a 100 Hz hum, `level` dBFS."""
    hiss = noise(rng, int(seconds * RATE), smoothing=0.9)
    hum_amplitude = 0.3 * rms(hiss)
    hum = [hum_amplitude * math.sin(2 * math.pi * 100 * i / RATE) for i in range(len(hiss))]
    return scaled([h + m for h, m in zip(hiss, hum)], level)


CLIPS = {
    "talker": ("speech-like: syllables at about 4 Hz, phrases of 1.5-3.5 s, pauses of 0.3-1 s, "
               "-30 dBFS while speaking, over a -70 dBFS floor", talker),
    "silent": ("digital silence (a muted microphone)", silence),
    "room": ("an open microphone in a quiet room: noise at -70 dBFS", lambda rng, s: noise_floor(rng, s, -70.0)),
    "cough": ("the -70 dBFS room with two coughs, 0.3 s at -15 dBFS, at %s s into the file"
              % " and ".join(f"{c:g}" for c in COUGHS), cough),
    "background": ("a fan: steady low-passed noise with a 100 Hz hum, -55 dBFS", background),
}
SEED = 6464


def write_wav(path, samples):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", max(-32768, min(32767, round(s * 32767)))) for s in samples))


# MARK: The page.

PAGE = """<!doctype html><meta charset="utf-8"><title>audio levels</title><audio id="out" muted></audio>
<script>
window.levels = {entries: [], seen: new Set(), error: null};
window.startLevels = async function (pollMs) {
    const sender = new RTCPeerConnection(), receiver = new RTCPeerConnection();
    sender.onicecandidate = (e) => e.candidate && receiver.addIceCandidate(e.candidate);
    receiver.onicecandidate = (e) => e.candidate && sender.addIceCandidate(e.candidate);
    const transceiver = sender.addTransceiver('audio', {direction: 'sendonly'});
    const track = new Promise((resolve) => { receiver.ontrack = (e) => resolve(e); });
    await sender.setLocalDescription();
    await receiver.setRemoteDescription(sender.localDescription);
    await receiver.setLocalDescription();
    await sender.setRemoteDescription(receiver.localDescription);
    const received = await track;
    const out = document.getElementById('out');
    out.muted = true;
    out.srcObject = new MediaStream([received.track]);
    await out.play();
    await new Promise((resolve, reject) => {
        const check = () => {
            if (receiver.connectionState === 'connected') resolve();
            else if (receiver.connectionState === 'failed') reject(new Error('connection failed'));
        };
        receiver.onconnectionstatechange = check;
        check();
    });
    const stream = await navigator.mediaDevices.getUserMedia({audio: true});
    const microphone = stream.getAudioTracks()[0];
    await transceiver.sender.replaceTrack(microphone);
    window.levelsPoll = setInterval(() => {
        for (const source of received.receiver.getSynchronizationSources()) {
            if (window.levels.seen.has(source.rtpTimestamp)) continue;
            window.levels.seen.add(source.rtpTimestamp);
            window.levels.entries.push([source.rtpTimestamp, source.audioLevel === undefined ? null : source.audioLevel]);
        }
    }, pollMs);
    window.levelsStop = () => { clearInterval(window.levelsPoll); microphone.stop(); sender.close(); receiver.close(); };
    const extensions = receiver.localDescription.sdp.split('\\r\\n').filter((l) => l.startsWith('a=extmap:'));
    return {settings: microphone.getSettings(), extensions};
};
</script>"""

START_JS = "async (pollMs) => window.startLevels(pollMs)"
COUNT_JS = "async () => window.levels.entries.length"
STOP_JS = "async () => { window.levelsStop(); return window.levels.entries; }"


def levels_from(entries, packets):
    """The RFC 6464 byte of each of the first `packets` packets, from the page's
    [rtpTimestamp, audioLevel] pairs in the order seen; and how many were missed."""
    if not entries:
        raise RuntimeError("the page saw no packet")
    first = entries[0][0]
    by_index = {}
    for timestamp, linear in entries:
        ticks = (timestamp - first) % 2 ** 32
        if ticks % PACKET_TICKS:
            raise RuntimeError(f"RTP timestamp {timestamp} is not a whole number of 20 ms packets after {first}")
        if linear is None:
            raise RuntimeError(f"no audioLevel for RTP timestamp {timestamp}: was ssrc-audio-level negotiated?")
        if linear <= 0:
            level = 127
        else:
            exact = -20 * math.log10(linear)
            level = round(exact)
            if abs(exact - level) > 0.01 or not 0 <= level <= 127:
                raise RuntimeError(f"audioLevel {linear} is not 10^(-n/20) for a whole n in 0...127")
        by_index[ticks // PACKET_TICKS] = level
    if max(by_index) + 1 < packets:
        raise RuntimeError(f"only {max(by_index) + 1} packets seen, {packets} wanted")
    levels, missed = [], 0
    for index in range(packets):
        if index in by_index:
            levels.append(by_index[index])
        else:
            levels.append(levels[-1] if levels else 127)
            missed += 1
    return levels, missed


def record(name, wav_path, seconds):
    """Plays the WAV file into one page and returns (levels, missed, browser version, page info)."""
    packets = int(seconds * 1000 / 20)
    folder = tempfile.mkdtemp(prefix="relay-levels-page-")
    browser = None
    try:
        page = os.path.join(folder, "levels.html")
        with open(page, "w") as f:
            f.write(PAGE)
        browser = Chromium(name, audio_file=wav_path)
        version = browser.driver.capabilities.get("browserVersion", "unknown")
        browser.open("file://" + page)
        info = browser.run_async_js(START_JS, POLL_MS)
        if not any("ssrc-audio-level" in line for line in info["extensions"]):
            raise RuntimeError(f"{name}: no ssrc-audio-level extension negotiated: {info['extensions']}")
        deadline = time.monotonic() + seconds + CONNECT_TIMEOUT_S
        # A few packets more than wanted: the last wanted ones are surely seen.
        while browser.run_async_js(COUNT_JS) < packets + 10:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name}: fewer than {packets} packets in {seconds + CONNECT_TIMEOUT_S} s")
            time.sleep(0.5)
        entries = browser.run_async_js(STOP_JS)
        levels, missed = levels_from(entries, packets)
        return levels, missed, version, info
    finally:
        if browser is not None:
            browser.quit()
        shutil.rmtree(folder, ignore_errors=True)


def fixture_text(name, description, levels, missed, version, info, command):
    settings = info["settings"]
    processing = ", ".join(f"{key} {json.dumps(settings.get(key))}" for key in ("echoCancellation", "noiseSuppression", "autoGainControl"))
    lines = [
        f"# {name}: {description}; file seed {SEED}.",
        f"# Chromium {version} (Debian 12 `chromium`, headless), fake microphone from that WAV, "
        f"getUserMedia({{audio: true}}): {processing}.",
        f"# Recorded with: {command}",
        f"# One RFC 6464 level (-dBov, 0 loudest, 127 silence) per 20 ms packet, {len(levels)} packets, "
        f"{PER_LINE} a line; {missed} missed by the page, each given the level before it.",
    ]
    for start in range(0, len(levels), PER_LINE):
        lines.append(" ".join(str(level) for level in levels[start:start + PER_LINE]))
    return "\n".join(lines) + "\n"


def summary(levels):
    ordered = sorted(levels)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    speech = sum(1 for level in levels if level <= 60)
    return (f"min {ordered[0]}, 10% {pick(0.1)}, median {pick(0.5)}, 90% {pick(0.9)}, max {ordered[-1]}; "
            f"{speech} of {len(levels)} at or below 60")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clip", action="append", choices=list(CLIPS), help="record only this one (repeatable)")
    parser.add_argument("--out", default=FIXTURES, help=f"folder for the .levels files (default: {FIXTURES})")
    parser.add_argument("--seconds", type=float, default=RECORD_SECONDS, help="length of each recording")
    parser.add_argument("--keep-wav", action="store_true", help="write the generated WAV files next to the fixtures")
    args = parser.parse_args()
    clips = args.clip or list(CLIPS)
    command = "python3 Tests/e2e/record_audio_levels.py" + "".join(f" --clip {c}" for c in args.clip or [])
    if args.seconds != RECORD_SECONDS:
        command += f" --seconds {args.seconds:g}"

    processes.become_subreaper()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the cleanup below still runs
    signal.signal(signal.SIGALRM, lambda *_: sys.exit(f"the recording took longer than {RUN_DEADLINE_S} s"))
    signal.alarm(RUN_DEADLINE_S)
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="relay-levels-")
    try:
        for name in clips:
            description, generate = CLIPS[name]
            wav = os.path.join(work, f"{name}.wav")
            write_wav(wav, generate(random.Random(SEED), max(FILE_SECONDS, args.seconds + 4)))
            if args.keep_wav:
                shutil.copy(wav, os.path.join(args.out, f"{name}.wav"))
            started = time.monotonic()
            levels, missed, version, info = record(name, wav, args.seconds)
            with open(os.path.join(args.out, f"{name}.levels"), "w") as f:
                f.write(fixture_text(name, description, levels, missed, version, info, command))
            print(f"{name}: {summary(levels)}; {missed} missed; {time.monotonic() - started:.1f} s", flush=True)
    finally:
        signal.alarm(0)
        shutil.rmtree(work, ignore_errors=True)
        leftovers = processes.descendants()
        if leftovers:
            print("note: stopping leftover processes by PID: " + ", ".join(processes.describe(p) for p in sorted(leftovers)))
            processes.stop(leftovers)


if __name__ == "__main__":
    main()
