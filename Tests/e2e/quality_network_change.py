"""The network-change scenarios of the call quality test (test_quality.py): mid-call, carol's
machine moves to another network — a second link comes up with its own address and takes the
default route, and the first stops carrying UDP — as when a laptop goes from Wi-Fi to a phone's
hotspot. Her connections lose their path; the page restarts ICE and the call goes on: the same
participant (no rejoin), video again both ways, from her new address.

network-change: through the relay (sfu; both her publish and subscribe connections restart);
network-change-p2p: a direct call (her connection to alice restarts through perfect negotiation).
"""

import secrets
import time

from quality_network import LINES_SEEN_JS, WATCH_LINE_JS
from quality_pages import open_room, wait_in_call
from relay_server import RelayServer

POLL_S = 0.5
GIVE_UP_S = 40  # from the change: Chromium's 'disconnected', the page's 3 s wait, a retry or two
RESUME_AFTER_RESTART_S = 5  # from the page's first restart to video decoded both ways again
RESUME_AFTER_CHANGE_S = 10  # from the change itself: noticing the loss (about 3 s) included
FLOW_WINDOW_S = 5  # after video resumed: it keeps coming at a rate a viewer would call smooth
MIN_FPS = 10  # the fake camera sends 15 fps


def _frames(stats, peer_id):
    return sum(s.get("framesDecoded") or 0 for s in stats.get("inbound", {}).get(peer_id, []))


def _addresses(stats):
    return sorted({p["localAddress"] for p in stats.get("pairs", []) if p.get("localAddress")})


def scenario_network_change(relay_bin, relay_root, run, report):
    _network_change(relay_bin, relay_root, run, report, "sfu")


def scenario_network_change_p2p(relay_bin, relay_root, run, report):
    _network_change(relay_bin, relay_root, run, report, "p2p")


