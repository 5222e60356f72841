"""The Streamlit server in a child process forked first thing: the window's server on Linux.

In a thread of the window's process (server.py), the server's imports (Streamlit,
pandas, Altair: 0.6-0.9 s, bench/) and the window's (Qt, QtWebEngine, pywebview: ~0.3 s)
share one interpreter and one GIL. Here the process forks as soon as the socket is
bound, before any thread or Qt import, and the child serves on the socket it inherits
while the parent shows the splash and the window on the other core: the chart is drawn
0.3-0.6 s sooner, cold and warm (docs/server-process.md, three A/B runs).

Why fork and not a second interpreter (`python -m desktop_shell --serve-only`, or the
frozen file again): fork costs a few milliseconds and no second start-up (interpreter,
bootloader, argument parsing, manifest, ~0.1-0.3 s); the child inherits the settings,
the secret, the bound socket and the log file as they are, and shares the interpreter's
pages copy-on-write; a PyInstaller build forks the same way. It needs a process with no
thread and no toolkit yet, which is true up to cli.run (checked: `_fork_is_safe`).
Windows has no fork: there it would be a spawned "serve only" child given the socket
(socket.share) and the settings; macOS forbids using Cocoa in a forked child, which
the server never does, but that is untested, so both serve from the thread.

The child dies with the parent:
- Linux: PR_SET_PDEATHSIG(SIGKILL), so even a parent killed by SIGKILL leaves nothing;
- everywhere: it watches its end of a socket pair and exits when the parent's end closes.
The parent kills and reaps it as the window closes (`abandon`, `stop`): it holds nothing
to save. What the parent holds for itself (the single-instance lock and channel, the
start-up picture's connection) the child lets go of at once.

DESKTOP_SHELL_SERVER_PROCESS=0 serves from the thread instead (=1 forks on any system
with fork), read in `wanted` only: `bench/run.py --alt-env DESKTOP_SHELL_SERVER_PROCESS=0`
measures the thread against the child in one run.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import select
import signal
import socket
import sys
import threading
import time
from typing import NoReturn

from desktop_shell.process import heap_trim
from desktop_shell.server.server import AppServer, ServerError
from desktop_shell.settings import Mode, Settings

log = logging.getLogger(__name__)

VARIABLE = "DESKTOP_SHELL_SERVER_PROCESS"
READY = b"R"  # child -> parent: /_stcore/health answers
FAILED = b"F"  # child -> parent: then the failure sentence, then the child exits
PR_SET_PDEATHSIG = 1
PR_SET_NAME = 15
WATCH_INTERVAL = 0.5  # seconds between the child's looks at its server thread


def wanted(settings: Settings) -> bool:
    """Serve from a forked child: a window mode, Linux (or asked for), and nothing yet
    that a fork could copy half-way (else the thread serves)."""
    asked = os.environ.get(VARIABLE, "")
    if asked == "0" or settings.mode not in (Mode.WINDOW, Mode.SELF_TEST) or not hasattr(os, "fork"):
        return False
    if asked != "1" and not sys.platform.startswith("linux"):
        return False
    unsafe = _fork_is_safe()
    if unsafe:
        log.warning("serving from a thread: cannot fork the app server (%s)", unsafe)
    return not unsafe


def _threads() -> int:
    """Threads of this process: the OS's count on Linux (Qt's and Chromium's native
    threads too), else Python's."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _fork_is_safe() -> str:
    """"" or why forking now could copy a lock held by another thread or the toolkit.

    Qt's libraries may be loaded already: PyInstaller's runtime hook for PySide6 imports
    PySide6.QtCore before our code runs (to register its qt.conf). Loading them starts
    no thread; a QApplication or pywebview would.
    """
    threads = _threads()
    if threads > 1:
        return f"{threads} threads run"
    if "webview" in sys.modules:
        return "pywebview imported"
    qt_core = sys.modules.get("PySide6.QtCore")
    if qt_core is not None and qt_core.QCoreApplication.instance() is not None:
        return "Qt's application made"
    return ""


def _let_go_of(fds: tuple[int, ...]) -> None:
    """Make the parent's own descriptors point at /dev/null in this (child) process.

    Not os.close: the Python objects that own them (the lock's file, the channel's
    socket) live on in the child's copy and would one day close whatever file then had
    that number. dup2 keeps the number taken by something harmless.
    """
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in fds:
            with contextlib.suppress(OSError):  # already closed in the parent
                os.dup2(null, fd)
    finally:
        os.close(null)


def _session_connected() -> bool:
    """A page has connected to Streamlit's runtime (its first run follows at once)."""
    from streamlit.runtime import Runtime, RuntimeState

    return Runtime.exists() and Runtime.instance().state is RuntimeState.ONE_OR_MORE_SESSIONS_CONNECTED


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel sends us SIGKILL when the parent ends, however it ends."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    libc.prctl(PR_SET_NAME, b"app-server")  # in ps/top, beside the window's process
    if os.getppid() != parent:  # it ended before prctl took effect
        os._exit(0)


