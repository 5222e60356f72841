"""The Streamlit server, run by uvicorn in a background thread of this process.

`streamlit run` (bootstrap.run) installs signal handlers and so must own the main
thread, which the native window needs. Instead we serve Streamlit's ASGI app
(`st.App`) with uvicorn on an asyncio loop in a thread: uvicorn only installs signal
handlers on the main thread, so the launcher keeps full control of its life cycle.

The listening socket is bound here, before anything else starts, on 127.0.0.1 and
port 0 (or the port asked for): the OS picks a free port and we keep the socket, so
there is no probe-then-bind race with other programs.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_shell.manifest import APP_VARIABLE
from desktop_shell.process.logs import FILE_ONLY
from desktop_shell.server import (
    built_in_charts, chart_preload, first_run, loading_overlay, preimport,
)
from desktop_shell.server.gate import COOKIE, QUERY, SecretGate
from desktop_shell.server.index_page import IndexPage
from desktop_shell.settings import LOOPBACK, Settings

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger(__name__)

HEALTH_PATH = "/_stcore/health"


class ServerError(RuntimeError):
    """The server could not start or stopped unexpectedly; the message is for people."""


class PortInUseError(ServerError):
    pass


def streamlit_options(settings: Settings, port: int) -> dict[str, Any]:
    """Streamlit config for a desktop app: local, quiet, offline, no developer chrome."""
    return {
        # Frozen by PyInstaller, Streamlit is not under site-packages and so turns
        # development mode on (streamlit/config.py, _global_development_mode), which
        # serves no frontend, a blank window: https://github.com/streamlit/streamlit/issues/6938
        "global.developmentMode": False,
        "server.headless": True,  # never open a browser or ask for an e-mail
        "server.address": LOOPBACK,
        "server.port": port,
        "browser.serverAddress": LOOPBACK,
        "browser.serverPort": port,
        "browser.gatherUsageStats": False,  # offline: no telemetry
        "server.fileWatcherType": "auto" if settings.dev else "none",
        "server.runOnSave": settings.dev,
        "client.toolbarMode": "minimal",  # no "Deploy" button or developer menu
        # No full gc.collect() after every script run: it was 64 % of the script
        # thread's time while streaming (bench/), and it ran on script threads, where
        # collecting the window's Qt wrappers aborts Qt (see window.py). Python's own
        # generational collector still runs; tests/launcher/test_soak.py checks memory.
        "runner.postScriptGC": False,
        # Streamlit's debug level logs every WebSocket frame: info is verbose enough.
        "logger.level": "info" if settings.debug else "warning",
    }


def parse_port(text: bytes) -> int:
    """The port a port file holds (ASCII digits, 1024-65535); ValueError if anything else."""
    digits = text.strip()
    if not (digits.isdigit() and len(digits) <= 5 and 1024 <= int(digits) <= 65535):
        raise ValueError(f"not a port from 1024 to 65535: {text[:20]!r}")
    return int(digits)


def bind_socket(port: int) -> socket.socket:
    """Bind and listen on 127.0.0.1:port; port 0 lets the OS choose a free one."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if sys.platform != "win32":
            # Lets a restart reuse a port still in TIME_WAIT; on Windows it would let
            # two live sockets share a port, so it is left off there.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((LOOPBACK, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise PortInUseError(
                f"Port {port} on {LOOPBACK} is already in use by another program. "
                "Close it, choose another port with --port, or leave --port out "
                "to use a free one."
            ) from exc
        raise
    sock.setblocking(False)
    return sock


