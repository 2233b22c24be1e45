#!/usr/bin/env python3
"""One room across cores: a 1→200 room on a relay with one media worker, then on one with two,
where the room's participants past `--spread-rooms-above` (8) go to the second worker and the
publisher's tracks are copied to it once through a pipe (Sources/Relay/WorkerPipe.swift).

    python3 bench/spread.py [--relay-bin PATH] [--bench-bin PATH] [--rate 500] [--seconds 6] [--out bench]
    python3 bench/spread.py --smoke --relay-bin PATH --bench-bin PATH

The same offered load both times (one publisher at --rate video packets/s, Opus at its pace):
what each media worker thread spent (schedstat) over the window's wall time shows how the work
divides. A worker runs out when its thread is busy all the time, so the room's capacity is the
delivered rate divided by its busiest worker's share; the ratio of the two capacities is the
gain of the second worker. It is read at one rate below the knee, not by driving each relay to
its knee: on a machine of two cores the load generator needs one of them, and a relay of two
workers shares it. Writes SPREAD.md and spread.json to --out.

`--smoke` (the test command's): a 1→12 room at its real pace on two workers only, every
subscriber decoding what it gets and comparing each frame with the publisher's clip; it fails
unless both workers forwarded, nothing was lost, and every frame expected arrived intact.
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import results_report  # noqa: E402
from run_bench import SCRATCH, run_scenario  # noqa: E402

SUBSCRIBERS = 200
TARGET_GAIN = 1.8


def busiest(result):
    busy = result["machine"].get("mediaWorkerBusy") or {}
    return max(busy.values()) if busy else None


def capacity(result):
    share = busiest(result)
    return result["deliveredPerSecond"] / share if share else None


def row(label, result):
    busy = result["machine"].get("mediaWorkerBusy") or {}
    workers = ", ".join(f"{name.removeprefix('relay-media-')}: {100 * share:.0f}%" for name, share in sorted(busy.items()))
    cap = capacity(result)
    counted = result.get("relayCounted") or {}
    drops = counted.get("dropsByReason") or {}
    pipe = sum(drops.get(reason, 0) for reason in ("mirror_pipe_full", "mirrored_track_gone"))
    return (f"| {label} | {result['deliveredPerSecond']:,.0f} | {100 * result['lossRatio']:.3f}% | "
            f"{result['sfuCpuNsPerDelivered']:,.0f} | {workers} | {100 * (busiest(result) or 0):.0f}% | "
            f"{'-' if cap is None else format(round(cap), ',')} | {pipe:,} | "
            f"{result['latencyP50Microseconds']} / {result['latencyP99Microseconds']} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--relay-bin", default=os.path.join(SCRATCH, "release", "relay"))
    parser.add_argument("--bench-bin", default=os.path.join(SCRATCH, "release", "relay-bench"))
    parser.add_argument("--rate", type=int, default=500, help="video packets/s of the publisher (default 500)")
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--smoke", action="store_true", help="a 1→12 room, decoded, on two workers: media crosses intact")
    args = parser.parse_args()
    if args.smoke:
        return smoke(args)
    started = time.time()
    scenario = (f"1→{SUBSCRIBERS} at {args.rate} video pkt/s", 1, 1, SUBSCRIBERS, False, args.rate)
    room_args = ["--max-room-participants", str(SUBSCRIBERS + 10)]
    results = {}
    for workers in (1, 2):
        print(f"{scenario[0]} on {workers} worker(s) ...", flush=True)
        result = run_scenario(args.relay_bin, args.bench_bin, scenario, args.seconds, 2, relay_args=room_args, workers=workers)
        print(f"  {result['deliveredPerSecond']:,.0f} pkt/s, loss {100 * result['lossRatio']:.3f}%, "
              f"workers busy {result['machine'].get('mediaWorkerBusy')}", flush=True)
        results[workers] = result
    os.makedirs(args.out, exist_ok=True)
    one, two = capacity(results[1]), capacity(results[2])
    gain = two / one if one and two else None
    with open(os.path.join(args.out, "spread.json"), "w") as f:
        json.dump({"machine": results_report.machine(), "oneWorker": results[1], "twoWorkers": results[2], "gain": gain}, f, indent=1)
    command = f"python3 bench/spread.py --rate {args.rate} --seconds {args.seconds:g}"
    lines = [
        "# One room across cores", "",
        f"Machine: {results_report.machine()}. Written by `bench/spread.py` in {time.time() - started:.0f} s; every figure "
        "below comes from that one run (`spread.json`).", "",
        "```sh", command, "```", "",
        f"One publisher (VP8 at {args.rate} packets/s and Opus) and {SUBSCRIBERS} subscribers in one room, real ICE, DTLS-SRTP "
        "and SRTP on 127.0.0.1, the same load on a relay with one media worker (pinned to core 0, the load generator on "
        "core 1) and on one with two (`--workers 2`, on both cores: the generator shares one). With two, the room's "
        "participants past the eighth go to the worker with fewer, and the publisher's tracks reach the second worker "
        "once per packet through a pipe. Delivered: media packets the subscribers decrypted, each once. Each worker's "
        "share: its thread's CPU time (schedstat) over the window's wall time. Capacity: delivered/s over the busiest "
        "worker's share, the rate at which that worker would have no time left: an estimate read below the knee, since "
        "on two cores the relay of two workers cannot be driven to its knee with the generator beside it. Pipe drops: "
        "packets a full pipe refused, or that arrived for a track gone.", "",
        "| relay | delivered pkt/s | loss | relay CPU ns per delivered packet (every thread) | media workers busy | busiest | capacity pkt/s | pipe drops | latency p50 / p99 µs |",
        "|---|---|---|---|---|---|---|---|---|",
        row("one worker", results[1]),
        row("two workers, room spread", results[2]),
        "",
        (f"Gain of the second worker: {gain:.2f}× (target ≥ {TARGET_GAIN}×)." if gain else "Gain of the second worker: not measured."),
    ]
    with open(os.path.join(args.out, "SPREAD.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"gain {gain:.2f}x" if gain else "gain not measured", flush=True)
    print(f"wrote {os.path.join(args.out, 'SPREAD.md')} in {time.time() - started:.0f} s")
    return 0 if gain and results[2]["lossRatio"] < 0.01 else 1


def smoke(args):
    scenario = ("smoke spread 1→12", 1, 1, 12, False, None, True)
    result = run_scenario(args.relay_bin, args.bench_bin, scenario, 3, 1, workers=2)
    busy = result["machine"].get("mediaWorkerBusy") or {}
    decoded = result["decoded"]
    print(f"spread smoke: {result['deliveredPerSecond']:,.0f} pkt/s, loss {100 * result['lossRatio']:.3f}%, workers busy {busy}, "
          f"decoded {decoded}", flush=True)
    problems = []
    if len(busy) != 2 or min(busy.values()) <= 0:
        problems.append(f"not both workers forwarded: {busy}")
    if result["lossRatio"] > 0 or result["packetsDelivered"] == 0:
        problems.append(f"{result['packetsLost']} of the packets lost, {result['packetsDelivered']} delivered")
    if (decoded["videoFramesDecoded"] == 0 or decoded["videoDecodeErrors"] or decoded["audioDecodeErrors"]
            or decoded["videoFramesNotMatching"] or decoded["videoFramesMatching"] != decoded["videoFramesDecoded"]
            or decoded["videoFramesDecoded"] < 0.95 * decoded["videoFramesExpected"]):
        problems.append(f"the media did not arrive intact: {decoded}")
    for problem in problems:
        print(f"spread smoke: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