def _network_change(relay_bin, relay_root, run, report, mode):
    label = f"network change ({mode})"
    space = run.namespace("nc")
    spare_host_ip = space.add_spare_link()
    # Signaling on the first link's host address (TCP, which the change leaves alone); media
    # announced on the spare link's host address, which carol reaches through whichever link
    # carries her default route. The media socket is bound to every address: its answers must
    # still come from the announced one the pages check, where the kernel's route would pick
    # the address facing the page.
    server = RelayServer(relay_bin, relay_root, announced_ip=spare_host_ip, http_host=space.host_ip)
    run.server = server
    print(f"== {label} at {server.base_url}, relay media at {spare_host_ip}:{server.media_port}; carol in "
          f"{space.name} at {space.ns_ip}, moving to {space.spare_ns_ip}", flush=True)
    alice = run.chromium("alice", server.base_url)
    carol = run.chromium("carol", server.base_url, netns_=space)
    pages = [alice, carol]
    open_room(pages, server.base_url, f"q-move-{secrets.token_hex(3)}", mode)
    if not wait_in_call(pages, mode, report):
        return
    alice_id, carol_id = alice.stats["selfId"], carol.stats["selfId"]
    report.note(f"{label}: carol sends from {_addresses(carol.stats)} before the change")

    for page in pages:
        page.browser.run_async_js(WATCH_LINE_JS)
    changed = time.time()
    space.switch_to_spare_link()
    stalled_at = resumed_at = None
    # Video in each direction: carol from alice (through the relay: her subscribe connection),
    # alice from carol (her publish connection).
    previous = (_frames(carol.stats, alice_id), _frames(alice.stats, carol_id))
    back = [None, None]
    while time.time() - changed < GIVE_UP_S:
        time.sleep(POLL_S)
        carol.read()
        alice.read()
        frames = (_frames(carol.stats, alice_id), _frames(alice.stats, carol_id))
        moving = [frames[i] > previous[i] for i in (0, 1)]
        previous = frames
        if stalled_at is None:
            if not all(moving):
                stalled_at = time.time()
            continue
        for i in (0, 1):
            if moving[i] and back[i] is None:
                back[i] = time.time()
        if None not in back:
            resumed_at = max(back)
            break

    # Through the relay carol's page must restart both its connections; a direct connection is
    # repaired by whichever end restarts first (the other's restart then finds it healthy).
    restarts = carol.stats.get("iceRestarts", []) + (alice.stats.get("iceRestarts", []) if mode == "p2p" else [])
    restarts.sort(key=lambda r: r["at"])
    first_restart = restarts[0]["at"] / 1000 - changed if restarts else None
    report.note(f"{label}: video stopped {_since(stalled_at, changed)}, the first ICE restart "
                f"{'at ' + format(first_restart, '.1f') + ' s' if first_restart is not None else 'never'} "
                f"({', '.join(sorted({r['role'] for r in restarts})) or 'none'}; {len(restarts)} in all), "
                f"video both ways again {_since(resumed_at, changed)} after the change (carol from alice "
                f"{_since(back[0], changed)}, alice from carol {_since(back[1], changed)})")
    report.check(stalled_at is not None,
                 f"{label}: the change cut the old path (video stopped {_since(stalled_at, changed)} after it)")
    # The page that restarted says so: carol's through the relay, either one in a direct call.
    watched = [carol] if mode == "sfu" else pages
    lines = [line for page in watched for line in page.browser.run_async_js(LINES_SEEN_JS)]
    finding = next((line for line in lines if "finding a new network path" in line), None)
    report.check(finding is not None, f"{label}: the restarting page's connection line said so meanwhile ({finding!r})")
    expected_roles = {"publish", "subscribe"} if mode == "sfu" else {"p2p"}
    report.check(expected_roles <= {r["role"] for r in restarts},
                 f"{label}: {'carol' if mode == 'sfu' else 'a'} page restarted ICE on {', '.join(sorted(expected_roles))}")
    report.check(resumed_at is not None and first_restart is not None
                 and resumed_at - changed - first_restart <= RESUME_AFTER_RESTART_S,
                 f"{label}: video flows both ways again within {RESUME_AFTER_RESTART_S} s of the restart "
                 f"({_between(first_restart, resumed_at, changed)})")
    report.check(resumed_at is not None and resumed_at - changed <= RESUME_AFTER_CHANGE_S,
                 f"{label}: and within {RESUME_AFTER_CHANGE_S} s of the change ({_since(resumed_at, changed)})")
    if resumed_at is None:
        return

    # The same call: no rejoin, no reconnection of the signaling socket, the same ids.
    window_start = {p.name: p.read() for p in pages}
    time.sleep(FLOW_WINDOW_S)
    end = {p.name: p.read() for p in pages}
    report.check(end["carol"].get("selfId") == carol_id and carol_id in end["alice"].get("peers", {})
                 and not end["carol"].get("reconnections"),
                 f"{label}: carol is the same participant (id {carol_id}), no rejoin and no reconnection")
    addresses = _addresses(end["carol"])
    report.check(addresses and all(a == space.spare_ns_ip for a in addresses),
                 f"{label}: carol's connections send from her new address {space.spare_ns_ip} ({addresses})")
    for viewer, sender, sender_id in (("carol", "alice", alice_id), ("alice", "carol", carol_id)):
        seconds = (end[viewer]["now"] - window_start[viewer]["now"]) / 1000
        fps = (_frames(end[viewer], sender_id) - _frames(window_start[viewer], sender_id)) / seconds
        report.check(fps >= MIN_FPS, f"{label}: {viewer} decodes {sender} at {fps:.1f} fps after the change "
                                     f"(at least {MIN_FPS})")
    report.check(all(p.stats.get("state") == "connected" for p in pages),
                 f"{label}: both pages say connected ({[p.stats.get('state') for p in pages]})")


def _since(moment, origin):
    return "never" if moment is None else f"{moment - origin:.1f} s"


def _between(first_restart, resumed_at, changed):
    if first_restart is None or resumed_at is None:
        return "no restart" if first_restart is None else "never resumed"
    return f"{resumed_at - changed - first_restart:.1f} s after it"
