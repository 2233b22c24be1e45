"""The report of a benchmark run: bench/RESULTS.md's sections and the plot, from the results
run_bench.py collected. Every figure in them comes from that one run."""
import os
import platform

import cc_cost

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# A row's CPU figure rests on at least this much CPU time, or says it does not.
CPU_RESOLUTION_SECONDS = 1.0


def simulcast_section(results):
    rows = [r for r in results if r.get("receivedByTile")]
    if not rows:
        return []
    lines = [
        "## Simulcast", "",
        "Publishers send VP8 at 160×90 (`q`, 100 kbit/s), 320×180 (`h`, 400 kbit/s) and 640×360 (`f`, 1.2 Mbit/s), "
        "each layer on its own SSRC with its RID, as a browser's simulcast does. The receive-only subscribers tell the "
        "relay (`tile`) that they show the publishers at 160×90, at 320×180, or say nothing, and the last of each four "
        "says nothing but sits behind a 1 Mbit/s downlink (a policer in the load generator: what exceeds the rate is "
        "dropped unread, so the relay's estimate of that path comes down with the loss in its feedback); each gets the "
        "smallest layer that covers its tile, or, without a size, the top layer its estimate allows (estimates start at "
        "300 kbit/s and are probed up, so the warm-up includes switches). The relay's CPU per delivered packet is in the "
        "table above (its loss counts the subscribers without a thin downlink); what each subscriber received (video "
        "and audio, kbit/s, after its downlink):", "",
        "| scenario | tile | subscribers | kbit/s received, each |", "|---|---|---|---|",
    ]
    for r in rows:
        for tile, rates in sorted(r["receivedByTile"].items()):
            lines.append(f"| {r['scenario']['name']} | {tile} | {len(rates)} | {', '.join(f'{x:,.0f}' for x in rates)} |")
    return lines + [""]


def floor_per_packet(result):
    """The floor of a row at its own packet mix: protect + sendmmsg per packet out, and the
    recvmmsg and the cheaper unprotect of a packet in shared by its fan-out."""
    measured = result["floor"]
    protect = min(measured["libsrtpProtectNs"], measured["evpGcmSealNs"])
    unprotect = min(measured["libsrtpUnprotectNs"], measured["evpGcmUnprotectNs"])
    return protect + measured["sendmmsgPerPacketNs"] + (measured["recvmmsgPerPacketNs"] + unprotect) / max(fan_out(result), 1)


def cpu_cell(result):
    """CPU per delivered packet, marked when the window held under a second of the SFU's CPU."""
    mark = "" if result["sfuCpuSeconds"] >= CPU_RESOLUTION_SECONDS else " †"
    return f"{result['sfuCpuNsPerDelivered']:,.0f}{mark}"


def limited_by(result):
    """Whose core or sockets ran out in a row. Drops name the culprit first: a full socket of the
    generator's makes loss that is not the SFU's, a full socket of the SFU's is the SFU's."""
    m = result["machine"]
    if set(m["sfuCores"]) & set(m["generatorCores"]):
        return "not pinned"
    sfu_full, generator_full = m["sfuCoreBusy"] >= 0.9, m["generatorCoreBusy"] >= 0.9
    if (m.get("generatorSocketDrops") or 0) > 0:
        return "**load generator** (its sockets overflowed)"
    if (m.get("sfuSocketDrops") or 0) > 0:
        return "SFU (its socket overflowed)"
    if sfu_full and generator_full:
        return "both cores full"
    if sfu_full:
        return "SFU"
    if generator_full:
        return "**load generator**"
    return "neither"


def held_cell(result):
    """The relay's own receive-to-send time (the bucket bounds holding half and 99% of it)."""
    c = result.get("relayCounted") or {}
    if not c.get("heldTimed"):
        return "–"
    show = lambda value: "> 1 s" if value is None else f"≤ {value:,.0f}"
    return f"{show(c.get('heldP50AtMostMicroseconds'))} / {show(c.get('heldP99AtMostMicroseconds'))}"


