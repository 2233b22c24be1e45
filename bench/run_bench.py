#!/usr/bin/env python3
"""Runs the relay's throughput benchmark: every scenario against a fresh relay process pinned to
one core with the load generator on another, the forwarding floor of this machine at each
scenario's packet mix in the same run, and writes bench/RESULTS.md, bench/results.json and a plot
of CPU per delivered packet against fan-out.

  python3 bench/run_bench.py                 # the whole suite (release builds)
  python3 bench/run_bench.py --quick         # a short check, under 2 minutes
  python3 bench/run_bench.py --smoke --relay-bin B --bench-bin B --out DIR   # CI: packets flow
  python3 bench/run_bench.py --storm          # only the storm (a call with and without a flood): STORM.md
  python3 bench/run_bench.py --quick --baseline-bin OLD_RELAY --baseline-name NAME
      # also every scenario on an older relay binary, side by side, and the cost of congestion
      # control at max rate in alternating rounds ("Congestion control cost" in RESULTS.md)
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import cc_cost
import perf_profile
import results_report
import storm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRATCH = os.environ.get("RELAY_SCRATCH", "/var/tmp/relay-build")

# name, rooms, publishers, subscribers, audio only, video packets/s per publisher (None: real
# pace), whether the subscribers decode everything with libvpx and libopus, and whether the
# publishers send three simulcast layers (the receive-only subscribers then show them at mixed
# tile sizes and on mixed downlinks: 160x90, 320x180, no size, no size behind 1 Mbit/s, in turn)
FULL = [
    ("1→1", 1, 1, 1, False, None),
    ("1→10", 1, 1, 10, False, None),
    ("1→50 broadcast", 1, 1, 50, False, None),
    ("5×5 room", 1, 5, 0, False, None),
    ("10×10 room", 1, 10, 0, False, None),
    ("25 audio-only", 1, 25, 0, True, None),
    ("1→50 max rate", 1, 1, 50, False, 3000),
    ("1→3 decoded", 1, 1, 3, False, None, True),
    ("2→8 simulcast", 1, 2, 8, False, None, False, True),
]
QUICK = [
    ("1→1", 1, 1, 1, False, None),
    ("1→10", 1, 1, 10, False, None),
    ("1→50 max rate", 1, 1, 50, False, 3000),
    ("1→3 decoded", 1, 1, 3, False, None, True),
    ("2→8 simulcast", 1, 2, 8, False, None, False, True),
]
SWEEP_RATES = [1000, 2000, 4000, 6000, 8000, 10000, 12000, 16000]
# The media worker's scheduling: ordinary, or SCHED_FIFO at this priority (`relay serve --media-realtime-priority`).
REALTIME_PRIORITY = 10
SCHEDULING = {"ordinary": [], "SCHED_FIFO": ["--media-realtime-priority", str(REALTIME_PRIORITY)]}
# The 1→50 row at half the sweep's knee: rounds of each scheduling of the relay's media worker.
# The load generator stays ordinary: near its core's limit there, under SCHED_FIFO the kernel's
# real-time throttling (sched_rt_runtime_us) stopped it for tens of milliseconds at a time, and
# what fell due meanwhile reached the relay in bursts (p99 held ≤ 20 ms against ≤ 2–5 ms).
HALF_KNEE_ROUNDS = 2
HALF_KNEE_SECONDS = 6


def pinning():
    """The SFU on core 0 and the load generator on core 1 (`taskset`), so each has a core of its
    own and a row can tell whose ran out; nothing on a single-core machine."""
    if (os.cpu_count() or 1) >= 2 and shutil.which("taskset"):
        return ["taskset", "-c", "0"], ["taskset", "-c", "1"]
    return [], []


SFU_PIN, GENERATOR_PIN = pinning()


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url, what, on_failure):
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    on_failure()
    raise RuntimeError(f"{what} did not start")


def stop_process(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load_generator_options(binary):
    """The load generator joins from one address far more often than a person: the relay's
    per-address limits are lifted, and HTTPS is off, where the binary has the options (the
    baseline may predate them)."""
    help_text = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True).stdout
    options = []
    if "--joins-per-minute-per-ip" in help_text:
        options += ["--max-sockets-per-ip", "100000", "--joins-per-minute-per-ip", "1000000"]
    # The benchmark speaks plain HTTP; a second relay must not race for the HTTPS port.
    if "--no-https" in help_text:
        options.append("--no-https")
    # Stopped at the end of a scenario, it exits at once rather than drain.
    if "--drain-timeout" in help_text:
        options += ["--drain-timeout", "0"]
    return options


class Relay:
    """One relay process on free ports, one media worker (pinned to core 0) unless asked for
    more (then on every core), stopped by PID."""

    def __init__(self, binary, extra_args=(), workers=1):
        self.http_port = free_port()
        self.media_port = free_port(socket.SOCK_DGRAM) if workers == 1 else 0
        self.workdir = tempfile.mkdtemp(prefix="relay-bench-")
        self.log = open(os.path.join(self.workdir, "relay.log"), "w")
        self.process = subprocess.Popen(
            (SFU_PIN if workers == 1 else []) + [binary, "serve", "--http-host", "127.0.0.1", "--http-port", str(self.http_port),
             "--media-port", str(self.media_port), "--workers", str(workers), "--announced-ip", "127.0.0.1"]
            + load_generator_options(binary) + list(extra_args),
            cwd=self.workdir, stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_http(f"http://127.0.0.1:{self.http_port}/healthz", "the relay", self.stop)

    def stop(self):
        stop_process(self.process)
        self.log.close()
        subprocess.run(["rm", "-rf", self.workdir], check=False)


class Janus:
    """A private Janus on loopback with only VideoRoom and the HTTP API (bench/janus/), its
    getifaddrs() limited to 127.0.0.1 by a preloaded shim; stopped by PID."""

    LIBRARIES = "/usr/lib/x86_64-linux-gnu/janus"

    def __init__(self):
        self.http_port = free_port()
        self.workdir = tempfile.mkdtemp(prefix="janus-bench-")
        folders = {name: os.path.join(self.workdir, name) for name in ("conf", "plugins", "transports", "empty")}
        for folder in folders.values():
            os.makedirs(folder)
        os.symlink(f"{self.LIBRARIES}/plugins/libjanus_videoroom.so", os.path.join(folders["plugins"], "libjanus_videoroom.so"))
        os.symlink(f"{self.LIBRARIES}/transports/libjanus_http.so", os.path.join(folders["transports"], "libjanus_http.so"))
        rtp = free_port(socket.SOCK_DGRAM)
        values = {"@CONFIGS@": folders["conf"], "@PLUGINS@": folders["plugins"], "@TRANSPORTS@": folders["transports"],
                  "@EMPTY@": folders["empty"], "@RTP_PORTS@": f"{20000 + rtp % 20000}-{20000 + rtp % 20000 + 999}",
                  "@HTTP_PORT@": str(self.http_port)}
        for name in ("janus.jcfg", "janus.plugin.videoroom.jcfg", "janus.transport.http.jcfg"):
            text = open(os.path.join(ROOT, "bench", "janus", name)).read()
            for key, value in values.items():
                text = text.replace(key, value)
            open(os.path.join(folders["conf"], name), "w").write(text)
        shim = os.path.join(self.workdir, "loopback_only.so")
        subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-o", shim, os.path.join(ROOT, "bench", "janus", "loopback_only.c"), "-ldl"], check=True)
        self.log_path = os.path.join(self.workdir, "janus.log")
        self.process = subprocess.Popen(
            SFU_PIN + ["janus", "-F", folders["conf"], "-C", os.path.join(folders["conf"], "janus.jcfg"), "-N", "-L", self.log_path],
            env=dict(os.environ, LD_PRELOAD=shim), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_http(f"http://127.0.0.1:{self.http_port}/janus/info", "Janus", self.stop)

    def stop(self):
        stop_process(self.process)
        subprocess.run(["rm", "-rf", self.workdir], check=False)


def run_scenario(relay_bin, bench_bin, scenario, seconds, warmup, target="relay", expect_feedback=False, flood_rate=0, max_seconds=None,
                 relay_args=(), workers=1):
    """One scenario on a fresh SFU; with `max_seconds`, the window grows (up to that) until the
    SFU has used a second of CPU in it."""
    relay = Relay(relay_bin, relay_args, workers) if target == "relay" else Janus()
    try:
        command = generator_command(bench_bin, relay, scenario, seconds, warmup, target)
        if expect_feedback:
            command.append("--expect-feedback")
        if flood_rate:
            command += ["--flood-rate", str(flood_rate)]
        if max_seconds:
            command += ["--min-cpu-seconds", str(results_report.CPU_RESOLUTION_SECONDS), "--max-seconds", str(max_seconds)]
        output = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if output.returncode != 0:
            raise RuntimeError(f"relay-bench failed on {name} against {target}: {output.stderr.strip()[-800:]}")
        return json.loads(output.stdout.strip().splitlines()[-1])
    finally:
        relay.stop()


def generator_command(bench_bin, sfu, scenario, seconds, warmup, target="relay"):
    """`relay-bench load` driving `scenario` against a running SFU, on the generator's core."""
    name, rooms, publishers, subscribers, audio_only, rate = scenario[:6]
    command = GENERATOR_PIN + [bench_bin, "load", "--target", target, "--http-port", str(sfu.http_port), "--relay-pid", str(sfu.process.pid),
                               "--name", name, "--rooms", str(rooms), "--publishers", str(publishers),
                               "--subscribers", str(subscribers), "--seconds", str(seconds), "--warmup", str(warmup)]
    if audio_only:
        command.append("--audio-only")
    if rate:
        command += ["--video-packets-per-second", str(rate)]
    if len(scenario) > 6 and scenario[6]:
        command.append("--verify")
    if is_simulcast(scenario):
        command.append("--simulcast")
    return command


