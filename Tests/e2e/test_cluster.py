#!/usr/bin/env python3
"""Browser end-to-end test of a cluster that loses a node: three relay nodes (`--cluster`) on one
throwaway PostgreSQL, two Chromium pages in one sfu room.

- failover: the room's node is killed with SIGKILL mid-call. Both pages, whose signaling socket
  closed, find another node of the cluster (the `nodes` they were told), load the room's page
  there and join it; the room is placed anew on a live node. Within 10 s of the kill both decode
  each other again, and the chat said before the kill is replayed there (the room kept its chat
  generation).
- drain: the node that now has the room gets SIGTERM. It hands the room to the last node and
  tells both pages (`moved`); within 10 s they decode each other there, and the drained node
  exits once its room is empty, long before its drain timeout.

    python3 Tests/e2e/test_cluster.py --relay-bin PATH

Exits non-zero if any check fails. Every process the run starts is stopped by PID at the end.
"""

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from relay_server import RelayServer  # noqa: E402
from test_modes import SEND_CHAT_JS, open_page, relayed_unmet  # noqa: E402
from test_sfu_call import REPO_ROOT, Report, print_diagnostics, run_guarded, scenario_arguments  # noqa: E402

NODES = 3
JOIN_TIMEOUT_S = 40
BACK_LIMIT_S = 10
DRAIN_TIMEOUT_S = 60
MEASURE_S = 3
# Chromium's fake camera sends about 10 frames a second.
MIN_FPS = 7
ORIGIN_JS = "async () => window.location.origin"


class Cluster:
    """A throwaway PostgreSQL and three nodes on it, started one after the other (the first runs
    the migrations)."""

    def __init__(self, relay_bin, relay_root, extra_args=()):
        self.state = tempfile.mktemp(prefix="relay-cluster-pg-")
        self.nodes = []
        subprocess.run([os.path.join(REPO_ROOT, "scripts", "postgres-test-server.sh"), "start", self.state], check=True)
        try:
            with open(self.state) as f:
                url = next(line.split("=", 1)[1].strip() for line in f if line.startswith("RELAY_PG_URL="))
            for i in range(1, NODES + 1):
                self.nodes.append(RelayServer(
                    relay_bin, relay_root, extra_args=("--cluster", "--node-id", f"node-{i}", *extra_args),
                    drain_timeout_s=DRAIN_TIMEOUT_S, environment={"DATABASE_URL": url}))
        except BaseException:
            self.stop()
            raise

    def node_at(self, origin):
        return next((n for n in self.nodes if n.base_url == origin), None)

    def name(self, node):
        return f"node-{self.nodes.index(node) + 1}"

    def close(self, pages, report):
        """Ends a run: what explains a failure, then the browsers, the nodes and PostgreSQL."""
        if report.failures:
            print_diagnostics(pages)
            for node in self.nodes:
                print(f"  -- {self.name(node)} log (last lines):")
                for line in node.log_tail(15):
                    print(f"     {line}")
        for p in pages:
            p.browser.quit()
        self.stop()

    def stop(self):
        for node in self.nodes:
            node.stop()
        pid = None
        if os.path.exists(self.state):
            with open(self.state) as f:
                pid = next((int(line.split("=", 1)[1]) for line in f if line.startswith("RELAY_PG_PID=")), None)
        stopper = subprocess.Popen([os.path.join(REPO_ROOT, "scripts", "postgres-test-server.sh"), "stop", self.state])
        # PostgreSQL, started by the script, is this subreaper's orphan: once it exits, it must be
        # reaped here, or the script waits for a zombie.
        while stopper.poll() is None:
            if pid:
                try:
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pid = None
            time.sleep(0.05)


def read(page):
    """The page's stats and its origin; None while it is between two pages (loading)."""
    try:
        origin = page.browser.run_async_js(ORIGIN_JS)
        page.read_stats()
    except Exception:
        return None
    return origin


def wait_together(pages, report, limit_s, away_from=None, ready=lambda: True):
    """Waits until the pages are on one node (other than `away_from`), decode each other through
    the relay and `ready()` holds; returns (seconds, origin) or (None, None)."""
    started = time.monotonic()
    waiting = {}
    while time.monotonic() - started < limit_s:
        origins = [read(p) for p in pages]
        if None not in origins and len(set(origins)) == 1 and origins[0] != away_from:
            if all(p.stats["selfId"] for p in pages):
                waiting = {p.name: relayed_unmet(p, pages) for p in pages}
                waiting = {name: reasons for name, reasons in waiting.items() if reasons}
                if not waiting and ready():
                    return time.monotonic() - started, origins[0]
        else:
            waiting = {p.name: [f"at {o}"] for p, o in zip(pages, origins)}
        time.sleep(0.2)
    for name, reasons in waiting.items():
        report.note(f"{name}: {'; '.join(reasons)}")
    return None, None


