"""The simulcast scenarios of the call quality test (test_quality.py): every Chromium page has a
960x540 camera, the smallest from which Chromium encodes three layers (q 240x135, h 480x270,
f 960x540); 1280x720 costs three browsers on two cores more than they have.

- layers: three pages on loopback; each receives the others at the top layer, and was told so
  (`video-layer` with rid f). Then every page turns to the speaker view while only alice's
  microphone hears a tone: on each page the featured tile (alice's on bob's and carol's pages, the
  first remote one on alice's) keeps the top layer, and the thumbnail gets a lower one, decoded
  narrower; back in the grid view, every page gets every other at the top layer again. Then alice
  shares her screen: she sends only the top layer, at the screen's 5 fps at most, which the others
  decode at its size; when she stops, her camera's three layers are back.
- layers-spread: layers on a relay of two media workers that spreads the room from its second
  participant (alice and carol on one worker, bob on the other): every track is copied to the
  other worker once (`relay_mirrored_tracks`), and everything `layers` checks holds across it.
- layers-vp9, layers-h264: layers without the screen share, every page preferring VP9 (resp.
  H.264 in packetization mode 1) through a script run before the call page's own
  (prefer_codec.js), the page unchanged: every layer each page sends, and the video it receives
  from each other, is in that codec (the codec stats' mimeType). The speaker view's switches down
  and up go through the relay's rewriting of VP9 picture IDs, decoded by the browser. A Chromium
  that cannot encode the codec skips the scenario, saying so. The VP9 cameras run at 10 fps.
- layers-cap: carol in her own namespace, first with the top layer of both others; her downlink
  is capped at 400 kbit/s (within 10 s she gets a lower layer, narrower than 1280, and keeps
  decoding; alice and bob keep the top layer, and the publishers keep sending every layer as before), then uncapped
  (the top layer again within 15 s), then capped at 60 kbit/s (her tiles say video is paused,
  audio still arrives).
"""

import json
import os
import secrets
import time

from fake_media import HD
from quality_checks import RECEIVED_FPS_SHARE, MAX_FREEZE_S, check_colours, check_received
from quality_figures import figures, fmt, print_layers, print_table
from quality_network import server_for
from quality_pages import RAMP_S, WINDOW_S, measure, open_room, wait_in_call
from relay_server import RelayServer

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "layers_state.js")) as _f:
    LAYERS_STATE_JS = _f.read()
with open(os.path.join(HERE, "prefer_codec.js")) as _f:
    PREFER_CODEC_JS = _f.read()

# layers-spread: two media workers, the room spread over them from its second participant.
SPREAD_ARGS = ("--workers", "2", "--spread-rooms-above", "1")

# The camera's frame rate where it is not the usual 15 fps.
CODEC_FPS = {"vp9": 10}

# The codec the pages of layers-vp9 and layers-h264 prefer: its mimeType, and a parameter its
# fmtp line must have (the relay forwards H.264 in packetization mode 1 only).
CODECS = {"vp9": ("video/VP9", None), "h264": ("video/H264", "packetization-mode=1")}
CAN_SEND_JS = """(async function canSend(mimeType, fmtp) {
    return RTCRtpSender.getCapabilities('video').codecs.filter(c => c.mimeType.toLowerCase() === mimeType.toLowerCase()
        && (!fmtp || (c.sdpFmtpLine || '').split(';').includes(fmtp))).map(c => c.sdpFmtpLine || '');
})"""

# The relay sends no layer larger than the first that covers the tile. In the test windows
# (browsers.py) the grid is one column of tiles 486x364 CSS pixels, which h (480x270) does not
# cover: the top layer is what a page on an open link gets.

