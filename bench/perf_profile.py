"""A `perf` profile of the relay in the max-rate scenario, taken within the benchmark's run: where
its CPU went by library and by function, written to PROFILE.md and to results.json ("profile")."""
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

RECORD_SECONDS = 5
# The generator's window: joining, reaching the rate, then the record fit in it.
GENERATOR_SECONDS = 20
# Opus frames of 20 ms: each publisher's audio packets a second, forwarded beside its video.
AUDIO_PACKETS_PER_SECOND = 50
# perf samples the relay's threads on a clock (a VM often has no hardware counters) this often a second.
FREQUENCY = 2000
TOP_FUNCTIONS = 25

# Where a sample's library puts it, first match wins.
GROUPS = [
    ("kernel: sendmmsg, loopback delivery to the subscribers' sockets, UDP receive, polling",
     lambda dso: dso.startswith("[kernel") or dso.startswith("[vdso")),
    ("OpenSSL's libcrypto: AES-128-GCM protect of every copy and unprotect of what arrives",
     lambda dso: dso.startswith("libcrypto")),
    ("libsrtp2 and the NSS libraries Debian builds it on: SRTCP protect of the relay's own reports and feedback",
     lambda dso: dso.startswith(("libsrtp2", "libnss", "libsoftokn", "libfreebl", "libnspr", "libplc", "libplds"))),
    ("libc (memory copies, allocation)",
     lambda dso: dso.startswith(("libc.so", "libc-", "libm.so"))),
    ("the Swift runtime and standard library (reference counting, exclusivity checks)",
     lambda dso: dso.startswith(("libswift", "libFoundation", "libdispatch", "libBlocksRuntime"))),
    ("the relay's own code (routing, rewriting, pacing, estimation, batching)",
     lambda dso: dso == "relay"),
]


def available():
    return shutil.which("perf") is not None


def forwarded_total(http_port):
    text = urllib.request.urlopen(f"http://127.0.0.1:{http_port}/metrics", timeout=2).read().decode()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith("relay_forwarded_packets_total"))


def wait_for_full_rate(relay, generator, wanted_per_second, timeout=90):
    """Until the relay forwards at least 80% of `wanted_per_second` over two half-second spans in
    a row: the subscribers have joined and the publisher sends at about its asked rate."""
    deadline = time.time() + timeout
    last, last_time, steady, highest = forwarded_total(relay.http_port), time.time(), 0, 0.0
    while time.time() < deadline and generator.poll() is None:
        time.sleep(0.5)
        now_total, now = forwarded_total(relay.http_port), time.time()
        rate = (now_total - last) / (now - last_time)
        last, last_time, highest = now_total, now, max(highest, rate)
        steady = steady + 1 if rate >= 0.8 * wanted_per_second else 0
        if steady >= 2:
            return rate
    raise RuntimeError(f"the relay never forwarded 80% of the scenario's {wanted_per_second:,} packets/s (at most {highest:,.0f})")


def perf_lines(data, sort, percent_limit):
    output = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", sort, "--stdio", "-g", "none",
                             "--percent-limit", str(percent_limit)], capture_output=True, text=True, check=True).stdout
    return [line for line in output.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def demangled(names):
    """Swift's symbols as a reader knows them (`swift demangle`), where the toolchain is here."""
    if not names or not shutil.which("swift"):
        return names
    result = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(names), capture_output=True, text=True)
    lines = result.stdout.splitlines()
    return lines if result.returncode == 0 and len(lines) == len(names) else names