def check_decoding(pages, report, when):
    """Video frames decoded from the other page at MIN_FPS or more, audio rising."""
    before = {p.name: (p.read_stats(), time.monotonic()) for p in pages}
    time.sleep(MEASURE_S)
    for p in pages:
        (start, at), end = before[p.name], p.read_stats()
        seconds = time.monotonic() - at
        for peer_id, remote in end["remotes"].items():
            x = start["remotes"].get(peer_id, {})
            frames = (remote.get("videoFramesDecoded") or 0) - (x.get("videoFramesDecoded") or 0)
            audio = (remote.get("audioPacketsReceived") or 0) - (x.get("audioPacketsReceived") or 0)
            report.check(frames / seconds >= MIN_FPS and audio > 0,
                         f"{when}: {p.name} decodes {remote.get('name')} at {frames / seconds:.1f} frames/s "
                         f"(at least {MIN_FPS}), {audio / seconds:.0f} audio packets/s")


def run(relay_bin, relay_root, report):
    cluster = Cluster(relay_bin, relay_root)
    pages = []
    try:
        room = "cluster-" + secrets.token_hex(3)
        entry = cluster.nodes[1]
        print(f"== three nodes at {', '.join(n.base_url for n in cluster.nodes)}; pages open {entry.base_url}", flush=True)
        pages = [open_page(entry.base_url, room, name, "sfu", report) for name in ("alice", "bob")]
        elapsed, origin = wait_together(pages, report, JOIN_TIMEOUT_S)
        report.check(elapsed is not None, f"alice and bob in the call on one node ({elapsed and round(elapsed, 1)} s)")
        if elapsed is None:
            return
        first = cluster.node_at(origin)
        report.note(f"the room lives on {cluster.name(first)}")
        said = "before the failover " + secrets.token_hex(3)
        report.check(pages[0].browser.run_async_js(SEND_CHAT_JS, said) is not None, "alice said something in the call chat")
        time.sleep(0.5)

        # failover
        killed_at = time.monotonic()
        first.process.send_signal(signal.SIGKILL)
        first.process.wait()
        elapsed, origin = wait_together(pages, report, BACK_LIMIT_S + 5, away_from=first.base_url)
        since_kill = time.monotonic() - killed_at if elapsed is not None else None
        report.check(since_kill is not None and since_kill <= BACK_LIMIT_S,
                     f"SIGKILL of {cluster.name(first)}: both pages decode each other again on another node "
                     f"{since_kill and round(since_kill, 1)} s later (limit {BACK_LIMIT_S} s)")
        if since_kill is None:
            return
        second = cluster.node_at(origin)
        report.note(f"the room moved to {cluster.name(second)}")
        for p in pages:
            entry = next((e for e in p.stats["chatLog"] if e["text"] == said), None)
            report.check(bool(entry) and "history" in entry["via"],
                         f"{p.name} sees what alice said before the failover, replayed: {entry}")
        check_decoding(pages, report, "after the failover")

        # drain
        drained_at = time.monotonic()
        second.process.send_signal(signal.SIGTERM)
        elapsed, origin = wait_together(pages, report, BACK_LIMIT_S + 5, away_from=second.base_url)
        since_drain = time.monotonic() - drained_at if elapsed is not None else None
        report.check(since_drain is not None and since_drain <= BACK_LIMIT_S,
                     f"SIGTERM of {cluster.name(second)}: both pages decode each other on another node "
                     f"{since_drain and round(since_drain, 1)} s later (limit {BACK_LIMIT_S} s)")
        third = cluster.node_at(origin) if origin else None
        report.check(third is not None and third not in (first, second),
                     f"the room went to the last live node: {third and cluster.name(third)}")
        try:
            second.process.wait(timeout=BACK_LIMIT_S)
            exited = time.monotonic() - drained_at
        except subprocess.TimeoutExpired:
            exited = None
        report.check(exited is not None,
                     f"{cluster.name(second)} exited once its room was empty, {exited and round(exited, 1)} s after "
                     f"SIGTERM (drain timeout {DRAIN_TIMEOUT_S} s)")
        if since_drain is not None:
            for p in pages:
                entry = next((e for e in p.stats["chatLog"] if e["text"] == said), None)
                report.check(bool(entry), f"{p.name} still sees what alice said before the failover: {entry}")
            check_decoding(pages, report, "after the drain")
    except Exception:
        report.check(False, "the run stopped on an error")
        traceback.print_exc()
    finally:
        cluster.close(pages, report)


def main():
    _, args, _ = scenario_arguments(__doc__, {"cluster": None})
    report = Report()
    return run_guarded([("cluster", lambda _: run(args.relay_bin, args.relay_root, report))], report, deadline_s=240)


if __name__ == "__main__":
    sys.exit(main())
