"""`streamlit run`, as a developer starts the app without the desktop shell: the browser
tests' server and the benchmark's baseline."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from .launch import ROOT, inherited_environment

ENTRY = ROOT / "app" / "streamlit_app.py"
CHROMIUM = "/usr/bin/chromium"  # Debian's: the browser a developer opens the app in
# A quiet Chromium: nothing fetched but the app (it runs offline), no first-run pages.
CHROMIUM_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def start(
    port: int, log: Path, *, entry: Path = ENTRY, cwd: Path = ROOT, python: str = sys.executable,
    extra: Sequence[str] = (), env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """`streamlit run <entry>` on 127.0.0.1:`port`, its output (both streams) in `log`."""
    command = [
        python, "-m", "streamlit", "run", str(entry),
        "--server.headless", "true",
        # Loopback only; also spares Streamlit its lookup of the machine's
        # external IP address, which it does for headless wildcard binds.
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        *extra,
    ]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=cwd, env={**inherited_environment(), "PYTHONUNBUFFERED": "1", **(env or {})},
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
        )


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Until /_stcore/health answers "ok"; RuntimeError if the server exits first."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited {process.returncode} before it was healthy")
        try:
            url = f"http://127.0.0.1:{port}/_stcore/health"
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"streamlit not healthy after {timeout} s")
        time.sleep(0.02)
