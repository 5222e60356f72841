"""The per-user cache of unpacked builds: find a good one, or unpack and publish it.

    <user cache dir>/<app id>/builds/        0700
        <version>-<hash>/                          a published build (0700), run from here
            .stage-lock                            shared-locked while the app runs
        .tmp-<version>-<hash>-XXXX/                being unpacked (exclusive-locked)
        .trash-XXXX/                               being deleted

A folder is published by renaming a complete, checked temporary folder to its key, so a
key folder is never half-written. Two first starts both unpack; the first rename wins and
the other start uses the winner and deletes its own copy. Every start checks the key
folder against the manifest (stat only) before running it, and unpacks again if a file
is missing or has the wrong size.
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import locks, unpack
from .payload import Payload

TMP_PREFIX = ".tmp-"
TRASH_PREFIX = ".trash-"
ORPHAN_AGE = 60.0  # seconds: a temporary folder without a lock file this old was abandoned


@dataclass(frozen=True, slots=True)
class Ready:
    """A checked folder to run the app from."""

    folder: Path
    lock: locks.Lock | None  # held (shared) while the app runs; None for a private unpack


class Unwritable(Exception):
    """The cache location cannot take the build (read-only, full, no permission)."""


def _private_dir(path: Path) -> Path:
    """`path`, made if missing, every folder made here 0700 (the XDG cache dir too)."""
    if not path.is_dir():
        _private_dir(path.parent)
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            pass
    return path


def _private_root(root: Path) -> Path:
    """The cache root, made private (0700) even if something else made it first."""
    _private_dir(root)
    if root.stat().st_mode & 0o077:
        os.chmod(root, 0o700)
    return root


def _discard(folder: Path, root: Path) -> None:
    """Move `folder` out of sight at once, then delete it (a crash leaves only trash)."""
    trash = Path(tempfile.mkdtemp(prefix=TRASH_PREFIX, dir=root))
    try:
        os.rename(folder, trash / "old")
    except OSError:
        pass
    unpack.remove(trash)


def remove_others(root: Path, keep: str) -> None:
    """Delete other builds and abandoned unpacks that nobody holds a lock on."""
    try:
        names = os.listdir(root)
    except OSError:
        return
    for name in names:
        folder = root / name
        if name == keep or not folder.is_dir() or folder.is_symlink():
            continue
        if name.startswith(TRASH_PREFIX):
            unpack.remove(folder)
            continue
        lock = locks.exclusive_now(folder, create=False)
        if lock is None:
            in_use = (folder / locks.LOCK_NAME).exists()
            try:
                recent = time.time() - folder.stat().st_mtime < ORPHAN_AGE
            except OSError:
                continue
            if in_use or recent:
                continue  # running, being written, or just created and not locked yet
        try:
            _discard(folder, root)
        finally:
            if lock is not None:
                lock.close()


def _unpack_into(payload: Payload, folder: Path, progress: unpack.Progress) -> None:
    unpack.unpack(payload, folder, progress)
    if not unpack.matches(payload, folder):
        raise OSError(errno.EIO, "the unpacked files do not match the manifest", str(folder))


def _use_published(payload: Payload, target: Path) -> Ready | None:
    lock = locks.shared(target)
    if lock is None:
        return None
    if unpack.matches(payload, target):
        return Ready(target, lock)
    lock.close()
    return None


def _unpack_and_publish(
    payload: Payload, root: Path, target: Path, progress: unpack.Progress
) -> Ready:
    try:
        staging = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{payload.key}-", dir=root))
    except OSError as exc:
        raise Unwritable(str(exc)) from exc
    lock = None
    try:
        lock = locks.exclusive_now(staging, create=True)
        assert lock is not None  # a folder only this process knows
        _unpack_into(payload, staging, progress)
        for _attempt in range(3):
            if target.exists():
                winner = _use_published(payload, target)
                if winner is not None:  # another start published it meanwhile
                    lock.close()
                    unpack.remove(staging)
                    return winner
                damaged = locks.exclusive_now(target, create=True)
                if damaged is None:
                    # A damaged cache that an app still runs from: run from this copy,
                    # which the next start deletes once no lock holds it.
                    lock.share()
                    return Ready(staging, lock)
                _discard(target, root)
                damaged.close()
            try:
                os.rename(staging, target)
            except OSError as exc:
                if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                    continue  # lost the race: use the winner
                raise
            lock.share()
            # A clean-up of another build may have slipped in while the lock was
            # turned from exclusive to shared: check once more.
            if unpack.matches(payload, target):
                return Ready(target, lock)
            raise OSError(errno.EIO, "the published cache was changed under us", str(target))
        raise OSError(errno.EBUSY, "could not publish the cache", str(target))
    except OSError as exc:
        if lock is not None:
            lock.close()
        unpack.remove(staging)
        raise Unwritable(str(exc)) from exc
    except BaseException:
        if lock is not None:
            lock.close()
        unpack.remove(staging)
        raise


def ready(payload: Payload, root: Path, progress: unpack.Progress) -> Ready:
    """The checked cache folder of this build, unpacked now if missing or damaged.

    Raises Unwritable when the cache location cannot take it; zipfile.BadZipFile when
    the payload itself is damaged.
    """
    try:
        root = _private_root(root)
    except OSError as exc:
        raise Unwritable(str(exc)) from exc
    target = root / payload.key
    found = _use_published(payload, target)
    if found is None:
        found = _unpack_and_publish(payload, root, target, progress)
    remove_others(root, keep=payload.key if found.folder == target else found.folder.name)
    return found


def private_unpack(payload: Payload, folder: Path, progress: unpack.Progress) -> Ready:
    """Unpack into a folder that is removed when the app exits (the cache being unusable)."""
    _private_dir(folder)
    try:
        _unpack_into(payload, folder, progress)
    except BaseException:
        unpack.remove(folder)
        raise
    return Ready(folder, None)