TOP_RID = "f"
TOP_MIN_SIZE = (640, 360)  # a tile fed the top layer shows at least this (the camera is 960x540)
CAP_KBPS = 400
STEP_DOWN_WITHIN_S = 10
CAP_SETTLE_S = 10  # after the cap, before the window: the layer switch and the estimate settle
CAP_WINDOW_S = 20
CAPPED_MIN_FPS = 10
CAPPED_MAX_FREEZE_S = 1.0
LAYER_KEEPS_SHARE = 0.75  # of each layer's rate before the cap: a publisher's encoder varies a little
UNCAPPED_KBPS = 20_000  # far above what two top layers and audio need
STEP_UP_WITHIN_S = 15
PAUSE_KBPS = 60
PAUSE_WITHIN_S = 20
AUDIO_WINDOW_S = 5
POLL_S = 0.5
THUMBNAIL_WITHIN_S = 10  # the relay's 2 s before a step down, the keyframe, and the page's 200 ms
GRID_AGAIN_WITHIN_S = 10  # a step up: at least 5 s after the step down, 1 s of wanting it, the keyframe

SET_VIEW_JS = """(async function setView(view) {
    const button = document.getElementById('view-button');
    if ((document.body.dataset.view || 'grid') !== view) button.click();
    const featured = document.querySelector('#remotes .tile.featured');
    return {view: document.body.dataset.view || null, featured: featured ? featured.dataset.peerId : null};
})"""


def _state(page):
    return page.browser.run_async_js(LAYERS_STATE_JS) or {}


def _big_enough(size):
    return bool(size) and (size[0] or 0) >= TOP_MIN_SIZE[0] and (size[1] or 0) >= TOP_MIN_SIZE[1]


def _check_top_layer(pages, figs, report, label, only_at=None):
    """Each page (of only_at) receives every other at the top layer's size and was told rid f."""
    for p in pages:
        if only_at and p.name not in only_at:
            continue
        layers = _state(p).get("layers", {})
        for sender in pages:
            if sender is p:
                continue
            r = figs[p.name]["received"].get(sender.name)
            size = r and r["size"]
            report.check(_big_enough(size),
                         f"{label}: {p.name} receives {sender.name} at {size and '%sx%s' % size} "
                         f"(the top layer: at least {TOP_MIN_SIZE[0]}x{TOP_MIN_SIZE[1]})")
            layer = layers.get(sender.stats["selfId"])
            report.check(bool(layer) and layer.get("rid") == TOP_RID and not layer.get("paused"),
                         f"{label}: {p.name} was told it gets {sender.name}'s layer {TOP_RID} (video-layer: {layer})")


def _check_publishers_send_every_layer(pages, figs, report, label):
    for p in pages:
        s = figs[p.name]["sent"].get("relay")
        layers = (s or {}).get("layers", {})
        sending = sorted((rid for rid, layer in layers.items() if layer["fps"] > 0), key="qhf".find)
        report.check(sending == ["q", "h", "f"],
                     f"{label}: {p.name} publishes layers {sending} (want q, h, f: a {HD[0]}x{HD[1]} camera); "
                     + ", ".join(f"{rid} {layer['size'][0]}x{layer['size'][1]} {layer['kbps']:.0f} kbit/s"
                                 for rid, layer in sorted(layers.items(), key=lambda item: "qhf".find(item[0]))))


