#!/usr/bin/env python3
"""Browser end-to-end tests of the call modes, on headless Chromium with fake devices.

- p2p: two pages in a p2p room decode each other's video over one direct connection whose
  selected candidate pair joins the two browsers (never the relay's port); a chat message goes
  over the data channel both ways.
- auto: two pages start direct; a third joins and within 5 s of the switch all three decode all
  remote video through the relay; the late joiner got the chat said before it came (history);
  the third leaves and the other two go direct again and keep decoding.
- fallback: the relay announces 127.0.0.1 but its media sockets listen on 127.0.0.2, so its
  media port cannot be reached; two pages in an auto room connect directly, and when a third
  joins and the room moves to the relay, the clients report the failure and the room continues
  directly for all three.
- turn: Debian's coturn on loopback with `use-auth-secret`; the relay given its URL without
  credentials and the shared secret (`--turn-secret-file`), so each page gets credentials of its
  own in `joined`; two pages in p2p forced through TURN (`?ice=relay`) decode each other's video,
  each end's selected pair on a relayed candidate of coturn, the connection line saying `via
  TURN`; coturn logged the allocations.
- reconnect: two pages in an sfu room; alice's signaling socket is closed under her: her page
  says `reconnecting`, resumes as the same participant within 5 s, and bob's tile of her is
  never replaced (no peer-left or peer-joined); video keeps flowing both ways. Then the server
  is restarted on the same ports and data folder: both pages join the room again by themselves
  within 10 s of the server being back, in sfu, see the chat said before the restart replayed,
  and decode each other again.

    python3 Tests/e2e/test_modes.py --relay-bin PATH [--scenario p2p|auto|fallback|turn|reconnect ...]

Exits non-zero if any check fails. Every process the run starts is stopped by PID at the end.
"""

import os
import secrets
import sys
import time
import traceback
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import processes  # noqa: E402
from browsers import Chromium  # noqa: E402
from coturn import Coturn  # noqa: E402
from relay_server import RelayServer  # noqa: E402
from test_sfu_call import LEAVE_JS, Participant, Report, print_diagnostics, run_guarded, scenario_arguments  # noqa: E402

CONNECT_TIMEOUT_S = 30
SWITCH_LIMIT_MS = 5000
MEASURE_S = 3
# The relay's media sockets listen on 127.0.0.2 while it announces 127.0.0.1: its candidate
# answers nothing, and every check stays on loopback.
UNREACHABLE_MEDIA = ("--media-listen-ip", "127.0.0.2")

SEND_CHAT_JS = "async (text) => { const entry = window.relayCall.sendChat(text); return entry ? entry.id : null; }"
# A dropped connection as the page sees it: its socket closes without a `leave` (resolved once
# the page has seen the close).
DROP_SIGNALING_JS = """async () => {
    const socket = window.relayCall.signaling.socket;
    const closed = new Promise((resolve) => socket.addEventListener('close', resolve, { once: true }));
    socket.close(4000, 'e2e');
    await closed;
}"""
# Marks the tile of a participant, to see later that it is the same element (not removed by a
# peer-left and made again by a peer-joined).
MARK_TILE_JS = """async (peerId) => {
    const tile = document.querySelector(`#remotes [data-peer-id="${CSS.escape(peerId)}"]`);
    if (tile) tile.dataset.e2eMark = 'kept';
    return !!tile;
}"""
TILE_MARK_JS = """async (peerId) => {
    const tile = document.querySelector(`#remotes [data-peer-id="${CSS.escape(peerId)}"]`);
    return tile ? (tile.dataset.e2eMark ?? 'replaced') : 'gone';
}"""
STATE_JS = "async () => window.relayCall.state"
RESUME_LIMIT_S = 5
REJOIN_LIMIT_S = 10


def open_page(base_url, room, name, mode, report, **extra_query):
    launched = time.monotonic()
    participant = Participant(name, Chromium(f"{name} (chromium)"))
    query = urlencode({"name": name, "mode": mode, "autojoin": 1, **extra_query})
    participant.browser.open(f"{base_url}/call/{room}?{query}")
    report.note(f"{name}: chromium started and page open in {time.monotonic() - launched:.1f} s")
    return participant


def others(participant, everyone):
    return {p.stats["selfId"]: p.name for p in everyone if p is not participant}


