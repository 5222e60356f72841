"""A minimal Chrome DevTools Protocol client for QtWebEngine's debugging port.

QtWebEngine exposes the window's page with QTWEBENGINE_REMOTE_DEBUGGING=PORT. Plain
CDP (/json/list, then Runtime.evaluate over the target's WebSocket) reads it;
Playwright's connect_over_cdp does not work against QtWebEngine (it fails at
Browser.setDownloadBehavior).
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import websocket


class CDPError(RuntimeError):
    pass


def page_targets(port: int) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as r:
        return [t for t in json.load(r) if t.get("type") == "page"]


class Page:
    """One page target: evaluate JavaScript and read the result by value."""

    def __init__(self, ws_url: str) -> None:
        # No Origin header: Chromium rejects DevTools WebSockets from unknown origins.
        self._ws = websocket.create_connection(ws_url, timeout=10, suppress_origin=True)
        self._ids = itertools.count(1)

    def close(self) -> None:
        self._ws.close()

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        msg_id = next(self._ids)
        self._ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self._ws.recv())
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply["result"]

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise CDPError(f"JavaScript error: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(
        self, expression: str, timeout: float, accept: Callable[[Any], bool] = bool
    ) -> Any:
        """Evaluate until `accept(value)`; return the value or raise TimeoutError."""
        deadline = time.monotonic() + timeout
        value: Any = None
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
                if accept(value):
                    return value
            except CDPError:
                pass  # between two documents
            time.sleep(0.1)
        raise TimeoutError(f"{expression!r} still {value!r} after {timeout} s")


def connect(port: int, url_prefix: str, timeout: float) -> Page:
    """Wait for a page target whose URL starts with `url_prefix`, and attach to it."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        try:
            targets = page_targets(port)
            seen = [t["url"] for t in targets]
            for target in targets:
                if target["url"].startswith(url_prefix):
                    return Page(target["webSocketDebuggerUrl"])
        except OSError:
            pass  # the debugging port is not up yet
        time.sleep(0.1)
    raise TimeoutError(f"no page at {url_prefix} after {timeout} s (pages: {seen})")
