#!/usr/bin/env python3
"""Browser end-to-end test: a three-person group call through the relay in sfu mode.

Three browsers, each with its own fresh profile, join one room. On every page the video of both
others must be decoding and their audio arriving, and every peer connection's selected ICE pair
must end at the relay's media port on 127.0.0.1. When one participant leaves, its tile must leave
the others' pages within 2 s. Variants: 'chromium' (three headless Chromium) and 'mixed' (two
Chromium and one Firefox ESR).

    python3 Tests/e2e/test_sfu_call.py --relay-bin PATH [--variant chromium|mixed ...]
    python3 Tests/e2e/test_sfu_call.py --mock   # the harness itself, on a mock page, no relay

Exits non-zero if any check fails. Every process the run starts is stopped by PID at the end.
"""

import argparse
import functools
import json
import os
import secrets
import signal
import sys
import time
import traceback
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import processes  # noqa: E402
from browsers import BROWSERS  # noqa: E402
from relay_server import RelayServer  # noqa: E402

VARIANTS = {
    "chromium": ["chromium", "chromium", "chromium"],
    "mixed": ["chromium", "chromium", "firefox"],
}
NAMES = ["alice", "bob", "carol"]
JOIN_TIMEOUT_S = 40
MEASURE_S = 5
LEAVE_LIMIT_MS = 2000
RUN_DEADLINE_S = 170  # the whole run must stay well under 3 minutes

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
with open(os.path.join(HERE, "call_stats.js")) as _f:
    CALL_STATS_JS = _f.read()

# Records, in the page, the moment the tile of peerId leaves the DOM (a MutationObserver fires
# right after the change), so the leave delay is measured on the pages' clocks, not through the
# drivers' round trips.
WATCH_TILE_JS = """async (peerId) => {
    const selector = `#remotes [data-peer-id="${CSS.escape(peerId)}"]`;
    window.relayE2eTileGoneAt = null;
    const check = () => {
        if (window.relayE2eTileGoneAt !== null || document.querySelector(selector)) return;
        window.relayE2eTileGoneAt = Date.now();
        observer.disconnect();
    };
    const observer = new MutationObserver(check);
    observer.observe(document.documentElement, {childList: true, subtree: true});
    return document.querySelector(selector) !== null;
}"""
LEAVE_JS = "async () => { const leftAt = Date.now(); window.relayCall.leave(); return leftAt; }"
TILE_GONE_JS = "async () => ({goneAt: window.relayE2eTileGoneAt, peers: window.relayCall.peers})"


class RunDeadline(BaseException):
    """Raised by the watchdog alarm; not an Exception, so no step's error handling swallows it."""


def _deadline_passed(deadline_s, signum, frame):
    raise RunDeadline(f"the run took longer than {deadline_s} s")


class Report:
    def __init__(self):
        self.failures = 0
        self.failed = []  # the text of each failed check, in order

    def check(self, ok, text):
        print(f"  {'PASS' if ok else 'FAIL'}  {text}", flush=True)
        if not ok:
            self.failures += 1
            self.failed.append(text)
        return ok

    def forgive(self, failed):
        """Takes back `failed`, the last checks that failed, before a scenario runs again."""
        self.failures -= len(failed)
        del self.failed[len(self.failed) - len(failed):]

    def note(self, text):
        print(f"        {text}", flush=True)


class Participant:
    def __init__(self, name, browser):
        self.name = name
        self.browser = browser
        self.stats = None

    def read_stats(self):
        self.stats = self.browser.run_async_js(CALL_STATS_JS)
        self.stats["readAt"] = time.monotonic()
        return self.stats


def expected_remotes(participant, everyone):
    return {p.stats["selfId"]: p.name for p in everyone if p is not participant}


def unmet(stats, expected):
    """Why a page is not yet in the call with everyone else; empty when it is."""
    reasons = []
    if stats["state"] != "connected":
        reasons.append(f"state {stats['state']}")
    if stats["peers"] != expected:
        reasons.append(f"peers {stats['peers']}")
    for peer_id, name in expected.items():
        remote = stats["remotes"].get(peer_id, {})
        if peer_id not in stats["tiles"]:
            reasons.append(f"no tile for {name}")
        if remote.get("videoFramesDecoded") is None or remote.get("audioPacketsReceived") is None:
            reasons.append(f"no inbound video and audio from {name}")
    if any(c["pair"] is None for c in stats["connections"]):
        reasons.append("a peer connection without a selected pair")
    return reasons