def scenario_layers(relay_bin, relay_root, run, report, codec=None, spread=False):
    """codec: a key of CODECS, which every page then prefers (layers-vp9, layers-h264); these
    skip the screen share. spread: the relay runs two media workers and spreads the room over
    them from its second participant (layers-spread)."""
    label = f"layers-{codec}" if codec else "layers-spread" if spread else "layers"
    server = RelayServer(relay_bin, relay_root, extra_args=SPREAD_ARGS if spread else ())
    run.server = server
    print(f"== {label} at {server.base_url}, relay media port {server.media_port}: three {HD[0]}x{HD[1]} cameras"
          + (f", {CODECS[codec][0]} preferred" if codec else ""), flush=True)
    script = f"({PREFER_CODEC_JS})({json.dumps(CODECS[codec][0])}, {json.dumps(CODECS[codec][1])});" if codec else None
    # VP9 at 10 fps: three pages each encoding three VP9 layers at 15 fps saturate two cores, and a
    # starved browser's late feedback reads as a queue and moves it down a layer.
    fps = CODEC_FPS.get(codec)
    pages = [run.chromium(name, video_size=HD, silent=name != "alice", page_script=script, video_fps=fps)
             for name in ("alice", "bob", "carol")]
    if codec and not _can_send(pages[0], codec, report, label):
        return
    open_room(pages, server.base_url, f"q-{label}-{secrets.token_hex(3)}", "sfu")
    if not wait_in_call(pages, "sfu", report):
        return
    if spread:
        # alice and carol on the first worker, bob on the second: bob's audio and camera are
        # copied to the first, alice's and carol's to the second.
        mirrored = server.metric("relay_mirrored_tracks")
        report.check(mirrored == 6, f"{label}: the room spans both workers, each track copied to the other once "
                                    f"(relay_mirrored_tracks {mirrored}, want 6)")
    counters = {}

    def read_counters():
        return (server.metric("relay_dropped_datagrams_total", reason="temporal_layer"),
                server.metric("relay_layer_switches_total"))

    figs = figures(pages, measure(pages, RAMP_S, WINDOW_S, report, label,
                                  at_window_start=lambda: counters.update(start=read_counters())), "sfu")
    print_table(f"sfu, three simulcast publishers{', ' + codec if codec else ''}", pages, figs)
    print_layers(pages, figs)
    # A freeze with nothing lost: the relay may have held back upper temporal layers from a
    # subscriber whose estimate dipped (a stalled machine looks like a queue building up).
    held_back, switches = (after - before for before, after in zip(counters["start"], read_counters()))
    report.note(f"{label}: in the window the relay held back {held_back:.0f} packets of upper temporal layers "
                f"and switched layers {switches:.0f} times")
    if codec:
        _check_codec(pages, figs, report, label, *CODECS[codec])
    _check_publishers_send_every_layer(pages, figs, report, label)
    _check_top_layer(pages, figs, report, label)
    # Three browsers encoding three layers each on a shared machine: a short freeze here and there
    # is the machine's; the frame rate and the total of freezes are the relay's.
    check_received(pages, figs, "sfu", report, label, RECEIVED_FPS_SHARE, MAX_FREEZE_S)
    check_colours(pages, figs, report, label)
    _check_speaker_view(pages, report, label)
    if not codec:
        _check_screen_share(pages, report)


def scenario_layers_spread(relay_bin, relay_root, run, report):
    scenario_layers(relay_bin, relay_root, run, report, spread=True)


def scenario_layers_vp9(relay_bin, relay_root, run, report):
    scenario_layers(relay_bin, relay_root, run, report, codec="vp9")


def scenario_layers_h264(relay_bin, relay_root, run, report):
    scenario_layers(relay_bin, relay_root, run, report, codec="h264")


def _can_send(page, codec, report, label):
    """Whether this Chromium has an encoder for the codec: without one the scenario is skipped,
    with a note (a build without H.264 offers it to receive only)."""
    mime, fmtp = CODECS[codec]
    found = page.browser.run_async_js(CAN_SEND_JS, mime, fmtp)
    if not found:
        report.note(f"{label}: SKIPPED: this Chromium cannot encode {mime}{' with ' + fmtp if fmtp else ''} "
                    f"(not in RTCRtpSender.getCapabilities('video'))")
    return bool(found)


def _check_codec(pages, figs, report, label, mime, fmtp):
    """Every layer each page sends, and the video it receives from each other, is in the codec
    preferred (the codec stats' mimeType, and fmtp for H.264)."""
    def wanted(codec, line):
        return (codec or "").lower() == mime.lower() and (not fmtp or fmtp in (line or "").split(";"))

    for p in pages:
        layers = (figs[p.name]["sent"].get("relay") or {}).get("layers") or {}
        report.check(bool(layers) and all(wanted(layer["codec"], layer["fmtp"]) for layer in layers.values()),
                     f"{label}: {p.name} sends {mime}: "
                     + (", ".join(f"{rid} {layer['codec']} ({layer['fmtp'] or '-'}, {layer['encoder']})"
                                  for rid, layer in sorted(layers.items(), key=lambda item: "qhf".find(item[0])))
                        or "no layers"))
        for sender in pages:
            if sender is p:
                continue
            r = figs[p.name]["received"].get(sender.name)
            report.check(bool(r) and wanted(r["codec"], r["fmtp"]),
                         f"{label}: {p.name} receives {sender.name} in {mime}: "
                         f"{r and r['codec']} ({r and r['fmtp'] or '-'}, {r and r['decoder']})")


