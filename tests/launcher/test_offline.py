"""Offline by proof: a full session of both pages resolves no name and reaches no host
beyond loopback, as root and as an unprivileged user with Chromium's sandbox on.

The app runs in a network namespace of its own that has only a loopback interface
(`unshare --net`, as root), under `strace -f`, which records every socket, connection
attempt and datagram send (`sendto`, `sendmsg`, `sendmmsg`) of every thread and helper
process, QtWebEngine's included, and the opening of the resolver's files. Name look-ups
are seen twice over:

- through the C library: a small preloaded library (compiled here from LOOKUP_SHIM)
  records the name of every `getaddrinfo`/`gethostbyname*` call, Python's and
  Chromium's; any name that is not loopback fails the test;
- on the wire: a DNS query is a socket to port 53 (the resolver's `nameserver`, or
  Chromium's own DNS client): any such call fails the test, even to 127.0.0.1 (the app
  serves no DNS).

The resolver's files (/etc/hosts, /etc/resolv.conf, /etc/nsswitch.conf, /etc/gai.conf)
are read to resolve "localhost" too, and Chromium reads them at start to watch the
system's DNS settings: their opening is counted and printed, not failed.

QtWebEngine's Chromium checks whether IPv6 is globally routable by connect()ing a UDP
socket to 2001:4860:4860::8888:443 (net/dns/host_resolver_manager.cc, the IPv6 probe):
a UDP connect() only asks the kernel for a route and sends nothing. So UDP connects
beyond loopback are reported separately, not failed (unless to port 53).

The unprivileged run: CI runs as root, where the app turns Chromium's sandbox off
(window.py: it refuses to run as root). So the test also runs the app as `nobody`
(setpriv, inside the same namespaces), with QTWEBENGINE_DISABLE_SANDBOX unset, and
checks from the trace that the helpers ran sandboxed (no --no-sandbox, seccomp filters
installed). `nobody` must be able to read the interpreter and the checkout: where an
ancestor folder is closed to others (pyenv under /root, mode 0700), the test's mount
namespace lays a world-readable tmpfs over that folder and binds the needed child back
in, so nothing on the machine changes. HOME and the XDG folders are a temporary folder
owned by `nobody`.
"""

from __future__ import annotations

import os
import pwd
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.launch import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(400),
    pytest.mark.skipif(
        not (sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0
             and all(shutil.which(tool) for tool in ("unshare", "strace", "ip", "setpriv", "cc"))),
        reason="needs Linux, root, unshare, strace, ip, setpriv and a C compiler "
        "(the test command installs them)",
    ),
]

SOCKET = re.compile(r"^socket\(AF_INET6?, (SOCK_\w+)[^)]*\) = (\d+)")
CALL = re.compile(
    r"^(connect|sendto|sendmsg|sendmmsg)\((\d+), "
    r'.*?\{sa_family=AF_INET6?, sin6?_port=htons\((\d+)\), '
    r'(?:sin_addr=inet_addr\("([^"]+)"\)|[^}]*inet_pton\(AF_INET6, "([^"]+)")'
)
RESOLVER_FILE = re.compile(
    r'^openat\([^,]+, "(/etc/(?:hosts|resolv\.conf|nsswitch\.conf|gai\.conf|host\.conf))"'
)
EXEC_HELPER = re.compile(r'^execve\("[^"]*QtWebEngineProcess", \[(.*)\]')
# server_process.py names its forked server so: its calls are traced as the window's are.
SERVER_PROCESS = re.compile(r'prctl\(PR_SET_NAME, "app-server"')
SECCOMP_FILTER = re.compile(r"^seccomp\(SECCOMP_SET_MODE_FILTER, .* = 0")
LOOPBACK = re.compile(r"^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$")
LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost", "(null)"}

