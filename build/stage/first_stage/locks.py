"""flock(2) locks that say a cache folder is in use (POSIX; nothing on Windows).

A process that runs the app from a folder holds a shared lock on `<folder>/.stage-lock`
for the app's whole life: the descriptor is inherited across exec, so the app holds it
(and releases it when its last process exits). Whoever unpacks holds an exclusive lock on
its temporary folder's lock until it is published. A clean-up deletes a folder only after
taking an exclusive lock without waiting: never one that is in use or still being written.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock; the cache is then not protected from clean-up
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".stage-lock"


class Lock:
    """An open lock file; `fd` is passed on to the app across exec."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def share(self) -> None:
        """Turn an exclusive lock into a shared one (publishing done, now in use)."""
        if fcntl is not None:
            fcntl.flock(self.fd, fcntl.LOCK_SH)

    def keep_across_exec(self) -> None:
        os.set_inheritable(self.fd, True)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _open(folder: Path, create: bool) -> int | None:
    flags = os.O_RDWR | (os.O_CREAT if create else 0)
    try:
        return os.open(folder / LOCK_NAME, flags, 0o600)
    except FileNotFoundError:
        return None


def shared(folder: Path) -> Lock | None:
    """Wait for a shared lock on `folder`, None if it has no lock file (not a cache)."""
    fd = _open(folder, create=False)
    if fd is None:
        return None
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_SH)
    return Lock(fd)


def exclusive_now(folder: Path, *, create: bool) -> Lock | None:
    """An exclusive lock on `folder` if nobody holds one, else None (no waiting)."""
    fd = _open(folder, create=create)
    if fd is None:
        return None
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
    return Lock(fd)
