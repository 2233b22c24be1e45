#!/usr/bin/env python3
"""Browser end-to-end tests of call quality: what a user sees, not only that frames arrive.

Every Chromium page has a fake camera of its own (fake_media.py: a colour per participant and
moving texture), so the bitrate its encoder reaches means something and each tile's colour tells
whose video it shows. After a ramp-up, every page's getStats() is read twice, a window apart.

- bitrate: two Chromium in a p2p room (the reference), then three in an sfu room, same run.
  Through the relay each publisher must send >= 85 % of the p2p bitrate, at 640x480, with
  qualityLimitationReason 'none'; every page must decode every other at >= 90 % of the frame
  rate its sender sends, with no freeze in the window; each tile shows its participant's colour.
- loss: three Chromium in sfu, one of them in its own network namespace that drops 5 % of the
  UDP it receives: over 20 s that page has < 1 s of freezes in total and decodes each sender at
  >= 80 % of its sent frame rate (repaired by NACK/RTX); the other two see no freeze.
- uplink: three Chromium in sfu, one publishing from a namespace whose uplink is capped at
  600 kbit/s: its video settles between 200 and 600 kbit/s, and no subscriber has more than 1 s
  of freezes from it.
- firefox: Firefox ESR with one Chromium in p2p (the reference), then with two Chromium in sfu:
  through the relay Firefox sends >= 85 % of its p2p bitrate. Firefox cannot capture from a file:
  its page draws the same kind of picture on a canvas as its camera (fake_media.py).

    python3 Tests/e2e/test_quality.py --relay-bin PATH [--scenario bitrate|loss|uplink|firefox ...]

Needs root for the namespaces (loss, uplink), iproute2 and nftables. Prints a table of the
measured figures per scenario; exits non-zero if any check fails. Every process the run starts
is stopped by PID, and every namespace and veth it creates is removed by name, at the end.
"""

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import time
import traceback
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import netns  # noqa: E402
from browsers import Chromium, Firefox  # noqa: E402
from fake_media import COLOURS, FakeMedia, firefox_camera_script, nearest_colour  # noqa: E402
from relay_server import RelayServer  # noqa: E402
from test_sfu_call import REPO_ROOT, Report, run_guarded  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "quality_stats.js")) as _f:
    QUALITY_STATS_JS = _f.read()

JOIN_TIMEOUT_S = 40
RAMP_S = 15  # from everyone in the call to the first reading: the senders' bandwidth estimates ramp up
P2P_RAMP_S = 10  # direct on loopback, the estimate is past what the camera needs within ~3 s
WINDOW_S = 10
LOSS_RAMP_S = 12
LOSS_WINDOW_S = 20
UPLINK_RAMP_S = 20
RUN_DEADLINE_S = 540  # the four scenarios take about 3.5 minutes; the watchdog allows for a slow machine

FRAME_SIZE = (640, 480)
SFU_BITRATE_SHARE = 0.85  # of the p2p reference
RECEIVED_FPS_SHARE = 0.90  # of what the sender sends
MAX_FREEZE_S = 0.5  # total freezes in the window, for the bitrate scenario
REFERENCE_MIN_KBPS = 150  # below this the p2p reference itself is broken, and nothing compares
LOSS_PERCENT = 5
LOSSY_MAX_FREEZE_S = 1.0
LOSSY_FPS_SHARE = 0.80
UPLINK_CAP_KBPS = 600
UPLINK_MIN_KBPS = 200
UPLINK_MAX_FREEZE_S = 1.0
UPLINK_FPS_SHARE = 0.80
COLOUR_MAX_DISTANCE = 80  # RGB distance from the expected colour after encoding and decoding

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

    def chromium(self, name, base_url=None, netns_=None):
        colour_name, tone = CAST[name]
        insecure = base_url if base_url and not base_url.startswith("http://127.0.0.1") else None
        launched = time.monotonic()
        browser = Chromium(f"{name} (chromium)", video_file=self.media.video(name, colour_name),
                           audio_file=self.media.tone(name, tone), insecure_origin=insecure, netns=netns_)
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