def run_half_knee(args, sweep):
    """1→50 at half the sweep's knee, `HALF_KNEE_ROUNDS` rounds of the media worker under ordinary
    scheduling and under SCHED_FIFO (`relay serve --media-realtime-priority`), alternating which
    goes first: how long a relay about half loaded holds its packets. None when no row of the sweep reached a knee or passed 0.5% loss."""
    knee, generator_first = results_report.knee(sweep)
    # Without a knee of the relay alone, the first row past 0.5% loss: the relay carried at
    # least that much, so half of it still loads the relay less than half.
    knee = knee or generator_first
    if not knee:
        return None
    rate = results_report.half_knee_video_rate(knee)
    scenario = ("1→50 at half the knee", 1, 1, 50, False, rate)
    runs = []
    for index in range(HALF_KNEE_ROUNDS):
        order = list(SCHEDULING.items())
        for label, relay_args in order if index % 2 == 0 else reversed(order):
            print(f"1→50 at half the knee ({rate} video pkt/s), {label} ...", flush=True)
            try:
                result = run_scenario(args.relay_bin, args.bench_bin, scenario, HALF_KNEE_SECONDS, 1, relay_args=relay_args)
            except (RuntimeError, subprocess.SubprocessError, ValueError) as error:
                # The system may refuse real-time priority (no CAP_SYS_NICE, RLIMIT_RTPRIO 0).
                print(f"  failed: {str(error).strip()[-300:]}", flush=True)
                runs.append({"scheduling": label, "error": str(error).strip().splitlines()[-1][:300]})
                continue
            counted = result.get("relayCounted") or {}
            print(f"  held p50 / p99 ≤ {counted.get('heldP50AtMostMicroseconds')} / ≤ {counted.get('heldP99AtMostMicroseconds')} µs, "
                  f"loss {100 * result['lossRatio']:.3f}%", flush=True)
            runs.append({"scheduling": label, "result": result})
    return {"kneeOffered": results_report.offered(knee), "kneeLimitedBy": results_report.limited_by(knee),
            "videoPacketsPerSecond": rate, "runs": runs}


