"""A headless Wayland compositor (Debian's weston) for a Wayland-only session: no X at all."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def _accepts(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(str(path))
        except OSError:
            return False
    return True


@contextlib.contextmanager
def weston(folder: Path, timeout: float = 30) -> Iterator[Path]:
    """Run weston headless (pixman rendering, a 1400x900 output); yield its socket's path.

    WAYLAND_DISPLAY may be that absolute path (libwayland >= 1.15), so the app keeps
    its own XDG_RUNTIME_DIR.
    """
    binary = shutil.which("weston")
    if binary is None:
        pytest.skip("weston is not installed (apt-get install weston)")
    runtime = folder / "weston-runtime"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["XDG_RUNTIME_DIR"] = str(runtime)
    log = folder / "weston.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            # --debug: lets weston-screenshooter take the screen (`screenshot`)
            [binary, "--backend=headless-backend.so", "--use-pixman", "--width=1400",
             "--height=900", "--socket=wayland-test", "--idle-time=0", "--no-config", "--debug"],
            env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    path = runtime / "wayland-test"
    try:
        deadline = time.monotonic() + timeout
        while not (path.exists() and _accepts(path)):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"weston did not start (exit {proc.poll()}):\n{log.read_text()[-2000:]}")
            time.sleep(0.05)
        yield path
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def screenshot(socket_path: Path, destination: Path) -> Path:
    """The compositor's whole screen as a PNG (look at it: the file tool shows PNGs)."""
    folder = destination.parent
    folder.mkdir(parents=True, exist_ok=True)
    before = set(folder.glob("wayland-screenshot-*.png"))
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.update(WAYLAND_DISPLAY=str(socket_path), XDG_RUNTIME_DIR=str(socket_path.parent))
    subprocess.run(["weston-screenshooter"], cwd=folder, env=env, check=True, timeout=30)
    (taken,) = set(folder.glob("wayland-screenshot-*.png")) - before
    return taken.replace(destination)
