"""Headless browsers for the end-to-end tests, each in its own process tree and fresh profile.

Both kinds offer the same small interface: open(url), run_async_js(function_source, *args) and
quit(). Chromium is driven by Selenium through Debian's chromedriver; Firefox ESR, for which
Debian has no geckodriver, is started here and driven over Marionette.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections import deque

import processes

CHROMIUM_BINARY = "/usr/lib/chromium/chromium"  # not /usr/bin/chromium: that wrapper misparses /dev/shm
CHROMEDRIVER = "/usr/bin/chromedriver"
FIREFOX_BINARY = "/usr/lib/firefox-esr/firefox-esr"
SCRIPT_TIMEOUT_S = 30

# Runs an async function given as source text with the script's arguments; the WebDriver callback
# is the last argument for both Selenium and Marionette. The value travels wrapped so that a
# rejected promise comes back as an error instead of a script timeout.
_ASYNC_CALL = """
const done = arguments[arguments.length - 1];
const args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);
Promise.resolve()
    .then(() => (%s)(...args))
    .then(value => done({value: value === undefined ? null : value}),
          error => done({error: String((error && error.stack) || error)}));
"""


class PageScriptError(Exception):
    pass


class Browser:
    """One browser instance. Subclasses implement _launch, open(url), _execute_async, _close."""

    kind = "browser"

    def __init__(self, label):
        self.label = label
        self.profile = tempfile.mkdtemp(prefix=f"relay-e2e-{self.kind}-")
        self.started = set()
        before = processes.descendants()
        try:
            self._launch()
        except BaseException:
            self.started = processes.descendants() - before
            self.quit()
            raise
        # Sequential launches make the new descendants exactly this browser's processes,
        # including a crash handler that has already detached from its parent.
        self.started = processes.descendants() - before

    def run_async_js(self, function_source, *args):
        """Calls the async JS function in the page with args; returns its resolved value."""
        reply = self._execute_async(_ASYNC_CALL % function_source, list(args))
        if "error" in reply:
            raise PageScriptError(f"{self.label}: {reply['error']}")
        return reply["value"]

    def quit(self):
        # Processes the browser started since launch (a renderer, the capture service) are
        # collected now: once it exits they are orphans that no longer show whose they were.
        live = [pid for pid, start in self.started if processes.exists((pid, start))]
        self.started |= processes.descendants(live)
        try:
            self._close()
        except Exception as error:  # the browser may already be gone; its PIDs are stopped below
            print(f"  note: {self.label}: closing the driver failed: {error}")
        processes.stop(self.started)
        shutil.rmtree(self.profile, ignore_errors=True)

    def console_tail(self, lines=20):
        """The page's last console lines, to explain a failure."""
        return []


