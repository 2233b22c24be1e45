#!/usr/bin/env python3
"""Regenerates the call page screenshots in docs/: a call of three (through the relay, in an auto
room), the same call on a phone-sized screen, and the pre-join screen. Headless Chromium with
fake devices, like the tests.

    python3 Tests/e2e/screenshots.py --relay-bin PATH
"""

import argparse
import os
import secrets
import sys
import time
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import processes  # noqa: E402
from browsers import Chromium  # noqa: E402
from relay_server import RelayServer  # noqa: E402
from test_modes import SEND_CHAT_JS, open_page, relayed_unmet, wait_until  # noqa: E402
from test_sfu_call import REPO_ROOT, Report  # noqa: E402

DOCS = os.path.join(REPO_ROOT, "docs")
PREVIEW_PLAYING_JS = """async () => {
    const video = document.getElementById('preview-video');
    return !!video && video.readyState >= 2 && !document.getElementById('prejoin').hidden;
}"""


def save(browser, name, width, height):
    browser.driver.set_window_size(width, height)
    time.sleep(1.5)  # a few frames at the new size
    path = os.path.join(DOCS, name)
    browser.driver.save_screenshot(path)
    print(f"  wrote {os.path.relpath(path, REPO_ROOT)} ({width}x{height})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--relay-bin", default=os.environ.get("RELAY_BIN"), help="the relay binary (default: $RELAY_BIN)")
    args = parser.parse_args()
    if not args.relay_bin:
        parser.error("give --relay-bin PATH (or RELAY_BIN)")
    processes.become_subreaper()
    os.makedirs(DOCS, exist_ok=True)
    report = Report()
    server = RelayServer(args.relay_bin, REPO_ROOT)
    pages = []
    try:
        room = f"standup-{secrets.token_hex(2)}"
        for name in ("Alice", "Bob", "Carol"):
            pages.append(open_page(server.base_url, room, name, "auto", report))
        if wait_until(pages, relayed_unmet, "three in the call through the relay", report) is None:
            return 1
        pages[1].browser.run_async_js(SEND_CHAT_JS, "Morning! Can everyone see my screen?")
        pages[2].browser.run_async_js(SEND_CHAT_JS, "Yes, all good here.")
        pages[0].browser.run_async_js("async () => window.relayCall.setMicrophone(false)")
        save(pages[0].browser, "call-three.png", 1280, 760)
        save(pages[2].browser, "call-phone.png", 390, 844)

        prejoin = Chromium("prejoin (chromium)")
        pages.append(type(pages[0])("Dana", prejoin))
        prejoin.open(f"{server.base_url}/call/{room}?{urlencode({'name': 'Dana'})}")
        deadline = time.monotonic() + 20
        while not prejoin.run_async_js(PREVIEW_PLAYING_JS) and time.monotonic() < deadline:
            time.sleep(0.2)
        save(prejoin, "call-prejoin.png", 1100, 700)
    finally:
        for p in pages:
            p.browser.quit()
        server.stop()
        leftovers = processes.descendants()
        if leftovers:
            processes.stop(leftovers)
    return 0 if report.failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
