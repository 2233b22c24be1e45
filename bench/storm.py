"""The storm scenario: a small real call on one relay worker, first alone, then while a flooder
sends the same media port random datagrams, unauthenticated STUN and forged SRTP/SRTCP
(`relay-bench load --flood-rate N`). The call must keep its packet rate and loss, and the relay
must count every flood datagram under a drop reason.
"""

# name, rooms, publishers, subscribers, audio only, video packets/s (None: real pace), verify
CALL = ("storm 1→3", 1, 1, 3, False, None, True)
SMOKE_CALL = ("smoke storm 1→2", 1, 1, 2, False, None, True)
RATE = 50_000
SMOKE_RATE = 5_000
# The call under flood may lose at most this share of its packets, and must receive at least
# this share of the packet rate it received without the flood.
MAX_LOSS = 0.01
MIN_RATE_RATIO = 0.9


def received_rate(result):
    return result["packetsDelivered"] / result["seconds"] if result["seconds"] else 0


def failures(calm, stormy):
    """What the storm run broke, as sentences; empty when it held."""
    problems = []
    flood = stormy.get("flood") or {}
    if stormy["lossRatio"] > MAX_LOSS:
        problems.append(f"the call lost {100 * stormy['lossRatio']:.2f}% of its packets under the flood (limit {100 * MAX_LOSS:.0f}%)")
    calm_rate, stormy_rate = received_rate(calm), received_rate(stormy)
    if calm_rate > 0 and stormy_rate < MIN_RATE_RATIO * calm_rate:
        problems.append(f"the call received {stormy_rate:,.0f} packets/s under the flood against {calm_rate:,.0f} without "
                        f"(under {100 * MIN_RATE_RATIO:.0f}%)")
    if not flood:
        problems.append("the storm run reported no flood")
    elif not flood["allCounted"]:
        problems.append(f"{flood['uncounted']:,} of {flood['sentTotal']:,} flood datagrams were not counted as expected "
                        f"(reasons that differ: {', '.join(flood['mismatchedReasons']) or 'none'}; "
                        f"kernel drops on the relay's socket: {flood.get('relayKernelDrops')})")
    return problems


def run(run_scenario, relay_bin, bench_bin, seconds, warmup, rate, smoke=False, log=print):
    """Both runs of the call, each on a fresh relay of the same build; returns (calm, stormy)."""
    call = SMOKE_CALL if smoke else CALL
    log(f"{call[0]} without flood ...")
    calm = run_scenario(relay_bin, bench_bin, call, seconds, warmup)
    log(f"  {received_rate(calm):,.0f} pkt/s received, {calm['videoFramesPerSecond']:.1f} fps, loss {100 * calm['lossRatio']:.3f}%")
    log(f"{call[0]} with a flood of {rate:,}/s ...")
    stormy = run_scenario(relay_bin, bench_bin, call, seconds, warmup, flood_rate=rate)
    flood = stormy["flood"]
    log(f"  {received_rate(stormy):,.0f} pkt/s received, {stormy['videoFramesPerSecond']:.1f} fps, loss {100 * stormy['lossRatio']:.3f}%; "
        f"flood {flood['achievedRate']:,.0f}/s, {flood['countedTotal']:,} of {flood['sentTotal']:,} counted")
    return calm, stormy


def decoded(result):
    d = result.get("decoded")
    if not d:
        return "not decoded"
    return (f"{d['videoFramesDecoded']:,} ({d['videoDecodeErrors']}) / {d['audioFramesDecoded']:,} ({d['audioDecodeErrors']})")


def section(calm, stormy, build):
    """The "Storm" section of RESULTS.md."""
    rows = []
    for label, r in (("without flood", calm), ("with flood", stormy)):
        f = r.get("flood")
        asked = format(f["requestedRate"], ",") if f else "–"
        achieved = format(round(f["achievedRate"]), ",") if f else "–"
        rows.append(
            f"| {label} | {asked} | {achieved} | "
            f"{r['videoFramesPerSecond']:.1f} | {received_rate(r):,.0f} | {100 * r['lossRatio']:.3f}% | "
            f"{r['latencyP50Microseconds']} / {r['latencyP99Microseconds']} / {r['latencyMaxMicroseconds']} | "
            f"{r['sfuCpuSeconds'] / r['seconds'] * 100:.0f}% | {decoded(r)} |")
    flood = stormy.get("flood") or {}
    kinds = ["randomBytes", "stunUnknownUfrag", "stunRealUfrag", "forgedSrtp", "forgedSrtcp"]
    reasons = sorted(set(flood.get("expectedDrops", {})) | set(flood.get("countedDrops", {})))
    problems = failures(calm, stormy)
    s = calm["scenario"]
    lines = [
        "## Storm", "",
        f"A call of {s['publishers']} publisher and {s['subscribers']} subscribers (VP8 and Opus at their real pace, decoded by the "
        f"subscribers) on one relay worker ({build}), once alone and once while `relay-bench load --flood-rate "
        f"{flood.get('requestedRate', 0)}` sends the same media port, from {flood.get('sockets', 0)} sockets of its own, random bytes "
        "(empty, oversized, and with a first byte in each RFC 7983 range and outside them), STUN Binding requests naming no "
        "transport, STUN naming a real transport's ufrag with a wrong integrity or remote ufrag, and SRTP/SRTCP with a "
        "publisher's real SSRC and a garbage tag; during warm-up and the "
        f"{s['seconds']:g} s window. Each run on a fresh relay.", "",
        "| run | flood asked /s | flood sent /s | video fps per stream | received pkt/s | loss | latency p50 / p99 / max µs | relay CPU "
        "| video / Opus frames decoded (errors), whole run |",
        "|---|---|---|---|---|---|---|---|---|", *rows, "",
        "Flood datagrams sent, by kind: " + ", ".join(f"{k} {flood.get('sent', {}).get(k, 0):,}" for k in kinds)
        + f" (total {flood.get('sentTotal', 0):,}; refused by the flooder's own kernel: {flood.get('refusedBySender', 0):,}). "
        f"The relay answered {flood.get('relayResponses', 0):,} of them (STUN error responses).", "",
        "| drop reason | expected from what was sent | counted by the relay (`/metrics`) |", "|---|---|---|",
        *[f"| `{r}` | {flood.get('expectedDrops', {}).get(r, 0):,} | {flood.get('countedDrops', {}).get(r, 0):,} |" for r in reasons],
        f"| total | {flood.get('sentTotal', 0):,} | {flood.get('countedTotal', 0):,} |", "",
        f"Every flood datagram counted under the reason expected of it: **{'yes' if flood.get('allCounted') else 'no'}** "
        f"(datagrams the kernel dropped on the relay's socket meanwhile: {flood.get('relayKernelDrops', 'unknown')}).", "",
        "Checks: loss under the flood at most 1%, received packet rate at least 90% of the run without it, every flood "
        "datagram counted: " + ("**passed**." if not problems else "**failed**: " + "; ".join(problems) + "."), "",
    ]
    return lines