class AppServer:
    """One Streamlit server: bind, start, wait until healthy, stop. Restartable."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._uvicorn: uvicorn.Server | None = None
        self._error: BaseException | None = None
        self._stop_requested = threading.Event()
        self._abandoned = False
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        if self._socket is None:
            raise ServerError("the server socket is not bound yet")
        return int(self._socket.getsockname()[1])

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def url(self, page: str | None = None) -> str:
        """The page's URL with this launch's secret: what the window or a user opens."""
        return f"{self.base_url}{self._settings.page_path(page)}?{QUERY}={self._settings.secret}"

    @property
    def cookie(self) -> str:
        """The Cookie header value that lets a request through the gate."""
        return f"{COOKIE}={self._settings.secret}"

    def bind(self) -> None:
        """Bind the port asked for; else the one used last time if it is free, else any."""
        if self._socket is not None:
            return
        if self._settings.port:
            self._socket = bind_socket(self._settings.port)
            return
        remembered = self._remembered_port()
        if remembered:
            try:
                self._socket = bind_socket(remembered)
            except PortInUseError:
                log.info("port %d is taken today: using a free one", remembered)
        if self._socket is None:
            self._socket = bind_socket(0)
        self._remember_port()

    def _remembered_port(self) -> int:
        """The port in the port file, or 0 (none, or a damaged file: one warning)."""
        path = self._settings.port_file
        try:
            return parse_port(path.read_bytes()) if path else 0
        except FileNotFoundError:
            return 0
        except (OSError, ValueError) as exc:
            log.warning("ignoring the remembered port in %s: %s", path, str(exc)[:200])
            return 0

    def _remember_port(self) -> None:
        path = self._settings.port_file
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(str(self.port), encoding="ascii")
        except OSError as exc:  # a read-only home: the next run picks a new port
            log.warning("could not remember the port in %s: %s", path, exc)

    def start(self) -> None:
        """Bind (if not yet) and start serving in a background thread; returns at once.

        Does nothing if it is serving already (the window falling back to the browser
        starts it a second time).
        """
        if self.running:
            return
        self.bind()
        self._error = None
        self._stop_requested.clear()
        self._thread = threading.Thread(target=self._serve, name="streamlit-server", daemon=True)
        self._thread.start()

    @property
    def serving(self) -> bool:
        """Up and answering: past its imports and uvicorn's start-up."""
        server = self._uvicorn
        return self.running and server is not None and server.started

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait_ready(self, timeout: float, until: threading.Event | None = None) -> None:
        """Return once /_stcore/health answers "ok"; raise ServerError otherwise.

        Returns early, healthy or not, once `until` is set (a stop signal).
        """
        deadline = time.monotonic() + timeout
        health = self.base_url + HEALTH_PATH
        while until is None or not until.is_set():
            if not self.running:
                raise ServerError(self.failure_text())
            request = urllib.request.Request(health, headers={"Cookie": self.cookie})
            try:
                with urllib.request.urlopen(request, timeout=1.0) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass  # not listening or not healthy yet
            if time.monotonic() > deadline:
                raise ServerError(f"The app server did not answer within {timeout:.0f} s.")
            time.sleep(0.05)

    def abandon(self) -> None:
        """The process is about to end: leave the server serving until it does; `stop`
        then does nothing (its sessions hold nothing to save, the OS frees the port)."""
        self._abandoned = True

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving, wait for the thread, release the port. Safe to call twice."""
        if self._abandoned:
            return
        self._stop_requested.set()
        with self._lock:
            if self._uvicorn is not None:
                self._uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("server thread did not stop within %.0f s", timeout)
            self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        _forget_runtime()

    def failure_text(self) -> str:
        if self._error is None:
            return "The app server stopped unexpectedly."
        if isinstance(self._error, ServerError):
            return str(self._error)
        return f"The app server failed to start: {type(self._error).__name__}: {self._error}"

    def _serve(self) -> None:
        try:
            manifest = self._settings.manifest
            first_page = preimport.read_first_page(
                [self._settings.app_script, manifest.page(self._settings.page).script],
                manifest.folder)
            session_started = threading.Event()
            server = self._make_uvicorn(first_page, session_started)
            with self._lock:
                self._uvicorn = server
                server.should_exit = self._stop_requested.is_set()
            asyncio.run(self._serve_then_import(server, first_page, session_started))
            if not server.started and not self._stop_requested.is_set():
                raise ServerError("uvicorn did not start (see the log above)")
        except ServerError as exc:  # ours, with a message for people
            self._error = exc
            log.error("%s", exc)
        except BaseException as exc:  # noqa: BLE001 - reported to the window and the log
            self._error = exc
            log.error("the app server failed: %s: %s", type(exc).__name__, exc)
            log.debug("traceback", exc_info=True, extra=FILE_ONLY)
        finally:
            with self._lock:
                self._uvicorn = None

    async def _serve_then_import(self, server: uvicorn.Server, first_page: preimport.FirstPage,
                                 session_started: threading.Event) -> None:
        """Serve; once the server answers, warm up for the first page beside it."""
        assert self._socket is not None
        serving = asyncio.ensure_future(server.serve(sockets=[self._socket]))
        while not (server.started or serving.done()):
            await asyncio.sleep(0.01)
        if server.started:
            preimport.start(first_page, session_started)
        await serving

    def _make_uvicorn(self, first_page: preimport.FirstPage,
                      session_started: threading.Event) -> uvicorn.Server:
        # Imported here, in the server thread, so the window can appear while the
        # heavy imports (Streamlit, pandas, Starlette: about 1 s, bench/) run.
        import uvicorn
        from starlette.middleware import Middleware
        from streamlit import config as st_config
        from streamlit import file_util
        from streamlit.starlette import App
        from streamlit.web import bootstrap
        from streamlit.web.server.starlette import starlette_server

        app_script = self._settings.app_script
        if not app_script.is_file():
            raise ServerError(f"The app's entry script is missing: {app_script}")
        # Modules beside the entry script import as under `streamlit run`, which puts
        # its folder on sys.path; the entry script adds the app folder's.
        if str(app_script.parent) not in sys.path:
            sys.path.insert(0, str(app_script.parent))
        # The entry script serves the app folder it is told: the one these settings carry.
        os.environ[APP_VARIABLE] = str(self._settings.manifest.folder)

        bootstrap.load_config_options(streamlit_options(self._settings, self.port))
        built_in_charts.install()
        st_config._main_script_path = str(app_script)
        hosts = frozenset({f"{LOOPBACK}:{self.port}", f"localhost:{self.port}"})
        gate = Middleware(SecretGate, secret=self._settings.secret, hosts=hosts)
        loading = loading_overlay.overlay(self._settings.manifest.app.name)
        head = loading.head
        if first_page.charts:  # else the page may never need the chart's ~1 MB of code
            chart_code = chart_preload.chart_modules(Path(file_util.get_static_dir()))
            log.debug("preloading the chart's modules: %s", chart_code or "none found")
            head += chart_preload.links(chart_code)
        # Behind the gate: only our window's requests get the page, edited.
        page = Middleware(IndexPage, head=head, body=loading.body)
        session = Middleware(first_run.SessionWatch, started=session_started)
        app = App(app_script, middleware=[gate, session, page])
        kwargs = starlette_server._get_uvicorn_config_kwargs()
        kwargs.update(
            log_config=None,  # keep our logging set-up (uvicorn would replace it)
            lifespan="on",
            # A window that is closing may keep its WebSocket open: do not wait on it.
            timeout_graceful_shutdown=2,
        )
        return uvicorn.Server(uvicorn.Config(app, **kwargs))


def _forget_runtime() -> None:
    """Let a later AppServer in this process create Streamlit's Runtime again.

    Runtime is a process-wide singleton whose constructor refuses to run twice; once
    ours has stopped it is safe to drop (Streamlit's own tests do the same).
    """
    runtime_module = sys.modules.get("streamlit.runtime.runtime")
    if runtime_module is not None:
        runtime_module.Runtime._instance = None