class Chromium(Browser):
    """Headless Chromium with fake devices.

    video_file, audio_file: a Y4M and a WAV file for the fake camera and microphone (default:
    Chromium's own test pattern and beep). insecure_origin: a plain-HTTP origin on an address
    other than loopback (http://ADDR:PORT) to treat as secure, so that its page may capture;
    its address is also let through the host resolver rules. secure_origin: an HTTPS origin
    whose certificate is self-signed, accepted as a user accepts it once (its address let
    through the resolver rules too). extra_flags: more command-line
    flags. netns: a
    namespace (an object with `name` and the addresses `host_ip` and `ns_ip` of its veth pair)
    to run the browser and its driver in; the driver then listens on ns_ip, for host_ip only.
    page_script: JS run in every page before the page's own scripts (DevTools'
    Page.addScriptToEvaluateOnNewDocument, which the page's Content-Security-Policy does not govern).
    """

    kind = "chromium"
    DRIVER_STARTUP_TIMEOUT_S = 20

    def __init__(self, label, video_file=None, audio_file=None, insecure_origin=None, extra_flags=(), netns=None,
                 secure_origin=None, page_script=None):
        self.page_script = page_script
        self.insecure_origin = insecure_origin
        self.secure_origin = secure_origin
        self.video_file = video_file
        self.audio_file = audio_file
        self.extra_flags = list(extra_flags)
        self.netns = netns
        super().__init__(label)

    def _flags(self):
        resolver_rules = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
        from urllib.parse import urlsplit

        for origin in (self.insecure_origin, self.secure_origin):
            if origin:
                resolver_rules += f", EXCLUDE {urlsplit(origin).hostname}"
        flags = [
            "--headless=new",
            "--no-sandbox",  # as root Chromium exits at once without it
            "--use-fake-ui-for-media-stream",
            # 10 fps: at the default 20, three browsers saturate two cores
            "--use-fake-device-for-media-stream=fps=10",
            "--autoplay-policy=no-user-gesture-required",
            "--allow-loopback-in-peer-connection",  # otherwise no 127.0.0.1 candidate
            "--disable-features=WebRtcHideLocalIpsWithMdns",  # plain IP candidates, no mDNS
            f"--host-resolver-rules={resolver_rules}",
            "--no-first-run",
            f"--user-data-dir={self.profile}",
        ]
        if self.insecure_origin:
            flags.append(f"--unsafely-treat-insecure-origin-as-secure={self.insecure_origin}")
        if self.secure_origin:
            flags.append("--ignore-certificate-errors")
        if self.video_file:  # a file's own frame rate replaces the fps above
            flags.append(f"--use-file-for-fake-video-capture={self.video_file}")
        if self.audio_file:
            flags.append(f"--use-file-for-fake-audio-capture={self.audio_file}")
        if not any(flag.startswith("--window-size=") for flag in self.extra_flags):
            # One column of tiles about 480 pixels wide, tall enough for the own tile and three
            # others: in sfu the page gets no video for a tile out of view, and no larger a
            # layer than its tile shows (a headless window is 800x600 otherwise, three small
            # tiles a row with the rest below the fold).
            flags.append("--window-size=830,1700")
        return flags + self.extra_flags

    def _options(self):
        from selenium import webdriver

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM_BINARY
        for flag in self._flags():
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        return options

    def _launch(self):
        if self.netns:
            self._launch_in_namespace()
            if self.page_script:  # a Remote driver has no execute_cdp_cmd; the same command by name
                self.driver.execute("executeCdpCommand", {"cmd": "Page.addScriptToEvaluateOnNewDocument",
                                                          "params": {"source": self.page_script}})
            return
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        os.environ["SE_OFFLINE"] = "true"  # Selenium must never try to download a driver
        service = Service(executable_path=CHROMEDRIVER, log_output=subprocess.DEVNULL)
        self.driver = webdriver.Chrome(options=self._options(), service=service)
        self.driver.set_script_timeout(SCRIPT_TIMEOUT_S)
        if self.page_script:
            self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": self.page_script})

    def _launch_in_namespace(self):
        """chromedriver (and so Chromium) inside the namespace, reached over the veth pair: a
        driver on the host could not reach a browser's DevTools on the namespace's loopback."""
        from selenium import webdriver
        from selenium.webdriver.chromium.remote_connection import ChromiumRemoteConnection
        from selenium.webdriver.remote.client_config import ClientConfig

        port = 9515  # the namespace is the test's own: nothing else listens in it
        self.driver_process = subprocess.Popen(
            ["ip", "netns", "exec", self.netns.name, CHROMEDRIVER, f"--port={port}",
             f"--allowed-ips={self.netns.host_ip}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + self.DRIVER_STARTUP_TIMEOUT_S
        while True:
            if self.driver_process.poll() is not None:
                raise RuntimeError(f"{self.label}: chromedriver in {self.netns.name} exited with "
                                   f"{self.driver_process.returncode}")
            try:
                socket.create_connection((self.netns.ns_ip, port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.label}: chromedriver in {self.netns.name} did not listen "
                                       f"in {self.DRIVER_STARTUP_TIMEOUT_S} s")
                time.sleep(0.1)
        url = f"http://{self.netns.ns_ip}:{port}"
        connection = ChromiumRemoteConnection(
            url, vendor_prefix="goog", browser_name="chrome", ignore_proxy=True,
            client_config=ClientConfig(remote_server_addr=url, timeout=120))
        self.driver = webdriver.Remote(command_executor=connection, options=self._options())
        self.driver.set_script_timeout(SCRIPT_TIMEOUT_S)

    def open(self, url):
        self.driver.get(url)

    def _execute_async(self, script, args):
        return self.driver.execute_async_script(script, *args)

    def _close(self):
        if hasattr(self, "driver"):
            self.driver.quit()

    def console_tail(self, lines=20):
        from selenium.webdriver.remote.command import Command

        try:
            entries = self.driver.execute(Command.GET_LOG, {"type": "browser"})["value"]
        except Exception as error:
            return [f"(console unavailable: {error})"]
        return [f"{e['level']} {e['message']}" for e in entries[-lines:]]


# Firefox prefs: fake devices, loopback ICE with plain addresses, autoplay, and a quiet profile
# that neither shows first-run pages nor calls out of the machine.
FIREFOX_PREFS = {
    "marionette.port": 0,  # Firefox picks a free port and writes it to MarionetteActivePort
    "media.navigator.streams.fake": True,
    "media.navigator.permission.disabled": True,
    "media.navigator.video.default_fps": 10,
    "media.peerconnection.ice.loopback": True,  # otherwise no 127.0.0.1 candidate
    "media.peerconnection.ice.obfuscate_host_addresses": False,  # no mDNS names
    # Without a camera or microphone permission on record, capturing from fake devices is not
    # enough: Firefox gathers on the default-route address only, never on loopback, and with
    # only `lo` (no default route) it gathers nothing at all.
    "permissions.default.camera": 1,
    "permissions.default.microphone": 1,
    "media.autoplay.default": 0,
    "media.autoplay.blocking_policy": 0,
    "devtools.console.stdout.content": True,  # page console to the log, for failure reports
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.page": 0,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.aboutwelcome.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "app.normandy.enabled": False,
    "app.normandy.api_url": "",
    "browser.safebrowsing.update.enabled": False,
    "browser.safebrowsing.downloads.remote.enabled": False,
    "browser.region.network.url": "",
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "media.gmp-manager.updateEnabled": False,  # no OpenH264 download
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True,
    "network.http.speculative-parallel-limit": 0,
    "network.trr.mode": 5,  # no DNS over HTTPS
    "services.settings.server": "data:,#remote-settings-disabled",
    "dom.push.connection.enabled": False,
}


# A content script that runs a page-world script before the page's own. The pages forbid inline
# script (Content-Security-Policy), so the script is loaded from the add-on's own URL, which the
# page's policy does not govern; not async, so it runs before the page's deferred modules.
_INJECTOR_JS = """const script = document.createElement('script');
script.src = browser.runtime.getURL('page.js');
script.async = false;
document.documentElement.appendChild(script);
script.remove();
"""


class Firefox(Browser):
    """Headless Firefox ESR over Marionette. page_script: JS run in every page before the page's
    own scripts (a temporary add-on's content script injects it), e.g. a fake camera."""

    kind = "firefox"
    STARTUP_TIMEOUT_S = 60

    def __init__(self, label, page_script=None):
        self.page_script = page_script
        super().__init__(label)

    def _install_page_script(self):
        from marionette_driver.addons import Addons

        folder = os.path.join(self.profile, "relay-e2e-page-script")
        os.mkdir(folder)
        manifest = {
            "manifest_version": 2, "name": "relay-e2e-page-script", "version": "1.0",
            "browser_specific_settings": {"gecko": {"id": "relay-e2e-page-script@relay.test"}},
            "content_scripts": [{"matches": ["<all_urls>"], "js": ["inject.js"], "run_at": "document_start"}],
            "web_accessible_resources": ["page.js"],
        }
        with open(os.path.join(folder, "manifest.json"), "w") as f:
            json.dump(manifest, f)
        with open(os.path.join(folder, "inject.js"), "w") as f:
            f.write(_INJECTOR_JS)
        with open(os.path.join(folder, "page.js"), "w") as f:
            f.write(self.page_script)
        Addons(self.marionette).install(folder, temp=True)

    def _launch(self):
        from marionette_driver.marionette import Marionette

        with open(os.path.join(self.profile, "user.js"), "w") as f:
            for name, value in FIREFOX_PREFS.items():
                f.write(f"user_pref({json.dumps(name)}, {json.dumps(value)});\n")
        self.log_path = self.profile + ".log"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [FIREFOX_BINARY, "--marionette", "--headless", "--no-remote",
                 "--profile", self.profile, "about:blank"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "MOZ_HEADLESS": "1", "MOZ_CRASHREPORTER_DISABLE": "1"},
            )
        self.marionette = Marionette(host="127.0.0.1", port=self._marionette_port())
        self.marionette.start_session()
        self.marionette.timeout.script = SCRIPT_TIMEOUT_S
        if self.page_script:
            self._install_page_script()

    def _marionette_port(self):
        port_file = os.path.join(self.profile, "MarionetteActivePort")
        deadline = time.monotonic() + self.STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.label}: firefox exited with {self.process.returncode}")
            try:
                with open(port_file) as f:
                    text = f.read().strip()
                if text:
                    return int(text)
            except FileNotFoundError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{self.label}: Marionette did not start in {self.STARTUP_TIMEOUT_S} s")

    def open(self, url):
        self.marionette.navigate(url)

    def _execute_async(self, script, args):
        # sandbox=None: the default sandbox sees the page through Xray wrappers, which hide the
        # page's own globals such as window.relayCall.
        return self.marionette.execute_async_script(script, script_args=args, sandbox=None)

    def _close(self):
        # Marionette's quit() only serves a Firefox it launched itself; end the session and let
        # the PIDs be stopped (Firefox shuts down cleanly on SIGTERM).
        if hasattr(self, "marionette") and self.marionette.session_id:
            self.marionette.delete_session()

    def quit(self):
        super().quit()
        if hasattr(self, "log_path"):
            os.unlink(self.log_path)

    def console_tail(self, lines=20):
        with open(self.log_path, errors="replace") as f:
            return [line.rstrip("\n") for line in deque(f, maxlen=lines)]


BROWSERS = {"chromium": Chromium, "firefox": Firefox}