def paced_cell(result):
    """Video that waited for its subscribers' pacing budget: its share of what the relay queued
    for sending, and the bucket bound holding 99% of the waits."""
    c = result.get("relayCounted") or {}
    paced = c.get("pacedTimed")
    if paced is None:
        return "–"
    if paced == 0:
        return "none"
    share = paced / c["forwarded"] if c.get("forwarded") else 0
    wait = c.get("pacingWaitP99AtMostMicroseconds")
    return f"{100 * share:.1f}% / {'> 1 s' if wait is None else f'≤ {wait:,.0f}'}"


def offered(result):
    """What the publisher managed to send (audio included), times the fan-out."""
    return result["packetsSent"] / result["seconds"] * fan_out(result)


# A sweep row whose packets the relay held longer than this at the median is past its knee,
# lossless or not: the rate is carried by a queue, not forwarded in real time.
QUEUE_KNEE_MICROSECONDS = 5000


def queued(result):
    """Whether the relay held half of the row's datagrams longer than `QUEUE_KNEE_MICROSECONDS`."""
    counted = result.get("relayCounted") or {}
    if not counted.get("heldTimed"):
        return False
    held = counted.get("heldP50AtMostMicroseconds")
    return held is None or held > QUEUE_KNEE_MICROSECONDS


def knee(sweep):
    """The sweep's first row where the relay queued (`queued`) or loss passed 0.5%, as (the
    relay's knee, None) when the relay queued or limited the loss, (None, that row) when the load
    generator limited it, (None, None) when no row did either."""
    for r in sweep:
        if queued(r):
            return r, None
        if r["lossRatio"] > 0.005:
            return (r, None) if limited_by(r).startswith("SFU") else (None, r)
    return None, None


def knee_line(sweep):
    knee_row, generator_first = knee(sweep)
    if knee_row and queued(knee_row):
        return (f"Knee: at {round(offered(knee_row)):,} packets/s offered the relay held half its packets over "
                f"{QUEUE_KNEE_MICROSECONDS / 1000:.0f} ms (loss {100 * knee_row['lossRatio']:.3f}%): what it carried there "
                "waited in a queue.")
    if knee_row:
        return f"Knee: loss passed 0.5% at {round(offered(knee_row)):,} packets/s offered, limited by {limited_by(knee_row)}."
    if generator_first:
        return (f"No knee of the relay alone: loss passed 0.5% first at {round(offered(generator_first)):,} "
                f"packets/s offered, limited by {limited_by(generator_first)}.")
    return "Knee: not reached in the sweep."


def half_knee_video_rate(knee_row):
    """The 1→50 publisher's video packets a second (in steps of 50) that offer half of what the
    knee's row offered, its 50 audio packets a second included."""
    video = offered(knee_row) / 2 / fan_out(knee_row) - 50
    return max(50, int(round(video / 50)) * 50)


def within_millisecond(result):
    share = (result.get("relayCounted") or {}).get("heldWithinMillisecond")
    return "–" if share is None else f"{100 * share:.2f}%"