def open_room(pages, base_url, room, mode):
    for page in pages:
        page.browser.open(f"{base_url}/call/{room}?{urlencode({'name': page.name, 'mode': mode, 'autojoin': 1})}")


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
            waiting = {p.name: ["no selfId"] for p in pages if not p.stats.get("selfId")}
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


def _delta(a, b, key):
    x, y = a.get(key), b.get(key)
    return None if x is None or y is None else y - x


def _seconds(a, b):
    return (b["timestamp"] - a["timestamp"]) / 1000


def sent_figures(a, b, toward=None):
    """The video a page sent between readings a and b (toward one peer in p2p): kbit/s of media
    (bytesSent without retransmissions), fps and size of its largest layer, its limitation."""
    def mine(s):
        return s["role"] != "subscribe" and (toward is None or s["peer"] in (None, toward))

    def streams(stats):
        return {s["ssrc"]: s for s in stats.get("outbound", []) if mine(s)}

    def pair(stats):
        return next((p for p in stats.get("pairs", []) if mine(p) and p.get("timestamp")), None)
    before, after = streams(a), streams(b)
    pairs = [(before[ssrc], after[ssrc]) for ssrc in after if ssrc in before and _seconds(before[ssrc], after[ssrc]) > 0]
    if not pairs:
        return None
    kbps = 0.0
    for x, y in pairs:
        media = (_delta(x, y, "bytesSent") or 0) - (_delta(x, y, "retransmittedBytesSent") or 0)
        kbps += media * 8 / 1000 / _seconds(x, y)
    x, y = max(pairs, key=lambda p: (p[1].get("frameWidth") or 0) * (p[1].get("frameHeight") or 0))
    seconds = _seconds(x, y)
    durations_a = x.get("qualityLimitationDurations") or {}
    durations_b = y.get("qualityLimitationDurations") or {}
    limited = {k: round(v - durations_a.get(k, 0), 1) for k, v in durations_b.items()
               if k != "none" and v - durations_a.get(k, 0) > 0.05}
    pair_a, pair_b = pair(a), pair(b)
    wire_kbps = None
    if pair_a and pair_b and _seconds(pair_a, pair_b) > 0 and _delta(pair_a, pair_b, "bytesSent") is not None:
        wire_kbps = _delta(pair_a, pair_b, "bytesSent") * 8 / 1000 / _seconds(pair_a, pair_b)
    return {
        "kbps": kbps,
        "wire_kbps": wire_kbps,  # the whole connection: audio, retransmissions, padding, RTCP too
        "fps": (_delta(x, y, "framesSent") or 0) / seconds,
        "size": (y.get("frameWidth"), y.get("frameHeight")),
        "limitation": y.get("qualityLimitationReason"),
        "limited_s": limited,
        "available_kbps": None if y.get("availableOutgoingBitrate") is None else y["availableOutgoingBitrate"] / 1000,
        "target_kbps": None if y.get("targetBitrate") is None else y["targetBitrate"] / 1000,
        "retransmitted": _delta(x, y, "retransmittedPacketsSent"),
        "nacks_in": _delta(x, y, "nackCount"),
        "seconds": seconds,
    }


def received_figures(a, b, peer_id):
    """The video a page received from peer_id between readings a and b (its busiest stream)."""
    before = {s["ssrc"]: s for s in a.get("inbound", {}).get(peer_id, [])}
    after = b.get("inbound", {}).get(peer_id, [])
    pairs = [(before[s["ssrc"]], s) for s in after if s["ssrc"] in before and _seconds(before[s["ssrc"]], s) > 0]
    if not pairs:
        return None
    x, y = max(pairs, key=lambda p: _delta(p[0], p[1], "framesDecoded") or 0)
    seconds = _seconds(x, y)
    colour = (b.get("colours") or {}).get(peer_id)
    return {
        "fps": (_delta(x, y, "framesDecoded") or 0) / seconds,
        "kbps": (_delta(x, y, "bytesReceived") or 0) * 8 / 1000 / seconds,
        "size": (y.get("frameWidth"), y.get("frameHeight")),
        "freezes": _delta(x, y, "freezeCount"),
        "freeze_s": _delta(x, y, "totalFreezesDuration"),
        "lost": _delta(x, y, "packetsLost"),
        "received": _delta(x, y, "packetsReceived"),
        "nacks": _delta(x, y, "nackCount"),
        "plis": _delta(x, y, "pliCount"),
        "rtx": _delta(x, y, "retransmittedPacketsReceived"),
        "dropped": _delta(x, y, "framesDropped"),
        "colour": colour["rgb"] if colour else None,
        "seconds": seconds,
    }


