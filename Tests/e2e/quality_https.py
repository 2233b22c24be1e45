"""The https scenario of the call quality test (test_quality.py): a page on another machine — a
browser in its own network namespace, reaching the server at an address that is not its own
loopback — joins over HTTPS, with the self-signed certificate the relay made on first start,
as a user does after accepting it once. Browsers give the camera and microphone to secure
pages only: over plain HTTP this page could not capture at all, so the server sends a call page
asked for over plain HTTP by a name that is not loopback to its HTTPS; carol types the plain
address and lands there."""

import secrets

from quality_checks import MAX_FREEZE_S, RECEIVED_FPS_SHARE, check_colours, check_received
from quality_figures import figures, print_table
from quality_pages import WINDOW_S, measure, open_room, wait_in_call
from relay_server import RelayServer

RAMP_S = 8


def scenario_https(relay_bin, relay_root, run, report):
    space = run.namespace("tls")
    server = RelayServer(relay_bin, relay_root, announced_ip=space.host_ip, http_host=space.host_ip, https=True)
    run.server = server
    print(f"== https: carol in {space.name} opens {server.base_url}, alice and bob {server.https_url}", flush=True)
    logged = [line for line in server.log_tail(60) if "self-signed certificate made now" in line]
    report.check(bool(logged), "https: the relay made a self-signed certificate on its first start and logged it")
    pages = [run.chromium("alice", server.https_url), run.chromium("bob", server.https_url),
             run.chromium("carol", server.https_url, netns_=space)]
    open_room(pages, server.https_url, f"q-https-{secrets.token_hex(3)}", "sfu", urls={"carol": server.base_url})
    carol = pages[2]
    origin = carol.browser.run_async_js("() => [location.origin, window.isSecureContext]")
    report.check(origin == [server.https_url, True],
                 f"https: carol, who opened {server.base_url}, is at {origin[0] if origin else None}, a secure "
                 f"context: {origin[1] if origin else None}")
    if not wait_in_call(pages, "sfu", report):
        return
    figs = figures(pages, measure(pages, RAMP_S, WINDOW_S, report, "https"), "sfu")
    print_table("sfu over HTTPS, carol from another address", pages, figs)
    check_received(pages, figs, "sfu", report, "https", RECEIVED_FPS_SHARE, MAX_FREEZE_S, freeze_count_zero=True)
    check_colours(pages, figs, report, "https")
