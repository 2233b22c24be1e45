"""The bitrate scenario of the call quality test (test_quality.py): two Chromium in a p2p room
(the reference), then the same two and a third in an sfu room, on one relay.

Through the relay a 640x480 camera goes out as two simulcast layers, h (320x240) and f (640x480).
What compares with a direct call is the top layer: it is what a subscriber on a good link gets,
at the size a direct call sends; all layers together would count the lower ones that nobody on
a good link receives. So each publisher's layer f must carry >= 85 % of the p2p bitrate, and every
page must receive every other at 640x480."""

import secrets

from quality_checks import (FRAME_SIZE, MAX_FREEZE_S, RECEIVED_FPS_SHARE, REFERENCE_MIN_KBPS, SFU_BITRATE_SHARE,
                            check_colours, check_received)
from quality_figures import figures, fmt, print_layers, print_table
from quality_pages import P2P_RAMP_S, RAMP_S, WINDOW_S, measure, open_room, wait_in_call
from relay_server import RelayServer


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
                         f"p2p reference: {p.name} -> {to} sends {fmt(s and s['kbps'])} kbit/s at "
                         f"{s and s['size']} (a usable reference: >= {REFERENCE_MIN_KBPS} kbit/s at 640x480)")
            # A connection to one other page has nobody to pick a layer for it: one stream, no rid.
            report.check(s is not None and s["rids"] == [""],
                         f"p2p: {p.name} -> {to} sends one video stream without simulcast "
                         f"(rids of the streams sent: {s and s['rids']})")
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
    print_layers(sfu_pages, sfu_figs)
    report.note(f"p2p reference: {reference_kbps:.0f} kbit/s (mean of {len(reference)} senders)")
    for p in sfu_pages:
        s = sfu_figs[p.name]["sent"]["relay"]
        if s is None:
            report.check(False, f"sfu: {p.name}: no outbound video stats")
            continue
        report.check(s["top_kbps"] >= SFU_BITRATE_SHARE * reference_kbps,
                     f"sfu: {p.name} sends {s['top_kbps']:.0f} kbit/s on its top layer, >= {SFU_BITRATE_SHARE:.0%} "
                     f"of the p2p {reference_kbps:.0f} kbit/s ({s['top_kbps'] / reference_kbps:.0%}; all layers "
                     f"{s['kbps']:.0f} kbit/s; available {fmt(s['available_kbps'])} kbit/s)")
        report.check(s["size"] == FRAME_SIZE,
                     f"sfu: {p.name}'s top layer is {s['size'][0]}x{s['size'][1]} (p2p: 640x480)")
        report.check(s["limitation"] == "none",
                     f"sfu: {p.name}: qualityLimitationReason {s['limitation']} (want none; "
                     f"limited in the window: {s['limited_s'] or 'never'})")
    for p in sfu_pages:
        for sender, r in sfu_figs[p.name]["received"].items():
            size = r and r["size"]
            report.check(size == FRAME_SIZE, f"sfu: {p.name} receives {sender} at {size} (p2p: 640x480)")
    check_received(sfu_pages, sfu_figs, "sfu", report, "sfu", RECEIVED_FPS_SHARE, MAX_FREEZE_S, freeze_count_zero=True)
    check_colours(sfu_pages, sfu_figs, report, "sfu")
