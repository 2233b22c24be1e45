"""The cost of the relay's congestion control, measured against a baseline relay binary (the
relay before transport-wide feedback, its own header extensions, NACKs to publishers and the
per-subscriber estimator) in the same run as the relay under test: the report section and the
budget check. Used by run_bench.py."""
import statistics

BUDGET = 1.10  # the new relay may cost at most 10% more CPU per delivered packet at max rate
# The commit bench/run.sh compares with by default: the relay before congestion control.
BEFORE_CONGESTION_CONTROL = "ba1b0d7"


def is_max_rate(scenario):
    return scenario[5] is not None and scenario[3] >= 50


def per_second(result, value):
    return value / result["seconds"] if result["seconds"] else 0


def feedback_cells(result):
    """Feedback to each publisher (the least of them, pkt/s), feedback the subscribers sent
    (pkt/s), probes and retransmissions the relay sent, its mean estimate."""
    c = result.get("congestion") or {}
    publishers = c.get("publisherFeedback") or []
    to_publishers = f"{min(per_second(result, p) for p in publishers):,.0f}" if publishers else "–"
    from_subscribers = f"{per_second(result, c.get('subscriberFeedbackSent', 0)):,.0f}" if c.get("subscribersWithFeedback") else "none offered"
    probes = c.get("relayProbePackets")
    estimate = c.get("relayMeanEstimateBitsPerSecond")
    return [
        to_publishers, from_subscribers,
        "–" if probes is None else f"{probes:,.0f}",
        f"{c.get('publisherNackedPackets', 0):,}",
        "–" if estimate is None else f"{estimate / 1e6:.1f}",
    ]


def rounds_table(rounds, baseline_name):
    """One row per alternating round of the max-rate scenario, then the medians."""
    lines = [
        f"| round | order | {baseline_name} CPU ns/pkt | new CPU ns/pkt | new ÷ {baseline_name} | {baseline_name} pkt/s | new pkt/s | {baseline_name} loss | new loss |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for index, (order, base, new) in enumerate(rounds, 1):
        lines.append(
            f"| {index} | {order} | {base['sfuCpuNsPerDelivered']:,.0f} | {new['sfuCpuNsPerDelivered']:,.0f} | "
            f"{new['sfuCpuNsPerDelivered'] / base['sfuCpuNsPerDelivered']:.3f} | {base['deliveredPerSecond']:,.0f} | "
            f"{new['deliveredPerSecond']:,.0f} | {100 * base['lossRatio']:.3f}% | {100 * new['lossRatio']:.3f}% |")
    base_median, new_median = medians(rounds)
    lines.append(f"| median | | {base_median:,.0f} | {new_median:,.0f} | **{new_median / base_median:.3f}** | | | | |")
    return lines


def medians(rounds):
    return (statistics.median(r[1]["sfuCpuNsPerDelivered"] for r in rounds),
            statistics.median(r[2]["sfuCpuNsPerDelivered"] for r in rounds))


def verdict(rounds):
    base_median, new_median = medians(rounds)
    ratio = new_median / base_median
    held = "holds" if ratio <= BUDGET else "is exceeded"
    return ratio, (f"Budget: the new relay may cost at most {BUDGET:.2f}× the baseline's CPU per delivered packet at max "
                   f"rate. Median of {len(rounds)} alternating rounds: {ratio:.3f}×, so the budget {held}.")


def section(results, baseline, rounds, baseline_name):
    """The "Congestion control cost" section of RESULTS.md."""
    if baseline_name == BEFORE_CONGESTION_CONTROL:
        about = ("the relay before congestion control: it forwarded the publishers' header extensions untouched, sent no "
                 "feedback and estimated nothing")
        baseline_feedback = "The baseline offers subscribers no transport-wide-cc, so they send none there. "
    else:
        about = "the baseline this run was given"
        baseline_feedback = ""
    lines = [
        "## Congestion control cost", "",
        f"The relay under test (\"new\") against `{baseline_name}` ({about}), same load generator, same "
        "scenarios, one after the other in this run. Against the new relay, as a browser would: every publisher "
        "negotiates transport-wide-cc, stamps a transport-wide sequence number on every packet and reads the relay's "
        "transport-wide feedback; every subscriber accepts the relay's header extensions (abs-send-time, "
        "transport-wide-cc, audio level), records every packet's transport-wide sequence number and sends transport-wide "
        f"feedback every 50 ms, which drives the relay's estimator and probes. {baseline_feedback}Latency on both is "
        "publisher send to subscriber receive, from the send time the publisher writes in the RTP padding.", "",
    ]
    if rounds:
        lines += ["### Max rate, 1→50", "",
                  "The max-rate scenario on both relays in alternating rounds (the order flips each round, so neither "
                  "always runs on a warmer machine):", "", *rounds_table(rounds, baseline_name), "", verdict(rounds)[1], ""]
    rows = []
    for r in results:
        b = baseline.get(r["scenario"]["name"])
        if not isinstance(b, dict) or not b["sfuCpuNsPerDelivered"]:
            continue
        rows.append(
            f"| {r['scenario']['name']} | {b['sfuCpuNsPerDelivered']:,.0f} | {r['sfuCpuNsPerDelivered']:,.0f} | "
            f"{r['sfuCpuNsPerDelivered'] / b['sfuCpuNsPerDelivered']:.3f} | {b['deliveredPerSecond']:,.0f} / {r['deliveredPerSecond']:,.0f} | "
            f"{100 * b['lossRatio']:.3f}% / {100 * r['lossRatio']:.3f}% | "
            f"{b['latencyP50Microseconds']} / {b['latencyP99Microseconds']} → {r['latencyP50Microseconds']} / {r['latencyP99Microseconds']} | "
            + " | ".join(feedback_cells(r)) + " |")
    if rows:
        lines += [
            "### Every scenario", "",
            "Feedback counts are the new relay's (the baseline sends none); per second of the measured window. At a few "
            "hundred packets a second the new relay also wakes for every subscriber's feedback (20 a second each) and "
            "its own feedback timers, which costs more per delivered packet the fewer packets there are; rows whose "
            "window held under a second of CPU are marked in the scenarios table.", "",
            f"| scenario | {baseline_name} CPU ns/pkt | new CPU ns/pkt | new ÷ {baseline_name} | delivered pkt/s {baseline_name} / new | "
            f"loss {baseline_name} / new | latency p50 / p99 µs {baseline_name} → new | feedback to each publisher pkt/s (least) | "
            "feedback from subscribers pkt/s | relay probes | NACKed to publishers | relay's mean estimate Mbit/s |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
            *rows, "",
        ]
    return lines
