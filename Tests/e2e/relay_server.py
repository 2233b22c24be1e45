"""Starting the `relay` binary on free loopback ports for a test, and stopping it by PID."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections import deque

# A proxy from the environment must not sit between the test and a loopback server.
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_tcp_port(host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def free_udp_port():
    # Checked on the wildcard address, which conflicts with any address the relay may bind.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("0.0.0.0", 0))
        return s.getsockname()[1]


# What the relay reads from its working directory (the call page and other static files).
SERVED_FOLDERS = ("Public", "Resources")


class RelayServer:
    """The relay on free ports, run in a scratch working directory; HTTP on http_host (default
    loopback), media on every interface, announcing announced_ip.

    The scratch directory links the served folders of `root` (a checkout) and takes whatever the
    relay writes, so a run leaves nothing behind in the checkout.
    """

    STARTUP_TIMEOUT_S = 30

    def __init__(self, binary, root, announced_ip="127.0.0.1", extra_args=(), http_host="127.0.0.1", https=False,
                 drain_timeout_s=0, environment=None):
        self.http_host = http_host
        self.http_port = free_tcp_port(http_host)
        self.media_port = free_udp_port()
        self.base_url = f"http://{http_host}:{self.http_port}"
        # HTTPS (a self-signed certificate the relay makes) only where a test asks for it: two
        # relays must not race for one port.
        self.https_port = free_tcp_port(http_host) if https else None
        self.https_url = f"https://{http_host}:{self.https_port}" if https else None
        self.workdir = tempfile.mkdtemp(prefix="relay-e2e-server-")
        self.log_path = os.path.join(self.workdir, "relay.log")
        self.process = None
        # A test stops the server when it is done with it, rooms or not: no drain, unless it
        # tests the drain.
        self.drain_timeout_s = drain_timeout_s
        self.environment = None if environment is None else {**os.environ, **environment}
        self._arguments = (binary, root, announced_ip, list(extra_args))
        try:
            self._start(*self._arguments)
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise

    def restart(self):
        """Stops the server and starts it again on the same ports and data folder, as an
        operator restarting it would; returns once it answers /healthz."""
        terminate(self.process)
        self._start(*self._arguments)
        self._wait_healthy()

    def _start(self, binary, root, announced_ip, extra_args):
        for folder in SERVED_FOLDERS:
            link = os.path.join(self.workdir, folder)
            if os.path.isdir(os.path.join(root, folder)) and not os.path.lexists(link):
                os.symlink(os.path.abspath(os.path.join(root, folder)), link)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [binary, "serve", "--http-host", self.http_host, "--http-port", str(self.http_port),
                 "--media-port", str(self.media_port), "--announced-ip", announced_ip,
                 "--workers", "1", "--drain-timeout", str(self.drain_timeout_s),
                 *(["--https-port", str(self.https_port)] if self.https_port else ["--no-https"]),
                 *extra_args],
                cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=self.environment,
            )

    def _wait_healthy(self):
        deadline = time.monotonic() + self.STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"relay exited with {self.process.returncode} before /healthz:\n"
                                   + "\n".join(self.log_tail()))
            try:
                with _direct.open(self.base_url + "/healthz", timeout=1) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"relay did not answer /healthz in {self.STARTUP_TIMEOUT_S} s:\n"
                           + "\n".join(self.log_tail()))

    def metric(self, name, **labels):
        """The value of one series of /metrics (a counter or gauge with exactly these labels),
        0 when the relay does not show it."""
        wanted = name + ("{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}" if labels else "")
        with _direct.open(self.base_url + "/metrics", timeout=5) as reply:
            for line in reply.read().decode().splitlines():
                series, _, value = line.rpartition(" ")
                if series == wanted:
                    return float(value)
        return 0.0

    def metric_with(self, name, **labels):
        """The value of the first series of `name` among whose labels are these (others may
        be there too), None when there is none."""
        wanted = [f'{k}="{v}"' for k, v in labels.items()]
        with _direct.open(self.base_url + "/metrics", timeout=5) as reply:
            for line in reply.read().decode().splitlines():
                series, _, value = line.rpartition(" ")
                if series.startswith(name + "{") and all(w in series for w in wanted):
                    return float(value)
        return None

    def log_tail(self, lines=30):
        with open(self.log_path, errors="replace") as f:
            return [line.rstrip("\n") for line in deque(f, maxlen=lines)]

    def stop(self):
        if self.process:
            terminate(self.process)
        shutil.rmtree(self.workdir, ignore_errors=True)


def terminate(process, grace_s=5):
    """SIGTERM to a process this test started, SIGKILL if it is still there after grace_s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
