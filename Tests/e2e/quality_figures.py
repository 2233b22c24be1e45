"""The figures of the call quality test (test_quality.py) from two readings of a page a window
apart: what each page sent and received (rates from the stats' own timestamps), and the table
of them printed per phase."""


def _delta(a, b, key):
    x, y = a.get(key), b.get(key)
    return None if x is None or y is None else y - x


def _seconds(a, b):
    return (b["timestamp"] - a["timestamp"]) / 1000


def sent_figures(a, b, toward=None):
    """The video a page sent between readings a and b (toward one peer in p2p): kbit/s of media
    (bytesSent without retransmissions) of every layer together and of the largest, fps, size and
    limitation of the largest layer, and each simulcast layer's own figures by rid."""
    def mine(s):
        return s["role"] != "subscribe" and (toward is None or s["peer"] in (None, toward))

    def streams(stats):
        return {s["ssrc"]: s for s in stats.get("outbound", []) if mine(s)}

    def pair(stats):
        return next((p for p in stats.get("pairs", []) if mine(p) and p.get("timestamp")), None)

    def media_kbps(x, y):
        media = (_delta(x, y, "bytesSent") or 0) - (_delta(x, y, "retransmittedBytesSent") or 0)
        return media * 8 / 1000 / _seconds(x, y)
    before, after = streams(a), streams(b)
    pairs = [(before[ssrc], after[ssrc]) for ssrc in after if ssrc in before and _seconds(before[ssrc], after[ssrc]) > 0]
    if not pairs:
        return None
    kbps = sum(media_kbps(x, y) for x, y in pairs)
    layers = {}
    for x, y in pairs:
        if y.get("rid"):
            layers[y["rid"]] = {"kbps": media_kbps(x, y),
                                "fps": (_delta(x, y, "framesSent") or 0) / _seconds(x, y),
                                "size": (y.get("frameWidth"), y.get("frameHeight")),
                                "limitation": y.get("qualityLimitationReason"),
                                "keyframes": _delta(x, y, "keyFramesEncoded"), "plis": _delta(x, y, "pliCount"),
                                "mode": y.get("scalabilityMode"), "codec": y.get("codec"),
                                "fmtp": y.get("codecFmtp"), "encoder": y.get("encoderImplementation")}
    x, y = max(pairs, key=lambda p: (p[1].get("frameWidth") or 0) * (p[1].get("frameHeight") or 0))
    seconds = _seconds(x, y)
    durations_a = x.get("qualityLimitationDurations") or {}
    durations_b = y.get("qualityLimitationDurations") or {}
    limited = {k: round(v - durations_a.get(k, 0), 1) for k, v in durations_b.items()
               if k != "none" and v - durations_a.get(k, 0) > 0.05}
    pair_a, pair_b = pair(a), pair(b)
    wire_kbps = None
    if pair_a and pair_b and _seconds(pair_a, pair_b) > 0 and _delta(pair_a, pair_b, "bytesSent") is not None:
        wire_kbps = _delta(pair_a, pair_b, "bytesSent") * 8 / 1000 / _seconds(pair_a, pair_b)
    return {
        "kbps": kbps,  # every layer together
        "top_kbps": media_kbps(x, y),  # the largest layer alone
        "layers": layers,  # simulcast: rid -> kbps, fps, size, limitation, keyframes, plis, codec, encoder of that layer
        "rids": sorted(y.get("rid") or "" for _, y in pairs),  # one per video stream sent, "" without a rid
        "wire_kbps": wire_kbps,  # the whole connection: audio, retransmissions, padding, RTCP too
        "fps": (_delta(x, y, "framesSent") or 0) / seconds,
        "size": (y.get("frameWidth"), y.get("frameHeight")),
        "limitation": y.get("qualityLimitationReason"),
        "limited_s": limited,
        "available_kbps": None if y.get("availableOutgoingBitrate") is None else y["availableOutgoingBitrate"] / 1000,
        "target_kbps": None if y.get("targetBitrate") is None else y["targetBitrate"] / 1000,
        "retransmitted": _delta(x, y, "retransmittedPacketsSent"),
        "nacks_in": _delta(x, y, "nackCount"),
        "seconds": seconds,
    }

