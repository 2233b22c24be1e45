#!/usr/bin/env python3
"""aiortc publishing through the relay: the relay's REMB drives a sender that reads no
transport-wide feedback.

aiortc negotiates REMB with abs-send-time, not transport-wide feedback; without a REMB its VP8
encoder stays at its start target of 500 kbit/s whatever the path. Its client
(aiortc_publisher.py) runs in a network namespace of its own and publishes a noisy 640x480
camera at 15 fps, so its encoder sends what its target allows.

- open: an uncapped link. The relay's REMBs arrive about every second and raise the target: over
  the last 10 s of 30 the publisher sends more than 900 kbit/s.
- capped: the namespace's uplink capped at 400 kbit/s (tbf), below aiortc's start. The REMBs
  bring the target down: over the last 10 s of 30 it sends at most the cap (and at least
  aiortc's floor of 250 kbit/s less a margin).

    python3 Tests/e2e/test_aiortc.py --relay-bin PATH [--scenario open|capped ...]

Needs root (namespaces), iproute2, and .build-aiortc/ (aiortc and websockets, made by
scripts/setup.sh test). Every process is stopped by PID and every namespace removed by name.
"""

import json
import os
import secrets
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import netns  # noqa: E402
from relay_server import RelayServer  # noqa: E402
from test_sfu_call import REPO_ROOT, Report, run_guarded, scenario_arguments  # noqa: E402

RUN_SECONDS = 30
WINDOW_S = 10
OPEN_MIN_KBPS = 900
CAP_KBPS = 400
CAPPED_MIN_KBPS = 200
AIORTC_PYTHON = os.path.join(REPO_ROOT, ".build-aiortc", "bin", "python")
CLIENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "aiortc_publisher.py")


def publish_from(space, server):
    """Runs the aiortc publisher in `space` for RUN_SECONDS; returns what it printed."""
    room = f"aiortc-{secrets.token_hex(3)}"
    command = ["ip", "netns", "exec", space.name, AIORTC_PYTHON, CLIENT,
               "--url", server.base_url, "--room", room, "--seconds", str(RUN_SECONDS)]
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=RUN_SECONDS + 60)
    if result.returncode != 0:
        raise RuntimeError(f"aiortc publisher: exit {result.returncode}: {result.stderr.strip()[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def window_kbps(samples):
    """kbit/s sent over the last WINDOW_S seconds of the run."""
    last = samples[-1]
    first = min(samples, key=lambda s: abs(s["t"] - (last["t"] - WINDOW_S)))
    return (last["bytesSent"] - first["bytesSent"]) * 8 / (last["t"] - first["t"]) / 1000


def run_scenario(name, relay_bin, report):
    space = netns.Namespace(name[:2])
    server = None
    try:
        if name == "capped":
            space.cap_uplink(CAP_KBPS)
        server = RelayServer(relay_bin, REPO_ROOT, announced_ip=space.host_ip, http_host=space.host_ip)
        print(f"== {name}: relay at {server.base_url}, aiortc in {space.name}"
              + (f" with its uplink capped at {CAP_KBPS} kbit/s" if name == "capped" else ""), flush=True)
        result = publish_from(space, server)
        shaper = space.uplink_shaper() if name == "capped" else None
    finally:
        if server:
            server.stop()
        space.remove()
    if shaper:
        report.note(f"the cap passed {shaper[0] * 8 / 1000 / RUN_SECONDS:.0f} kbit/s on average and dropped {shaper[1]} packets")
    answer = result["answer"]
    report.check("goog-remb" in answer and "abs-send-time" in answer and "transport-cc" not in answer,
                 f"{name}: the relay answered aiortc with goog-remb and abs-send-time, no transport-cc")
    rembs, samples = result["rembs"], result["samples"]
    targets = [s["target"] for s in samples]
    kbps = window_kbps(samples)
    report.note(f"REMBs: {len(rembs)}, first {rembs[0]['bitrate'] // 1000 if rembs else '-'} kbit/s at "
                f"{rembs[0]['t'] if rembs else '-'} s, last {rembs[-1]['bitrate'] // 1000 if rembs else '-'} kbit/s; "
                f"encoder target each 5 s: {[t // 1000 if t else None for t in targets[4::5]]} kbit/s")
    report.note(f"REMBs each 3 s: {[r['bitrate'] // 1000 for r in rembs[::3]]} kbit/s; packets lost as the relay "
                f"reported them, each 5 s: {[s['packetsLost'] for s in samples[4::5]]}")
    report.check(len(rembs) >= RUN_SECONDS // 2,
                 f"{name}: {len(rembs)} REMBs in {RUN_SECONDS} s (about one a second once measured)")
    if name == "open":
        report.check(kbps > OPEN_MIN_KBPS,
                     f"open: aiortc sent {kbps:.0f} kbit/s over the last {WINDOW_S} s "
                     f"(more than {OPEN_MIN_KBPS}; it starts at 500 without REMB)")
    else:
        report.check(CAPPED_MIN_KBPS <= kbps <= CAP_KBPS,
                     f"capped: aiortc sent {kbps:.0f} kbit/s over the last {WINDOW_S} s "
                     f"(between {CAPPED_MIN_KBPS} and the {CAP_KBPS} kbit/s cap; it starts at 500)")


def main():
    scenarios = {"open": None, "capped": None}
    parser, args, chosen = scenario_arguments(__doc__, scenarios)
    if os.geteuid() != 0:
        parser.error("needs root for its network namespaces")
    if not os.access(AIORTC_PYTHON, os.X_OK):
        parser.error(f"no {AIORTC_PYTHON}: run scripts/setup.sh test")
    report = Report()
    status = run_guarded([(name, lambda n: run_scenario(n, args.relay_bin, report)) for name in chosen], report,
                         deadline_s=2 * (RUN_SECONDS + 90))
    netns.remove_all()
    sys.exit(status)


if __name__ == "__main__":
    main()