def direct_unmet(p, everyone):
    """Why p does not yet receive video from everyone else over direct connections."""
    stats, reasons = p.stats, []
    if stats["mode"] != "p2p":
        reasons.append(f"mode {stats['mode']}")
    expected = others(p, everyone)
    if stats["peers"] != expected:
        reasons.append(f"peers {stats['peers']}")
    connections = {c["peer"]: c for c in stats["connections"] if c["role"] == "p2p"}
    for peer_id, name in expected.items():
        connection = connections.get(peer_id)
        if not connection or connection["connectionState"] != "connected" or not connection["pair"]:
            reasons.append(f"no direct connection to {name}")
        if not stats["remotes"].get(peer_id, {}).get("videoFramesDecoded"):
            reasons.append(f"no video decoded from {name}")
    return reasons


def relayed_unmet(p, everyone):
    """Why p does not yet receive video from everyone else through the relay."""
    stats, reasons = p.stats, []
    if stats["mode"] != "sfu":
        reasons.append(f"mode {stats['mode']}")
    roles = sorted(c["role"] for c in stats["connections"] if c["connectionState"] == "connected")
    if roles != ["publish", "subscribe"]:
        reasons.append(f"connected: {roles}")
    for peer_id, name in others(p, everyone).items():
        if not stats["remotes"].get(peer_id, {}).get("videoFramesDecoded"):
            reasons.append(f"no video decoded from {name}")
    return reasons


def wait_until(participants, unmet, what, report, timeout=CONNECT_TIMEOUT_S):
    """Polls every page until `unmet` finds nothing missing; returns the seconds it took or None."""
    started = time.monotonic()
    while True:
        for p in participants:
            p.read_stats()
        ready = all(p.stats["selfId"] for p in participants)
        waiting = {p.name: unmet(p, participants) for p in participants} if ready else {"all": ["no selfId"]}
        waiting = {name: reasons for name, reasons in waiting.items() if reasons}
        elapsed = time.monotonic() - started
        if not waiting or elapsed > timeout:
            break
        time.sleep(0.25)
    report.check(not waiting, f"{what} ({elapsed:.1f} s)")
    for name, reasons in waiting.items():
        report.note(f"{name}: {'; '.join(reasons)}")
    return None if waiting else elapsed


def check_rising(participants, report):
    """Video frames decoded and audio packets received from every other page keep rising."""
    before = {p.name: p.read_stats() for p in participants}
    time.sleep(MEASURE_S)
    for p in participants:
        start, end = before[p.name], p.read_stats()
        seconds = end["readAt"] - start["readAt"]
        for peer_id, name in others(p, participants).items():
            for key, what in (("videoFramesDecoded", "video frames decoded"),
                              ("audioPacketsReceived", "audio packets received")):
                x = start["remotes"].get(peer_id, {}).get(key)
                y = end["remotes"].get(peer_id, {}).get(key)
                rising = x is not None and y is not None and y > x
                rate = f", {(y - x) / seconds:.1f}/s" if rising else ""
                report.check(rising, f"{p.name} ({end['mode']}): {what} from {name}: {x} -> {y} in {seconds:.1f} s{rate}")


def describe(pair):
    local, remote = pair.get("local") or {}, pair.get("remote") or {}
    return (f"{local.get('address')}:{local.get('port')} ({local.get('type')}) -> "
            f"{remote.get('address')}:{remote.get('port')} ({remote.get('type')})")


def direct_pairs(participants, media_port):
    """(ok, text) for each direct connection: its selected pair joins the two browsers (A's remote
    candidate is B's local one and the other way round) and no end is the relay's media port."""
    by_peer = {p.stats["selfId"]: {c["peer"]: c for c in p.stats["connections"] if c["role"] == "p2p"}
               for p in participants}
    results = []
    for p in participants:
        for peer_id, name in others(p, participants).items():
            mine = (by_peer[p.stats["selfId"]].get(peer_id) or {}).get("pair") or {}
            theirs = (by_peer[peer_id].get(p.stats["selfId"]) or {}).get("pair") or {}
            local, remote = mine.get("local") or {}, mine.get("remote") or {}
            their_local = theirs.get("local") or {}
            joined = (remote.get("port") == their_local.get("port") and remote.get("address") == their_local.get("address")
                      and local.get("port") not in (None, media_port) and remote.get("port") not in (None, media_port))
            results.append((joined, f"{p.name} -> {name}: the selected pair joins the two browsers, not the relay's "
                                    f"port {media_port}: {describe(mine)}; {name}'s local end "
                                    f"{their_local.get('address')}:{their_local.get('port')}"))
    return results


