"""Serve Streamlit's frontend at once; start Streamlit itself beside it.

Importing Streamlit and starting its runtime takes ~0.4 s after the server thread starts
(bench/), and the window is shown before that. Streamlit's frontend (index.html and ~60
JavaScript modules, ~0.6 s to fetch and compile in QtWebEngine) needs none of it: these
are files. So the server answers as soon as its socket is bound, with this ASGI app in
front: it serves the frontend's files from disk while Streamlit imports in a thread, and
holds every other request (/_stcore/health, /_stcore/host-config, the WebSocket) until
Streamlit's app is up, then passes everything to it. Holding, not refusing: the frontend
waits up to 15 s for those first answers, where a refusal would start its reconnect
back-off (250 ms and more between tries).

The files and their headers are those Streamlit's own static route serves (Cache-Control:
`immutable` for the hashed bundles, `no-cache` for index.html), so the window's HTTP cache
keeps them across launches either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import mimetypes
import threading
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Protocol

from desktop_shell.server.gate import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)

# As Streamlit's static route (streamlit/web/server/starlette/starlette_static_routes.py,
# STATIC_ASSET_CACHE_MAX_AGE_SECONDS): the bundles' names carry a hash of their content.
IMMUTABLE = b"public, immutable, max-age=31536000"
NO_CACHE = b"no-cache"


class StreamlitApp(Protocol):
    """What we use of st.App: an ASGI app whose runtime a parent starts (App.lifespan)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None: ...

    def lifespan(self) -> Callable[[Any], AbstractAsyncContextManager[None]]: ...


def streamlit_static_dir() -> Path:
    """Streamlit's built frontend, found without importing Streamlit (~0.2 s)."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("streamlit")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


class FrontendFirst:
    """ASGI app: the frontend's files now; Streamlit's app once `build` has made it.

    `build` runs in a thread of its own (it imports Streamlit); `after_build` runs there
    next (the page's early imports). `failed` is told if `build` or Streamlit's start
    raise; requests held until then get 503.
    """

    def __init__(
        self,
        static_dir: Path,
        page_paths: frozenset[str],
        build: Callable[[], StreamlitApp],
        *,
        after_build: Callable[[], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        self._static = static_dir.resolve()
        self._page_paths = page_paths
        self._build = build
        self._after_build = after_build
        self._failed = failed
        self._app: StreamlitApp | None = None
        self._ready = asyncio.Event()
        self._starting: asyncio.Task[None] | None = None
        self._lifespan: AbstractAsyncContextManager[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._life(receive, send)
            return
        if self._app is None:
            file = self._early_file(scope)
            if file is not None:
                await _send_file(scope, send, *file)
                return
            await self._ready.wait()
        if self._app is None:  # Streamlit failed to start
            await _send_status(scope, receive, send, 503)
            return
        await self._app(scope, receive, send)

    # -- which requests are the frontend's files -------------------------------------------

    def _early_file(self, scope: Scope) -> tuple[Path, bytes] | None:
        """The file and its Cache-Control for a request for the frontend; else None."""
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            return None
        path = str(scope.get("path", ""))
        if path in self._page_paths:
            return self._static / "index.html", NO_CACHE
        if path.startswith("/static/") and ".." not in path and "\\" not in path:
            file = (self._static / path.lstrip("/")).resolve()
            if file.is_relative_to(self._static) and file.is_file():
                return file, IMMUTABLE
        return None  # Streamlit's own answer, once it is up

    # -- Streamlit's start and stop ------------------------------------------------------------

    async def _life(self, receive: Receive, send: Send) -> None:
        """The ASGI lifespan: ready at once (serving files); Streamlit starts in the background."""
        await receive()  # lifespan.startup
        self._starting = asyncio.ensure_future(self._start())
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        if not self._starting.done():
            self._starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._starting
        if self._lifespan is not None:
            await self._lifespan.__aexit__(None, None, None)  # stops Streamlit's runtime
        await send({"type": "lifespan.shutdown.complete"})

    async def _start(self) -> None:
        try:
            app = await self._built()
            lifespan = app.lifespan()(None)
            await lifespan.__aenter__()  # starts Streamlit's runtime
            self._lifespan = lifespan
            self._app = app
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001 - reported to the window and the log
            self._failed(exc)
        finally:
            self._ready.set()

    def _built(self) -> asyncio.Future[StreamlitApp]:
        """`build` in a daemon thread (never waited for at exit if it hangs), then `after_build`."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[StreamlitApp] = loop.create_future()

        def report(outcome: Callable[[], None]) -> None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits
                loop.call_soon_threadsafe(outcome)

        def run() -> None:
            try:
                app = self._build()
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting coroutine
                report(lambda: future.done() or future.set_exception(exc))
                return
            report(lambda: future.done() or future.set_result(app))
            self._after_build()

        threading.Thread(target=run, name="streamlit-start", daemon=True).start()
        return future


async def _send_file(scope: Scope, send: Send, file: Path, cache: bytes) -> None:
    body = file.read_bytes()
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith("javascript"):
        kind += "; charset=utf-8"
    await send({
        "type": "http.response.start",
        "status": 200,
        "headers": [
            (b"content-type", kind.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", cache),
        ],
    })
    await send({"type": "http.response.body", "body": b"" if scope.get("method") == "HEAD" else body})


async def _send_status(scope: Scope, receive: Receive, send: Send, status: int) -> None:
    if scope["type"] == "websocket":
        await receive()  # websocket.connect; closing before accepting answers HTTP 403
        await send({"type": "websocket.close", "code": 1011})
        return
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
