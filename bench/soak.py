#!/usr/bin/env python3
"""The soak: real WebRTC clients (relay-bench's own: ICE, DTLS-SRTP, Opus and VP8) join a room,
publish, subscribe, send media and leave, CYCLES times, against one relay process; its resident
memory must stay flat after the warm-up: the least-squares slope over the cycles after it under
1 KiB a cycle, and every cycle must succeed.

    python3 bench/soak.py --relay-bin PATH --bench-bin PATH [--cycles 1000] [--warmup 200]

Prints the memory every 25 cycles and the verdict; exits non-zero when either check fails.
"""

import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from run_bench import Relay  # noqa: E402

SLOPE_LIMIT_BYTES = 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--relay-bin", required=True)
    parser.add_argument("--bench-bin", required=True)
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=200)
    args = parser.parse_args()

    relay = Relay(args.relay_bin)
    try:
        result = subprocess.run(
            [args.bench_bin, "soak", "--http-port", str(relay.http_port), "--relay-pid", str(relay.process.pid),
             "--cycles", str(args.cycles), "--warmup-cycles", str(args.warmup)],
            stdout=subprocess.PIPE, text=True, timeout=3600)
        alive = relay.process.poll() is None
    finally:
        relay.stop()
    if result.returncode != 0:
        print(f"soak: relay-bench exited {result.returncode}")
        return 1
    soak = json.loads(result.stdout.strip().splitlines()[-1])
    samples = soak["samples"]
    first_after = next((s for s in samples if s["cycle"] > soak["warmupCycles"]), None)
    print(f"soak: {soak['cycles']} cycles in {soak['seconds']:.0f} s; relay resident "
          f"{samples[0]['residentKilobytes'] / 1024:.1f} MiB after {samples[0]['cycle']} cycles, "
          f"{first_after['residentKilobytes'] / 1024 if first_after else 0:.1f} MiB after the warm-up, "
          f"{samples[-1]['residentKilobytes'] / 1024:.1f} MiB at the end")
    ok = True
    slope = soak["bytesPerCycle"]
    verdict = slope < SLOPE_LIMIT_BYTES
    print(f"  {'PASS' if verdict else 'FAIL'}  memory slope after the warm-up: {slope:.0f} bytes a cycle "
          f"(limit: under {SLOPE_LIMIT_BYTES})")
    ok &= verdict
    verdict = soak["failures"] == 0
    print(f"  {'PASS' if verdict else 'FAIL'}  cycles that failed: {soak['failures']}")
    ok &= verdict
    print(f"  {'PASS' if alive else 'FAIL'}  the relay was still running at the end")
    ok &= alive
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