def wait_in_call(participants, report):
    started = time.monotonic()
    while True:
        for p in participants:
            p.read_stats()
        if all(p.stats["selfId"] for p in participants):
            waiting = {p.name: unmet(p.stats, expected_remotes(p, participants)) for p in participants}
        else:
            waiting = {p.name: ["no selfId"] for p in participants if not p.stats["selfId"]}
        waiting = {name: reasons for name, reasons in waiting.items() if reasons}
        elapsed = time.monotonic() - started
        if not waiting or elapsed > JOIN_TIMEOUT_S:
            break
        time.sleep(0.5)
    report.check(not waiting, f"all three in the call, receiving from both others ({elapsed:.1f} s)")
    for name, reasons in waiting.items():
        report.note(f"{name}: {'; '.join(reasons)}")
    return all(p.stats["selfId"] for p in participants)


def check_media(participants, media_port, report):
    before = {p.name: p.read_stats() for p in participants}
    time.sleep(max(0.0, MEASURE_S - (time.monotonic() - before[participants[0].name]["readAt"])))
    for p in participants:
        start, end = before[p.name], p.read_stats()
        seconds = end["readAt"] - start["readAt"]
        for peer_id, name in expected_remotes(p, participants).items():
            tile = end["tiles"].get(peer_id)
            report.check(tile is not None and tile["name"] == name and tile["hasVideo"],
                         f"{p.name}: tile of {name} with its name and a <video>: {tile}")
            a, b = start["remotes"].get(peer_id, {}), end["remotes"].get(peer_id, {})
            for key, what in (("videoFramesDecoded", "video frames decoded"),
                              ("audioPacketsReceived", "audio packets received")):
                x, y = a.get(key), b.get(key)
                rising = x is not None and y is not None and y > x
                rate = f", {(y - x) / seconds:.1f}/s" if rising else ""
                report.check(rising, f"{p.name}: {what} from {name}: {x} -> {y} in {seconds:.1f} s{rate}")
        check_connections(p, end["connections"], media_port, report)


def check_connections(participant, connections, media_port, report):
    roles = sorted(c["role"] for c in connections)
    report.check(roles == ["publish", "subscribe"], f"{participant.name}: peer connections {roles}")
    for c in connections:
        pair = c["pair"] or {}
        local, remote = pair.get("local") or {}, pair.get("remote") or {}
        path = (f"{local.get('address')}:{local.get('port')} ({local.get('type')}) -> "
                f"{remote.get('address')}:{remote.get('port')} ({remote.get('type')}) "
                f"{remote.get('protocol')}, {c['connectionState']}")
        if media_port is None:  # mock: the pair is in-page, only its reading is checked
            ok, goal = bool(local and remote), "a selected pair"
        else:
            ok = remote.get("address") == "127.0.0.1" and remote.get("port") == media_port
            goal = f"ends at the relay 127.0.0.1:{media_port}"
        report.check(ok, f"{participant.name}: {c['role']} pc {goal}: {path}")


def check_leave(participants, report):
    leaver, stayers = participants[0], participants[1:]
    leaver_id = leaver.stats["selfId"]
    for p in stayers:
        if not p.browser.run_async_js(WATCH_TILE_JS, leaver_id):
            report.check(False, f"{p.name}: no tile of {leaver.name} to watch before the leave")
            return
    left_at = leaver.browser.run_async_js(LEAVE_JS)
    deadline = time.monotonic() + LEAVE_LIMIT_MS / 1000 + 3
    pending = set(range(len(stayers)))
    seen = {}
    while pending and time.monotonic() < deadline:
        time.sleep(0.2)
        for i in list(pending):
            seen[i] = stayers[i].browser.run_async_js(TILE_GONE_JS)
            if seen[i]["goneAt"] is not None:
                pending.discard(i)
    for i, p in enumerate(stayers):
        gone_at = seen[i]["goneAt"]
        delay = None if gone_at is None else gone_at - left_at
        report.check(delay is not None and delay <= LEAVE_LIMIT_MS,
                     f"{p.name}: tile of {leaver.name} gone {delay} ms after leave() "
                     f"(limit {LEAVE_LIMIT_MS} ms); peers now {seen[i]['peers']}")


def print_diagnostics(participants):
    for p in participants:
        print(f"  -- {p.name} ({p.browser.kind}) last stats: {json.dumps(p.stats)}")
        try:
            for line in p.browser.console_tail():
                print(f"     console: {line}")
        except Exception as error:
            print(f"     console unavailable: {error}")


