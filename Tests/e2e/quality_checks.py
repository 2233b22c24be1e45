"""The checks the call quality scenarios share (test_quality.py): the thresholds, each tile
showing its participant's colour, and every page decoding every sender without freezes."""

from fake_media import nearest_colour
from quality_figures import fmt

FRAME_SIZE = (640, 480)
SFU_BITRATE_SHARE = 0.85  # of the p2p reference
RECEIVED_FPS_SHARE = 0.90  # of what the sender sends
MAX_FREEZE_S = 0.5  # total freezes in the window, for the bitrate scenario
REFERENCE_MIN_KBPS = 150  # below this the p2p reference itself is broken, and nothing compares
COLOUR_MAX_DISTANCE = 80  # RGB distance from the expected colour after encoding and decoding


def check_colours(pages, figs, report, label):
    """Each remote tile shows the colour of the participant it is keyed by, nearest among all."""
    palette = {p.name: p.colour for p in pages if p.colour}
    for p in pages:
        for sender in pages:
            if sender is p or sender.colour is None:
                continue
            r = figs[p.name]["received"].get(sender.name)
            rgb = r and r["colour"]
            if not rgb:
                report.check(False, f"{label}: {p.name}: no picture in the tile of {sender.name}")
                continue
            nearest, distance = nearest_colour(rgb, palette)
            expected = sender.colour
            report.check(nearest == sender.name and distance <= COLOUR_MAX_DISTANCE,
                         f"{label}: {p.name}: the tile of {sender.name} shows {sender.name}'s colour "
                         f"{list(expected)}: {rgb} (nearest: {nearest}, distance {distance:.0f})")


def check_received(pages, figs, mode, report, label, fps_share, max_freeze_s, only_from=None, only_at=None,
                   freeze_count_zero=False):
    """Each page decodes each sender at >= fps_share of what that sender sends, with at most
    max_freeze_s of freezes (and no freeze at all if freeze_count_zero) in the window."""
    for p in pages:
        if only_at and p.name not in only_at:
            continue
        for sender in pages:
            if sender is p or (only_from and sender.name not in only_from):
                continue
            r = figs[p.name]["received"].get(sender.name)
            s = figs[sender.name]["sent"].get(p.name if mode == "p2p" else "relay")
            if r is None or s is None:
                report.check(False, f"{label}: {p.name}: no video stats from {sender.name}")
                continue
            report.check(r["fps"] >= fps_share * s["fps"],
                         f"{label}: {p.name} decodes {sender.name} at {r['fps']:.1f} fps, "
                         f">= {fps_share:.0%} of the {s['fps']:.1f} fps sent")
            freeze_s = r["freeze_s"]
            ok = freeze_s is not None and freeze_s <= max_freeze_s
            if freeze_count_zero:
                ok = ok and r["freezes"] == 0
            limit = f"0 freezes, " if freeze_count_zero else ""
            report.check(ok, f"{label}: {p.name}: freezes of {sender.name}'s video in the window: "
                             f"{r['freezes']} ({fmt(freeze_s, '.2f')} s; limit {limit}{max_freeze_s} s)")
