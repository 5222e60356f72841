"""Process-tree and port checks for "nothing left running"."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from pathlib import Path


def _stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, start time) of a live process, None if gone or a zombie."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    if fields[0] == "Z":
        return None
    return int(fields[1]), fields[19]


def descendants(pid: int) -> dict[int, str]:
    """Live descendants of `pid`: {pid: start time} (the start time tells reused pids apart)."""
    children: dict[int, list[int]] = {}
    starts: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            info = _stat(int(entry.name))
            if info:
                children.setdefault(info[0], []).append(int(entry.name))
                starts[int(entry.name)] = info[1]
    found: dict[int, str] = {}
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found[child] = starts[child]
            stack.append(child)
    return found


def server_children(pid: int) -> list[int]:
    """`pid`'s direct children that are its forked app server (server_process.py names
    them "app-server" with prctl)."""
    found = []
    for child in descendants(pid):
        try:
            comm = Path(f"/proc/{child}/comm").read_text().strip()
        except OSError:
            continue
        info = _stat(child)
        if comm == "app-server" and info and info[0] == pid:
            found.append(child)
    return found


def alive(processes: dict[int, str]) -> list[int]:
    """Those of `processes` ({pid: start time}) that still run (not a reused pid)."""
    return [pid for pid, start in processes.items() if (info := _stat(pid)) and info[1] == start]


def kill(processes: dict[int, str]) -> None:
    """SIGKILL those of `processes` ({pid: start time}) that still run."""
    for pid in alive(processes):
        with contextlib.suppress(OSError):  # gone meanwhile
            os.kill(pid, signal.SIGKILL)


def still_running(processes: dict[int, str]) -> list[str]:
    """Command lines of those processes that still run."""
    left = []
    for pid in alive(processes):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        left.append(f"{pid}: {cmd[:200]}")
    return left


def wait_gone(processes: dict[int, str], timeout: float) -> list[str]:
    deadline = time.monotonic() + timeout
    while (left := still_running(processes)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def port_is_free(port: int, timeout: float = 5.0) -> bool:
    """No process listens on `port` any more, within `timeout` s: the app has let it go.

    Not a test bind: right after an app is killed, its connections linger in FIN-WAIT or
    TIME-WAIT, and another program's outgoing connection may take the freed port as its
    own local port; a bind then fails with nothing of the app's holding the port (two
    killed-app tests failed so in full runs, never alone). And a wait: right after a
    SIGKILL, a listener was still seen for a moment once every process of the snapshot
    had gone (1 in 6 launches), and never a second later.
    """
    deadline = time.monotonic() + timeout
    while is_listened_on(port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listeners() -> list[tuple[int, str]]:
    """(port, socket inode) of every TCP socket listening on this machine (Linux)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                found.append((int(fields[1].rsplit(":", 1)[1], 16), fields[9]))
    return found


def is_listened_on(port: int) -> bool:
    """Whether any process still listens on `port` (a closed connection's TIME-WAIT does not count)."""
    return any(listening == port for listening, _ in _listeners())


def listening_ports(pid: int) -> set[int]:
    """TCP ports `pid` listens on (its socket inodes, found among the listeners)."""
    inodes = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        return set()
    return {port for port, inode in _listeners() if inode in inodes}


def catches(pid: int, sig: int) -> bool:
    """Whether `pid` has a handler for `sig` installed (the SigCgt mask in /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    mask = next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(mask, 16) >> (sig - 1) & 1)