def run_variant(variant, base_url, media_port, report):
    room = f"e2e-{secrets.token_hex(4)}"
    print(f"== {variant}: {', '.join(VARIANTS[variant])} in room {room} at {base_url}", flush=True)
    failures_before = report.failures
    participants = []
    try:
        for name, kind in zip(NAMES, VARIANTS[variant]):
            launched = time.monotonic()
            browser = BROWSERS[kind](f"{name} ({kind})")
            participants.append(Participant(name, browser))
            query = urlencode({"name": name, "mode": "sfu", "autojoin": 1})
            browser.open(f"{base_url}/call/{room}?{query}")
            report.note(f"{name}: {kind} started and page open in {time.monotonic() - launched:.1f} s")
        if wait_in_call(participants, report):
            check_media(participants, media_port, report)
            check_leave(participants, report)
    except Exception:
        report.check(False, f"{variant}: the run stopped on an error")
        traceback.print_exc()
    finally:
        if report.failures > failures_before:
            print_diagnostics(participants)
        for p in participants:
            p.browser.quit()


def run_on_relay(variant, relay_bin, relay_root, report):
    server = RelayServer(relay_bin, relay_root)
    failures_before = report.failures
    try:
        run_variant(variant, server.base_url, server.media_port, report)
    finally:
        if report.failures > failures_before:
            print("  -- relay log (last lines):")
            for line in server.log_tail():
                print(f"     {line}")
        server.stop()


def run_on_mock(variant, report):
    from mock.server import MockServer

    server = MockServer()
    try:
        run_variant(variant, server.base_url, None, report)
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--relay-bin", default=os.environ.get("RELAY_BIN"),
                        help="the relay binary (default: $RELAY_BIN)")
    parser.add_argument("--relay-root", default=REPO_ROOT,
                        help="checkout whose Public/ the relay serves (default: this one)")
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS),
                        help="run only this variant (repeatable; default: all)")
    parser.add_argument("--mock", action="store_true",
                        help="check the harness on the mock call page instead of the relay")
    args = parser.parse_args()
    if not args.mock and not args.relay_bin:
        parser.error("give --relay-bin PATH (or RELAY_BIN), or --mock")
    if not args.mock and not os.access(args.relay_bin, os.X_OK):
        parser.error(f"no relay binary at {args.relay_bin} (build it first)")

    def run(variant):
        if args.mock:
            run_on_mock(variant, report)
        else:
            run_on_relay(variant, args.relay_bin, args.relay_root, report)

    report = Report()
    return run_guarded([(variant, run) for variant in args.variant or sorted(VARIANTS)], report)


def scenario_arguments(doc, scenarios, flags=()):
    """Parses the command line the scenario tests share: the relay binary, the checkout it
    serves, and which scenarios to run (default: all), and the (name, help) of each boolean
    flag in `flags`. Returns (parser, args, scenarios)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    for flag, text in flags:
        parser.add_argument(flag, action="store_true", help=text)
    parser.add_argument("--relay-bin", default=os.environ.get("RELAY_BIN"), help="the relay binary (default: $RELAY_BIN)")
    parser.add_argument("--relay-root", default=REPO_ROOT, help="checkout whose Public/ the relay serves (default: this one)")
    parser.add_argument("--scenario", action="append", choices=list(scenarios), help="run only this one (repeatable; default: all)")
    args = parser.parse_args()
    if not args.relay_bin or not os.access(args.relay_bin, os.X_OK):
        parser.error(f"no relay binary at {args.relay_bin} (build it first, or give --relay-bin)")
    return parser, args, args.scenario or list(scenarios)


def run_guarded(runs, report, deadline_s=RUN_DEADLINE_S):
    """Runs each (name, function) under a watchdog of deadline_s seconds for the whole run, as a
    child subreaper, then stops by PID whatever the runs left behind; prints the verdict and
    returns the exit status."""
    processes.become_subreaper()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the cleanup below still runs
    signal.signal(signal.SIGALRM, functools.partial(_deadline_passed, deadline_s))
    signal.alarm(deadline_s)
    started = time.monotonic()
    try:
        for name, run in runs:
            run_started = time.monotonic()
            run(name)
            print(f"== {name}: {time.monotonic() - run_started:.1f} s", flush=True)
    except BaseException as error:
        report.check(False, f"run aborted: {error!r}")
        traceback.print_exc()
    finally:
        signal.alarm(0)
        leftovers = processes.descendants()
        if leftovers:
            names = ", ".join(processes.describe(p) for p in sorted(leftovers))
            print(f"  note: stopping leftover processes by PID: {names}")
            processes.stop(leftovers)

    verdict = "PASS" if report.failures == 0 else f"FAIL ({report.failures} failed checks)"
    print(f"== {verdict} in {time.monotonic() - started:.1f} s")
    return 0 if report.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
