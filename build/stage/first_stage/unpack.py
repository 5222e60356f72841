"""Write the payload's files into a folder, and check a folder against the manifest."""

from __future__ import annotations

import os
import queue
import shutil
import stat
import threading
from collections.abc import Callable
from pathlib import Path

from .payload import Entry, Payload

Progress = Callable[[int, int], None]  # (bytes written, bytes in all)
CHUNK = 1 << 20
# zlib releases the GIL while it inflates: two threads use both cores of a small machine.
THREADS = min(4, os.cpu_count() or 1)


def matches(payload: Payload, folder: Path) -> bool:
    """Every file, link and folder of the manifest is there, with its size (stat only).

    Catches a file truncated, deleted or never written (a killed or full unpack); not a
    file overwritten in place with the same size.
    """
    try:
        for entry in payload.entries:
            path = folder / entry.name
            info = os.lstat(path)
            if entry.kind == "file":
                if not stat.S_ISREG(info.st_mode) or info.st_size != entry.size:
                    return False
            elif entry.kind == "link":
                if not stat.S_ISLNK(info.st_mode) or len(os.fsencode(os.readlink(path))) != entry.size:
                    return False
            elif not stat.S_ISDIR(info.st_mode):
                return False
    except OSError:
        return False
    return True


class _Stop(Exception):
    """Another thread failed, or the start is being stopped."""


def _write_file(archive: object, entry: Entry, target: Path, done: Callable[[int], None],
                stop: threading.Event) -> None:
    with archive.open(entry.name) as source, open(target, "wb") as out:  # type: ignore[attr-defined]
        while chunk := source.read(CHUNK):
            if stop.is_set():
                raise _Stop
            out.write(chunk)
            done(len(chunk))
    os.chmod(target, entry.mode)


def unpack(payload: Payload, folder: Path, progress: Progress) -> None:
    """Write every entry under `folder` (which exists); raises OSError (e.g. disk full)."""
    total = payload.unpacked_bytes
    written = 0
    lock = threading.Lock()

    def done(count: int) -> None:
        nonlocal written
        with lock:
            written += count
            progress(written, total)

    files = []
    with payload.open_zip() as archive:
        for entry in payload.entries:
            target = folder / entry.name
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if entry.kind == "dir":
                target.mkdir(exist_ok=True, mode=0o700)
            elif entry.kind == "link":
                os.symlink(archive.read(entry.name).decode(), target)
            else:
                files.append(entry)

    # Largest first, so the threads end together.
    work: queue.SimpleQueue[Entry] = queue.SimpleQueue()
    for entry in sorted(files, key=lambda e: e.size, reverse=True):
        work.put(entry)
    errors: list[BaseException] = []
    stop = threading.Event()

    def worker() -> None:
        try:
            with payload.open_zip() as archive:
                while not stop.is_set():
                    try:
                        entry = work.get_nowait()
                    except queue.Empty:
                        return
                    _write_file(archive, entry, folder / entry.name, done, stop)
        except _Stop:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            errors.append(exc)
            stop.set()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    finally:
        # Also on a signal in this thread: no writer may outlive the clean-up of `folder`.
        stop.set()
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