def measure(pages, ramp_s, window_s, report, label):
    """Waits ramp_s, reads every page, waits window_s, reads again; returns {name: (a, b)}."""
    report.note(f"{label}: ramp-up {ramp_s} s, then a {window_s} s window")
    time.sleep(ramp_s)
    first = {p.name: p.read() for p in pages}
    time.sleep(window_s)
    return {p.name: (first[p.name], p.read()) for p in pages}


def figures(pages, readings, mode):
    """Per page: what it sent (toward each other page in p2p) and what it received from each."""
    ids = {p.name: p.stats["selfId"] for p in pages}
    result = {}
    for p in pages:
        a, b = readings[p.name]
        received = {q.name: received_figures(a, b, ids[q.name]) for q in pages if q is not p}
        if mode == "p2p":
            sent = {q.name: sent_figures(a, b, toward=ids[q.name]) for q in pages if q is not p}
        else:
            sent = {"relay": sent_figures(a, b)}
        result[p.name] = {"sent": sent, "received": received}
    return result


def _fmt(value, spec=".0f"):
    return "-" if value is None else format(value, spec)


def print_table(title, pages, figs):
    print(f"  -- {title}")
    print(f"     {'sender':8} {'to':6} {'kbit/s':>7} {'size':>8} {'fps':>5} {'limitation':>10} "
          f"{'limited s':>18} {'avail kbit/s':>12} {'target':>7} {'pc kbit/s':>9}")
    for p in pages:
        for to, s in figs[p.name]["sent"].items():
            if s is None:
                print(f"     {p.name:8} {to:6} (no outbound video)")
                continue
            size = f"{s['size'][0]}x{s['size'][1]}"
            print(f"     {p.name:8} {to:6} {s['kbps']:7.0f} {size:>8} {s['fps']:5.1f} {str(s['limitation']):>10} "
                  f"{str(s['limited_s'] or '-'):>18} {_fmt(s['available_kbps']):>12} {_fmt(s['target_kbps']):>7} "
                  f"{_fmt(s['wire_kbps']):>9}")
    print(f"     {'receiver':8} {'from':6} {'kbit/s':>7} {'size':>8} {'fps':>5} {'freezes':>7} {'frz s':>6} "
          f"{'lost':>5} {'nacks':>5} {'rtx':>5} {'plis':>4} {'colour':>15}")
    for p in pages:
        for sender, r in figs[p.name]["received"].items():
            if r is None:
                print(f"     {p.name:8} {sender:6} (no inbound video)")
                continue
            size = f"{r['size'][0]}x{r['size'][1]}"
            print(f"     {p.name:8} {sender:6} {r['kbps']:7.0f} {size:>8} {r['fps']:5.1f} {_fmt(r['freezes'], 'd'):>7} "
                  f"{_fmt(r['freeze_s'], '.2f'):>6} {_fmt(r['lost'], 'd'):>5} {_fmt(r['nacks'], 'd'):>5} "
                  f"{_fmt(r['rtx'], 'd'):>5} {_fmt(r['plis'], 'd'):>4} {str(r['colour']):>15}")