def check_direct_pairs(participants, media_port, report):
    # Right after connecting, ICE may still move to a better pair, and the two ends' stats are
    # read at different moments: read again until both ends agree, for a few seconds.
    deadline = time.monotonic() + 5
    while True:
        for p in participants:
            p.read_stats()
        results = direct_pairs(participants, media_port)
        if all(ok for ok, _ in results) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    for ok, text in results:
        report.check(ok, text)


def check_relay_pairs(participants, media_port, report):
    for p in participants:
        for c in p.stats["connections"]:
            remote = (c["pair"] or {}).get("remote") or {}
            report.check(remote.get("port") == media_port,
                         f"{p.name}: {c['role']} pc ends at the relay's port {media_port}: {describe(c['pair'] or {})}")


def check_datachannel_chat(participants, report):
    pending = {p.name: [c for c in p.stats["connections"] if c["channel"] != "open"] for p in participants}
    deadline = time.monotonic() + 10
    while any(pending.values()) and time.monotonic() < deadline:
        time.sleep(0.2)
        pending = {p.name: [c for c in p.read_stats()["connections"] if c["channel"] != "open"] for p in participants}
    report.check(not any(pending.values()), "every data channel is open")
    texts = {p.name: f"hello over the data channel from {p.name} {secrets.token_hex(3)}" for p in participants}
    sent_at = time.monotonic()
    for p in participants:
        p.browser.run_async_js(SEND_CHAT_JS, texts[p.name])
    for p in participants:
        for sender in participants:
            if sender is p:
                continue
            entry = None
            while time.monotonic() < sent_at + 5:
                entry = next((e for e in p.read_stats()["chatLog"] if e["text"] == texts[sender.name]), None)
                if entry and "datachannel" in entry["via"]:
                    break
                time.sleep(0.1)
            report.check(bool(entry) and "datachannel" in entry["via"] and entry["name"] == sender.name,
                         f"{p.name}: chat from {sender.name} arrived over the data channel: {entry}")


def scenario_p2p(base_url, media_port, report, pages):
    room = f"p2p-{secrets.token_hex(4)}"
    for name in ("alice", "bob"):
        pages.append(open_page(base_url, room, name, "p2p", report))
    if wait_until(pages, direct_unmet, "both pages decode each other's video directly", report) is None:
        return
    check_rising(pages, report)
    check_direct_pairs(pages, media_port, report)
    check_datachannel_chat(pages, report)


def switch_time_ms(participants, mode, reason):
    """From the first page's move to `mode` until the last page was seen receiving everyone: the
    page clocks are the machine's, so the times compare."""
    starts = [c["at"] for p in participants for c in p.stats["modeChanges"] if c["mode"] == mode and c["reason"] == reason]
    return max(p.stats["now"] for p in participants) - min(starts) if starts else None


def scenario_auto(base_url, media_port, report, pages):
    room = f"auto-{secrets.token_hex(4)}"
    for name in ("alice", "bob"):
        pages.append(open_page(base_url, room, name, "auto", report))
    if wait_until(pages, direct_unmet, "two pages in auto start direct", report) is None:
        return
    check_direct_pairs(pages, media_port, report)
    said = f"said before carol came {secrets.token_hex(3)}"
    pages[0].browser.run_async_js(SEND_CHAT_JS, said)

    pages.append(open_page(base_url, room, "carol", "auto", report))
    if wait_until(pages, relayed_unmet, "a third joins: all three decode all remote video through the relay", report) is None:
        return
    elapsed = switch_time_ms(pages[:2], "sfu", "grew")
    report.check(elapsed is not None and elapsed <= SWITCH_LIMIT_MS,
                 f"media through the relay on every page {elapsed} ms after the switch (limit {SWITCH_LIMIT_MS} ms)")
    check_rising(pages, report)
    check_relay_pairs(pages, media_port, report)
    history = [e for e in pages[2].stats["chatLog"] if e["text"] == said]
    report.check(len(history) == 1 and history[0]["history"] and history[0]["name"] == "alice",
                 f"carol, who came late, got the chat said before: {history}")

    carol = pages.pop()
    carol.browser.run_async_js(LEAVE_JS)
    if wait_until(pages, direct_unmet, "the third leaves: the other two go direct again", report) is None:
        carol.browser.quit()
        return
    carol.browser.quit()
    elapsed = switch_time_ms(pages, "p2p", "shrank")
    report.note(f"direct media on both pages {elapsed} ms after the move back")
    check_rising(pages, report)
    check_direct_pairs(pages, media_port, report)


