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


def exists(process):
    """Still there, as a process or as a zombie not yet reaped."""
    stat = _stat(process[0])
    return stat is not None and stat[1] == process[1]


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


def _wait_gone(processes, seconds):
    """Reaps until all are gone or the time is up; returns those still there."""
    deadline = time.monotonic() + seconds
    while True:
        _reap(processes)
        processes = [p for p in processes if exists(p)]
        if not processes or time.monotonic() >= deadline:
            return processes
        time.sleep(0.05)


def stop(processes, grace=3.0):
    """SIGTERM, then SIGKILL whatever is still there after `grace` seconds, until all are gone.

    A process counts as gone only once reaped: a zombie thread-group leader may still have live
    threads, and the zombie child of a dying parent is re-parented here and reaped.
    """
    pending = [p for p in processes if exists(p)]
    _signal(pending, signal.SIGTERM)
    pending = _wait_gone(pending, grace)
    _signal(pending, signal.SIGKILL)
    _wait_gone(pending, 2.0)