def half_knee_lines(sweep, knee_row, half_knee=None):
    """How long a relay about half loaded holds packets: the 1→50 row run at half the knee under
    each scheduling of its media worker (`run_bench.run_half_knee`), else the sweep's nearest row.
    Without a knee of the relay alone, half of the first row past 0.5% loss."""
    first_loss = knee_row or knee(sweep)[1]
    if not first_loss:
        return []
    half = offered(first_loss) / 2
    named = "the knee" if knee_row else f"the first row past 0.5% loss (limited by {limited_by(first_loss)})"
    if half_knee and half_knee.get("runs"):
        rows = []
        for run in half_knee["runs"]:
            r = run.get("result")
            if r is None:
                rows.append(f"| {run['scheduling']} | failed: {run.get('error', '')} | | | | | | |")
                continue
            m = r["machine"]
            rows.append(f"| {run['scheduling']} | {offered(r):,.0f} | {held_cell(r)} | {within_millisecond(r)} | "
                        f"{r['latencyP50Microseconds']} / {r['latencyP99Microseconds']} / {r['latencyMaxMicroseconds']} | "
                        f"{cpu_cell(r)} | {100 * m['sfuCoreBusy']:.0f}% / {100 * m['generatorCoreBusy']:.0f}% | {100 * r['lossRatio']:.3f}% |")
        return ["", "### At half the knee", "",
                f"Half of {named} is {half:,.0f} packets/s offered: the 1→50 row ran again at "
                f"{half_knee['videoPacketsPerSecond']:,} video packets/s, with its media worker under ordinary scheduling "
                "beside the relay's other threads and the machine's own on its core, and under SCHED_FIFO "
                "(`relay serve --media-realtime-priority`), which nothing of ordinary priority interrupts; in turns, "
                "alternating which went first, each on a fresh relay. The load generator stays ordinary on its own "
                "core: when it is interrupted there it sends what fell due meanwhile in one burst, and the relay holds "
                "the burst's last packets while it fans out the first, so its core's load is beside the figures. Held "
                "is the relay's own receive-to-send time as above, and the share of its datagrams held at most 1 ms.", "",
                "| scheduling | offered pkt/s | held p50 / p99 µs | held ≤ 1 ms | latency p50 / p99 / max µs | Relay CPU ns/pkt | "
                "core busy, relay / generator | loss |",
                "|---|---|---|---|---|---|---|---|", *rows]
    if not knee_row:
        return []
    row = min(sweep, key=lambda r: abs(offered(r) - half))
    return ["", f"Half the knee: {half:,.0f} packets/s offered; the nearest row, {offered(row):,.0f} packets/s "
                f"({row['scenario']['videoPacketsPerSecond']} video packets/s asked), had its packets held by the relay "
                f"p50 / p99 {held_cell(row)} µs, its media worker under ordinary scheduling beside the relay's other "
                f"threads on its core."]


def drops_cell(result):
    m = result["machine"]
    show = lambda value: "–" if value is None else f"{value:,}"
    return f"{show(m.get('sfuSocketDrops'))} / {show(m.get('generatorSocketDrops'))}"


def machine_row(result, sfu):
    m = result["machine"]
    return (f"| {result['scenario']['name']} | {sfu} | {result['seconds']:.1f} | {result['sfuCpuSeconds']:.2f} | "
            f"{100 * m['sfuCoreBusy']:.0f}% ({','.join(map(str, m['sfuCores']))}) | "
            f"{100 * m['generatorCoreBusy']:.0f}% ({','.join(map(str, m['generatorCores']))}) | {drops_cell(result)} | {limited_by(result)} |")


def segmented_cell(floor, key="segmentedSendPerPacketNs"):
    """A segmented send's cost and its ratio to sendmmsg's; '–' where it was not measured."""
    value = floor.get(key)
    if value is None:
        return "–"
    return f"{value:,.0f} ({value / floor['sendmmsgPerPacketNs']:.2f}×)" if floor["sendmmsgPerPacketNs"] else f"{value:,.0f}"


def floor_row(result):
    f = result["floor"]
    return (f"| {result['scenario']['name']} | {f['meanPacketBytes']:,.0f} | {f['libsrtpProtectNs']:,.0f} | {f['evpGcmSealNs']:,.0f} | "
            f"{f['sendmmsgPerPacketNs']:,.0f} | {segmented_cell(f)} | {segmented_cell(f, 'segmentedWholeSendPerPacketNs')} | {f['recvmmsgPerPacketNs']:,.0f} | {f['libsrtpUnprotectNs']:,.0f} | {f['evpGcmUnprotectNs']:,.0f} | {fan_out(result)} | "
            f"{floor_per_packet(result):,.0f} |")


def counted_row(result):
    c = result.get("relayCounted")
    if not c:
        return None
    drops = ", ".join(f"{reason} {count:,}" for reason, count in sorted(c["dropsByReason"].items())) or "none"
    return (f"| {result['scenario']['name']} | {result['packetsDelivered']:,} | {result['packetsLost']:,} | {result['duplicatePackets']:,} | "
            f"{c['forwarded']:,} | {drops} |")


def fan_out(result):
    s = result["scenario"]
    return s["publishers"] - 1 + s["subscribers"]