def scenario_fallback(base_url, media_port, report, pages):
    room = f"fallback-{secrets.token_hex(4)}"
    for name in ("alice", "bob"):
        pages.append(open_page(base_url, room, name, "auto", report))
    if wait_until(pages, direct_unmet, "with the relay unreachable, two pages in auto connect directly", report) is None:
        return
    check_direct_pairs(pages, media_port, report)
    pages.append(open_page(base_url, room, "carol", "auto", report))
    if wait_until(pages, direct_unmet, "a third joins: the relay cannot be reached, and the room continues directly", report) is None:
        return
    for p in pages:
        changes = [(c["mode"], c["reason"]) for c in p.stats["modeChanges"]]
        report.check(("p2p", "relay-unreachable") in changes, f"{p.name}: told the room went direct: {changes}")
    check_rising(pages, report)
    check_direct_pairs(pages, media_port, report)


TURN_CREDENTIALS_JS = "async () => window.relayCall.iceServers"


def scenario_turn(base_url, media_port, report, pages, coturn):
    room = f"turn-{secrets.token_hex(4)}"
    for name in ("alice", "bob"):
        pages.append(open_page(base_url, room, name, "p2p", report, ice="relay"))
    if wait_until(pages, direct_unmet, "two pages in p2p, forced through TURN, decode each other's video", report) is None:
        return
    check_rising(pages, report)
    for p in pages:
        servers = p.browser.run_async_js(TURN_CREDENTIALS_JS)
        mine = [s for s in servers if any(u.startswith("turn:") for u in s["urls"])]
        username = (mine[0].get("username") or "") if mine else ""
        expiry, _, owner = username.partition(":")
        report.check(len(mine) == 1 and owner == p.stats["selfId"] and expiry.isdigit() and int(expiry) > time.time()
                     and mine[0].get("credential"),
                     f"{p.name}: joined gave TURN credentials of its own, valid until a later time: {username}")
        for c in p.stats["connections"]:
            pair = c["pair"] or {}
            local, remote = pair.get("local") or {}, pair.get("remote") or {}
            report.check(local.get("type") == "relay" and remote.get("type") == "relay",
                         f"{p.name}: {c['role']} pc goes through coturn, relayed candidates at both ends: {describe(pair)}")
    for p in pages:
        line = p.browser.run_async_js("() => document.getElementById('transport-state').textContent")
        report.check("via TURN" in line, f"{p.name}: the connection line says the call goes via TURN: {line!r}")
    allocations = coturn.allocations()
    report.check(allocations >= 2, f"coturn logged {allocations} allocations made with a minted credential")


def reconnection_counts(participants):
    return {p.name: len(p.read_stats()["reconnections"]) for p in participants}


def wait_reconnected(participants, before, outcome, report, limit_s):
    """Polls until each page has reconnected once more than `before` (counts by name), that
    reconnection ended with `outcome`, and it is back in the call with the others; returns the
    seconds it took or None."""
    count = {name: n + 1 for name, n in before.items()}
    started = time.monotonic()
    while True:
        for p in participants:
            p.read_stats()
        waiting = {}
        for p in participants:
            log = p.stats["reconnections"]
            if len(log) < count[p.name] or log[count[p.name] - 1]["outcome"] != outcome:
                waiting[p.name] = [f"reconnections {log}"]
            elif p.stats["selfId"]:
                reasons = relayed_unmet(p, participants)
                if p.stats["state"] != "connected":
                    reasons.append(f"state {p.stats['state']}")
                if reasons:
                    waiting[p.name] = reasons
        elapsed = time.monotonic() - started
        if not waiting or elapsed > limit_s + 20:
            break
        time.sleep(0.2)
    for name, reasons in waiting.items():
        report.note(f"{name}: {'; '.join(reasons)}")
    return None if waiting else elapsed