def check_colours(pages, figs, report, label):
    """Each remote tile shows the colour of the participant it is keyed by, nearest among all."""
    palette = {p.name: p.colour for p in pages if p.colour}
    for p in pages:
        for sender in pages:
            if sender is p or sender.colour is None:
                continue
            r = figs[p.name]["received"].get(sender.name)
            rgb = r and r["colour"]
            if not rgb:
                report.check(False, f"{label}: {p.name}: no picture in the tile of {sender.name}")
                continue
            nearest, distance = nearest_colour(rgb, palette)
            expected = sender.colour
            report.check(nearest == sender.name and distance <= COLOUR_MAX_DISTANCE,
                         f"{label}: {p.name}: the tile of {sender.name} shows {sender.name}'s colour "
                         f"{list(expected)}: {rgb} (nearest: {nearest}, distance {distance:.0f})")


def check_received(pages, figs, mode, report, label, fps_share, max_freeze_s, only_from=None, only_at=None,
                   freeze_count_zero=False):
    """Each page decodes each sender at >= fps_share of what that sender sends, with at most
    max_freeze_s of freezes (and no freeze at all if freeze_count_zero) in the window."""
    for p in pages:
        if only_at and p.name not in only_at:
            continue
        for sender in pages:
            if sender is p or (only_from and sender.name not in only_from):
                continue
            r = figs[p.name]["received"].get(sender.name)
            s = figs[sender.name]["sent"].get(p.name if mode == "p2p" else "relay")
            if r is None or s is None:
                report.check(False, f"{label}: {p.name}: no video stats from {sender.name}")
                continue
            report.check(r["fps"] >= fps_share * s["fps"],
                         f"{label}: {p.name} decodes {sender.name} at {r['fps']:.1f} fps, "
                         f">= {fps_share:.0%} of the {s['fps']:.1f} fps sent")
            freeze_s = r["freeze_s"]
            ok = freeze_s is not None and freeze_s <= max_freeze_s
            if freeze_count_zero:
                ok = ok and r["freezes"] == 0
            limit = f"0 freezes, " if freeze_count_zero else ""
            report.check(ok, f"{label}: {p.name}: freezes of {sender.name}'s video in the window: "
                             f"{r['freezes']} ({_fmt(freeze_s, '.2f')} s; limit {limit}{max_freeze_s} s)")


# ---------------------------------------------------------------- bitrate


def scenario_bitrate(relay_bin, relay_root, run, report):
    server = RelayServer(relay_bin, relay_root)
    run.server = server
    print(f"== bitrate at {server.base_url}, relay media port {server.media_port}", flush=True)

    # The reference: two pages, direct.
    p2p_pages = [run.chromium("alice"), run.chromium("bob")]
    open_room(p2p_pages, server.base_url, f"q-p2p-{secrets.token_hex(3)}", "p2p")
    if not wait_in_call(p2p_pages, "p2p", report):
        return
    p2p_figs = figures(p2p_pages, measure(p2p_pages, P2P_RAMP_S, WINDOW_S, report, "p2p"), "p2p")
    print_table("p2p (reference)", p2p_pages, p2p_figs)
    reference = [s for p in p2p_pages for s in p2p_figs[p.name]["sent"].values() if s]
    for p in p2p_pages:
        for to, s in p2p_figs[p.name]["sent"].items():
            report.check(s is not None and s["kbps"] >= REFERENCE_MIN_KBPS and s["size"] == FRAME_SIZE,
                         f"p2p reference: {p.name} -> {to} sends {_fmt(s and s['kbps'])} kbit/s at "
                         f"{s and s['size']} (a usable reference: >= {REFERENCE_MIN_KBPS} kbit/s at 640x480)")
    check_colours(p2p_pages, p2p_figs, report, "p2p")
    if len(reference) != len(p2p_pages):
        return
    reference_kbps = sum(s["kbps"] for s in reference) / len(reference)

    # Through the relay: the same two pages move to a new room, a third joins.
    sfu_pages = p2p_pages + [run.chromium("carol")]
    open_room(sfu_pages, server.base_url, f"q-sfu-{secrets.token_hex(3)}", "sfu")
    if not wait_in_call(sfu_pages, "sfu", report):
        return
    sfu_figs = figures(sfu_pages, measure(sfu_pages, RAMP_S, WINDOW_S, report, "sfu"), "sfu")
    print_table("sfu (three pages through the relay)", sfu_pages, sfu_figs)
    report.note(f"p2p reference: {reference_kbps:.0f} kbit/s (mean of {len(reference)} senders)")
    for p in sfu_pages:
        s = sfu_figs[p.name]["sent"]["relay"]
        if s is None:
            report.check(False, f"sfu: {p.name}: no outbound video stats")
            continue
        report.check(s["kbps"] >= SFU_BITRATE_SHARE * reference_kbps,
                     f"sfu: {p.name} sends {s['kbps']:.0f} kbit/s, >= {SFU_BITRATE_SHARE:.0%} of the p2p "
                     f"{reference_kbps:.0f} kbit/s ({s['kbps'] / reference_kbps:.0%}; available "
                     f"{_fmt(s['available_kbps'])} kbit/s)")
        report.check(s["size"] == FRAME_SIZE, f"sfu: {p.name} sends {s['size'][0]}x{s['size'][1]} (p2p: 640x480)")
        report.check(s["limitation"] == "none",
                     f"sfu: {p.name}: qualityLimitationReason {s['limitation']} (want none; "
                     f"limited in the window: {s['limited_s'] or 'never'})")
    check_received(sfu_pages, sfu_figs, "sfu", report, "sfu", RECEIVED_FPS_SHARE, MAX_FREEZE_S, freeze_count_zero=True)
    check_colours(sfu_pages, sfu_figs, report, "sfu")