SHARE_SCREEN_JS = """(async function shareScreen(on) {
    const call = window.relayCall;
    try {
        await call.shareScreen(on);
    } catch (error) {
        return {error: String(error)};
    }
    const settings = call.screenTrack ? call.screenTrack.getSettings() : null;
    return {sharing: !!call.screenTrack, width: settings && settings.width, height: settings && settings.height};
})"""
SCREEN_MAX_FPS = 5  # the page's cap on a shared screen's frame rate (relay-media.js)
SCREEN_RAMP_S = 6
SCREEN_WINDOW_S = 6


def _check_screen_share(pages, report):
    """alice shares her screen: only her full-size layer goes, at no more than the screen's frame
    rate, and the others receive it; when she stops, her camera's three layers come back."""
    alice, others = pages[0], pages[1:]
    shared = alice.browser.run_async_js(SHARE_SCREEN_JS, True) or {}
    report.check(shared.get("sharing") is True, f"layers, screen: alice shares her screen ({shared})")
    if not shared.get("sharing"):
        return
    figs = figures(pages, measure(pages, SCREEN_RAMP_S, SCREEN_WINDOW_S, report, "layers, screen"), "sfu")
    print_layers(pages, figs)
    layers = (figs["alice"]["sent"].get("relay") or {}).get("layers") or {}
    sending = {rid: layer for rid, layer in layers.items() if layer["fps"] > 0}
    full = sending.get(TOP_RID)
    described = ", ".join(f"{rid} {layer['size'][0]}x{layer['size'][1]} {layer['fps']:.1f} fps"
                          for rid, layer in sending.items())
    report.check(list(sending) == [TOP_RID] and full["fps"] <= SCREEN_MAX_FPS + 0.5,
                 f"layers, screen: alice sends only layer {TOP_RID}, at most {SCREEN_MAX_FPS} fps (sending: {described})")
    for p in others:
        r = figs[p.name]["received"].get("alice")
        report.check(bool(r) and r["fps"] > 0 and bool(full) and r["size"] == full["size"],
                     f"layers, screen: {p.name} decodes alice's screen at the size she sends it "
                     f"({r and r['size']} at {fmt(r and r['fps'])} fps; sent {full and full['size']})")
    stopped = alice.browser.run_async_js(SHARE_SCREEN_JS, False) or {}
    report.check(stopped.get("sharing") is False, f"layers, screen: alice stops sharing ({stopped})")
    figs = figures(pages, measure(pages, SCREEN_RAMP_S, SCREEN_WINDOW_S, report, "layers, camera again"), "sfu")
    _check_publishers_send_every_layer(pages[:1], figs, report, "layers, camera again")


