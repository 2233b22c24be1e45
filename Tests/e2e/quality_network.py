"""The network scenarios of the call quality test (test_quality.py), each with one page in its
own namespace: loss (5 % of the UDP that page receives dropped), uplink (that page's uplink
capped at 600 kbit/s) and poor (30 % dropped: the page must say its connection is poor)."""

import secrets
import time

from quality_checks import MAX_FREEZE_S, RECEIVED_FPS_SHARE, check_colours, check_received
from quality_figures import figures, fmt, print_table
from quality_pages import WINDOW_S, measure, open_room, wait_in_call
from relay_server import RelayServer

LOSS_RAMP_S = 12
LOSS_WINDOW_S = 20
UPLINK_RAMP_S = 20
LOSS_PERCENT = 5
LOSSY_MAX_FREEZE_S = 1.0
LOSSY_FPS_SHARE = 0.80
UPLINK_CAP_KBPS = 600
UPLINK_MIN_KBPS = 200
UPLINK_MAX_FREEZE_S = 1.0
UPLINK_FPS_SHARE = 0.80
POOR_LOSS_PERCENT = 30
POOR_WITHIN_S = 20

# Every text the connection line shows from now on, kept in the page for LINES_SEEN_JS: a state
# can last less than a poll.
WATCH_LINE_JS = """(async function watchLine() {
    const line = document.getElementById('transport-state');
    window.linesSeen = [line.textContent];
    new MutationObserver(() => window.linesSeen.push(line.textContent))
        .observe(line, {childList: true, characterData: true, subtree: true});
    return true;
})"""
LINES_SEEN_JS = """(async function linesSeen() { return window.linesSeen || []; })"""

# What the page says of its connections: the connection line, and the verdict behind it.
CONNECTION_LINE_JS = """(async function connectionLine() {
    const call = window.relayCall;
    return {line: document.getElementById('transport-state').textContent,
            quality: call.connectionQuality()};
})"""


def server_for(space, relay_bin, relay_root, run):
    """The relay on the namespace's host-side address, announced there: every page, on the host
    or in the namespace, reaches it at the same address."""
    server = RelayServer(relay_bin, relay_root, announced_ip=space.host_ip, http_host=space.host_ip)
    run.server = server
    return server


def scenario_loss(relay_bin, relay_root, run, report):
    space = run.namespace("lo")
    space.drop_incoming_udp(LOSS_PERCENT)
    server = server_for(space, relay_bin, relay_root, run)
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
    # The repair itself: carol asked for what she lost and the relay resent it on her RTX stream.
    for sender in ("alice", "bob"):
        r = figs["carol"]["received"][sender]
        if r:
            report.check((r["nacks"] or 0) > 0 and (r["rtx"] or 0) > 0,
                         f"loss: carol sent {r['nacks']} NACKs for {sender}'s video and received "
                         f"{r['rtx']} retransmissions of it")
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
                 f"loss: carol's freezes in the window, both videos together: {fmt(freeze_s, '.2f')} s "
                 f"(limit: under {LOSSY_MAX_FREEZE_S} s)")
    check_received(pages, figs, "sfu", report, "loss", RECEIVED_FPS_SHARE, MAX_FREEZE_S, only_at=["alice", "bob"],
                   freeze_count_zero=True)
    check_colours(pages, figs, report, "loss")


def scenario_uplink(relay_bin, relay_root, run, report):
    space = run.namespace("up")
    space.cap_uplink(UPLINK_CAP_KBPS)
    server = server_for(space, relay_bin, relay_root, run)
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
                     f"limitation {s['limitation']}, available {fmt(s['available_kbps'])} kbit/s")
    check_received(pages, figs, "sfu", report, "uplink", UPLINK_FPS_SHARE, UPLINK_MAX_FREEZE_S,
                   only_from=["alice"])


def scenario_poor(relay_bin, relay_root, run, report):
    space = run.namespace("pr")
    server = server_for(space, relay_bin, relay_root, run)
    print(f"== poor at {server.base_url}; carol in {space.name} will lose {POOR_LOSS_PERCENT} % of the UDP she "
          f"receives", flush=True)
    pages = [run.chromium("alice", server.base_url), run.chromium("carol", server.base_url, netns_=space)]
    alice, carol = pages
    open_room(pages, server.base_url, f"q-poor-{secrets.token_hex(3)}", "sfu")
    if not wait_in_call(pages, "sfu", report):
        return
    time.sleep(4)  # two readings of a clean path
    before = {p.name: p.browser.run_async_js(CONNECTION_LINE_JS) for p in pages}
    report.check(not any("poor" in before[name]["line"] for name in before),
                 f"poor: on a clean path no one's connection is called poor ({before['carol']['line']!r})")
    space.drop_incoming_udp(POOR_LOSS_PERCENT)
    started = time.monotonic()
    said = None
    while time.monotonic() - started < POOR_WITHIN_S:
        time.sleep(1)
        now = carol.browser.run_async_js(CONNECTION_LINE_JS)
        if "subscribe: connected" in now["line"] and "poor" in now["line"]:
            said = (time.monotonic() - started, now)
            break
    if said is None:
        report.check(False, f"poor: carol's page says her connection is poor within {POOR_WITHIN_S} s "
                            f"({now['line']!r}; {now['quality']})")
        return
    seconds, now = said
    subscribe = next((q for q in now["quality"] if q["role"] == "subscribe"), {})
    report.check(True, f"poor: carol's page says her connection is poor {seconds:.0f} s after the loss began: "
                       f"{now['line']!r}")
    report.check(subscribe.get("poor") is True,
                 f"poor: it is her subscribe connection, which loses what she receives ({subscribe})")
    other = alice.browser.run_async_js(CONNECTION_LINE_JS)
    report.check("poor" not in other["line"], f"poor: alice's line does not say poor ({other['line']!r})")