def take(scenario, start_relay, generator_command, log=print):
    """Runs `scenario` (a max-rate row of the suite) on a fresh relay (`start_relay()`) with the
    load generator (`generator_command(relay)`), records the relay with perf once it forwards at
    the scenario's rate, and returns what results.json keeps."""
    name, _, publishers, subscribers, _, rate = scenario[:6]
    workdir = tempfile.mkdtemp(prefix="relay-profile-")
    data = os.path.join(workdir, "perf.data")
    try:
        relay = start_relay()
        try:
            generator = subprocess.Popen(generator_command(relay), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                wanted = publishers * (rate + AUDIO_PACKETS_PER_SECOND) * subscribers
                forwarding = wait_for_full_rate(relay, generator, wanted)
                log(f"  forwarding {forwarding:,.0f} packets/s; perf record for {RECORD_SECONDS} s")
                subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-F", str(FREQUENCY), "-g", "-p", str(relay.process.pid),
                                "-o", data, "--", "sleep", str(RECORD_SECONDS)],
                               capture_output=True, check=True)
            finally:
                generator.kill()
                generator.wait()
        finally:
            relay.stop()
        return summary(data, name, rate, forwarding)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def summary(data, name, rate, forwarding):
    """Shares by library and the largest functions from a recording."""
    by_library = {}
    for line in perf_lines(data, "dso", 0):
        match = re.match(r"\s*([\d.]+)%\s+(.+?)\s*$", line)
        if match:
            by_library[match.group(2)] = by_library.get(match.group(2), 0.0) + float(match.group(1))
    groups = {label: 0.0 for label, _ in GROUPS}
    groups["other"] = 0.0
    for dso, share in by_library.items():
        label = next((label for label, belongs in GROUPS if belongs(dso)), "other")
        groups[label] += share
    functions = []
    for line in perf_lines(data, "dso,sym", 0.5)[:TOP_FUNCTIONS]:
        match = re.match(r"\s*([\d.]+)%\s+(\S+)\s+\[[k.]\]\s+(.+?)\s*$", line)
        if match:
            functions.append({"share": float(match.group(1)), "library": match.group(2), "function": match.group(3)})
    for function, readable in zip(functions, demangled([f["function"] for f in functions])):
        function["function"] = readable
    return {"scenario": name, "videoPacketsPerSecond": rate, "forwardingPerSecond": forwarding, "recordSeconds": RECORD_SECONDS,
            "frequency": FREQUENCY, "byLibrary": by_library, "byGroup": groups, "topFunctions": functions}


def report(profile, machine, commands):
    groups = sorted(profile["byGroup"].items(), key=lambda item: -item[1])
    lines = [
        "# Where the relay's time goes at max rate", "",
        f"Machine: {machine}. Taken by `bench/run_bench.py` in the same run as [RESULTS.md](RESULTS.md), on the same "
        "build; every figure below is in `results.json` under `profile`.", "",
        "## Commands", "", "```sh", *commands, "```", "",
        f"The scenario `{profile['scenario']}` (one relay worker pinned to core 0, `relay-bench` on core 1, the publisher "
        f"asked for {profile['videoPacketsPerSecond']:,} video packets a second) ran on a fresh relay; once it forwarded "
        f"at the scenario's rate ({profile['forwardingPerSecond']:,.0f} packets a second), "
        f"`perf record -e cpu-clock -F {profile['frequency']} -g -p RELAY_PID -- sleep {profile['recordSeconds']}` sampled "
        "every thread of the relay. Shares are of the relay's own samples, each function counted where it ran "
        "(`perf report --no-children`). On loopback, the kernel's delivery of each datagram to the subscriber's socket "
        "runs in the sender's system call and is charged to the relay; across a network it is the receiver's.", "",
        "## By library", "",
        "| where | share of the relay's CPU |", "|---|---|",
        *[f"| {label} | {share:.1f}% |" for label, share in groups if share > 0], "",
        "## By function", "",
        f"The {len(profile['topFunctions'])} functions with the largest share (at least 0.5% each):", "",
        "| share | library | function |", "|---|---|---|",
        *[f"| {f['share']:.2f}% | {f['library']} | `{f['function'].replace('|', '¦')}` |" for f in profile["topFunctions"]], "",
    ]
    return "\n".join(lines)