def _check_speaker_view(pages, report, label="layers"):
    """Every page in the speaker view: the featured tile keeps the top layer, the other drops;
    back in the grid view, every tile gets the top layer again."""
    names = {p.stats["selfId"]: p.name for p in pages}
    alice = pages[0].stats["selfId"]
    featured = {}
    for p in pages:
        view = p.browser.run_async_js(SET_VIEW_JS, "speaker") or {}
        featured[p.name] = view.get("featured")
        report.check(view.get("view") == "speaker", f"{label}, speaker view: {p.name}'s page is in the speaker view ({view})")
    for p in pages[1:]:
        report.check(featured[p.name] == alice,
                     f"{label}, speaker view: {p.name}'s featured tile is alice's, the speaker "
                     f"({names.get(featured[p.name], featured[p.name])})")
    for p in pages:
        others = [o.stats["selfId"] for o in pages if o is not p]
        big = featured[p.name]
        thumbnails = [peer for peer in others if peer != big]
        took, state = _wait_for(p, others, lambda st, peer: (
            _layer(st, peer).get("rid") == TOP_RID and _width(st, peer) >= TOP_MIN_SIZE[0]) if peer == big else (
            _layer(st, peer).get("rid") not in (None, TOP_RID) and 0 < _width(st, peer) < TOP_MIN_SIZE[0]),
            THUMBNAIL_WITHIN_S)
        report.check(took is not None and bool(thumbnails),
                     f"{label}, speaker view: {p.name} gets the featured {names.get(big, big)} at {TOP_RID} and the "
                     f"thumbnail {', '.join(names.get(t, t) for t in thumbnails)} at a lower layer "
                     f"{'after %.1f s' % took if took is not None else 'not within %d s' % THUMBNAIL_WITHIN_S} "
                     f"({_describe(state, {peer: names.get(peer, peer) for peer in others})})")
    # Back to the grid: the thumbnails' layer switches up, decoded from the new layer's keyframe.
    for p in pages:
        view = p.browser.run_async_js(SET_VIEW_JS, "grid") or {}
        report.check(view.get("view") == "grid", f"{label}, grid view again: {p.name}'s page is in the grid view ({view})")
    for p in pages:
        others = [o.stats["selfId"] for o in pages if o is not p]
        took, state = _wait_for(p, others, lambda st, peer: _layer(st, peer).get("rid") == TOP_RID
                                and _width(st, peer) >= TOP_MIN_SIZE[0], GRID_AGAIN_WITHIN_S)
        report.check(took is not None,
                     f"{label}, grid view again: {p.name} gets every other at {TOP_RID} "
                     f"{'after %.1f s' % took if took is not None else 'not within %d s' % GRID_AGAIN_WITHIN_S} "
                     f"({_describe(state, {peer: names.get(peer, peer) for peer in others})})")


def _wait_for(page, peers, accept, within_s, trace=None):
    """Polls page until accept(state, peer id) holds for every peer; returns (seconds or None,
    the last state). trace(seconds, state), when given, is called at every poll."""
    started = time.monotonic()
    while True:
        state = _state(page)
        if trace:
            trace(time.monotonic() - started, state)
        if all(accept(state, peer) for peer in peers):
            return time.monotonic() - started, state
        if time.monotonic() - started > within_s:
            return None, state
        time.sleep(POLL_S)


def _layer(state, peer):
    return state.get("layers", {}).get(peer) or {}


def _width(state, peer):
    return (state.get("video", {}).get(peer) or {}).get("width") or 0