def received_figures(a, b, peer_id):
    """The video a page received from peer_id between readings a and b (its busiest stream)."""
    before = {s["ssrc"]: s for s in a.get("inbound", {}).get(peer_id, [])}
    after = b.get("inbound", {}).get(peer_id, [])
    pairs = [(before[s["ssrc"]], s) for s in after if s["ssrc"] in before and _seconds(before[s["ssrc"]], s) > 0]
    if not pairs:
        return None
    x, y = max(pairs, key=lambda p: _delta(p[0], p[1], "framesDecoded") or 0)
    seconds = _seconds(x, y)
    colour = (b.get("colours") or {}).get(peer_id)
    return {
        "fps": (_delta(x, y, "framesDecoded") or 0) / seconds,
        "kbps": (_delta(x, y, "bytesReceived") or 0) * 8 / 1000 / seconds,
        "size": (y.get("frameWidth"), y.get("frameHeight")),
        "freezes": _delta(x, y, "freezeCount"),
        "freeze_s": _delta(x, y, "totalFreezesDuration"),
        "lost": _delta(x, y, "packetsLost"),
        "received": _delta(x, y, "packetsReceived"),
        "nacks": _delta(x, y, "nackCount"),
        "plis": _delta(x, y, "pliCount"),
        "rtx": _delta(x, y, "retransmittedPacketsReceived"),
        "dropped": _delta(x, y, "framesDropped"),
        "colour": colour["rgb"] if colour else None,
        "codec": y.get("codec"),  # the codec stats' mimeType, and its fmtp line
        "fmtp": y.get("codecFmtp"),
        "decoder": y.get("decoderImplementation"),
        "seconds": seconds,
    }


def figures(pages, readings, mode):
    """Per page: what it sent (toward each other page in p2p) and what it received from each."""
    ids = {p.name: p.stats["selfId"] for p in pages}
    result = {}
    for p in pages:
        a, b = readings[p.name]
        received = {q.name: received_figures(a, b, ids[q.name]) for q in pages if q is not p}
        if mode == "p2p":
            sent = {q.name: sent_figures(a, b, toward=ids[q.name]) for q in pages if q is not p}
        else:
            sent = {"relay": sent_figures(a, b)}
        result[p.name] = {"sent": sent, "received": received}
    return result


def fmt(value, spec=".0f"):
    return "-" if value is None else format(value, spec)


def print_layers(pages, figs):
    """What each sfu publisher sent on each simulcast layer."""
    print(f"     {'sender':8} {'rid':>3} {'kbit/s':>7} {'size':>9} {'fps':>5} {'limitation':>10} {'keyframes':>9} {'plis':>4} {'mode':>5} {'codec':>5}")
    for p in pages:
        s = figs[p.name]["sent"].get("relay")
        for rid, layer in sorted((s or {}).get("layers", {}).items(), key=lambda item: "qhf".find(item[0])):
            size = f"{layer['size'][0]}x{layer['size'][1]}"
            print(f"     {p.name:8} {rid:>3} {layer['kbps']:7.0f} {size:>9} {layer['fps']:5.1f} {str(layer['limitation']):>10} "
                  f"{fmt(layer['keyframes'], 'd'):>9} {fmt(layer['plis'], 'd'):>4} {str(layer.get('mode')):>5} "
                  f"{(layer.get('codec') or '-').removeprefix('video/'):>5}")


def print_table(title, pages, figs):
    print(f"  -- {title}")
    print(f"     {'sender':8} {'to':6} {'kbit/s':>7} {'size':>8} {'fps':>5} {'limitation':>10} "
          f"{'limited s':>18} {'avail kbit/s':>12} {'target':>7} {'pc kbit/s':>9}")
    for p in pages:
        for to, s in figs[p.name]["sent"].items():
            if s is None:
                print(f"     {p.name:8} {to:6} (no outbound video)")
                continue
            size = f"{s['size'][0]}x{s['size'][1]}"
            print(f"     {p.name:8} {to:6} {s['kbps']:7.0f} {size:>8} {s['fps']:5.1f} {str(s['limitation']):>10} "
                  f"{str(s['limited_s'] or '-'):>18} {fmt(s['available_kbps']):>12} {fmt(s['target_kbps']):>7} "
                  f"{fmt(s['wire_kbps']):>9}")
    print(f"     {'receiver':8} {'from':6} {'kbit/s':>7} {'size':>8} {'fps':>5} {'freezes':>7} {'frz s':>6} "
          f"{'lost':>5} {'nacks':>5} {'rtx':>5} {'plis':>4} {'colour':>15}")
    for p in pages:
        for sender, r in figs[p.name]["received"].items():
            if r is None:
                print(f"     {p.name:8} {sender:6} (no inbound video)")
                continue
            size = f"{r['size'][0]}x{r['size'][1]}"
            print(f"     {p.name:8} {sender:6} {r['kbps']:7.0f} {size:>8} {r['fps']:5.1f} {fmt(r['freezes'], 'd'):>7} "
                  f"{fmt(r['freeze_s'], '.2f'):>6} {fmt(r['lost'], 'd'):>5} {fmt(r['nacks'], 'd'):>5} "
                  f"{fmt(r['rtx'], 'd'):>5} {fmt(r['plis'], 'd'):>4} {str(r['colour']):>15}")
