#!/usr/bin/env python3
"""How long the relay holds packets with its media worker under ordinary scheduling and under
SCHED_FIFO (`relay serve --media-realtime-priority`), alone on its core and beside a busy
neighbour there.

    python3 bench/realtime.py [--relay-bin PATH] [--bench-bin PATH] [--rounds 3] [--seconds 4] [--out bench]

The relay (one media worker) is pinned to core 0 and the load generator to core 1, as in
run_bench.py. Scenarios: 1→50 at 1,000 and 2,000 video packets/s (the sweep's lower rows, near
half of what the machine carries), and the 1→50 broadcast and 10×10 room at real pace, whose
keyframes arrive as bursts. The neighbour is an ordinary process spinning on core 0: what a
server's other work (its web threads, a database, a backup) does to the worker's turn. The two
priorities alternate in each round, which flips the order. "Held" is the relay's own time from
the kernel's receive timestamp of a datagram to the return of the sendmmsg that carried its
copies (`relay_forwarding_delay_seconds`, buckets of a 1-2-5 series: the bound holding 99%);
end to end is publisher to subscriber. Writes REALTIME.md and realtime.json to --out.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import results_report  # noqa: E402
from run_bench import FULL, REALTIME_PRIORITY as PRIORITY, SCHEDULING, SCRATCH, SFU_PIN, run_scenario, stop_process  # noqa: E402

SCENARIOS = [("1→50 at 1,000 pkt/s", 1, 1, 50, False, 1000), ("1→50 at 2,000 pkt/s", 1, 1, 50, False, 2000)] + [
    s for s in FULL if s[0] in ("1→50 broadcast", "10×10 room")]


def neighbour():
    """An ordinary process that spins on the relay's core until stopped."""
    return subprocess.Popen(SFU_PIN + [sys.executable, "-c", "while True: pass"])


def held_p99(result):
    counted = result.get("relayCounted") or {}
    return counted.get("heldP99AtMostMicroseconds") if counted.get("heldTimed") else None


def show(value):
    return "–" if value is None else f"≤ {value:,.0f}"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def row(scenario, busy, label, runs):
    held = [held_p99(r) for r in runs]
    return (f"| {scenario} | {'spinning' if busy else 'idle'} | {label} | "
            f"{', '.join(show(h) for h in held)} | {show(median(held))} | "
            f"{statistics.median(r['latencyP99Microseconds'] for r in runs):,.0f} | "
            f"{max(r['latencyMaxMicroseconds'] for r in runs):,.0f} | "
            f"{statistics.median(r['sfuCpuNsPerDelivered'] for r in runs):,.0f} | "
            f"{max(100 * r['lossRatio'] for r in runs):.3f}% |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--relay-bin", default=os.path.join(SCRATCH, "release", "relay"))
    parser.add_argument("--bench-bin", default=os.path.join(SCRATCH, "release", "relay-bench"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args()
    if not SFU_PIN:
        parser.error("needs two cores and taskset: the relay and the neighbour share core 0, the generator has core 1")
    started = time.time()
    runs = {}
    for scenario in SCENARIOS:
        for busy in (False, True):
            for index in range(args.rounds):
                order = list(SCHEDULING) if index % 2 == 0 else list(reversed(SCHEDULING))
                for label in order:
                    spinner = neighbour() if busy else None
                    try:
                        result = run_scenario(args.relay_bin, args.bench_bin, scenario, args.seconds, 1,
                                              relay_args=SCHEDULING[label])
                    finally:
                        if spinner:
                            stop_process(spinner)
                    runs.setdefault((scenario[0], busy, label), []).append(result)
                    print(f"{scenario[0]}, neighbour {'spinning' if busy else 'idle'}, {label}: held p99 {show(held_p99(result))} µs, "
                          f"end to end p99 {result['latencyP99Microseconds']:,} µs, loss {100 * result['lossRatio']:.3f}%", flush=True)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "realtime.json"), "w") as f:
        json.dump({"machine": results_report.machine(), "priority": PRIORITY,
                   "runs": [{"scenario": s, "neighbour": b, "scheduling": l, "results": r} for (s, b, l), r in runs.items()]},
                  f, indent=1)
    command = f"python3 bench/realtime.py --rounds {args.rounds} --seconds {args.seconds:g}"
    lines = [
        "# The media worker's priority", "",
        f"Machine: {results_report.machine()}. Written by `bench/realtime.py` in {time.time() - started:.0f} s; every "
        "figure below comes from that one run (`realtime.json`).", "",
        "```sh", command, "```", "",
        "One relay with one media worker pinned to core 0, the load generator on core 1; real ICE, DTLS-SRTP and SRTP on "
        "127.0.0.1. Each scenario runs with the worker under ordinary scheduling and under SCHED_FIFO priority "
        f"{PRIORITY} (`relay serve --media-realtime-priority {PRIORITY}`), alternating which goes first, {args.rounds} "
        f"rounds of {args.seconds:g} s; then the same with a neighbour: an ordinary process spinning on core 0. Held p99: "
        "the relay's own time from a datagram's kernel receive timestamp to the return of the sendmmsg that carried its "
        "copies, as the bucket bound (1-2-5 series) that holds 99% of them, per round and their median. End to end: the "
        "publisher's send to the subscriber's receive (median over the rounds of each round's p99; the largest max). "
        "CPU: the relay's, every thread, per delivered packet (median).", "",
        "| scenario | neighbour on core 0 | worker scheduling | held p99 µs, per round | held p99 µs, median | end to end p99 µs | end to end max µs | CPU ns/pkt | loss, worst round |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for scenario in SCENARIOS:
        for busy in (False, True):
            for label in SCHEDULING:
                lines.append(row(scenario[0], busy, label, runs[(scenario[0], busy, label)]))
    with open(os.path.join(args.out, "REALTIME.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {os.path.join(args.out, 'REALTIME.md')} in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
