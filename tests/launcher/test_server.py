"""The Streamlit server's life cycle in a background thread of this process."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from desktop_shell import manifest
from desktop_shell.server.server import AppServer, PortInUseError, ServerError
from desktop_shell.settings import Settings
from tests.support import procs
from tests.support.http import Browser
from tests.support.launch import ROOT, demo_app


def settings(tmp_path: Path, **changes: object) -> Settings:
    return Settings(
        app_script=ROOT / "app" / "streamlit_app.py", manifest=demo_app(),
        log_file=tmp_path / "log", **changes
    )


def get(url: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def test_start_health_stop_and_start_again(tmp_path: Path) -> None:
    ports = []
    for _ in range(2):  # a second server in the same process: Streamlit's Runtime is a singleton
        server = AppServer(settings(tmp_path))
        server.start()
        try:
            server.wait_ready(60)
            assert get(server.base_url + "/_stcore/health", server.cookie) == (200, "ok")
            status, page = Browser().get(server.url())
            assert status == 200 and '<div id="root">' in page  # the production frontend
            ports.append(server.port)
        finally:
            server.stop()
        assert not server.running
        assert procs.port_is_free(ports[-1]), "the port is still held after stop()"
    assert [t.name for t in threading.enumerate() if t.name == "streamlit-server"] == []


def test_every_page_has_the_loading_screen_and_the_chart_code_only_when_it_draws_one(
    tmp_path: Path,
) -> None:
    """server/index_page.py edits every app's index.html: the loading screen over it until
    Streamlit draws (loading_overlay.py), and chart_preload.py's list of the chart's modules
    only for an app whose first page draws one; another would fetch ~1 MB of code it may
    never run."""
    no_charts = tmp_path / "app"
    shutil.copytree(ROOT / "app", no_charts)
    (no_charts / "data_feed.py").write_text("import streamlit as st\n\nst.title('Data feed')\n")
    for folder, preloaded in ((ROOT / "app", True), (no_charts, False)):
        server = AppServer(Settings(app_script=folder / "streamlit_app.py",
                                    manifest=manifest.load(folder), log_file=tmp_path / "log"))
        server.start()
        try:
            server.wait_ready(60)
            status, page = Browser().get(server.url())
        finally:
            server.stop()
        assert status == 200 and '<div id="root">' in page
        assert ("ArrowVegaLiteChart." in page) is preloaded, folder
        assert page.count('<main id="desktop-shell-loading">') == 1, folder
        assert "<h1>Fragment Demos</h1>" in page and "const shown = () =>" in page


def test_binds_loopback_only(tmp_path: Path) -> None:
    server = AppServer(settings(tmp_path))
    server.bind()
    try:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server._socket is not None and server._socket.getsockname()[0] == "127.0.0.1"
    finally:
        server.stop()


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortInUseError, match=f"Port {port} .* already in use"):
            AppServer(settings(tmp_path, port=port)).start()


def test_fixed_port_is_used(tmp_path: Path) -> None:
    port = procs.free_port()
    server = AppServer(settings(tmp_path, port=port))
    server.start()
    try:
        server.wait_ready(60)
        assert server.port == port
        assert get(f"http://127.0.0.1:{port}/_stcore/health", server.cookie)[0] == 200
    finally:
        server.stop()


def test_missing_app_script_fails_fast_with_reason(tmp_path: Path) -> None:
    server = AppServer(
        Settings(app_script=tmp_path / "missing.py", manifest=demo_app(), log_file=tmp_path / "log")
    )
    server.start()
    try:
        with pytest.raises(ServerError, match="entry script is missing"):
            server.wait_ready(30)
    finally:
        server.stop()


# A fresh interpreter, where nothing of the app is imported yet (it is in this test
# process): start the server, wait until it answers, then give the early imports time.
# No page is opened, so no script run imports them.
EARLY_PROBE = r"""
import json, sys, time
from pathlib import Path
from desktop_shell.server.server import AppServer
from desktop_shell.settings import Settings
from tests.support.launch import ROOT, demo_app

server = AppServer(Settings(app_script=ROOT / "app" / "streamlit_app.py", manifest=demo_app(),
                            log_file=Path(sys.argv[1]) / "log"))
server.start()
server.wait_ready(60)
deadline = time.monotonic() + 30
while time.monotonic() < deadline and not {"numpy", "pandas", "altair"} <= set(sys.modules):
    time.sleep(0.1)
print(json.dumps([m for m in ("numpy", "pandas", "altair") if m in sys.modules]))
server.stop()
"""


def test_the_first_pages_modules_are_imported_before_any_session_asks(tmp_path: Path) -> None:
    """preimport.py: once the server answers, it imports what the first page imports
    (numpy and pandas through feed_data.py, Altair for st.line_chart); no page is open."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", EARLY_PROBE, str(tmp_path)], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["numpy", "pandas", "altair"]
