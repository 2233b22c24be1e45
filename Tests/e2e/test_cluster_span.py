#!/usr/bin/env python3
"""Browser end-to-end test of a room across nodes: three relay nodes (`--cluster
--participant-budget 2`) on one throwaway PostgreSQL and three Chromium pages in one sfu room.

- The room's node carries alice's and bob's media (its budget); carol's goes to another node,
  which the room's node drives over the node channel. All three decode each other, each track
  crossing the relay link between the two nodes once: both nodes' metrics show one link and the
  link's packets both ways, the room's node carol's two tracks arriving, the other alice's and
  bob's four; every page's connections end at its own media node.
- SIGKILL of carol's media node: her page is sent back to the room's node, joins again, and has
  its media placed on the last node; within 10 s all three decode each other again, and the
  room's node holds one link, to the last node.
- SIGKILL of the room's node: every page finds the last node (its `nodes`), the room is placed
  there and within 10 s all three decode each other; the last node closed the dead node's link.

    python3 Tests/e2e/test_cluster_span.py --relay-bin PATH

Exits non-zero if any check fails. Every process the run starts is stopped by PID at the end.
"""

import os
import secrets
import signal
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_cluster import JOIN_TIMEOUT_S, BACK_LIMIT_S, Cluster, check_decoding, wait_together  # noqa: E402
from test_modes import open_page  # noqa: E402
from test_sfu_call import Report, run_guarded, scenario_arguments  # noqa: E402

BUDGET = 2


def media_port(page):
    """The relay port every connection of the page's selected pair ends at, None if they differ."""
    ports = {(c.get("pair") or {}).get("remote", {}).get("port") for c in page.stats["connections"]}
    return ports.pop() if len(ports) == 1 else None


def links(node):
    return {name: node.metric(name) for name in (
        "relay_links", "relay_linked_tracks", "relay_link_packets_sent_total", "relay_link_packets_received_total")}


def run(relay_bin, relay_root, report):
    cluster = Cluster(relay_bin, relay_root, extra_args=("--participant-budget", str(BUDGET)))
    pages = []
    try:
        room = "span-" + secrets.token_hex(3)
        entry = cluster.nodes[1]
        print(f"== three nodes at {', '.join(n.base_url for n in cluster.nodes)}, budget {BUDGET}; pages open "
              f"{entry.base_url}", flush=True)
        pages = [open_page(entry.base_url, room, name, "sfu", report) for name in ("alice", "bob")]
        elapsed, origin = wait_together(pages, report, JOIN_TIMEOUT_S)
        report.check(elapsed is not None, f"alice and bob in the call ({elapsed and round(elapsed, 1)} s)")
        if elapsed is None:
            return
        home = cluster.node_at(origin)
        report.note(f"the room lives on {cluster.name(home)}")
        pages.append(open_page(entry.base_url, room, "carol", "sfu", report))
        elapsed, _ = wait_together(pages, report, JOIN_TIMEOUT_S)
        report.check(elapsed is not None, f"carol joined: all three decode each other ({elapsed and round(elapsed, 1)} s)")
        if elapsed is None:
            return
        ports = {p.name: media_port(p) for p in pages}
        carried = next((n for n in cluster.nodes if n.media_port == ports["carol"]), None)
        report.check(ports["alice"] == ports["bob"] == home.media_port,
                     f"alice's and bob's connections end at the room's node's media port {home.media_port}: {ports}")
        report.check(carried is not None and carried is not home,
                     f"carol's connections end at another node's media port: {carried and cluster.name(carried)}")
        if carried is None or carried is home:
            return
        check_decoding(pages, report, "across two nodes")
        at_home, away = links(home), links(carried)
        report.note(f"{cluster.name(home)}: {at_home}; {cluster.name(carried)}: {away}")
        report.check(at_home["relay_links"] == 1 and away["relay_links"] == 1, "one relay link at each end")
        report.check(at_home["relay_linked_tracks"] == 2, "carol's audio and video arrive at the room's node over it")
        report.check(away["relay_linked_tracks"] == 4, "alice's and bob's audio and video arrive at carol's node over it")
        report.check(at_home["relay_link_packets_sent_total"] > 500 and away["relay_link_packets_sent_total"] > 200,
                     "the link carried packets both ways")

        last = next(n for n in cluster.nodes if n is not home and n is not carried)
        carol = pages[2].stats["selfId"]
        killed_at = time.monotonic()
        carried.process.send_signal(signal.SIGKILL)
        carried.process.wait()
        # Back once carol has joined again (a new participant) with her media elsewhere.
        elapsed, _ = wait_together(
            pages, report, BACK_LIMIT_S + 5,
            ready=lambda: pages[2].stats["selfId"] not in (None, carol) and media_port(pages[2]) == last.media_port)
        since = time.monotonic() - killed_at if elapsed is not None else None
        report.check(since is not None and since <= BACK_LIMIT_S,
                     f"SIGKILL of carol's media node: all three decode each other again {since and round(since, 1)} s "
                     f"later (limit {BACK_LIMIT_S} s)")
        if since is None:
            return
        report.check(media_port(pages[2]) == last.media_port,
                     f"carol's media is on the last node now: port {media_port(pages[2])}, {cluster.name(last)}'s is "
                     f"{last.media_port}")
        check_decoding(pages, report, "after carol's media node died")
        report.check(links(home)["relay_links"] == 1, f"the room's node holds one link, to the last node: {links(home)}")

        # The room's node dies: every page finds the last node and the call goes on there.
        killed_at = time.monotonic()
        home.process.send_signal(signal.SIGKILL)
        home.process.wait()
        elapsed, origin = wait_together(pages, report, BACK_LIMIT_S + 5, away_from=home.base_url)
        since = time.monotonic() - killed_at if elapsed is not None else None
        report.check(since is not None and since <= BACK_LIMIT_S and cluster.node_at(origin) is last,
                     f"SIGKILL of the room's node: all three decode each other on the last node {since and round(since, 1)} s "
                     f"later (limit {BACK_LIMIT_S} s)")
        if since is not None:
            report.check(links(last)["relay_links"] == 0, "the last node closed the link of the dead room's node")
    except Exception:
        report.check(False, "the run stopped on an error")
        traceback.print_exc()
    finally:
        cluster.close(pages, report)


def main():
    _, args, _ = scenario_arguments(__doc__, {"span": None})
    report = Report()
    return run_guarded([("span", lambda _: run(args.relay_bin, args.relay_root, report))], report, deadline_s=240)


if __name__ == "__main__":
    sys.exit(main())
