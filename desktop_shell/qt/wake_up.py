"""Python's signal handlers run at once while Qt's event loop waits in C++ (stop_signals.py)."""

from __future__ import annotations

import contextlib
import signal
import socket
from typing import Any


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
