"""What the launcher needs of an app server, wherever it serves.

Two implement it: `server.AppServer` (a thread of this process: --headless, --browser,
and where there is no fork) and `server_process.ServerProcess` (a forked child: the
window on Linux). cli.py, window.py and selftest.py are written against this.
"""

from __future__ import annotations

import threading
from typing import Protocol


class Server(Protocol):
    @property
    def port(self) -> int: ...

    @property
    def base_url(self) -> str: ...

    def url(self, page: str | None = None) -> str:
        """The page's URL with this launch's secret: what the window or a user opens."""
        ...

    @property
    def cookie(self) -> str:
        """The Cookie header value that lets a request through the gate."""
        ...

    def bind(self) -> None:
        """Bind the port (first, so a taken --port fails before anything shows)."""
        ...

    def start(self) -> None:
        """Start serving; returns at once. Does nothing if it serves already."""
        ...

    @property
    def running(self) -> bool: ...

    @property
    def serving(self) -> bool:
        """Up and answering."""
        ...

    def wait_ready(self, timeout: float, until: threading.Event | None = None) -> None:
        """Return once it answers; ServerError otherwise; early once `until` is set."""
        ...

    def failure_text(self) -> str:
        """Why it stopped, in a sentence for people."""
        ...

    def abandon(self) -> None:
        """The window has closed and the process ends next."""
        ...

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and release the port. Safe to call twice."""
        ...