def is_simulcast(scenario):
    """Simulcast scenarios run on the relay only: Janus's VideoRoom and the baseline relay are
    measured on one layer per camera."""
    return len(scenario) > 7 and scenario[7]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="five short scenarios (QUICK), a few minutes")
    parser.add_argument("--smoke", action="store_true", help="one tiny scenario: packets flow and the report is written")
    parser.add_argument("--storm", action="store_true", help="only the storm: a call without, then with a flood of its media port")
    parser.add_argument("--storm-rate", type=int, help=f"flood datagrams a second (default {storm.RATE:,}, {storm.SMOKE_RATE:,} with --smoke)")
    parser.add_argument("--no-storm", dest="with_storm", action="store_false", help="skip the storm in a full or smoke run")
    parser.add_argument("--relay-bin", default=os.path.join(SCRATCH, "release", "relay"))
    parser.add_argument("--bench-bin", default=os.path.join(SCRATCH, "release", "relay-bench"))
    parser.add_argument("--out", default=os.path.join(ROOT, "bench"))
    parser.add_argument("--no-janus", dest="janus", action="store_false", help="skip the same load on Janus")
    parser.add_argument("--baseline-bin", help="an older relay binary to run every scenario on too, side by side")
    parser.add_argument("--baseline-arg", action="append", default=[], metavar="ARG",
                        help="an option given to the baseline's relay serve (repeatable); without --baseline-bin the "
                             "baseline is --relay-bin with these options, e.g. --baseline-arg=--no-udp-segmentation")
    parser.add_argument("--baseline-name", default="baseline", help="what the report calls the baseline (e.g. its commit)")
    parser.add_argument("--cost-rounds", type=int, help="alternating baseline/new rounds of the max-rate scenario (default 5, 2 with --quick)")
    parser.add_argument("--scenario", action="append", dest="only", metavar="NAME",
                        help="only the scenarios of the full suite with this name (repeatable), no sweep")
    parser.add_argument("--no-profile", dest="profile", action="store_false",
                        help="skip the perf profile of the max-rate scenario a full run writes to PROFILE.md")
    parser.add_argument("--no-feedback-check", dest="feedback_check", action="store_false",
                        help="do not require transport-wide feedback from the relay under test (for an older --relay-bin)")
    args = parser.parse_args()
    started = time.time()
    if args.storm:
        return storm_only(args, started)

    if args.smoke:
        scenarios, seconds, warmup, sweep_rates = [("smoke 1→2", 1, 1, 2, False, None, True)], 2, 0.5, []
        args.janus = False
    elif args.quick:
        scenarios, seconds, warmup, sweep_rates = QUICK, 3, 1, []
    else:
        scenarios, seconds, warmup, sweep_rates = FULL, 6, 1, SWEEP_RATES
    if args.only:
        unknown = set(args.only) - {s[0] for s in FULL}
        if unknown:
            parser.error(f"no scenario named {', '.join(sorted(unknown))} (the full suite has {', '.join(s[0] for s in FULL)})")
        scenarios, sweep_rates = [s for s in FULL if s[0] in args.only], []
    if args.baseline_arg and not args.baseline_bin:
        args.baseline_bin = args.relay_bin
    if args.baseline_bin and not os.access(args.baseline_bin, os.X_OK):
        parser.error(f"--baseline-bin {args.baseline_bin} is not an executable")
    rounds_wanted = args.cost_rounds if args.cost_rounds is not None else 0 if args.smoke else 2 if args.quick else 5

    # The full suite grows a low-rate row's window until it holds a second of the SFU's CPU.
    max_seconds = None if args.smoke or args.quick else 20
    results = []
    baseline = {}
    rounds = []

    def run_new(scenario):
        result = run_scenario(args.relay_bin, args.bench_bin, scenario, seconds, warmup, expect_feedback=args.feedback_check,
                              max_seconds=max_seconds)
        c = result["congestion"]
        print(f"  {result['deliveredPerSecond']:,.0f} pkt/s, {result['sfuCpuNsPerDelivered']:,.0f} ns/pkt, loss {100 * result['lossRatio']:.3f}%, "
              f"feedback to publishers {c['publisherFeedback']}, from subscribers {c['subscriberFeedbackSent']}", flush=True)
        return result

    def run_baseline(scenario):
        print(f"{scenario[0]} on {args.baseline_name} ...", flush=True)
        result = run_scenario(args.baseline_bin, args.bench_bin, scenario, seconds, warmup, max_seconds=max_seconds,
                              relay_args=args.baseline_arg)
        print(f"  {result['deliveredPerSecond']:,.0f} pkt/s, {result['sfuCpuNsPerDelivered']:,.0f} ns/pkt, loss {100 * result['lossRatio']:.3f}%", flush=True)
        return result

    for scenario in scenarios:
        print(f"{scenario[0]} ...", flush=True)
        result = run_new(scenario)
        results.append(result)
        if args.baseline_bin and not is_simulcast(scenario):
            baseline[scenario[0]] = run_baseline(scenario)
            if cc_cost.is_max_rate(scenario) and rounds_wanted > 0:
                rounds.append(("new, then " + args.baseline_name, baseline[scenario[0]], result))
                # Further rounds alternate which relay goes first.
                for index in range(1, rounds_wanted):
                    print(f"{scenario[0]}, cost round {index + 1} ...", flush=True)
                    if index % 2:
                        base = run_baseline(scenario)
                        print(f"{scenario[0]} ...", flush=True)
                        rounds.append((args.baseline_name + ", then new", base, run_new(scenario)))
                    else:
                        new = run_new(scenario)
                        rounds.append(("new, then " + args.baseline_name, run_baseline(scenario), new))
    janus = {}
    if args.janus and shutil.which("janus"):
        for scenario in (s for s in scenarios if not is_simulcast(s)):
            print(f"{scenario[0]} on Janus ...", flush=True)
            try:
                result = run_scenario(args.relay_bin, args.bench_bin, scenario, seconds, warmup, target="janus", max_seconds=max_seconds)
                print(f"  {result['deliveredPerSecond']:,.0f} pkt/s, {result['sfuCpuNsPerDelivered']:,.0f} ns/pkt, loss {100 * result['lossRatio']:.3f}%", flush=True)
                janus[scenario[0]] = result
            except (RuntimeError, subprocess.SubprocessError, ValueError) as error:
                print(f"  failed: {error}", flush=True)
                janus[scenario[0]] = str(error).splitlines()[-1][:300]
    sweep = []
    for rate in sweep_rates:
        print(f"sweep 1→50 at {rate} video pkt/s ...", flush=True)
        result = run_scenario(args.relay_bin, args.bench_bin, ("1→50 sweep", 1, 1, 50, False, rate), 4, 1)
        print(f"  {result['deliveredPerSecond']:,.0f} pkt/s, loss {100 * result['lossRatio']:.3f}%", flush=True)
        sweep.append(result)
        if result["lossRatio"] > 0.005:
            break
    half_knee = run_half_knee(args, sweep) if sweep else None

    profile = None
    if args.profile and not args.smoke and not args.quick and not args.only:
        if perf_profile.available():
            print("profile of 1→50 max rate ...", flush=True)
            max_rate = next(s for s in FULL if cc_cost.is_max_rate(s))
            try:
                profile = perf_profile.take(
                    max_rate, lambda: Relay(args.relay_bin),
                    lambda relay: generator_command(args.bench_bin, relay, max_rate, perf_profile.GENERATOR_SECONDS, 1),
                    log=lambda line: print(line, flush=True))
            except (RuntimeError, OSError, subprocess.SubprocessError) as error:
                # perf may be refused (kernel.perf_event_paranoid, a container): the run's figures still stand.
                print(f"  profile failed, PROFILE.md left as it was: {str(error).strip()[-300:]}", flush=True)
        else:
            print("profile: perf is not installed (linux-perf), PROFILE.md left as it was", flush=True)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"machine": results_report.machine(), "pinned": bool(SFU_PIN), "scenarios": results, "janus": janus, "sweep": sweep,
                   "baseline": {"name": args.baseline_name, "scenarios": baseline,
                                "maxRateRounds": [{"order": o, "baseline": b, "new": n} for o, b, n in rounds]},
                   "profile": profile, "halfKnee": half_knee}, f, indent=1)
    plotted = results_report.plot(results, [r for r in janus.values() if isinstance(r, dict)], os.path.join(args.out, "cpu-per-packet.png"))
    mode = " --smoke" if args.smoke else " --quick" if args.quick else ""
    mode += "".join(f" --scenario '{name}'" for name in args.only or [])
    commands = os.environ.get("RELAY_BENCH_COMMANDS", "bash bench/run.sh" + mode).split("\n")
    cost = (baseline, rounds, args.baseline_name) if baseline else None
    # The storm: with the full suite and, shorter, with the smoke run (not --quick).
    storm_lines, storm_problems = [], []
    if args.with_storm and not args.quick and not args.only:
        rate = args.storm_rate or (storm.SMOKE_RATE if args.smoke else storm.RATE)
        calm, stormy = storm.run(run_scenario, args.relay_bin, args.bench_bin, 2 if args.smoke else 6, 0.5 if args.smoke else 1,
                                 rate, smoke=args.smoke, log=lambda line: print(line, flush=True))
        storm_lines = storm.section(calm, stormy, build_name(args.relay_bin))
        storm_problems = storm.failures(calm, stormy)
        with open(os.path.join(args.out, "results.json")) as f:
            saved = json.load(f)
        saved["storm"] = {"withoutFlood": calm, "withFlood": stormy}
        with open(os.path.join(args.out, "results.json"), "w") as f:
            json.dump(saved, f, indent=1)
    if profile:
        with open(os.path.join(args.out, "PROFILE.md"), "w") as f:
            f.write(perf_profile.report(profile, results_report.machine(), commands))
    with open(os.path.join(args.out, "RESULTS.md"), "w") as f:
        f.write(results_report.report(results, janus, sweep, commands, plotted, time.time() - started, bool(SFU_PIN), cost,
                                      storm_lines, args.out, profiled=profile is not None, half_knee=half_knee))
    if rounds:
        print(cc_cost.verdict(rounds)[1], flush=True)
    if args.smoke:
        if not all(r["packetsDelivered"] > 0 for r in results):
            print("smoke: no packets were delivered", file=sys.stderr)
            return 1
        congestion = results[0]["congestion"]
        if args.feedback_check and (not congestion["publisherFeedback"] or min(congestion["publisherFeedback"]) == 0 or congestion["subscriberFeedbackSent"] == 0):
            print(f"smoke: transport-wide feedback did not flow both ways: {congestion}", file=sys.stderr)
            return 1
        decoded = results[0]["decoded"]
        if (decoded["videoFramesDecoded"] == 0 or decoded["audioFramesDecoded"] == 0 or decoded["videoDecodeErrors"] or decoded["audioDecodeErrors"]
                or decoded["videoFramesNotMatching"] or decoded["videoFramesMatching"] != decoded["videoFramesDecoded"]
                or decoded["videoFramesDecoded"] < 0.95 * decoded["videoFramesExpected"]):
            print(f"smoke: the media did not arrive intact: {decoded}", file=sys.stderr)
            return 1
    if storm_problems:
        print("storm: " + "; ".join(storm_problems), file=sys.stderr)
        return 1
    print(f"wrote {os.path.join(args.out, 'RESULTS.md')} in {time.time() - started:.0f} s")
    return 0


