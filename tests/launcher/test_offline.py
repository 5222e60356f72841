"""Offline by proof: a full session of both pages makes no connection beyond loopback.

The app runs in a network namespace of its own that has only a loopback interface
(`unshare --net`, as root), under `strace -f`, which records every socket, connection
attempt and datagram send of every thread and helper process, QtWebEngine's included.

QtWebEngine's Chromium checks whether IPv6 is globally routable by connect()ing a UDP
socket to 2001:4860:4860::8888:443 (net/dns/host_resolver_manager.cc, the IPv6 probe):
a UDP connect() only asks the kernel for a route and sends nothing. So the test fails
on any TCP connection beyond loopback, and on any datagram sent beyond it, and
reports those route look-ups separately.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.launch import ROOT

pytestmark = [
    pytest.mark.timeout(300),
    pytest.mark.skipif(
        not (sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0
             and shutil.which("unshare") and shutil.which("strace") and shutil.which("ip")),
        reason="needs Linux, root, unshare, strace and ip (the test command installs them)",
    ),
]

SOCKET = re.compile(r"^()socket\(AF_INET6?, (SOCK_\w+)[^)]*\) = (\d+)")
CALL = re.compile(
    r'^()(connect|sendto|sendmsg)\((\d+), .*?\{sa_family=AF_INET6?, sin6?_port=htons\((\d+)\), '
    r'(?:sin_addr=inet_addr\("([^"]+)"\)|[^}]*inet_pton\(AF_INET6, "([^"]+)")'
)
LOOPBACK = re.compile(r"^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$")


def test_a_session_of_both_pages_connects_to_loopback_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trace = tmp_path / "network.trace"
    script = (
        "ip link set lo up && "
        # -ff: one file per thread, so no call is split by another's ("unfinished").
        f"exec strace -ff -qq -e trace=socket,connect,sendto,sendmsg -o {trace} "
        f"{sys.executable} {ROOT / 'launcher.py'} --self-test"
    )
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(tmp_path)}
    done = subprocess.run(
        ["unshare", "--net", "sh", "-c", script], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "self-test: data-feed: ok" in done.stdout and "self-test: sales: ok" in done.stdout

    kinds: dict[tuple[str, str], str] = {}  # (thread, fd) -> SOCK_STREAM / SOCK_DGRAM
    loopback, tcp_outside, sent_outside, route_probes = 0, set(), set(), set()
    lines = [
        (path.suffix, line)  # the suffix is the thread id
        for path in tmp_path.glob("network.trace.*")
        for line in path.read_text().splitlines()
    ]
    for thread, line in lines:
        if made := SOCKET.match(line):
            kinds[(thread, made.group(3))] = made.group(2)
            continue
        call = CALL.match(line)
        if not call:
            continue
        tid, verb, fd, port = thread, call.group(2), call.group(3), call.group(4)
        peer = f"{call.group(5) or call.group(6)}:{port}"
        if LOOPBACK.match(call.group(5) or call.group(6)):
            loopback += 1
        elif verb != "connect":
            sent_outside.add(peer)
        elif kinds.get((tid, fd)) == "SOCK_DGRAM":
            route_probes.add(peer)
        else:  # TCP, or a socket made on another thread: counted as a connection
            tcp_outside.add(peer)
    with capsys.disabled():  # the figures belong in the CI log
        print(f"loopback connections/sends: {loopback}; TCP beyond loopback: "
              f"{sorted(tcp_outside) or 'none'}; datagrams sent beyond loopback: "
              f"{sorted(sent_outside) or 'none'}; UDP route look-ups (nothing sent): "
              f"{sorted(route_probes) or 'none'}")
    assert loopback > 0, "the trace saw no connection to the app server: it is not working"
    assert tcp_outside == set()
    assert sent_outside == set()
