"""The app's onedir folder, carried as a zip archive inside the single file.

Layout of the single file (written by build/stage/assemble.py):

    [ stage bootloader ELF, with its PKG archive in section `pydata` ] [ payload zip ] [ cookie ]

PyInstaller's bootloader finds its archive by scanning the file back to front for the
cookie's magic (bootloader/src/pyi_archive.c, _pyi_archive_find_pkg_cookie_offset) and
computes the archive's start as `cookie end - pkg_length`. Data appended after the
archive would make every start scan it all (and could match a cookie inside it), so the
payload goes *before* a copy of the cookie whose pkg_length spans the payload too: the
bootloader finds that cookie in its first 8 KiB read, and reads its archive where it was.

The zip's central directory is the manifest (every path, size and mode), and its comment
names the build, `fragment-stage/1 {"key": "<version>-<sha256 of the contents, 16 hex>",
"app_id": ..., "program": <the app's executable inside the folder>}`, fixed at build
time, so a start computes no hash.
"""

from __future__ import annotations

import io
import json
import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# PyInstaller's ARCHIVE_COOKIE (bootloader/src/pyi_archive.h): magic, pkg_length,
# toc_offset, toc_length, python_version, python_libname[64]; big-endian.
COOKIE = struct.Struct("!8sIIII64s")
COOKIE_MAGIC = b"MEI\014\013\012\013\016"
COMMENT_PREFIX = b"fragment-stage/1 "


class PayloadError(Exception):
    """The file carries no readable payload (not built by build/stage, or damaged)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One path of the onedir folder, as the zip's central directory records it."""

    name: str  # relative POSIX path, no trailing slash
    size: int
    kind: str  # "file", "dir" or "link"
    mode: int  # permission bits


@dataclass(frozen=True, slots=True)
class Payload:
    path: Path  # the single file
    end: int  # the zip ends here (the trailing cookie starts)
    key: str  # build key: names the cache folder
    app_id: str  # names the per-user cache folder
    program: str  # the app's executable, relative to the unpacked folder
    entries: tuple[Entry, ...]

    @property
    def unpacked_bytes(self) -> int:
        return sum(entry.size for entry in self.entries if entry.kind == "file")

    def open_zip(self) -> zipfile.ZipFile:
        """A ZipFile of its own (one per thread: each has its own file position)."""
        return zipfile.ZipFile(_Window(self.path, self.end))


class _Window(io.RawIOBase):
    """The file cut off at `end`, so zipfile finds the payload's end record at its end.

    Everything before the zip (the stage itself) is skipped by zipfile's own support for
    data prepended to an archive.
    """

    def __init__(self, path: Path, end: int) -> None:
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._end = end
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._end}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = max(0, min(len(buffer), self._end - self._pos))
        self._file.seek(self._pos)
        got = self._file.readinto(memoryview(buffer)[:count])
        self._pos += got or 0
        return got or 0

    def close(self) -> None:
        self._file.close()
        super().close()


def _entry(info: zipfile.ZipInfo) -> Entry:
    name = info.filename.rstrip("/")
    parts = PurePosixPath(name).parts
    if not name or name.startswith("/") or ".." in parts or "\\" in name:
        raise PayloadError(f"unsafe path in the payload: {info.filename!r}")
    mode = info.external_attr >> 16
    if info.is_dir():
        return Entry(name, 0, "dir", 0o700)
    if stat.S_ISLNK(mode):
        return Entry(name, info.file_size, "link", 0o777)
    return Entry(name, info.file_size, "file", (stat.S_IMODE(mode) or 0o644) & 0o755)


def read(path: Path) -> Payload:
    """The payload of the single file at `path`: its key and manifest (no content read)."""
    try:
        with open(path, "rb") as file:
            file.seek(-COOKIE.size, io.SEEK_END)
            end = file.tell()
            magic, *_rest = COOKIE.unpack(file.read(COOKIE.size))
        if magic != COOKIE_MAGIC:
            raise PayloadError(f"{path} has no payload cookie at its end")
        with zipfile.ZipFile(_Window(path, end)) as archive:
            comment = archive.comment
            entries = tuple(_entry(info) for info in archive.infolist())
    except (OSError, zipfile.BadZipFile, struct.error) as exc:
        raise PayloadError(f"cannot read the payload of {path}: {exc}") from exc
    try:
        if not comment.startswith(COMMENT_PREFIX):
            raise ValueError("no build name")
        build = json.loads(comment[len(COMMENT_PREFIX):])
        key, app_id, program = str(build["key"]), str(build["app_id"]), str(build["program"])
        if not all(part.replace("-", "").replace(".", "").isalnum() for part in (key, app_id)):
            raise ValueError(f"bad key {key!r} or app id {app_id!r}")
    except (ValueError, KeyError, TypeError) as exc:
        raise PayloadError(f"{path}: the payload does not name its build: {exc}") from exc
    return Payload(path, end, key, app_id, program, entries)
