"""The pages of the call quality test (test_quality.py): one participant's browser with its own
fake camera and microphone, a scenario's run holding its pages and namespaces, opening a room,
waiting until everyone is in the call, and the two readings of getStats() a window apart
(quality_stats.js)."""

import os
import time
from urllib.parse import urlencode

import netns
from browsers import Chromium, Firefox
from fake_media import COLOURS, HEIGHT, WIDTH, firefox_camera_script

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "quality_stats.js")) as _f:
    QUALITY_STATS_JS = _f.read()

JOIN_TIMEOUT_S = 40
RAMP_S = 15  # from everyone in the call to the first reading: the senders' bandwidth estimates ramp up
P2P_RAMP_S = 10  # direct on loopback, the estimate is past what the camera needs within ~3 s
WINDOW_S = 10

VIDEO_SIZE = (WIDTH, HEIGHT)  # the fake camera of every scenario but the simulcast ones

# Participants: name -> (colour of its camera, tone of its microphone in Hz).
CAST = {"alice": ("red", 440), "bob": ("green", 550), "carol": ("blue", 660), "dave": ("yellow", 770)}


class Page:
    """One participant's browser and its last two readings."""

    def __init__(self, name, browser, colour=None):
        self.name = name
        self.browser = browser
        self.colour = colour  # the RGB in the middle of its camera's picture
        self.stats = None

    def read(self):
        self.stats = self.browser.run_async_js(QUALITY_STATS_JS) or {}
        return self.stats


class Run:
    """What a scenario holds: its fake media, pages and namespaces, all released in close()."""

    def __init__(self, media, report):
        self.media = media
        self.report = report
        self.pages = []
        self.spaces = []

    def chromium(self, name, base_url=None, netns_=None, silent=False, video_size=VIDEO_SIZE, extra_flags=(),
                 page_script=None, video_fps=None):
        """page_script: JS run in the page before its own scripts (browsers.Chromium)."""
        colour_name, tone = CAST[name]
        # An HTTPS base_url has the relay's own self-signed certificate.
        secure = base_url if base_url and base_url.startswith("https://") else None
        insecure = base_url if base_url and not secure and not base_url.startswith("http://127.0.0.1") else None
        launched = time.monotonic()
        browser = Chromium(f"{name} (chromium)", video_file=self.media.video(name, colour_name, video_size, *([video_fps] if video_fps else [])),
                           audio_file=self.media.silence(name) if silent else self.media.tone(name, tone),
                           insecure_origin=insecure, secure_origin=secure, netns=netns_, extra_flags=extra_flags,
                           page_script=page_script)
        page = Page(name, browser, self.media.colours[name])
        self.pages.append(page)
        where = f" in {netns_.name}" if netns_ else ""
        self.report.note(f"{name}: chromium{where} started in {time.monotonic() - launched:.1f} s")
        return page

    def firefox(self, name):
        """Firefox with the same kind of camera as the Chromium pages (a canvas in the page)."""
        rgb = COLOURS[CAST[name][0]]
        launched = time.monotonic()
        page = Page(name, Firefox(f"{name} (firefox)", page_script=firefox_camera_script(rgb)), rgb)
        self.pages.append(page)
        self.report.note(f"{name}: firefox started in {time.monotonic() - launched:.1f} s")
        return page

    def namespace(self, tag):
        space = netns.Namespace(tag)
        self.spaces.append(space)
        return space

    def close(self):
        for page in self.pages:
            page.browser.quit()
        for space in self.spaces:
            try:
                space.remove()
            except RuntimeError as error:
                self.report.check(False, f"cleanup: {error}")


def open_room(pages, base_url, room, mode, urls=None):
    """Opens the room in every page, at base_url or at the page's own in urls ({name: url})."""
    for page in pages:
        url = (urls or {}).get(page.name, base_url)
        page.browser.open(f"{url}/call/{room}?{urlencode({'name': page.name, 'mode': mode, 'autojoin': 1})}")


def _not_in_call(page, pages, mode):
    stats = page.stats
    if not stats:
        return ["no relayCall"]
    reasons = []
    if stats.get("state") != "connected":
        reasons.append(f"state {stats.get('state')}")
    if stats.get("mode") != mode:
        reasons.append(f"mode {stats.get('mode')}")
    others = {p.stats["selfId"]: p.name for p in pages if p is not page}
    if set(stats.get("peers", {})) != set(others):
        reasons.append(f"peers {stats.get('peers')}")
    if not stats.get("outbound"):
        reasons.append("no outbound video")
    for peer_id, name in others.items():
        if not any((s.get("framesDecoded") or 0) > 0 for s in stats.get("inbound", {}).get(peer_id, [])):
            reasons.append(f"no video decoded from {name}")
        if not stats.get("colours", {}).get(peer_id):
            reasons.append(f"no picture in the tile of {name}")
    return reasons


def wait_in_call(pages, mode, report):
    started = time.monotonic()
    while True:
        for page in pages:
            page.read()
        if all(p.stats.get("selfId") for p in pages):
            waiting = {p.name: _not_in_call(p, pages, mode) for p in pages}
        else:
            # Where a page that has not joined is stuck: its state and what it showed as errors.
            waiting = {p.name: [f"no selfId (state {p.stats.get('state')}, errors {p.stats.get('errors')})"]
                       for p in pages if not p.stats.get("selfId")}
        waiting = {name: why for name, why in waiting.items() if why}
        elapsed = time.monotonic() - started
        if not waiting or elapsed > JOIN_TIMEOUT_S:
            break
        time.sleep(0.5)
    names = ", ".join(p.name for p in pages)
    report.check(not waiting, f"{names} in the {mode} call, each decoding every other ({elapsed:.1f} s)")
    for name, why in waiting.items():
        report.note(f"{name}: {'; '.join(why)}")
    return not waiting


def measure(pages, ramp_s, window_s, report, label, at_window_start=None):
    """Waits ramp_s, reads every page, waits window_s, reads again; returns {name: (a, b)}.
    at_window_start, if given, is called as the window starts."""
    report.note(f"{label}: ramp-up {ramp_s} s, then a {window_s} s window")
    time.sleep(ramp_s)
    if at_window_start:
        at_window_start()
    first = {p.name: p.read() for p in pages}
    time.sleep(window_s)
    return {p.name: (first[p.name], p.read()) for p in pages}