# ---------------------------------------------------------------- loss and uplink


def _server_for(space, relay_bin, relay_root, run):
    """The relay on the namespace's host-side address, announced there: every page, on the host
    or in the namespace, reaches it at the same address."""
    server = RelayServer(relay_bin, relay_root, announced_ip=space.host_ip, http_host=space.host_ip)
    run.server = server
    return server


def scenario_loss(relay_bin, relay_root, run, report):
    space = run.namespace("lo")
    space.drop_incoming_udp(LOSS_PERCENT)
    server = _server_for(space, relay_bin, relay_root, run)
    print(f"== loss at {server.base_url}, relay media port {server.media_port}; carol in {space.name} "
          f"loses {LOSS_PERCENT} % of the UDP she receives", flush=True)
    pages = [run.chromium("alice", server.base_url), run.chromium("bob", server.base_url),
             run.chromium("carol", server.base_url, netns_=space)]
    open_room(pages, server.base_url, f"q-loss-{secrets.token_hex(3)}", "sfu")
    if not wait_in_call(pages, "sfu", report):
        return
    dropped_before = space.dropped()
    figs = figures(pages, measure(pages, LOSS_RAMP_S, LOSS_WINDOW_S, report, "loss"), "sfu")
    dropped_after = space.dropped()
    print_table(f"sfu, carol's downlink loses {LOSS_PERCENT} %", pages, figs)
    dropped = dropped_after[0] - dropped_before[0] if dropped_before and dropped_after else None
    received = sum((figs["carol"]["received"][n] or {}).get("received") or 0 for n in ("alice", "bob"))
    # Without loss in the window nothing below is tested.
    report.check(bool(dropped) and dropped > 0,
                 f"loss: the namespace dropped {dropped} UDP datagrams to carol in the window "
                 f"(carol received {received} video packets)")
    for sender in ("alice", "bob"):
        r = figs["carol"]["received"][sender]
        if r:
            report.note(f"carol from {sender}: packetsLost {r['lost']}, nackCount {r['nacks']}, "
                        f"retransmittedPacketsReceived {r['rtx']}, pliCount {r['plis']}")
        s = figs[sender]["sent"]["relay"]
        if s:
            report.note(f"{sender} (sender): retransmittedPacketsSent {s['retransmitted']}, NACKs received {s['nacks_in']}")
    freeze_s = 0.0
    for sender in ("alice", "bob"):
        r, s = figs["carol"]["received"][sender], figs[sender]["sent"]["relay"]
        if r is None or s is None:
            report.check(False, f"loss: carol: no video stats from {sender}")
            freeze_s = None
            continue
        report.check(r["fps"] >= LOSSY_FPS_SHARE * s["fps"],
                     f"loss: carol decodes {sender} at {r['fps']:.1f} fps, >= {LOSSY_FPS_SHARE:.0%} of the "
                     f"{s['fps']:.1f} fps sent")
        if freeze_s is not None:
            freeze_s = None if r["freeze_s"] is None else freeze_s + r["freeze_s"]
    report.check(freeze_s is not None and freeze_s < LOSSY_MAX_FREEZE_S,
                 f"loss: carol's freezes in the window, both videos together: {_fmt(freeze_s, '.2f')} s "
                 f"(limit: under {LOSSY_MAX_FREEZE_S} s)")
    check_received(pages, figs, "sfu", report, "loss", RECEIVED_FPS_SHARE, MAX_FREEZE_S, only_at=["alice", "bob"],
                   freeze_count_zero=True)
    check_colours(pages, figs, report, "loss")


