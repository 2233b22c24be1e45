#!/usr/bin/env python3
"""A room across nodes: what the relay link costs. One publisher and 100 subscribers in one room,
first on one cluster node, then on two nodes with `--participant-budget 1`, where the publisher's
media is on one node and every subscriber's on the other, each of its packets crossing the relay
link once (SRTP over UDP between the two nodes' media workers).

    python3 bench/link.py [--relay-bin PATH] [--bench-bin PATH] [--rate 500] [--seconds 6] [--rounds 3] [--out bench]

The same offered load both ways, in alternating rounds on fresh processes and one throwaway
PostgreSQL: the CPU of every relay process (schedstat, both nodes' in the second case) per
packet delivered to the subscribers, and the latency from the publisher's send to the
subscriber's receive. The nodes share core 0 (`taskset`), as the single relay has it alone; the
load generator runs on core 1. Writes LINK.md and link.json to --out.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import results_report  # noqa: E402
from run_bench import ROOT, SCRATCH, SFU_PIN, free_port, generator_command, load_generator_options, stop_process, wait_for_http  # noqa: E402

SUBSCRIBERS = 100
LINK_METRICS = ("relay_links", "relay_linked_tracks", "relay_link_packets_sent_total", "relay_link_packets_received_total",
                "relay_link_retransmissions_total", "relay_link_requested_retransmissions_total")


class Node:
    """One relay node of the cluster on free ports, pinned with the others to core 0, stopped by PID."""

    def __init__(self, binary, database_url, node_id, extra_args=()):
        self.http_port = free_port()
        self.workdir = tempfile.mkdtemp(prefix="relay-link-")
        self.log = open(os.path.join(self.workdir, "relay.log"), "w")
        media_port = free_port(socket.SOCK_DGRAM)
        self.process = subprocess.Popen(
            SFU_PIN + [binary, "serve", "--cluster", "--node-id", node_id, "--http-host", "127.0.0.1",
                       "--http-port", str(self.http_port), "--media-port", str(media_port), "--workers", "1",
                       "--announced-ip", "127.0.0.1", "--max-room-participants", str(SUBSCRIBERS + 10)]
            + load_generator_options(binary) + list(extra_args),
            cwd=self.workdir, stdout=self.log, stderr=subprocess.STDOUT, env=dict(os.environ, DATABASE_URL=database_url))
        wait_for_http(f"http://127.0.0.1:{self.http_port}/healthz", node_id, self.stop)

    def metrics(self, names=LINK_METRICS):
        values = {}
        with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/metrics", timeout=5) as reply:
            for line in reply.read().decode().splitlines():
                series, _, value = line.rpartition(" ")
                if series in names:
                    values[series] = float(value)
        return values

    def wait_for_nodes(self, count, timeout_s=15):
        """Until the node's last heartbeat listed `count` live nodes: its rooms then know them all."""
        deadline = time.monotonic() + timeout_s
        while self.metrics(("relay_cluster_nodes",)).get("relay_cluster_nodes") != count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the node did not see {count} live nodes in {timeout_s} s")
            time.sleep(0.2)

    def stop(self):
        stop_process(self.process)
        self.log.close()
        subprocess.run(["rm", "-rf", self.workdir], check=False)


