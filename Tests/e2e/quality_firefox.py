"""The firefox scenario of the call quality test (test_quality.py): Firefox ESR with one Chromium
in p2p (the reference), then with two Chromium in sfu."""

import secrets

from quality_checks import REFERENCE_MIN_KBPS, SFU_BITRATE_SHARE, check_colours
from quality_figures import figures, fmt, print_table
from quality_pages import P2P_RAMP_S, RAMP_S, WINDOW_S, measure, open_room, wait_in_call
from relay_server import RelayServer


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
    report.check(usable, f"p2p reference: firefox sends {fmt(reference and reference['kbps'])} kbit/s at "
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
    # Firefox publishes one layer (relay-media.js); top_kbps is that layer, as the largest.
    report.check(s is not None and s["top_kbps"] >= SFU_BITRATE_SHARE * reference["kbps"],
                 f"sfu: firefox sends {fmt(s and s['top_kbps'])} kbit/s on its top layer, >= {SFU_BITRATE_SHARE:.0%} "
                 f"of its p2p {reference['kbps']:.0f} kbit/s ({s['size'] if s else '-'}; all layers "
                 f"{fmt(s and s['kbps'])} kbit/s)")
    check_colours(pages, sfu_figs, report, "sfu")