def scenario_layers_cap(relay_bin, relay_root, run, report):
    space = run.namespace("ca")
    server = server_for(space, relay_bin, relay_root, run)
    print(f"== layers-cap at {server.base_url}, relay media port {server.media_port}; carol in {space.name}, "
          f"her downlink capped at {CAP_KBPS}, then open, then {PAUSE_KBPS} kbit/s", flush=True)
    pages = [run.chromium(name, server.base_url, netns_=space if name == "carol" else None, video_size=HD) for name in ("alice", "bob", "carol")]
    alice, bob, carol = pages
    open_room(pages, server.base_url, f"q-layers-cap-{secrets.token_hex(3)}", "sfu")
    if not wait_in_call(pages, "sfu", report):
        return
    senders = {p.stats["selfId"]: p.name for p in (alice, bob)}

    # Open: the reference for what carol receives and what the publishers send on their top layer.
    open_figs = figures(pages, measure(pages, RAMP_S, WINDOW_S, report, "layers-cap, open"), "sfu")
    print_table("sfu, carol's downlink open", pages, open_figs)
    print_layers(pages, open_figs)
    # What follows assumes carol starts from the top layer of both.
    _check_top_layer(pages, open_figs, report, "layers-cap, open", only_at=["carol"])

    # Capped: carol steps down, alice and bob do not; while the step down waits out its
    # hysteresis, the relay sends her only the temporal layers that fit (L1T3).
    held_back_before = server.metric("relay_dropped_datagrams_total", reason="temporal_layer")
    space.cap_media_downlink(CAP_KBPS)
    report.note(f"carol's downlink capped at {CAP_KBPS} kbit/s")
    took, state = _wait_for(carol, senders, lambda st, peer: _layer(st, peer).get("rid") not in (None, TOP_RID)
                            and 0 < _width(st, peer) < HD[0], STEP_DOWN_WITHIN_S)
    report.check(took is not None,
                 f"layers-cap: under {CAP_KBPS} kbit/s carol gets a lower layer of alice and bob "
                 f"{'after %.1f s' % took if took is not None else 'not within %d s' % STEP_DOWN_WITHIN_S} "
                 f"({_describe(state, senders)})")
    held_back = server.metric("relay_dropped_datagrams_total", reason="temporal_layer") - held_back_before
    report.check(held_back > 0,
                 f"layers-cap: before switching carol to a lower layer the relay held back upper temporal layers "
                 f"({held_back:.0f} packets of them not sent to her)")
    shaper_before = space.media_downlink_shaper()
    refused_before = server.metric("relay_dropped_datagrams_total", reason="retransmission_budget")
    repeated_before = server.metric("relay_dropped_datagrams_total", reason="retransmission_repeated")
    switches_before = server.metric("relay_layer_switches_total")
    capped_figs = figures(pages, measure(pages, CAP_SETTLE_S, CAP_WINDOW_S, report, "layers-cap, capped"), "sfu")
    shaper_after = space.media_downlink_shaper()
    if shaper_before and shaper_after:
        sent, dropped, _ = (y - x for x, y in zip(shaper_before, shaper_after))
        report.note(f"the cap over the last {CAP_SETTLE_S + CAP_WINDOW_S} s: {sent * 8 / 1000 / (CAP_SETTLE_S + CAP_WINDOW_S):.0f} "
                    f"kbit/s of UDP to carol, {dropped} packets dropped")
    # Repairs the relay did not send (over its budget, or asked for again within a round trip)
    # and layer switches: what a freeze here waits on.
    refused = server.metric("relay_dropped_datagrams_total", reason="retransmission_budget") - refused_before
    repeated = server.metric("relay_dropped_datagrams_total", reason="retransmission_repeated") - repeated_before
    switches = server.metric("relay_layer_switches_total") - switches_before
    report.note(f"in those {CAP_SETTLE_S + CAP_WINDOW_S} s the relay refused {refused:.0f} retransmissions over budget "
                f"and {repeated:.0f} asked for again within a round trip; layer switches in the room: {switches:.0f}")
    print_table(f"sfu, carol's downlink capped at {CAP_KBPS} kbit/s", pages, capped_figs)
    print_layers(pages, capped_figs)
    _check_capped(pages, open_figs, capped_figs, report)

    # Open again: back to the top layer.
    # Carol's estimate and layers as the relay climbs back, printed when it is too slow.
    steps = []

    def trace(seconds, state):
        estimate = server.metric_with("relay_subscriber_estimated_bitrate_bps", participant=carol.stats["selfId"])
        rids = "/".join(_layer(state, peer).get("rid") or "-" for peer in senders)
        step = f"{'-' if estimate is None else round(estimate / 1000)} kbit/s {rids}"
        if not steps or steps[-1][1] != step:
            steps.append((seconds, step))

    space.cap_media_downlink(UNCAPPED_KBPS)
    took, state = _wait_for(carol, senders, lambda st, peer: _layer(st, peer).get("rid") == TOP_RID
                            and _width(st, peer) >= TOP_MIN_SIZE[0], STEP_UP_WITHIN_S, trace)
    report.check(took is not None,
                 f"layers-cap: with the cap lifted carol gets alice's and bob's top layer again "
                 f"{'after %.1f s' % took if took is not None else 'not within %d s' % STEP_UP_WITHIN_S} "
                 f"({_describe(state, senders)})")
    if took is None or took > STEP_UP_WITHIN_S / 2:
        report.note("carol's estimate and layers (alice/bob) after the cap was lifted: "
                    + ", ".join(f"{seconds:.1f} s {step}" for seconds, step in steps))

    # Too slow for any layer: video paused and said so, audio goes on.
    space.cap_media_downlink(PAUSE_KBPS)
    took, state = _wait_for(carol, senders, lambda st, peer: _layer(st, peer).get("paused") is True
                            and (st.get("overlays", {}).get(peer) or {}).get("shown"), PAUSE_WITHIN_S)
    report.check(took is not None,
                 f"layers-cap: under {PAUSE_KBPS} kbit/s carol's tiles of alice and bob say video is paused "
                 f"{'after %.1f s' % took if took is not None else 'not within %d s' % PAUSE_WITHIN_S} "
                 f"({_describe(state, senders)}; overlays {state.get('overlays')})")
    before = state.get("audio", {})
    time.sleep(AUDIO_WINDOW_S)
    after = _state(carol).get("audio", {})
    for peer, name in senders.items():
        gained = (after.get(peer) or 0) - (before.get(peer) or 0)
        report.check(before.get(peer) is not None and gained > 0,
                     f"layers-cap: under {PAUSE_KBPS} kbit/s carol still receives {name}'s audio "
                     f"({gained} packets in {AUDIO_WINDOW_S} s)")