LOOKUP_SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void note(const char *call, const char *name) {
    const char *path = getenv("OFFLINE_TEST_LOOKUPS");
    int fd = path ? open(path, O_WRONLY | O_APPEND | O_CLOEXEC) : -1;
    if (fd < 0) return;  /* a sandboxed process cannot open files: it resolves nothing either */
    char line[600];
    int n = snprintf(line, sizeof line, "%d %s %.500s\n", (int)getpid(), call,
                     name ? name : "(null)");
    if (n > 0) (void)!write(fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    close(fd);
}

#define REAL(name) static __typeof__(name) *real; if (!real) real = dlsym(RTLD_NEXT, #name)

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res) {
    REAL(getaddrinfo); note("getaddrinfo", node); return real(node, service, hints, res);
}
struct hostent *gethostbyname(const char *name) {
    REAL(gethostbyname); note("gethostbyname", name); return real(name);
}
struct hostent *gethostbyname2(const char *name, int af) {
    REAL(gethostbyname2); note("gethostbyname2", name); return real(name, af);
}
int gethostbyname_r(const char *name, struct hostent *ret, char *buf, size_t len,
                    struct hostent **result, int *err) {
    REAL(gethostbyname_r); note("gethostbyname_r", name);
    return real(name, ret, buf, len, result, err);
}
int gethostbyname2_r(const char *name, int af, struct hostent *ret, char *buf, size_t len,
                     struct hostent **result, int *err) {
    REAL(gethostbyname2_r); note("gethostbyname2_r", name);
    return real(name, af, ret, buf, len, result, err);
}
"""


def build_shim(folder: Path) -> Path:
    source, library = folder / "lookups.c", folder / "lookups.so"
    source.write_text(LOOKUP_SHIM)
    subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", str(library), str(source), "-ldl"],
                   check=True, capture_output=True, timeout=60)
    library.chmod(0o755)
    return library


def open_to_others(paths: list[Path], stash: Path) -> list[str]:
    """Shell commands (for a private mount namespace) that let any user reach `paths`:
    each ancestor folder closed to others gets a world-readable tmpfs laid over it, with
    its one needed child bound back in. Nothing changes outside the namespace."""
    commands: list[str] = []
    covered: set[Path] = set()
    for target in paths:
        parts = target.resolve().parts
        for depth in range(1, len(parts) - 1):
            folder = Path(*parts[: depth + 1])
            if folder in covered or folder.stat().st_mode & stat.S_IXOTH:
                continue
            child = parts[depth + 1]
            keep = stash / str(len(covered))
            keep.mkdir(parents=True)
            q = shlex.quote
            commands += [
                f"mount --bind {q(str(folder))} {q(str(keep))}",
                f"mount -t tmpfs -o mode=755 tmpfs {q(str(folder))}",
                f"mkdir {q(str(folder / child))}",
                f"mount --rbind {q(str(keep / child))} {q(str(folder / child))}",
                f"umount {q(str(keep))}",
            ]
            covered.add(folder)
    return commands


@pytest.fixture
def workdir() -> Iterator[Path]:
    """A folder every user can reach (pytest's own tmp_path is under a 0700 folder)."""
    folder = Path(tempfile.mkdtemp(prefix="fragment-demos-offline-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def run_offline(
    tmp_path: Path, *, unprivileged: bool
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Both pages' self-test in a loopback-only network namespace, under strace."""
    trace = tmp_path / "trace" / "network.trace"
    trace.parent.mkdir()
    lookups = tmp_path / "lookups.txt"
    lookups.touch(mode=0o666)
    lookups.chmod(0o666)  # written by every process of the app, whoever it runs as
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    env = {
        **{k: v for k, v in os.environ.items() if k != "QTWEBENGINE_DISABLE_SANDBOX"},
        "HOME": str(home), "XDG_RUNTIME_DIR": str(home / "runtime"),
        "XDG_STATE_HOME": str(home / "state"), "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"), "XDG_DATA_HOME": str(home / "data"),
        "OFFLINE_TEST_LOOKUPS": str(lookups), "LD_PRELOAD": str(build_shim(tmp_path)),
    }
    (home / "runtime").mkdir(mode=0o700)
    app = [sys.executable, str(ROOT / "launcher.py"), "--self-test"]
    setup = ["ip link set lo up"]
    if unprivileged:
        user = pwd.getpwnam("nobody")
        for path in (home, *home.iterdir()):
            os.chown(path, user.pw_uid, user.pw_gid)
        setup += open_to_others([Path(sys.executable), Path(sys.base_prefix), ROOT],
                                tmp_path / "stash")
        app = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups",
               "--reset-env", "env", *(f"{k}={v}" for k, v in env.items()), *app]
    script = " && ".join(
        [*setup, "exec strace -ff -qq -s 300 -e trace=socket,connect,sendto,sendmsg,sendmmsg,"
         f"openat,execve,seccomp,prctl -o {shlex.quote(str(trace))} {shlex.join(app)}"]
    )
    done = subprocess.run(
        ["unshare", "--net", "--mount", "sh", "-c", script], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=300,
    )
    return done, trace.parent


@pytest.mark.parametrize("user", ["root", "unprivileged"])
def test_a_session_of_both_pages_resolves_and_reaches_loopback_only(
    user: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tmp_path = workdir
    done, traces = run_offline(tmp_path, unprivileged=user == "unprivileged")
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "self-test: data-feed: ok" in done.stdout and "self-test: sales: ok" in done.stdout

    kinds: dict[tuple[str, str], str] = {}  # (thread, fd) -> SOCK_STREAM / SOCK_DGRAM
    loopback = 0
    tcp_outside, sent_outside, route_probes, dns = set(), set(), set(), set()
    resolver_files: dict[str, int] = {}
    helpers: list[str] = []
    seccomp_filters = 0
    server_processes = 0
    for path in traces.glob("network.trace.*"):
        thread = path.suffix  # -ff: one file per thread, so no call is split ("unfinished")
        for line in path.read_text(errors="replace").splitlines():
            if made := SOCKET.match(line):
                kinds[(thread, made.group(2))] = made.group(1)
            elif opened := RESOLVER_FILE.match(line):
                resolver_files[opened.group(1)] = resolver_files.get(opened.group(1), 0) + 1
            elif helper := EXEC_HELPER.match(line):
                helpers.append(helper.group(1))
            elif SECCOMP_FILTER.match(line):
                seccomp_filters += 1
            elif SERVER_PROCESS.match(line):
                server_processes += 1
            elif call := CALL.match(line):
                verb, fd, port = call.group(1), call.group(2), call.group(3)
                address = call.group(4) or call.group(5)
                peer = f"{address}:{port}"
                if port == "53":
                    dns.add(f"{verb} {peer}")
                elif LOOPBACK.match(address):
                    loopback += 1
                elif verb != "connect":
                    sent_outside.add(peer)
                elif kinds.get((thread, fd)) == "SOCK_DGRAM":
                    route_probes.add(peer)
                else:  # TCP, or a socket made on another thread: counted as a connection
                    tcp_outside.add(peer)
    looked_up = [line.split(" ", 2) for line in (tmp_path / "lookups.txt").read_text().splitlines()]
    names = {name for _, _, name in looked_up}
    outside_names = {n for n in names if n not in LOOPBACK_NAMES and not LOOPBACK.match(n)}
    with capsys.disabled():  # the figures belong in the CI log
        print(f"\noffline ({user}): loopback connections/sends: {loopback}; TCP beyond loopback: "
              f"{sorted(tcp_outside) or 'none'}; datagrams sent beyond loopback: "
              f"{sorted(sent_outside) or 'none'}; DNS (port 53): {sorted(dns) or 'none'}; "
              f"UDP route look-ups (nothing sent): {sorted(route_probes) or 'none'}; "
              f"name look-ups: {len(looked_up)} of {sorted(names)}; resolver files opened: "
              f"{resolver_files or 'none'}; QtWebEngine helpers: {len(helpers)}, "
              f"seccomp filters installed: {seccomp_filters}; server processes: {server_processes}")
    assert loopback > 0, "the trace saw no connection to the app server: it is not working"
    assert looked_up, "the look-up recorder saw no call at all: it is not loaded"
    assert outside_names == set(), "a name beyond loopback was looked up"
    assert dns == set(), "a DNS query was attempted"
    assert tcp_outside == set()
    assert sent_outside == set()
    assert helpers, "no QtWebEngine helper process was traced"
    if sys.platform.startswith("linux"):
        assert server_processes == 1, "the app server's own process was not traced"
    if user == "unprivileged":
        assert not any("--no-sandbox" in args for args in helpers), helpers
        assert seccomp_filters > 0, "no seccomp filter: the sandbox did not start"
    else:
        assert all("--no-sandbox" in args for args in helpers)  # as root it cannot run