def build_name(relay_bin):
    """Which build a binary is, from its path: the storm's figures differ a lot between them."""
    parts = os.path.normpath(relay_bin).split(os.sep)
    return "release build" if "release" in parts else "debug build" if "debug" in parts else f"`{relay_bin}`"


def storm_only(args, started):
    """`--storm`: the storm alone, written to STORM.md and storm.json (RESULTS.md is the suite's)."""
    rate = args.storm_rate or (storm.SMOKE_RATE if args.smoke else storm.RATE)
    calm, stormy = storm.run(run_scenario, args.relay_bin, args.bench_bin, 2 if args.smoke else 6, 0.5 if args.smoke else 1,
                             rate, smoke=args.smoke, log=lambda line: print(line, flush=True))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "storm.json"), "w") as f:
        json.dump({"machine": results_report.machine(), "storm": {"withoutFlood": calm, "withFlood": stormy}}, f, indent=1)
    command = os.environ.get("RELAY_BENCH_COMMANDS", "python3 bench/run_bench.py --storm" + (" --smoke" if args.smoke else ""))
    lines = ["# Relay storm benchmark", "",
             f"Machine: {results_report.machine()}. Written by `bench/run_bench.py --storm` in {time.time() - started:.0f} s.", "",
             "## Commands", "", "```sh", *command.split("\n"), "```", "", *storm.section(calm, stormy, build_name(args.relay_bin))]
    with open(os.path.join(args.out, "STORM.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    problems = storm.failures(calm, stormy)
    if problems:
        print("storm: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"wrote {os.path.join(args.out, 'STORM.md')} in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
