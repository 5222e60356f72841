"""Entry point of the first stage: main(argv) -> exit code (or exec of the app)."""

from __future__ import annotations

import os
import signal
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import cache, handoff, payload
from .splash import BootSplash


@dataclass(frozen=True, slots=True)
class StageSettings:
    single_file: Path  # this executable, carrying the payload
    private_dir: Path | None  # removed at exit by the bootloader: the fallback unpack
    exec_allowed: bool  # POSIX, frozen: the app takes this process's place

    @classmethod
    def current(cls) -> StageSettings:
        frozen = bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")
        meipass = Path(sys._MEIPASS) if frozen else None  # type: ignore[attr-defined]
        return cls(
            single_file=Path(sys.executable).resolve(),
            private_dir=meipass / "app" if meipass else None,
            exec_allowed=frozen,
        )


def cache_root(app_id: str) -> Path:
    """Per user, through platformdirs: $XDG_CACHE_HOME or ~/.cache (Linux),
    %LOCALAPPDATA%/<app id>/Cache (Windows)."""
    import platformdirs

    return platformdirs.user_cache_path(app_id, appauthor=False) / "builds"


def _say(message: str) -> None:
    print(f"{message}", file=sys.stderr, flush=True)


class _Stopped(Exception):
    """SIGTERM or SIGINT while unpacking: stop, removing the half-written folder."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def _stop(number: int, _frame: object) -> None:
    # Once: a second signal raising inside the clean-up (joining the writers, removing
    # the partial folder) would cut it short. No exec follows a stop, so the ignored
    # dispositions (which an exec would keep) end with this process.
    for other in (signal.SIGTERM, signal.SIGINT):
        signal.signal(other, signal.SIG_IGN)
    raise _Stopped(number)


def main(argv: Sequence[str]) -> int:
    # Until the exec (which puts back the default handlers), a stop request unwinds the
    # unpacking, whose clean-up removes its temporary folder; exit 128 + signal, quietly.
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, _stop)
    try:
        return _run(argv)
    except _Stopped as stopped:
        return 128 + stopped.number


def _run(argv: Sequence[str]) -> int:
    settings = StageSettings.current()
    try:
        bundle = payload.read(settings.single_file)
    except payload.PayloadError as exc:
        _say(f"This copy of the program is damaged; download it again. ({exc})")
        return 1
    splash = BootSplash.connect()
    try:
        try:
            ready = cache.ready(bundle, cache_root(bundle.app_id), splash.progress)
        except cache.Unwritable as exc:
            if settings.private_dir is None:
                raise
            # Read-only or full cache location: unpack for this run only, into the
            # bootloader's own temporary folder, which it removes when the app exits.
            print(f"cache unusable ({exc}); unpacking for this run only", file=sys.stderr)
            ready = cache.private_unpack(bundle, settings.private_dir, splash.progress)
    except (OSError, cache.Unwritable) as exc:
        splash.close()
        _say(f"The program could not unpack itself (about "
             f"{bundle.unpacked_bytes / 2**20:.0f} MiB): {exc}. Free some disk space and "
             "start it again.")
        return 1
    except zipfile.BadZipFile as exc:
        splash.close()
        _say(f"This copy of the program is damaged; download it again. ({exc})")
        return 1
    env = handoff.app_environment(os.environ, settings.single_file)
    return handoff.run(ready, ready.folder / bundle.program, list(argv[1:]), env, splash,
                       exec_allowed=settings.exec_allowed)
