"""Start `launcher.py` (or a built executable) as a person would, with its output kept."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_shell import manifest

from . import procs

ROOT = Path(__file__).resolve().parents[2]
APP_TITLE = "Fragment Demos"


def inherited_environment() -> dict[str, str]:
    """This process's environment, less what an in-process server left in it: the app
    folder the entry script serves (tests/launcher/test_server.py runs the server here),
    which would make a launched copy of the app serve this tree's app instead of its own."""
    return {name: value for name, value in os.environ.items() if name != manifest.APP_VARIABLE}


def demo_app() -> manifest.Manifest:
    """The manifest of the app in app/: the two fragment demos."""
    return manifest.load(ROOT / "app")


@dataclass
class Launched:
    process: subprocess.Popen[bytes]
    home: Path  # XDG dirs for this run: logs go to home/state/fragment-demos/log/
    stdout_path: Path
    stderr_path: Path
    debug_port: int | None = None
    tree: dict[int, str] = field(default_factory=dict)
    state_home: Path | None = None  # XDG_STATE_HOME if not home/state

    @property
    def log_folder(self) -> Path:
        return (self.state_home or self.home / "state") / "fragment-demos" / "log"

    @property
    def log_file(self) -> Path:
        """This run's own log (named with its pid); else, as for a built file whose app
        runs in a child process, the newest log in the folder."""
        own = sorted(self.log_folder.glob(f"fragment-demos-*-{self.process.pid}.log"))
        if own:
            return own[-1]
        logs = sorted(self.log_folder.glob("fragment-demos-*.log"), key=lambda p: p.stat().st_mtime)
        return logs[-1] if logs else self.log_folder / f"fragment-demos-none-{self.process.pid}.log"

    def snapshot_tree(self) -> dict[int, str]:
        """Remember every process of the app now (QtWebEngine helpers included)."""
        self.tree = procs.descendants(self.process.pid)
        return self.tree

    def signal(self, sig: signal.Signals) -> None:
        self.process.send_signal(sig)

    def signal_group(self, sig: signal.Signals) -> None:
        """To every process of the app's group (launched with new_session), as a
        terminal sends Ctrl+C."""
        os.killpg(self.process.pid, sig)

    def wait(self, timeout: float = 20) -> int:
        return self.process.wait(timeout)

    def output(self, timeout: float = 30) -> tuple[str, str]:
        """(stdout, stderr) once the process has ended; if it has not ended in `timeout`
        seconds, a failure that shows what it printed and logged so far."""
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running after {timeout} s\n{self.so_far()}") from None
        return self.stdout_path.read_text(), self.stderr_path.read_text()

    def so_far(self, lines: int = 40) -> str:
        """The last lines of its stdout, stderr and log, for a failure's message."""
        parts = []
        for name, path in (("stdout", self.stdout_path), ("stderr", self.stderr_path),
                           ("log", self.log_file)):
            text = path.read_text(errors="replace") if path.exists() else "(none)"
            last = "\n".join(text.splitlines()[-lines:])
            parts.append(f"--- {name}, last {lines} lines:\n{last}")
        return "\n".join(parts)

    def first_line(self, timeout: float = 60) -> str:
        """The first complete line the app printed on stdout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.stdout_path.read_text()
            if "\n" in text:
                return text.split("\n", 1)[0]
            if self.process.poll() is not None:
                raise AssertionError(f"exited {self.process.returncode}: {self.output()}")
            time.sleep(0.05)
        raise TimeoutError(f"no line on stdout after {timeout} s")

    def kill(self) -> None:
        """Kill the app and every process it started, if any still runs."""
        if self.process.poll() is None:
            self.tree.update(procs.descendants(self.process.pid))  # before they are orphaned
            self.process.kill()
            self.process.wait(10)
        procs.kill(self.tree)


def launch(
    args: Sequence[str],
    home: Path,
    *,
    command: Sequence[str] | None = None,
    debug_port: int | None = None,
    env: dict[str, str] | None = None,
    unset: Sequence[str] = (),
    cwd: Path = ROOT,
    pass_fds: Sequence[int] = (),
    new_session: bool = False,
) -> Launched:
    """Run the app with its own XDG folders, so logs, settings and its lock stay in `home`.

    `new_session`: the app leads a process group of its own, as under a terminal, so a
    test can send Ctrl+C's SIGINT to the whole group (`Launched.signal_group`)."""
    run_env = inherited_environment()
    runtime = home / "runtime"  # the single-instance lock and channel live here
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    run_env.update(
        XDG_RUNTIME_DIR=str(runtime),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
        PYTHONUNBUFFERED="1",
    )
    if debug_port is not None:
        run_env["QTWEBENGINE_REMOTE_DEBUGGING"] = str(debug_port)
    run_env.update(env or {})
    for name in unset:  # e.g. DISPLAY, for a Wayland-only session
        run_env.pop(name, None)
    base = list(command) if command else [sys.executable, str(cwd / "launcher.py")]
    # Files, not pipes: a pipe nobody reads fills up and blocks the app on a write.
    home.mkdir(parents=True, exist_ok=True)
    run = len(list(home.glob("stdout-*.txt")))  # several launches may share a home
    stdout_path, stderr_path = home / f"stdout-{run}.txt", home / f"stderr-{run}.txt"
    with open(stdout_path, "w") as out, open(stderr_path, "w") as err:
        process = subprocess.Popen(
            [*base, *args], cwd=cwd, env=run_env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            pass_fds=tuple(pass_fds), start_new_session=new_session,
        )
    return Launched(process, home, stdout_path, stderr_path, debug_port,
                    state_home=Path(run_env["XDG_STATE_HOME"]))


class Launches(list[Launched]):
    """The apps a test started: the `launched` fixture kills whatever still runs at its end."""

    def start(self, args: Sequence[str], home: Path, **options: Any) -> Launched:
        """`launch`, and keep the app to be killed after the test."""
        app = launch(args, home, **options)
        self.append(app)
        return app


def copy_of_the_app(tmp_path: Path) -> Path:
    """A private copy of the program, to break one of its files."""
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("launcher.py", "pyproject.toml"):
        shutil.copy(ROOT / name, copy / name)
    for folder in ("app", "desktop_shell"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


class FakeSystemBrowser:
    """What Python's webbrowser module runs ($BROWSER): a script that records the URL."""

    def __init__(self, home: Path) -> None:
        self.record = home / "opened.txt"
        script = home / "browser.sh"
        script.write_text(f'#!/bin/sh\necho "$1" >> {self.record}\n')
        script.chmod(0o755)
        self.env = {"BROWSER": str(script)}

    def wait_opened(self, app: Launched, timeout: float = 60) -> str:
        """The URL the app asked the system browser to open."""
        deadline = time.monotonic() + timeout
        while not (self.record.exists() and self.record.read_text().strip()):
            assert app.process.poll() is None, app.output()
            assert time.monotonic() < deadline, "the system browser was not opened"
            time.sleep(0.1)
        return self.record.read_text().strip()