class ServerProcess:
    """protocol.Server, served by a forked child process."""

    def __init__(self, settings: Settings, parent_only: tuple[int, ...] = ()) -> None:
        """`parent_only`: descriptors the child must not keep (see `_let_go_of`)."""
        self._settings = settings
        self._parent_only = parent_only
        self._server = AppServer(settings)  # binds here; serves in the child
        self._pid = 0
        self._channel: socket.socket | None = None  # the parent's end
        self._ready = False
        self._failure = ""
        self._status: int | None = None  # the child's wait status, once reaped
        self._lock = threading.Lock()  # reaping
        self._channel_lock = threading.Lock()  # reading the child's channel

    # -- what does not depend on where it serves -------------------------------------

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def base_url(self) -> str:
        return self._server.base_url

    def url(self, page: str | None = None) -> str:
        return self._server.url(page)

    @property
    def cookie(self) -> str:
        return self._server.cookie

    def bind(self) -> None:
        # The parent keeps its copy of the listening socket: the port stays ours, and
        # known, for as long as the window shows it (an error screen included).
        self._server.bind()

    # -- the child -------------------------------------------------------------------

    def start(self) -> None:
        """Bind (if not yet) and fork the serving child; returns at once. Once only."""
        if self._pid:
            return
        self.bind()
        unsafe = _fork_is_safe()
        if unsafe:  # a programming error: the fork must come before these
            raise ServerError(f"The app server cannot be forked now: {unsafe}.")
        parent_end, child_end = socket.socketpair()
        parent = os.getpid()
        gc.freeze()  # the objects so far stay shared: the child's collector does not touch them
        pid = os.fork()
        if pid == 0:
            parent_end.close()
            self._serve_in_child(child_end, parent)
        gc.unfreeze()
        child_end.close()
        self._pid, self._channel = pid, parent_end
        log.info("app server: process %d", pid)

    def _serve_in_child(self, channel: socket.socket, parent: int) -> NoReturn:
        """The child's whole life: serve until the parent goes or the server fails."""
        code = 1
        try:
            _die_with_parent(parent)
            _let_go_of(self._parent_only)
            # Ctrl+C reaches the whole process group: the parent closes the window,
            # and this process ends with it.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            code = self._watch(channel)
        except BaseException as exc:  # noqa: BLE001 - said to the parent, which shows it
            with contextlib.suppress(OSError):
                channel.sendall(FAILED + f"The app server failed: {type(exc).__name__}: {exc}".encode())
        finally:
            logging.shutdown()
            os._exit(code)

    def _watch(self, channel: socket.socket) -> int:
        server = self._server
        server.start()
        try:
            server.wait_ready(self._settings.startup_timeout)
        except ServerError as exc:
            channel.sendall(FAILED + str(exc).encode())
            return 1
        channel.sendall(READY)
        log.info("app server answering")
        # The imports' and the first page run's freed heap, back to the system (-18 MiB).
        trim = heap_trim.TrimWhenQuiet("app server", ready=_session_connected)
        while True:
            readable, _, _ = select.select([channel], [], [], WATCH_INTERVAL)
            if readable and not channel.recv(64):
                return 0  # the parent has gone
            trim.poll()
            if not server.running:
                channel.sendall(FAILED + server.failure_text().encode())
                return 1

    # -- the parent ------------------------------------------------------------------

    def _reap(self, block: bool) -> None:
        with self._lock:
            if not self._pid or self._status is not None:
                return
            with contextlib.suppress(ChildProcessError):
                pid, status = os.waitpid(self._pid, 0 if block else os.WNOHANG)
                if pid:
                    self._status = status

    def _read_channel(self, timeout: float) -> None:
        """Take what the child said within `timeout` s: ready, or why it failed."""
        with self._channel_lock:
            channel = self._channel
            if channel is None or not select.select([channel], [], [], timeout)[0]:
                return
            data = channel.recv(65536)
            if not data:  # the child has ended
                channel.close()
                self._channel = None
            if data.startswith(READY):
                self._ready = True
                data = data[len(READY):]
            if data.startswith(FAILED):
                self._failure = data[len(FAILED):].decode(errors="replace")

    @property
    def running(self) -> bool:
        self._reap(block=False)
        return bool(self._pid) and self._status is None

    @property
    def serving(self) -> bool:
        return self._ready and self.running

    def wait_ready(self, timeout: float, until: threading.Event | None = None) -> None:
        """Return once the child says its server answers; raise ServerError otherwise.

        Returns early, healthy or not, once `until` is set (a stop signal).
        """
        deadline = time.monotonic() + timeout
        while not self._ready and (until is None or not until.is_set()):
            if self._channel is None or not self.running:
                raise ServerError(self.failure_text())
            if time.monotonic() > deadline:
                raise ServerError(f"The app server did not answer within {timeout:.0f} s.")
            self._read_channel(0.1)

    def failure_text(self) -> str:
        with contextlib.suppress(OSError):
            self._read_channel(0)
        return self._failure or self._server.failure_text()  # its sentence for "no error known"

    def abandon(self) -> None:
        """The window has closed and the process ends next: end the child now, beside it."""
        if self._pid and self._status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)

    def stop(self, timeout: float = 10.0) -> None:  # noqa: ARG002 - protocol.Server's signature
        """End the child (it holds nothing to save), reap it, release the port."""
        self.abandon()
        self._reap(block=True)
        with self._channel_lock:
            if self._channel is not None:
                self._channel.close()
                self._channel = None
        self._server.stop()  # closes the parent's copy of the socket (no thread ran here)
