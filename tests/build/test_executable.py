"""The single-file executable, built by build/stage/build.py and run as a user would.

The session fixture `executable` (conftest.py) builds dist/fragment-demos unless it is
newer than everything it is built from; the tests then run the file itself: --version,
--self-test in a real window (on an Xvfb display of our own), and --headless over HTTP.
Each run gets an empty TMPDIR, to check that the first stage's bootloader removes what it
unpacked there, and private XDG folders; these tests share one cache (test_stage.py
tests the cache itself).

Linux only: the spec's Windows and macOS sections cannot be built here.
"""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.build.conftest import BUILD_TIMEOUT, ROOT
from tests.support import display

TEST_TIMEOUT = BUILD_TIMEOUT + 300  # a test may be the one that waits for the build

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds the Linux executable"),
    pytest.mark.timeout(TEST_TIMEOUT),
]

# No proxy: every request goes to the app on 127.0.0.1. A cookie jar, as a browser:
# the secret URL sets the cookie that lets later requests through (desktop_shell/server/gate.py).
_http = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor()
)


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One XDG cache for these tests (the single file unpacks into it once), not the user's."""
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(scope="session")
def x_display() -> Iterator[str]:
    """An Xvfb display of our own, without the session's window manager."""
    try:
        with display.xvfb() as (name, _):
            yield name
    except display.DisplayError as exc:
        pytest.skip(str(exc))


@pytest.fixture
def empty_tmpdir(tmp_path: Path) -> Path:
    """An empty TMPDIR for one run: the first stage's bootloader unpacks itself into it."""
    folder = tmp_path / "tmpdir"
    folder.mkdir()
    return folder


def _env(tmpdir: Path, cache: Path, **extra: str) -> dict[str, str]:
    # Nothing from the build environment: no virtualenv, no PYTHONPATH; the user's
    # folders replaced by private ones (the single-instance lock lives in XDG_RUNTIME_DIR).
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    home = tmpdir.parent / "home"
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    env.update(
        TMPDIR=str(tmpdir), HOME=str(home), XDG_RUNTIME_DIR=str(runtime),
        XDG_STATE_HOME=str(home / "state"), XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(cache), **extra,
    )
    return env


def _unpacked_left(tmpdir: Path) -> list[str]:
    return sorted(name for name in os.listdir(tmpdir) if name.startswith("_MEI"))


def test_version_is_read_from_the_bundled_pyproject(
    executable: Path, empty_tmpdir: Path, shared_cache: Path
) -> None:
    result = subprocess.run(
        [str(executable), "--version"], env=_env(empty_tmpdir, shared_cache), cwd=empty_tmpdir,
        capture_output=True, text=True, timeout=120,
    )
    with open(ROOT / "pyproject.toml", "rb") as f:
        import tomllib

        version = tomllib.load(f)["project"]["version"]
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Fragment Demos {version}"
    assert _unpacked_left(empty_tmpdir) == []


def test_self_test_renders_both_pages_in_a_window(
    executable: Path, x_display: str, empty_tmpdir: Path, shared_cache: Path
) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [str(executable), "--self-test"], env=_env(empty_tmpdir, shared_cache, DISPLAY=x_display),
        cwd=empty_tmpdir, capture_output=True, text=True, timeout=300,
    )
    elapsed = time.monotonic() - started
    report = f"exit {result.returncode} after {elapsed:.0f} s\n{result.stdout}\n{result.stderr[-3000:]}"
    assert result.returncode == 0, report
    assert re.search(r"^self-test: data-feed: ok \(", result.stdout, re.M), report
    assert re.search(r"^self-test: sales: ok \(", result.stdout, re.M), report
    assert _unpacked_left(empty_tmpdir) == [], "the unpacked bundle was left behind"
    print(f"\nself-test: {elapsed:.1f} s\n{result.stdout}")


def _first_line(proc: subprocess.Popen[str], timeout: float) -> str:
    """The first stdout line, or fail after `timeout` seconds."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            pytest.fail(f"no URL on stdout within {timeout:.0f} s")
    return proc.stdout.readline().strip()


def _get(url: str) -> tuple[int, str, bytes]:
    with _http.open(url, timeout=30) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


@contextlib.contextmanager
def _headless(
    executable: Path, tmpdir: Path, cache: Path, stderr: Path
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    # stderr to a file: a pipe nobody reads could fill up and block the app.
    with open(stderr, "w") as err:
        proc = subprocess.Popen(
            [str(executable), "--headless"], env=_env(tmpdir, cache), cwd=tmpdir,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, text=True,
        )
    try:
        yield proc, _first_line(proc, timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)


def test_headless_serves_the_production_frontend_and_stops_cleanly(
    executable: Path, empty_tmpdir: Path, shared_cache: Path, tmp_path: Path
) -> None:
    stderr_file = tmp_path / "stderr.txt"
    with _headless(executable, empty_tmpdir, shared_cache, stderr_file) as (proc, secret_url):
        match = re.fullmatch(r"(http://127\.0\.0\.1:(\d+)/)\?secret=[\w-]+", secret_url)
        assert match, f"first line is not the app's URL: {secret_url!r}"
        url, port = match.group(1), int(match.group(2))
        with pytest.raises(urllib.error.HTTPError, match="403"):
            _get(url)  # without this launch's secret: refused

        # Streamlit's built frontend, not development mode (which serves no
        # index.html and expects a separate frontend dev server).
        status, kind, body = _get(secret_url)
        assert _get(url + "_stcore/health")[2] == b"ok"
        html = body.decode()
        assert status == 200 and kind.startswith("text/html")
        assert '<div id="root"></div>' in html
        bundles = re.findall(r'<script[^>]+type="module"[^>]+src="\./(static/js/index\.[^"]+\.js)"', html)
        assert bundles, f"no JS bundle in index.html:\n{html[:2000]}"
        status, kind, script = _get(url + bundles[0])
        assert status == 200 and "javascript" in kind and len(script) > 100_000
        # ... and every other file index.html loads (preloaded chunks, fonts, CSS).
        for asset in sorted(set(re.findall(r'(?:href|src)="\./(static/[^"]+)"', html))):
            assert _get(url + asset)[0] == 200, asset

        # The second page is served by the same frontend (client-side routing).
        status, _kind, page = _get(url + "sales")
        assert status == 200 and bundles[0] in page.decode()

        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(30)
        except subprocess.TimeoutExpired:
            pytest.fail("still running 30 s after SIGTERM")
        stderr = stderr_file.read_text(errors="replace")
        assert code == 0, f"exit {code} after SIGTERM\n{stderr[-3000:]}"

    # The port is released: nothing answers, and it can be bound again.
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", port))
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))
    assert _unpacked_left(empty_tmpdir) == [], "the unpacked bundle was left behind"
