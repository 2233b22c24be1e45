"""Debian's coturn on loopback for a test: its own port and folder, credentials checked against
a shared secret (use-auth-secret, the scheme `relay serve --turn-secret-file` mints for), relaying
between loopback addresses; stopped by PID."""

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time

from relay_server import free_udp_port, terminate

TURNSERVER = shutil.which("turnserver") or "/usr/bin/turnserver"


class Coturn:
    STARTUP_TIMEOUT_S = 10

    def __init__(self):
        self.secret = secrets.token_hex(16)
        self.port = free_udp_port()
        # The port doubles as TCP listener; checked free on both.
        while True:
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                    s.bind(("127.0.0.1", self.port))
                break
            except OSError:
                self.port = free_udp_port()
        self.workdir = tempfile.mkdtemp(prefix="relay-e2e-coturn-")
        self.secret_file = os.path.join(self.workdir, "turn-secret")
        with open(self.secret_file, "w") as f:
            f.write(self.secret + "\n")
        os.chmod(self.secret_file, 0o600)
        self.log_path = os.path.join(self.workdir, "turnserver.log")
        config = os.path.join(self.workdir, "turnserver.conf")
        with open(config, "w") as f:
            f.write("\n".join([
                "listening-ip=127.0.0.1", "relay-ip=127.0.0.1", f"listening-port={self.port}",
                "min-port=50000", "max-port=59999",
                "use-auth-secret", f"static-auth-secret={self.secret}", "realm=relay.test",
                "fingerprint", "no-tls", "no-dtls", "no-cli", "no-multicast-peers", "verbose",
                # The browsers and the relay are all on loopback here, which coturn refuses by default.
                "allow-loopback-peers",
                f"log-file={self.log_path}", "simple-log", "no-stdout-log",
                f"pidfile={os.path.join(self.workdir, 'turnserver.pid')}", "",
            ]))
        self.process = subprocess.Popen([TURNSERVER, "-c", config], stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait_listening()
        self.url = f"turn:127.0.0.1:{self.port}?transport=udp"

    def _wait_listening(self):
        deadline = time.monotonic() + self.STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"turnserver exited with {self.process.returncode}:\n" + "\n".join(self.log_tail()))
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError("turnserver did not listen:\n" + "\n".join(self.log_tail()))

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, errors="replace") as f:
                return [line.rstrip("\n") for line in f.readlines()[-lines:]]
        except OSError:
            return []

    def allocations(self):
        """How many relay allocations coturn logged as made with a valid credential."""
        try:
            with open(self.log_path, errors="replace") as f:
                return sum(1 for line in f if "ALLOCATE processed, success" in line)
        except OSError:
            return 0

    def stop(self):
        terminate(self.process)
        shutil.rmtree(self.workdir, ignore_errors=True)
