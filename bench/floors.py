"""Floors: how long the imports alone take, in a fresh Python."""

from __future__ import annotations

import os
import re
import subprocess
import time

from bench.settings import PYTHON, ROOT

SERVER_IMPORTS = (
    "import uvicorn; from streamlit import config; from streamlit.starlette import App; "
    "from streamlit.web import bootstrap; "
    "from streamlit.web.server.starlette import starlette_server; "
    "import pandas, numpy, altair"
)
GUI_IMPORTS = "import webview; from webview.platforms import qt"
LAUNCHER_IMPORTS = "import desktop_shell.process.cli"


def timed_import(statement: str) -> tuple[float, float]:
    """(seconds inside the import, wall seconds of the whole `python -c`) in a fresh process."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    start = time.monotonic()
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True)
    return float(out.stdout.strip().splitlines()[-1]), time.monotonic() - start


def importtime_profile(statement: str, top: int = 10) -> list[tuple[str, float]]:
    """Self time per top-level package (ms), from `python -X importtime`."""
    out = subprocess.run([PYTHON, "-X", "importtime", "-c", statement], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=True)
    per_package: dict[str, float] = {}
    for line in out.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if match:
            package = match.group(4).split(".")[0]
            per_package[package] = per_package.get(package, 0) + int(match.group(1)) / 1000
    return sorted(per_package.items(), key=lambda kv: -kv[1])[:top]


def fill_bytecode_cache() -> None:
    """Import everything the Python variants import once, so the bytecode cache is warm."""
    timed_import(f"{SERVER_IMPORTS}; {GUI_IMPORTS}; {LAUNCHER_IMPORTS}; "
                 "import desktop_shell.window.window, desktop_shell.server.server, "
                 "desktop_shell.window.selftest, streamlit.web.cli, streamlit.runtime")


def measure(runs: int) -> tuple[dict[str, list[float]], dict[str, list[tuple[str, float]]]]:
    """The import floors (seconds, `runs` times each) and the import-time profiles."""
    found: dict[str, list[float]] = {"python -c pass": [], "server": [], "gui": [], "launcher": []}
    if "PYTHONPYCACHEPREFIX" in os.environ:
        # Once without the cache, as this environment runs Python; then warm it again.
        prefix = os.environ.pop("PYTHONPYCACHEPREFIX")
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        found["server, without a bytecode cache"] = [timed_import(SERVER_IMPORTS)[0]]
        os.environ.pop("PYTHONDONTWRITEBYTECODE")
        os.environ["PYTHONPYCACHEPREFIX"] = prefix
        timed_import(SERVER_IMPORTS)
        timed_import(GUI_IMPORTS)
    for _ in range(max(1, runs)):
        found["python -c pass"].append(timed_import("pass")[1])
        found["server"].append(timed_import(SERVER_IMPORTS)[0])
        found["gui"].append(timed_import(GUI_IMPORTS)[0])
        found["launcher"].append(timed_import(LAUNCHER_IMPORTS)[0])
    profile = {"server": importtime_profile(SERVER_IMPORTS), "gui": importtime_profile(GUI_IMPORTS)}
    return found, profile