def scenario_uplink(relay_bin, relay_root, run, report):
    space = run.namespace("up")
    space.cap_uplink(UPLINK_CAP_KBPS)
    server = _server_for(space, relay_bin, relay_root, run)
    print(f"== uplink at {server.base_url}, relay media port {server.media_port}; alice in {space.name} "
          f"sends through a {UPLINK_CAP_KBPS} kbit/s cap", flush=True)
    pages = [run.chromium("alice", server.base_url, netns_=space), run.chromium("bob", server.base_url),
             run.chromium("carol", server.base_url)]
    open_room(pages, server.base_url, f"q-uplink-{secrets.token_hex(3)}", "sfu")
    if not wait_in_call(pages, "sfu", report):
        return
    shaper_before = space.uplink_shaper()
    figs = figures(pages, measure(pages, UPLINK_RAMP_S, WINDOW_S, report, "uplink"), "sfu")
    shaper_after = space.uplink_shaper()
    print_table(f"sfu, alice's uplink capped at {UPLINK_CAP_KBPS} kbit/s", pages, figs)
    if shaper_before and shaper_after:
        sent, dropped, over = (y - x for x, y in zip(shaper_before, shaper_after))
        report.note(f"the cap in the window: {sent * 8 / 1000 / WINDOW_S:.0f} kbit/s on the wire, "
                    f"{dropped} packets dropped, {over} times over the rate")
    s = figs["alice"]["sent"]["relay"]
    if s is None:
        report.check(False, "uplink: alice: no outbound video stats")
    else:
        report.check(UPLINK_MIN_KBPS <= s["kbps"] <= UPLINK_CAP_KBPS,
                     f"uplink: alice sends {s['kbps']:.0f} kbit/s through the {UPLINK_CAP_KBPS} kbit/s cap: under it and "
                     f"not collapsed (>= {UPLINK_MIN_KBPS}); {s['size'][0]}x{s['size'][1]} {s['fps']:.1f} fps, "
                     f"limitation {s['limitation']}, available {_fmt(s['available_kbps'])} kbit/s")
    check_received(pages, figs, "sfu", report, "uplink", UPLINK_FPS_SHARE, UPLINK_MAX_FREEZE_S,
                   only_from=["alice"])


# ---------------------------------------------------------------- firefox


