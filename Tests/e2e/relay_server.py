"""Starting the `relay` binary on free loopback ports for a test, and stopping it by PID."""

import socket
import subprocess
import tempfile
import time
import urllib.request
from collections import deque

# A proxy from the environment must not sit between the test and a loopback server.
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_tcp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_udp_port():
    # Checked on the wildcard address, which conflicts with any address the relay may bind.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("0.0.0.0", 0))
        return s.getsockname()[1]


class RelayServer:
    STARTUP_TIMEOUT_S = 30

    def __init__(self, binary):
        self.http_port = free_tcp_port()
        self.media_port = free_udp_port()
        self.base_url = f"http://127.0.0.1:{self.http_port}"
        self.log = tempfile.NamedTemporaryFile(prefix="relay-e2e-server-", suffix=".log")
        self.process = subprocess.Popen(
            [binary, "serve", "--http-host", "127.0.0.1", "--http-port", str(self.http_port),
             "--media-port", str(self.media_port), "--announced-ip", "127.0.0.1", "--workers", "1"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
        )
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise

    def _wait_healthy(self):
        deadline = time.monotonic() + self.STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"relay exited with {self.process.returncode} before /healthz")
            try:
                with _direct.open(self.base_url + "/healthz", timeout=1) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"relay did not answer /healthz in {self.STARTUP_TIMEOUT_S} s")

    def log_tail(self, lines=30):
        with open(self.log.name, errors="replace") as f:
            return [line.rstrip("\n") for line in deque(f, maxlen=lines)]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
