"""SIGINT and SIGTERM at any moment: a clean exit 0, never a traceback or a lost signal.

Installed first thing (launcher.py, else cli.main), before anything slow starts. The
handler never raises: an exception thrown into whatever the main thread runs is not
safe. Python's default SIGINT handler did that (KeyboardInterrupt): inside a Qt callback
PySide swallowed it (the Ctrl+C during the splash was lost), and thrown into importlib's
bookkeeping it left a module lock held, so the server thread's imports hung. Instead:

- the start-up calls `check` between its phases (each under a second), which raises
  `Interrupted` at that known point; it unwinds through the `finally` blocks (splash
  closed, server stopped) to main, which exits 0;
- a phase that waits (the server's health, the event loop) says what a signal does
  while it runs (`on_signal`): the window closes itself, a wait returns;
- the teardown runs to its end whatever comes.

Python runs a handler only when the main thread runs Python code. While Qt's event loop
waits in C++, `desktop_shell.qt.wake_up.QtWakeUp` makes it run at once: the C-level handler writes to a socket
(signal.set_wakeup_fd) that a QSocketNotifier watches on the GUI thread.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """A stop signal came during the start-up: unwind, then exit 0.

    A BaseException, as KeyboardInterrupt: `except Exception` on the way must not catch it.
    """


class StopSignals:
    """The process's SIGINT/SIGTERM handler, and what the running phase does with a signal."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.signal_name = ""
        self._action: Callable[[], None] = lambda: None

    def install(self) -> StopSignals:
        """Take SIGINT and SIGTERM (main thread only); returns self."""
        for sig in SIGNALS:
            signal.signal(sig, self.handle)
        return self

    def handle(self, signum: int, _frame: FrameType | None = None) -> None:
        """The handler: note the stop, run the phase's action once; never raises."""
        if self.requested.is_set():
            return  # stopping already
        self.signal_name = signal.Signals(signum).name
        self.requested.set()
        self._action()

    def check(self) -> None:
        """Between phases of the start-up: unwind if a signal came."""
        if self.requested.is_set():
            raise Interrupted(self.signal_name)

    @contextlib.contextmanager
    def on_signal(self, action: Callable[[], None]) -> Iterator[None]:
        """While this runs, a signal also calls `action` (on the main thread)."""
        previous, self._action = self._action, action
        try:
            yield
        finally:
            self._action = previous

    def reinstall(self) -> None:
        """Take the signals back from whoever replaced the handler."""
        for sig in SIGNALS:
            if signal.getsignal(sig) != self.handle:
                signal.signal(sig, self.handle)
