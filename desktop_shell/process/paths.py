"""The app's per-user folders, in one place: where it logs and what it remembers.

Every other module gets its folders from here (through Settings), so the app's id and
the platform's conventions (platformdirs) are named once:

| folder  | Linux                                 | holds                                  |
|---------|---------------------------------------|----------------------------------------|
| config  | ~/.config/APP_ID                      | window.json (the window's size, place) |
| cache   | ~/.cache/APP_ID                       | web/ (the window's web profile)        |
| state   | ~/.local/state/APP_ID                 | port (the last port used)              |
| log     | ~/.local/state/APP_ID/log             | one log file per run                   |
| runtime | $XDG_RUNTIME_DIR/APP_ID (or None)     | the single-instance lock and channel   |

On Windows and macOS platformdirs gives the equivalents (%APPDATA%, %LOCALAPPDATA%,
~/Library/...).
"""

from __future__ import annotations

import contextlib
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True, slots=True)
class UserDirs:
    config: Path
    cache: Path
    state: Path
    log: Path
    runtime: Path | None  # None: the platform has no per-user runtime folder

    @classmethod
    def of(cls, app_id: str) -> UserDirs:
        dirs = platformdirs.PlatformDirs(app_id, appauthor=False)
        runtime = None
        with warnings.catch_warnings(), contextlib.suppress(OSError):
            # platformdirs warns when XDG_RUNTIME_DIR is unusable; callers fall back.
            warnings.simplefilter("ignore")
            runtime = Path(dirs.user_runtime_dir)
        return cls(
            config=Path(dirs.user_config_dir),
            cache=Path(dirs.user_cache_dir),
            state=Path(dirs.user_state_dir),
            log=Path(dirs.user_log_dir),
            runtime=runtime,
        )

    # The files the app remembers between runs.
    @property
    def geometry_file(self) -> Path:
        return self.config / "window.json"

    @property
    def web_profile_dir(self) -> Path:
        return self.cache / "web"

    @property
    def port_file(self) -> Path:
        return self.state / "port"


def unwritable(folder: Path) -> str:
    """Why `folder` cannot be made or written to ("" if it can): a read-only home, a file
    where the folder should be, no permission. Makes the folder, as its first user would."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return f"{folder}: {exc.strerror or exc}"
    return ""


@dataclass(frozen=True, slots=True)
class RunFiles:
    """Where this run logs, and what it remembers (None: not remembered this run)."""

    log_folder: Path
    geometry_file: Path | None
    web_profile_dir: Path | None
    port_file: Path | None
    problem: str  # "" or what cannot be written, and why


def run_files(dirs: UserDirs, app_id: str, *, keep_window: bool, keep_web: bool) -> RunFiles:
    """Check the folders this run writes to; if one cannot be written (a read-only home,
    a file where a folder should be), log to a temporary folder and remember nothing.

    `keep_window`: remember the window's size and place; `keep_web`: keep the web
    profile and the port it is keyed by.
    """
    wanted = [dirs.log]
    if keep_window:
        wanted.append(dirs.config)
    if keep_web:
        wanted += [dirs.web_profile_dir, dirs.state]
    problems = [why for why in map(unwritable, wanted) if why]
    if not problems:
        return RunFiles(
            dirs.log,
            dirs.geometry_file if keep_window else None,
            dirs.web_profile_dir if keep_web else None,
            dirs.port_file if keep_web else None,
            "",
        )
    log_folder = dirs.log
    if unwritable(dirs.log):
        try:
            log_folder = Path(tempfile.mkdtemp(prefix=f"{app_id}-log-"))
        except OSError:
            pass  # logs.setup says it cannot write there, and logs to stderr
    return RunFiles(log_folder, None, None, None, "cannot write to " + "; ".join(problems))