def _check_capped(pages, open_figs, capped_figs, report):
    freeze_s = 0.0
    for sender in pages[:2]:
        r = capped_figs["carol"]["received"].get(sender.name)
        if r is None:
            report.check(False, f"layers-cap: carol: no video stats from {sender.name} under the cap")
            freeze_s = None
            continue
        report.check(r["fps"] >= CAPPED_MIN_FPS,
                     f"layers-cap: under the cap carol decodes {sender.name} at {r['fps']:.1f} fps, "
                     f"{r['size'][0]}x{r['size'][1]} (want >= {CAPPED_MIN_FPS} fps)")
        if freeze_s is not None:
            freeze_s = None if r["freeze_s"] is None else freeze_s + r["freeze_s"]
    report.check(freeze_s is not None and freeze_s < CAPPED_MAX_FREEZE_S,
                 f"layers-cap: carol's freezes in the {CAP_WINDOW_S} s window, both videos together: "
                 f"{fmt(freeze_s, '.2f')} s (limit: under {CAPPED_MAX_FREEZE_S} s)")
    _check_top_layer(pages, capped_figs, report, "layers-cap, capped", only_at=["alice", "bob"])
    check_received(pages, capped_figs, "sfu", report, "layers-cap, capped", RECEIVED_FPS_SHARE, MAX_FREEZE_S,
                   only_at=["alice", "bob"], freeze_count_zero=True)
    # The relay serves carol from layers the publishers send anyway: none of them changes.
    for sender in pages[:2]:
        layers_open = (open_figs[sender.name]["sent"].get("relay") or {}).get("layers") or {}
        layers_capped = (capped_figs[sender.name]["sent"].get("relay") or {}).get("layers") or {}
        for rid in ("q", "h", "f"):
            before, during = layers_open.get(rid), layers_capped.get(rid)
            report.check(bool(before and during) and during["kbps"] >= LAYER_KEEPS_SHARE * before["kbps"]
                         and during["size"] == before["size"],
                         f"layers-cap: {sender.name} keeps sending layer {rid} while carol is capped: "
                         f"{fmt(during and during['kbps'])} kbit/s at {during and during['size']} against "
                         f"{fmt(before and before['kbps'])} at {before and before['size']} before "
                         f"(want >= {LAYER_KEEPS_SHARE:.0%}, the same size)")


def _describe(state, senders):
    parts = []
    for peer, name in senders.items():
        layer = _layer(state, peer)
        parts.append(f"{name}: video-layer {layer.get('rid', '-')}{' paused' if layer.get('paused') else ''}, "
                     f"decoded width {_width(state, peer)}")
    return "; ".join(parts)