def scenario_firefox(relay_bin, relay_root, run, report):
    server = RelayServer(relay_bin, relay_root)
    run.server = server
    print(f"== firefox at {server.base_url}, relay media port {server.media_port}", flush=True)
    fox = run.firefox("dave")
    pages = [fox, run.chromium("alice")]
    open_room(pages, server.base_url, f"q-ffp2p-{secrets.token_hex(3)}", "p2p")
    if not wait_in_call(pages, "p2p", report):
        return
    p2p_figs = figures(pages, measure(pages, P2P_RAMP_S, WINDOW_S, report, "p2p"), "p2p")
    print_table("p2p, Firefox and one Chromium (reference)", pages, p2p_figs)
    reference = p2p_figs["dave"]["sent"]["alice"]
    usable = reference is not None and reference["kbps"] >= REFERENCE_MIN_KBPS
    report.check(usable, f"p2p reference: firefox sends {_fmt(reference and reference['kbps'])} kbit/s at "
                         f"{reference and reference['size']} (a usable reference: >= {REFERENCE_MIN_KBPS} kbit/s)")
    if not usable:
        return

    pages = pages + [run.chromium("bob")]
    open_room(pages, server.base_url, f"q-ffsfu-{secrets.token_hex(3)}", "sfu")
    if not wait_in_call(pages, "sfu", report):
        return
    sfu_figs = figures(pages, measure(pages, RAMP_S, WINDOW_S, report, "sfu"), "sfu")
    print_table("sfu, Firefox and two Chromium", pages, sfu_figs)
    s = sfu_figs["dave"]["sent"]["relay"]
    report.check(s is not None and s["kbps"] >= SFU_BITRATE_SHARE * reference["kbps"],
                 f"sfu: firefox sends {_fmt(s and s['kbps'])} kbit/s, >= {SFU_BITRATE_SHARE:.0%} of its p2p "
                 f"{reference['kbps']:.0f} kbit/s ({s['size'] if s else '-'})")
    check_colours(pages, sfu_figs, report, "sfu")


SCENARIOS = {
    "bitrate": scenario_bitrate,
    "loss": scenario_loss,
    "uplink": scenario_uplink,
    "firefox": scenario_firefox,
}


def run_scenario(name, relay_bin, relay_root, media, report):
    run = Run(media, report)
    run.server = None
    failures_before = report.failures
    try:
        SCENARIOS[name](relay_bin, relay_root, run, report)
    except Exception:
        report.check(False, f"{name}: the run stopped on an error")
        traceback.print_exc()
    finally:
        try:
            if report.failures > failures_before:
                print_diagnostics(run)
        finally:
            run.close()
            if run.server:
                run.server.stop()


def print_diagnostics(run):
    for page in run.pages:
        try:
            for line in page.browser.console_tail(10):
                print(f"     {page.name} console: {line}")
        except Exception as error:
            print(f"     {page.name} console unavailable: {error}")
    if run.server:
        print("  -- relay log (last lines):")
        for line in run.server.log_tail(15):
            print(f"     {line}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--relay-bin", default=os.environ.get("RELAY_BIN"), help="the relay binary (default: $RELAY_BIN)")
    parser.add_argument("--relay-root", default=REPO_ROOT, help="checkout whose Public/ the relay serves (default: this one)")
    parser.add_argument("--scenario", action="append", choices=list(SCENARIOS), help="run only this one (repeatable; default: all)")
    args = parser.parse_args()
    if not args.relay_bin or not os.access(args.relay_bin, os.X_OK):
        parser.error(f"no relay binary at {args.relay_bin} (build it first, or give --relay-bin)")
    scenarios = args.scenario or list(SCENARIOS)
    if {"loss", "uplink"} & set(scenarios) and os.geteuid() != 0:
        parser.error("the loss and uplink scenarios create network namespaces: run as root, or choose others")

    report = Report()
    status = 1
    media = FakeMedia(tempfile.mkdtemp(prefix="relay-e2e-media-"))
    try:
        def run(name):
            run_scenario(name, args.relay_bin, args.relay_root, media, report)
        status = run_guarded([(name, run) for name in scenarios], report, RUN_DEADLINE_S)
    finally:
        shutil.rmtree(media.directory, ignore_errors=True)
        # After a watchdog abort a namespace may still be there: remove it by name, and say so.
        removed = netns.remove_all()
        spaces, links = netns.leftovers()
        if removed or spaces or links:
            print(f"  note: namespaces removed at the end: {removed}; still there: {spaces} {links}")
            if spaces or links:
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