def scenario_reconnect(base_url, media_port, report, pages, server):
    room = f"reconnect-{secrets.token_hex(4)}"
    for name in ("alice", "bob"):
        pages.append(open_page(base_url, room, name, "sfu", report))
    if wait_until(pages, relayed_unmet, "two pages in sfu decode each other through the relay", report) is None:
        return
    alice, bob = pages
    alice_id = alice.stats["selfId"]
    report.check(bob.browser.run_async_js(MARK_TILE_JS, alice_id), "bob shows alice's tile")
    said = f"said before the restart {secrets.token_hex(3)}"
    alice.browser.run_async_js(SEND_CHAT_JS, said)

    before = reconnection_counts([alice])
    alice.browser.run_async_js(DROP_SIGNALING_JS)
    state = alice.browser.run_async_js(STATE_JS)
    report.check(state == "reconnecting", f"alice's page says it is reconnecting: {state}")
    elapsed = wait_reconnected([alice], before, "resumed", report, RESUME_LIMIT_S)
    report.check(elapsed is not None and elapsed <= RESUME_LIMIT_S,
                 f"alice resumed her place after her socket dropped, in {elapsed if elapsed is None else round(elapsed, 1)} s "
                 f"(limit {RESUME_LIMIT_S} s)")
    report.check(alice.stats["selfId"] == alice_id, f"alice is the same participant: {alice.stats['selfId']} (was {alice_id})")
    mark = bob.browser.run_async_js(TILE_MARK_JS, alice_id)
    report.check(mark == "kept", f"bob's tile of alice was never removed or made again (no peer-left, no peer-joined): {mark}")
    check_rising(pages, report)

    before = reconnection_counts(pages)
    restarted = time.monotonic()
    server.restart()
    back = time.monotonic()
    report.note(f"the server restarted in {back - restarted:.1f} s")
    elapsed = wait_reconnected(pages, before, "rejoined", report, REJOIN_LIMIT_S)
    report.check(elapsed is not None and elapsed <= REJOIN_LIMIT_S,
                 f"both pages joined the room again by themselves {elapsed if elapsed is None else round(elapsed, 1)} s "
                 f"after the server was back (limit {REJOIN_LIMIT_S} s)")
    for p in pages:
        p.read_stats()
        report.check(p.stats["mode"] == "sfu", f"{p.name} is back in sfu: {p.stats['mode']}")
        entry = next((e for e in p.stats["chatLog"] if e["text"] == said), None)
        report.check(bool(entry) and "history" in entry["via"],
                     f"{p.name} got the chat said before the restart replayed: {entry}")
    check_rising(pages, report)


SCENARIOS = {
    "p2p": (scenario_p2p, {}),
    "auto": (scenario_auto, {}),
    "fallback": (scenario_fallback, {"extra_args": UNREACHABLE_MEDIA}),
    "turn": (scenario_turn, {"turn": True}),
    "reconnect": (scenario_reconnect, {"server": True}),
}


def run_scenario(name, relay_bin, relay_root, report):
    run, server_options = SCENARIOS[name]
    server_options = dict(server_options)
    wants_server = server_options.pop("server", False)
    coturn = None
    if server_options.pop("turn", False):
        coturn = Coturn()
        server_options["extra_args"] = ("--ice-server", coturn.url, "--turn-secret-file", coturn.secret_file)
        run = (lambda scenario: lambda *args: scenario(*args, coturn))(run)
    try:
        server = RelayServer(relay_bin, relay_root, **server_options)
    except BaseException:
        if coturn:
            coturn.stop()
        raise
    if wants_server:
        run = (lambda scenario: lambda *args: scenario(*args, server))(run)
    print(f"== {name} at {server.base_url}, relay media port {server.media_port}", flush=True)
    failures_before = report.failures
    pages = []
    try:
        run(server.base_url, server.media_port, report, pages)
    except Exception:
        report.check(False, f"{name}: the run stopped on an error")
        traceback.print_exc()
    finally:
        if report.failures > failures_before:
            print_diagnostics(pages)
            print("  -- relay log (last lines):")
            for line in server.log_tail():
                print(f"     {line}")
        for p in pages:
            p.browser.quit()
        server.stop()
        if coturn:
            if report.failures > failures_before:
                print("  -- coturn log (last lines):")
                for line in coturn.log_tail():
                    print(f"     {line}")
            coturn.stop()


def main():
    _, args, scenarios = scenario_arguments(__doc__, SCENARIOS)

    def run(name):
        run_scenario(name, args.relay_bin, args.relay_root, report)

    report = Report()
    return run_guarded([(name, run) for name in scenarios], report)


if __name__ == "__main__":
    sys.exit(main())