def machine():
    model = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def plot(results, janus_results, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    points = sorted((fan_out(r), r["sfuCpuNsPerDelivered"], r["scenario"]["name"], floor_per_packet(r)) for r in results if r["packetsDelivered"] > 0)
    figure, axes = plt.subplots(figsize=(7, 4.2), dpi=110)
    axes.plot([p[0] for p in points], [p[1] for p in points], "o-", label="Relay (CPU ns per delivered packet)")
    for x, y, name, _ in points:
        axes.annotate(name, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7)
    janus_points = sorted((fan_out(r), r["sfuCpuNsPerDelivered"]) for r in janus_results if r["packetsDelivered"] > 0)
    if janus_points:
        axes.plot([p[0] for p in janus_points], [p[1] for p in janus_points], "s-", color="tab:red", label="Janus VideoRoom (same load)")
    axes.plot([p[0] for p in points], [p[3] for p in points], "k+", markersize=9,
              label="floor of each row at its packet mix (protect + sendmmsg + (recvmmsg + unprotect)/fan-out)")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("fan-out (subscribers per published track)")
    axes.set_ylabel("CPU ns per delivered packet")
    axes.set_title("Relay forwarding cost on this machine")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path)
    return True


def report(results, janus, sweep, commands, plotted, seconds, pinned, cost=None, storm_lines=(), out=os.path.join(ROOT, "bench"),
           profiled=False, half_knee=None):
    rows = []
    for r in results:
        floor_ns = floor_per_packet(r)
        j = janus.get(r["scenario"]["name"])
        if isinstance(j, dict) and j["sfuCpuNsPerDelivered"] > 0:
            janus_latency = f"{j['latencyP50Microseconds']} / {j['latencyP99Microseconds']}" if j["latencyP99Microseconds"] else "–"
            janus_cells = (f"{cpu_cell(j)} | {100 * j['lossRatio']:.3f}% | {janus_latency} | "
                           f"{r['sfuCpuNsPerDelivered'] / j['sfuCpuNsPerDelivered']:.2f}")
        else:
            janus_cells = "not run | | | "
        rows.append(
            f"| {r['scenario']['name']} | {fan_out(r)} | {r['deliveredPerSecond']:,.0f} | {r['megabitsPerSecond']:.1f} | "
            f"{cpu_cell(r)} | {floor_ns:,.0f} | {r['sfuCpuNsPerDelivered'] / floor_ns:.2f} | {janus_cells} | "
            f"{100 * r['lossRatio']:.3f}% | {r['latencyP50Microseconds']} / {r['latencyP99Microseconds']} / {r['latencyMaxMicroseconds']} | "
            f"{held_cell(r)} | {paced_cell(r)} | {r['relayPeakResidentKilobytes'] / 1024:.0f} |")
    machine_rows = [machine_row(r, "Relay") for r in results] + [
        machine_row(j, "Janus") for j in janus.values() if isinstance(j, dict)]
    counted_rows = [row for row in map(counted_row, results) if row]
    knee_row = knee(sweep)[0]
    sweep_rows = []
    for r in sweep:
        rate = r["scenario"]["videoPacketsPerSecond"]
        out_rate = offered(r)
        m = r["machine"]
        sweep_rows.append(
            f"| {rate} | {out_rate:,.0f} | {r['deliveredPerSecond']:,.0f} | {r['deliveredPerSecond'] / out_rate if out_rate else 0:.3f} | "
            f"{100 * r['lossRatio']:.3f}% | {cpu_cell(r)} | {100 * m['sfuCoreBusy']:.0f}% | {100 * m['generatorCoreBusy']:.0f}% | "
            f"{drops_cell(r)} | {limited_by(r)} | {held_cell(r)} |")
    lines = [
        "# Relay throughput benchmark", "",
        f"Machine: {machine()}. Written by `bench/run_bench.py` in {seconds:.0f} s; every figure below comes from that one run.", "",
        "## Commands", "", "```sh", *commands, "```", "",
        "## Scenarios", "",
        f"One relay process with one media worker per scenario{', pinned to core 0' if pinned else ''}, `relay-bench` "
        f"{'on core 1' if pinned else 'beside it'}. Media: VP8 640×360 at 30 fps "
        "and 1.2 Mbit/s from libvpx, Opus 20 ms frames from libopus, looped; real ICE, DTLS-SRTP (GCM) and SRTP on 127.0.0.1.", "",
        "Janus runs the same load (same publishers, subscribers and media) through its VideoRoom, one scenario after the "
        "relay's, on the same core. Every per-packet figure, for both, is per packet delivered: a media packet a "
        "subscriber decrypted, each sequence number once (retransmissions, padding and duplicates not counted). CPU is "
        "the SFU's, every thread, from /proc/PID/task/*/schedstat (nanoseconds); † marks a row whose window held less "
        f"than {CPU_RESOLUTION_SECONDS:.0f} s of it, a rough figure. Latency is from the "
        "publisher's send to the subscriber's receive: publishers write their send time in the RTP padding (RFC 3550 "
        "§5.1), which both SFUs forward as it came (the relay replaces header extensions with its own, Janus rewrites "
        "them too, so abs-send-time no longer carries the publisher's clock). Beside it, the part the relay itself held "
        "each packet: from the kernel's receive timestamp of a datagram to the return of the sendmmsg that carried its "
        "copies (`relay_forwarding_delay_seconds`, buckets of a 1-2-5 series, so given as the bucket bound that holds "
        "half and 99% of them), not counting the time video waited for its subscriber's pacing budget: that wait is "
        "the subscriber's path's, which a network queue would otherwise hold, and has its own column "
        "(`relay_pacing_wait_seconds`: the share of the relay's queued packets that waited, and the bound holding 99% "
        "of their waits). The floor is this row's own (below).", "",
        "| scenario | fan-out | delivered pkt/s | Mbit/s out | Relay CPU ns/pkt | floor ns/pkt | Relay ÷ floor | Janus CPU ns/pkt | Janus loss | Janus latency p50 / p99 µs | Relay ÷ Janus | Relay loss | Relay latency p50 / p99 / max µs | of which held by the relay, p50 / p99 µs | waited for pacing, share / p99 µs | relay peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *rows, "",
        "## Who was busy", "",
        "How busy the SFU and the load generator kept their cores: each process's CPU time (every thread, schedstat) over "
        "the window's wall time, each pinned to a core of its own (/proc/stat's per-core figures sample at the 10 ms tick "
        "and miss work that wakes and sleeps between ticks); and the datagrams the kernel dropped unread on the SFU's UDP "
        "sockets and on the load generator's (/proc/net/udp, by socket inode). A row is limited by the load generator when "
        "its core was over 90% busy or its sockets overflowed: then its loss and rate say nothing of the SFU.", "",
        "| scenario | SFU | window s | SFU CPU s | SFU core busy (core) | generator core busy (core) | kernel drops SFU / generator | limited by |",
        "|---|---|---|---|---|---|---|---|",
        *machine_rows, "",
        "## Floor", "",
        "The cheapest possible forwarding on this machine, measured by the load generator right after each row's window "
        "at that row's mix of datagram lengths (1,024 quantiles of what its subscribers received), in ns per packet: "
        "protect is the cheaper of libsrtp2 and OpenSSL's AES-128-GCM alone; sendmmsg and recvmmsg are the sending and "
        "receiving thread's CPU per datagram in batches of 32 on loopback; segmented is the same datagrams sent to one "
        "destination in batches of 64 with UDP_SEGMENT, each run of one length in one message (the quantiles come in "
        "order of length, so runs are longer than a fan-out makes them: a lower bound), and its ratio to sendmmsg; "
        "received whole is the same segmented sends to a socket that takes each as one datagram (UDP_GRO): on loopback "
        "the kernel otherwise cuts every run back into datagrams on its way in, in the sending thread, which a NIC that "
        "segments in hardware (USO) spares the sender. The floor per delivered packet is with sendmmsg. The receive and the "
        "cheaper unprotect (libsrtp2, or the relay's own on OpenSSL's AES-128-GCM with its replay check) of a published packet "
        "are shared by its fan-out.", "",
        "| scenario | mean bytes | protect, libsrtp2 GCM | protect, EVP GCM alone | sendmmsg | segmented | segmented, received whole | recvmmsg | unprotect, libsrtp2 | unprotect, EVP GCM | fan-out | floor per delivered packet |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *[floor_row(r) for r in results], "",
    ]
    if counted_rows:
        lines += [
            "## What the relay counted", "",
            "The relay's own count of packets it queued for sending (`relay_forwarded_packets_total`, retransmissions and "
            "probes included) and its drops by reason (`relay_dropped_datagrams_total`) over the window, beside what its "
            "subscribers saw.", "",
            "| scenario | delivered | lost | duplicates | relay: queued for sending | relay: dropped, by reason |", "|---|---|---|---|---|---|",
            *counted_rows, "",
        ]
    if sweep_rows:
        lines += [
            "## Max-rate sweep, 1→50", "",
            "The publisher's video packet rate rises until loss passes 0.5%; the knee is the first row where loss passed "
            f"0.5% or the relay held half its packets over {QUEUE_KNEE_MICROSECONDS / 1000:.0f} ms. Offered is what the publisher sent times the "
            "fan-out; delivered and loss are both the subscribers' count, so delivered ÷ offered is about 1 − loss.", "",
            "| video pkt/s asked of the publisher | offered pkt/s out | delivered pkt/s | delivered ÷ offered | loss | Relay CPU ns/pkt | "
            "SFU core busy | generator core busy | kernel drops SFU / generator | limited by | held by the relay, p50 / p99 µs |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
            *sweep_rows, "", knee_line(sweep), *half_knee_lines(sweep, knee_row, half_knee), "",
        ]
    if cost:
        lines += cc_cost.section(results, *cost)
    if plotted:
        lines += ["## CPU per delivered packet against fan-out", "", "![CPU per delivered packet](cpu-per-packet.png)", ""]
    lines += simulcast_section(results)
    lines += list(storm_lines)
    if profiled:
        lines += ["## Where the time goes", "", "A `perf` profile of the max-rate scenario, taken in this run: [PROFILE.md](PROFILE.md).", ""]
    else:
        profile = os.path.relpath(os.path.join(ROOT, "bench", "PROFILE.md"), out)
        lines += ["## Where the time goes", "", f"A `perf` profile of the max-rate scenario from another run is in [PROFILE.md]({profile}).", ""]
    verified = [(r, "Relay") for r in results if r.get("decoded")] + [
        (j, "Janus") for j in janus.values() if isinstance(j, dict) and j.get("decoded")]
    if verified:
        lines += [
            "## Media verified", "",
            "Each publisher of these scenarios sends a clip of its own (its own colours and noise), and writes each video "
            "frame's number in its packets' padding. The subscribers decode what they receive with libvpx and libopus from "
            "the first keyframe on, and compare every decoded frame byte for byte (a hash) with the frame its publisher sent "
            "under that number, the publisher being the one whose keyframe the stream began with. Expected is what the "
            "publishers sent whole from each subscriber's first keyframe of them on (or all they sent, for a publisher a "
            "subscriber never decoded), over the whole run:", "",
            "| scenario | SFU | video frames expected | decoded | matching the source | not matching | video errors | Opus frames decoded | Opus errors |",
            "|---|---|---|---|---|---|---|---|---|",
            *[f"| {r['scenario']['name']} | {sfu} | {r['decoded']['videoFramesExpected']:,} | {r['decoded']['videoFramesDecoded']:,} | "
              f"{r['decoded']['videoFramesMatching']:,} | {r['decoded']['videoFramesNotMatching']:,} | {r['decoded']['videoDecodeErrors']} | "
              f"{r['decoded']['audioFramesDecoded']:,} | {r['decoded']['audioDecodeErrors']} |" for r, sfu in verified], "",
        ]
    failed = [f"{name}: {error}" for name, error in janus.items() if isinstance(error, str)]
    if failed:
        lines += ["## Janus runs that failed", "", *[f"- {line}" for line in failed], ""]
    return "\n".join(lines)
