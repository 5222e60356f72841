"""Fixtures for the real-browser tests: a running Streamlit server and Chromium."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.support import procs, streamlit

CHROMIUM, CHROMIUM_ARGS = streamlit.CHROMIUM, ["--disable-gpu", *streamlit.CHROMIUM_ARGS]
VIEWPORT = {"width": 1280, "height": 800}


@dataclass
class Server:
    url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``streamlit run app/streamlit_app.py`` on a free port, stopped at the end."""
    port = procs.free_port()
    workdir = tmp_path_factory.mktemp("server-cwd")
    log = workdir / "streamlit.log"
    # Started from an unrelated directory: the entry script must find its
    # pages relative to itself, not to the working directory.
    proc = streamlit.start(
        port, log, cwd=workdir,
        extra=["--server.fileWatcherType", "none", "--client.toolbarMode", "minimal"],
    )
    server = Server(url=f"http://127.0.0.1:{port}", log=log)
    try:
        try:
            streamlit.wait_healthy(port, proc, 60)
        except (RuntimeError, TimeoutError) as exc:
            pytest.fail(f"{exc}:\n{server.log_text()}")
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
            pytest.fail(f"server ignored SIGTERM:\n{server.log_text()}")
    assert proc.returncode is not None
    # An exception in a page shows in the browser and also in the server log.
    assert "Traceback" not in server.log_text(), server.log_text()


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed")
    # The machine is shared and a first sales page run sleeps 2 s on purpose:
    # give assertions the same patience as actions.
    sync_api.expect.set_options(timeout=30_000)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass(frozen=True)
class Message:
    """The parts of one server-to-browser message (a ForwardMsg) the tests use."""

    kind: str  # "new_session" (a run starts), "delta" (an element), ...
    # Which fragments the run that sent this message is rerunning; empty for a
    # full app run. Set on a run's new_session and script_finished messages.
    run_fragment_ids: tuple[str, ...]
    delta_fragment_id: str  # for deltas: the fragment that drew the element
    element: str  # for new-element deltas: "heading", "vega_lite_chart", ...

    @classmethod
    def parse(cls, payload: bytes) -> Message:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = ForwardMsg.FromString(payload)
        kind = msg.WhichOneof("type") or ""
        element = ""
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element.WhichOneof("type") or ""
        return cls(
            kind=kind,
            run_fragment_ids=tuple(msg.metadata.run.fragment_ids),
            delta_fragment_id=msg.delta.fragment_id if kind == "delta" else "",
            element=element,
        )


@dataclass
class AppPage:
    """A fresh browser tab (so a fresh Streamlit session) on the app.

    Note: with Playwright's sync API, events (requests, websocket frames) are
    delivered to Python only while a Playwright call is in progress, so wait
    with page.wait_for_*(), never time.sleep().
    """

    page: object  # playwright Page
    server: Server
    foreign_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)  # from the server

    def goto(self, path: str = "/") -> None:
        self.page.goto(self.server.url + path)

    def wait_idle(self) -> None:
        """Wait until no element is marked stale, i.e. no run is redrawing."""
        self.page.wait_for_function(
            "() => document.querySelectorAll('[data-stale=\"true\"]').length === 0"
        )

    def assert_clean(self) -> None:
        """No exception box, no JavaScript error, nothing fetched from outside."""
        from playwright.sync_api import expect

        expect(self.page.get_by_test_id("stException")).to_have_count(0)
        assert not self.page_errors
        # Everything the app needs is served by the app itself: no CDN, no
        # fonts or favicons from the internet (it runs offline, too).
        assert not self.foreign_requests, self.foreign_requests


@pytest.fixture
def app_page(browser, app_server: Server) -> Iterator[AppPage]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    app = AppPage(page=page, server=app_server)

    def on_request(request) -> None:
        host = urlparse(request.url).hostname
        if request.url.startswith(("http:", "https:")) and host != "127.0.0.1":
            app.foreign_requests.append(request.url)

    def on_websocket(ws) -> None:
        def on_frame(payload: bytes | str) -> None:
            if isinstance(payload, bytes):  # Streamlit's messages are protobuf
                app.messages.append(Message.parse(payload))

        ws.on("framereceived", on_frame)

    page.on("request", on_request)
    page.on("pageerror", lambda error: app.page_errors.append(str(error)))
    page.on("websocket", on_websocket)
    yield app
    context.close()
