"""The speaker scenario of the call quality test (test_quality.py): three Chromium in sfu, only
alice's microphone hears a tone, bob's and carol's hear silence. Every page must be told that
alice is the speaker (`speaker`, kept by the page in #remotes' data-speaker) within 2 s of
everyone being in the call, and no page may hear of another speaker for the next 10 s; on the
pages of bob and carol, alice's tile is the one outlined."""

import secrets
import time

from quality_pages import open_room, wait_in_call
from relay_server import RelayServer

FIRST_WITHIN_S = 2.0
STEADY_S = 10.0
POLL_S = 0.1

READ_SPEAKER_JS = """(async function readSpeaker() {
    const remotes = document.getElementById('remotes');
    const outlined = [...document.querySelectorAll('#remotes .tile.speaking')].map((t) => t.dataset.peerId);
    return {speaker: remotes ? remotes.dataset.speaker || null : null, outlined};
})"""


def scenario_speaker(relay_bin, relay_root, run, report):
    server = RelayServer(relay_bin, relay_root)
    run.server = server
    print(f"== speaker at {server.base_url}: only alice's microphone hears a tone", flush=True)
    pages = [run.chromium("alice", server.base_url), run.chromium("bob", server.base_url, silent=True),
             run.chromium("carol", server.base_url, silent=True)]
    open_room(pages, server.base_url, f"q-speaker-{secrets.token_hex(3)}", "sfu")
    if not wait_in_call(pages, "sfu", report):
        return
    alice_id = pages[0].stats["selfId"]
    in_call = time.monotonic()
    first_seen = {}
    seen = {page.name: [] for page in pages}
    outlined = {}
    while time.monotonic() < in_call + FIRST_WITHIN_S + STEADY_S:
        for page in pages:
            state = page.browser.run_async_js(READ_SPEAKER_JS) or {}
            speaker = state.get("speaker")
            if speaker and (not seen[page.name] or seen[page.name][-1] != speaker):
                seen[page.name].append(speaker)
                first_seen.setdefault(page.name, time.monotonic() - in_call)
            outlined[page.name] = state.get("outlined")
        time.sleep(POLL_S)
    names = {page.stats["selfId"]: page.name for page in pages}
    for page in pages:
        heard = [names.get(s, s) for s in seen[page.name]]
        when = first_seen.get(page.name)
        report.check(bool(heard) and heard[0] == "alice" and when is not None and when <= FIRST_WITHIN_S,
                     f"speaker: {page.name} was told alice speaks "
                     f"{'after %.1f s' % when if when is not None else 'never'} (limit {FIRST_WITHIN_S} s)")
        report.check(len(heard) <= 1, f"speaker: {page.name} heard of no other speaker for {STEADY_S:.0f} s "
                                       f"(heard: {heard or 'none'})")
    for page in pages[1:]:
        report.check(outlined.get(page.name) == [alice_id],
                     f"speaker: on {page.name}'s page alice's tile is the one outlined "
                     f"({[names.get(i, i) for i in outlined.get(page.name) or []]})")
