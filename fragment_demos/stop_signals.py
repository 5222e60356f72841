"""SIGINT and SIGTERM at any moment: a clean exit 0, never a traceback or a lost signal.

Installed first thing in main, before anything slow starts. What a signal does depends
on what the main thread is doing when it comes:

- running plain Python (the start-up: imports, binding the port, waiting for the
  server): the handler raises `Interrupted`, which unwinds the start-up through its
  `finally` blocks (splash closed, server stopped) to main, which exits 0;
- running Qt (the splash's paint wait, QtWebEngine's start, the window's event loop):
  an exception raised in a Qt callback is swallowed by PySide (the Ctrl+C that Python's
  default handler turned into KeyboardInterrupt was lost that way), so the phase says
  what to do instead (`deferred`): the window closes itself, and the code after the
  phase calls `check`;
- stopping already: later signals are ignored, so no teardown is cut short.

Python runs a handler only when the main thread runs Python code. While Qt's event loop
waits in C++, `QtWakeUp` makes it run at once: the C-level handler writes to a socket
(signal.set_wakeup_fd) that a QSocketNotifier watches on the GUI thread.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """A stop signal came while the start-up ran Python code: unwind, then exit 0.

    A BaseException, as KeyboardInterrupt: `except Exception` on the way must not catch it.
    """


class StopSignals:
    """The process's SIGINT/SIGTERM handler and what each phase does with a signal."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.signal_name = ""
        self._action: Callable[[], None] | None = None  # None: raise Interrupted

    def install(self) -> StopSignals:
        """Take SIGINT and SIGTERM (main thread only); returns self."""
        for sig in SIGNALS:
            signal.signal(sig, self.handle)
        return self

    def handle(self, signum: int, _frame: FrameType | None = None) -> None:
        if self.requested.is_set():
            return  # stopping already: let the teardown finish
        self.signal_name = signal.Signals(signum).name
        self.requested.set()
        action = self._action
        if action is None:
            raise Interrupted(self.signal_name)
        action()

    def check(self) -> None:
        """Between phases: unwind if a signal came while the last one could not."""
        if self.requested.is_set():
            raise Interrupted(self.signal_name)

    @contextlib.contextmanager
    def deferred(self, action: Callable[[], None] = lambda: None) -> Iterator[None]:
        """While this runs, a signal calls `action` (on the main thread) instead of raising."""
        previous, self._action = self._action, action
        try:
            yield
        finally:
            self._action = previous

    def stopping(self) -> None:
        """From now on signals are ignored: the process is on its way out."""
        self._action = lambda: None
        self.requested.set()

    def reinstall(self) -> None:
        """Take SIGINT back from whoever replaced the handler (pywebview's Qt backend does)."""
        for sig in SIGNALS:
            if signal.getsignal(sig) != self.handle:
                signal.signal(sig, self.handle)


class QtWakeUp:
    """Run Python's signal handlers promptly while Qt's event loop waits in C++.

    Create and `close` on the GUI (main) thread, once the QApplication exists.
    """

    def __init__(self) -> None:
        from qtpy.QtCore import QSocketNotifier

        self._read, self._write = socket.socketpair()
        for end in (self._read, self._write):
            end.setblocking(False)
        self._previous = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        self._notifier: Any = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read)
        # A Python slot: entering it runs the pending handlers, then it drains the socket.
        self._notifier.activated.connect(self._drain)

    def _drain(self, *_args: object) -> None:
        with contextlib.suppress(OSError):
            while self._read.recv(64):
                pass

    def close(self) -> None:
        if self._notifier is None:
            return
        signal.set_wakeup_fd(self._previous)
        self._notifier.setEnabled(False)
        self._notifier.deleteLater()
        self._notifier = None
        self._read.close()
        self._write.close()