def run_once(args, database_url, scenario, nodes):
    """The scenario against `nodes` fresh nodes (budget 1 when two); the result and each node's link metrics."""
    budget = ["--participant-budget", "1"] if nodes == 2 else []
    started = []
    try:
        for index in range(nodes):
            # One after the other: the first runs the migrations before the second shares the database.
            started.append(Node(args.relay_bin, database_url, f"node-{index + 1}", budget))
        for node in started:
            node.wait_for_nodes(nodes)
        first = started[0]
        command = generator_command(args.bench_bin, first, scenario, args.seconds, 2)
        for other in started[1:]:
            command += ["--also-pid", str(other.process.pid)]
        output = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if output.returncode != 0:
            raise RuntimeError(f"relay-bench failed on {nodes} node(s): {output.stderr.strip()[-800:]}")
        result = json.loads(output.stdout.strip().splitlines()[-1])
        result["links"] = [node.metrics() for node in started]
        return result
    finally:
        for node in started:
            node.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--relay-bin", default=os.path.join(SCRATCH, "release", "relay"))
    parser.add_argument("--bench-bin", default=os.path.join(SCRATCH, "release", "relay-bench"))
    parser.add_argument("--rate", type=int, default=500, help="video packets/s of the publisher (default 500)")
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args()
    started = time.time()
    scenario = (f"1→{SUBSCRIBERS} at {args.rate} video pkt/s", 1, 1, SUBSCRIBERS, False, args.rate)
    state = tempfile.mktemp(prefix="relay-link-pg-")
    subprocess.run([os.path.join(ROOT, "scripts", "postgres-test-server.sh"), "start", state], check=True)
    rounds = []
    try:
        with open(state) as f:
            database_url = next(line.split("=", 1)[1].strip() for line in f if line.startswith("RELAY_PG_URL="))
        for index in range(args.rounds):
            pair = {}
            for nodes in (1, 2):
                print(f"round {index + 1}: {scenario[0]} on {nodes} node(s) ...", flush=True)
                result = run_once(args, database_url, scenario, nodes)
                print(f"  {result['deliveredPerSecond']:,.0f} delivered/s, {result['sfuCpuNsPerDelivered']:,.0f} ns CPU each, "
                      f"loss {100 * result['lossRatio']:.3f}%, p50/p99 {result['latencyP50Microseconds']}/"
                      f"{result['latencyP99Microseconds']} µs, links {result['links']}", flush=True)
                pair[nodes] = result
            rounds.append(pair)
    finally:
        subprocess.run([os.path.join(ROOT, "scripts", "postgres-test-server.sh"), "stop", state], check=False)

    ratios = [r[2]["sfuCpuNsPerDelivered"] / r[1]["sfuCpuNsPerDelivered"] for r in rounds]
    p50 = [r[2]["latencyP50Microseconds"] - r[1]["latencyP50Microseconds"] for r in rounds]
    median_ratio = statistics.median(ratios)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "link.json"), "w") as f:
        json.dump({"machine": results_report.machine(), "rounds": [{"oneNode": r[1], "twoNodes": r[2]} for r in rounds],
                   "costRatios": ratios, "medianCostRatio": median_ratio}, f, indent=1)
    command = f"python3 bench/link.py --rate {args.rate} --seconds {args.seconds:g} --rounds {args.rounds}"
    lines = [
        "# A room across nodes: the relay link's cost", "",
        f"Machine: {results_report.machine()}. Written by `bench/link.py` in {time.time() - started:.0f} s; every figure "
        "below comes from that one run (`link.json`).", "",
        "```sh", command, "```", "",
        f"One publisher (VP8 at {args.rate} packets/s and Opus) and {SUBSCRIBERS} subscribers in one room, real ICE, DTLS-SRTP "
        "and SRTP on 127.0.0.1, on cluster nodes sharing a throwaway PostgreSQL. One node: the whole room on one relay. Two "
        "nodes with `--participant-budget 1`: the publisher's media on the room's node, every subscriber's on the other, "
        "each packet crossing the relay link once, SRTP over UDP. The relay processes are pinned to core 0 (both nodes "
        "share it), the load generator to core 1. CPU: every thread of every relay process (schedstat) over the window, "
        "per packet the subscribers decrypted. Latency: publisher's send to subscriber's receive. Link packets: what the "
        "room's node sent over the link and the other node received, over the whole run (joins and warm-up included), "
        "and those resent for the other end's NACKs. Fresh processes for each run, the two cases alternating.", "",
        "| round | nodes | delivered/s | loss | relay CPU per delivered packet (ns) | latency p50 / p99 (µs) | link packets sent (room's node) | link packets received (other) | link repairs |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for index, pair in enumerate(rounds, 1):
        for nodes in (1, 2):
            result = pair[nodes]
            links = result["links"]
            sent = max((n.get("relay_link_packets_sent_total", 0) for n in links), default=0) if nodes == 2 else 0
            received = max((n.get("relay_link_packets_received_total", 0) for n in links), default=0) if nodes == 2 else 0
            repairs = sum(n.get("relay_link_retransmissions_total", 0) for n in links) if nodes == 2 else 0
            lines.append(
                f"| {index} | {nodes} | {result['deliveredPerSecond']:,.0f} | {100 * result['lossRatio']:.3f}% | "
                f"{result['sfuCpuNsPerDelivered']:,.0f} | {result['latencyP50Microseconds']} / {result['latencyP99Microseconds']} | "
                f"{'-' if nodes == 1 else format(int(sent), ',')} | {'-' if nodes == 1 else format(int(received), ',')} | "
                f"{'-' if nodes == 1 else int(repairs)} |")
    lines += [
        "",
        f"Two nodes ÷ one node, CPU per delivered packet: {', '.join(f'{r:.2f}' for r in ratios)} by round, median "
        f"**{median_ratio:.2f}×**. Added latency at p50: {', '.join(f'{d:+d}' for d in p50)} µs by round.", "",
        "Per packet of the publisher, the link adds one copy and one AES-GCM encryption on the room's node and one "
        "decryption on the other, against a hundred protections and sends of the fan-out, which moves to the other node "
        "with the subscribers (its CPU is counted too).", "",
    ]
    with open(os.path.join(args.out, "LINK.md"), "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {os.path.join(args.out, 'LINK.md')}: median cost ratio {median_ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
