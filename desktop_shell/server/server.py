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
from desktop_shell.server import chart_preload, frontend_first, preimport
from desktop_shell.server.gate import COOKIE, QUERY, SecretGate
from desktop_shell.settings import LOOPBACK, Settings

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger(__name__)

HEALTH_PATH = "/_stcore/health"

STARTUP_SWITCH_INTERVAL = 0.001  # seconds; Python's default is 0.005

# uvicorn's options before Streamlit is imported; the WebSocket ones are replaced by
# Streamlit's own (_make_streamlit). "ws": the implementation Streamlit picks for this
# uvicorn (starlette_server._get_uvicorn_config_kwargs; a canary test compares them).
EARLY_UVICORN_OPTIONS: dict[str, Any] = {
    "ws": "websockets-sansio",
    "log_config": None,  # keep our logging set-up (uvicorn would replace it)
    "access_log": False,
    "use_colors": False,
    "lifespan": "on",
    # A window that is closing may keep its WebSocket open: do not wait on it.
    "timeout_graceful_shutdown": 2,
}


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
        self._config: uvicorn.Config | None = None
        self._switch_interval: float | None = None  # the usual one, while starting
        self._error: BaseException | None = None
        self._stop_requested = threading.Event()
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

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving, wait for the thread, release the port. Safe to call twice."""
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
        self._restore_switch_interval()
        _forget_runtime()

    def failure_text(self) -> str:
        if self._error is None:
            return "The app server stopped unexpectedly."
        if isinstance(self._error, ServerError):
            return str(self._error)
        return f"The app server failed to start: {type(self._error).__name__}: {self._error}"

    def _serve(self) -> None:
        try:
            server = self._make_uvicorn()
            with self._lock:
                self._uvicorn = server
                server.should_exit = self._stop_requested.is_set()
            assert self._socket is not None
            asyncio.run(server.serve(sockets=[self._socket]))
            if self._error is not None:
                return  # Streamlit failed to start: said by _streamlit_failed
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

    def _make_uvicorn(self) -> uvicorn.Server:
        """uvicorn serving the frontend's files at once (frontend_first.py), behind the gate.

        Only uvicorn is imported here (~0.05 s); Streamlit (~0.2 s), in _make_streamlit,
        in a thread of its own while the window already loads the frontend.
        """
        import uvicorn

        # While Streamlit and the page's modules import (CPU-bound threads), the event loop
        # serving the frontend's files waits for the GIL at each step of each request: up
        # to the switch interval, 5 ms by default. Until they are imported: 1 ms.
        if self._switch_interval is None:
            self._switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(STARTUP_SWITCH_INTERVAL)
        app_script = self._settings.app_script
        if not app_script.is_file():
            raise ServerError(f"The app's entry script is missing: {app_script}")
        manifest = self._settings.manifest
        static_dir = frontend_first.streamlit_static_dir()
        frontend = frontend_first.FrontendFirst(
            static_dir,
            frozenset({"/", *(f"/{page.url_path}" for page in manifest.pages)}),
            self._make_streamlit,
            after_build=lambda: self._import_early([app_script, manifest.page(self._settings.page).script]),
            failed=self._streamlit_failed,
        )
        chart_code = chart_preload.chart_modules(static_dir)
        log.debug("preloading the chart's modules: %s", chart_code or "none found")
        app = SecretGate(
            chart_preload.ChartPreload(frontend, extra=chart_preload.links(chart_code)),
            secret=self._settings.secret,
            hosts=frozenset({f"{LOOPBACK}:{self.port}", f"localhost:{self.port}"}),
        )
        self._config = uvicorn.Config(app, **EARLY_UVICORN_OPTIONS)
        return uvicorn.Server(self._config)

    def _import_early(self, scripts: list[Path]) -> None:
        """The first page's modules (preimport.py); then the usual GIL switch interval."""
        try:
            preimport.import_all(preimport.modules_for(scripts, self._settings.manifest.folder))
        finally:
            self._restore_switch_interval()

    def _restore_switch_interval(self) -> None:
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None

    def _make_streamlit(self) -> frontend_first.StreamlitApp:
        """Streamlit's ASGI app for our app script, configured; its uvicorn options applied.

        Runs in a thread of its own (frontend_first.py) while the frontend is served.
        """
        from streamlit import config as st_config
        from streamlit.starlette import App
        from streamlit.web import bootstrap
        from streamlit.web.server.starlette import starlette_server

        app_script = self._settings.app_script
        # Modules beside the entry script import as under `streamlit run`, which puts
        # its folder on sys.path; the entry script adds the app folder's.
        if str(app_script.parent) not in sys.path:
            sys.path.insert(0, str(app_script.parent))
        # The entry script serves the app folder it is told: the one these settings carry.
        os.environ[APP_VARIABLE] = str(self._settings.manifest.folder)

        bootstrap.load_config_options(streamlit_options(self._settings, self.port))
        st_config._main_script_path = str(app_script)
        # Streamlit's WebSocket settings (message size, pings, compression): uvicorn reads
        # them from its config for each new connection, and the frontend opens its
        # WebSocket only once this app is up (the requests before it are held).
        options = starlette_server._get_uvicorn_config_kwargs()
        if options["ws"] != EARLY_UVICORN_OPTIONS["ws"]:
            log.warning("Streamlit asks for uvicorn's %r WebSocket implementation; serving %r",
                        options["ws"], EARLY_UVICORN_OPTIONS["ws"])
        for name in ("ws_max_size", "ws_ping_interval", "ws_ping_timeout", "ws_per_message_deflate"):
            setattr(self._config, name, options[name])
        return App(app_script)

    def _streamlit_failed(self, exc: BaseException) -> None:
        """Streamlit could not start: record why and stop serving (the window says so)."""
        self._restore_switch_interval()
        self._error = exc
        log.error("the app server failed: %s: %s", type(exc).__name__, exc)
        log.debug("traceback", exc_info=True, extra=FILE_ONLY)
        with self._lock:
            if self._uvicorn is not None:
                self._uvicorn.should_exit = True


def _forget_runtime() -> None:
    """Let a later AppServer in this process create Streamlit's Runtime again.

    Runtime is a process-wide singleton whose constructor refuses to run twice; once
    ours has stopped it is safe to drop (Streamlit's own tests do the same).
    """
    runtime_module = sys.modules.get("streamlit.runtime.runtime")
    if runtime_module is not None:
        runtime_module.Runtime._instance = None
