"""The processes an end-to-end run starts, and stopping them by PID.

Chromium's crash handler detaches from its parent, so stopping a browser's process tree would miss
it. The test process therefore makes itself a child subreaper: every orphan of what it started is
re-parented to it, stays among its descendants, and is stopped and reaped here by PID. A process
is named by (pid, start time), so a PID reused by an unrelated process is never signalled.
"""

import ctypes
import os
import signal
import time

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl(PR_SET_CHILD_SUBREAPER): {os.strerror(errno)}")


def _stat(pid):
    """(parent pid, start time, state) of a live or zombie process, None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name may contain spaces and parentheses; the fields follow the last ')'.
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), int(fields[19]), fields[0]


def descendants(roots=None):
    """Every process below the given PIDs (default: this process), as a set of (pid, start time)."""
    roots = [os.getpid()] if roots is None else list(roots)
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat:
                children.setdefault(stat[0], []).append((int(entry), stat[1]))
    found, pending = set(), roots
    while pending:
        for child in children.get(pending.pop(), []):
            found.add(child)
            pending.append(child[0])
    return found


def describe(process):
    """'pid name' for reports."""
    try:
        with open(f"/proc/{process[0]}/comm") as f:
            return f"{process[0]} {f.read().strip()}"
    except FileNotFoundError:
        return f"{process[0]} (gone)"


def running(process):
    pid, start = process
    stat = _stat(pid)
    return stat is not None and stat[1] == start and stat[2] != "Z"


def _reap(processes):
    """Collects the exit status of those that ended as our children (orphans re-parented here)."""
    for pid, _ in processes:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass


def _signal(processes, signum):
    for pid, _ in processes:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass


def stop(processes, grace=3.0):
    """SIGTERM, then SIGKILL whatever still runs after `grace` seconds; reaps them all."""
    alive = [p for p in processes if running(p)]
    _signal(alive, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        _reap(alive)
        alive = [p for p in alive if running(p)]
    _signal(alive, signal.SIGKILL)
    deadline = time.monotonic() + 1.0
    while any(running(p) for p in alive) and time.monotonic() < deadline:
        time.sleep(0.02)
    _reap(processes)
