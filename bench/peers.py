"""Peers: other ways to put this project's own app in a desktop window, measured like ours.

streamlit-desktop-app (PyPI; 0.3.4 is the newest release, December 2024) runs `streamlit
run` in a multiprocessing child and shows it in a pywebview window. It needs
pywebview < 6 and we lock 6.2, so it cannot join the project's environment (not even
as a uv dependency group: one lock, one pywebview). The benchmark gives it a venv of
its own, made with the project's uv under bench/.peers/ (git-ignored), with everything
else pinned to the project's lock (`uv export`): the same Streamlit, pandas, Altair,
PySide6/QtWebEngine, so the figures compare the wrappers, not the engines.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.reaper import log
from bench.settings import PYTHON, ROOT

PEERS_HOME = Path(__file__).resolve().parent / ".peers"
UV = ROOT / ".tools" / "bin" / "uv"  # scripts/dev.py setup installs it


@dataclass(frozen=True)
class Peer:
    """A wrapper from PyPI, how to install it beside our lock, and how to start it."""

    name: str  # the variant's name
    requirement: str  # what to install, pinned
    # Locked packages to leave out of the constraints (the peer needs other versions).
    unpinned: tuple[str, ...]
    extra: tuple[str, ...]  # installed too: its Qt backend, as ours (PySide6 + QtWebEngine)
    code: str  # `python -c` this, in the checkout's root, to open app/streamlit_app.py
    env: tuple[tuple[str, str], ...] = ()

    @property
    def venv(self) -> Path:
        return PEERS_HOME / self.name

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"


STREAMLIT_DESKTOP_APP = Peer(
    name="streamlit-desktop-app",
    requirement="streamlit-desktop-app==0.3.4",
    unpinned=("pywebview", "proxy-tools", "bottle", "typing-extensions"),
    extra=("qtpy", "pyside6-webengine"),
    # Its documented use: start_desktop_app(script, title=...). Our window's size (its
    # default is 1024x768) and Streamlit's usage statistics off, as the baseline has them.
    code=("from streamlit_desktop_app import start_desktop_app; "
          "start_desktop_app('app/streamlit_app.py', title='Fragment Demos', width=1280, "
          "height=800, options={'browser.gatherUsageStats': 'false'})"),
    # pywebview 5 tries GTK before Qt on Linux: ask for Qt, the engine ours uses. As
    # root, QtWebEngine's sandbox cannot start (the launcher sets the same).
    env=(("PYWEBVIEW_GUI", "qt"), ("QTWEBENGINE_DISABLE_SANDBOX", "1")),
)
PEERS = {peer.name: peer for peer in (STREAMLIT_DESKTOP_APP,)}


def constraints(peer: Peer) -> str:
    """The project's locked versions (uv export), less those the peer needs otherwise."""
    out = subprocess.run(
        [str(UV), "export", "--frozen", "--no-hashes", "--no-dev", "--no-emit-project",
         "--no-header", "--no-annotate"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    keep = [line for line in out.splitlines()
            if line.strip() and line.split("==")[0].strip().lower() not in peer.unpinned]
    return "\n".join(keep) + "\n"


def ensure(peer: Peer) -> str:
    """The peer's venv, made (or remade if the lock or the peer changed); "" when ready,
    else why it cannot run here (said in the results)."""
    if not UV.exists():
        return f"{UV} is missing (python3 scripts/dev.py setup installs it)"
    try:
        wanted = f"{peer.requirement}\n{constraints(peer)}"
    except subprocess.CalledProcessError as exc:
        return f"`uv export` failed: {exc.stderr.strip()[-400:]}"
    stamp = peer.venv / "bench-installed.txt"
    if peer.python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return ""
    log(f"{peer.name}: making its venv in {peer.venv}")
    peer.venv.parent.mkdir(parents=True, exist_ok=True)
    pins = peer.venv.parent / f"{peer.name}-constraints.txt"
    pins.write_text(wanted.split("\n", 1)[1])
    steps = (
        [str(UV), "venv", "--clear", "--python", PYTHON, str(peer.venv)],
        [str(UV), "pip", "install", "--python", str(peer.python), "--constraint", str(pins),
         peer.requirement, *peer.extra],
    )
    for step in steps:
        done = subprocess.run(step, cwd=ROOT, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            return f"`{' '.join(step[1:3])}` failed: {done.stderr.strip()[-400:]}"
    stamp.write_text(wanted)
    return ""
