"""Strip symbol tables and debug info from the collected binaries (Linux).

PyInstaller's own `strip=True` strips every binary, and that breaks NumPy:
libscipy_openblas64_*.so in numpy.libs/ (rewritten by auditwheel's patchelf) then
fails to load ("ELF load command address/offset not page-aligned"). So this strips a
copy of each binary (in the build's work folder) except those in auditwheel's
`<package>.libs/` folders, and uses the copy where it is smaller. Saves ~13 MiB of
the compressed file, 7 of them libpython's debug info (pyenv builds keep it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath

from .toc import Entry

Stripper = Callable[[Path], None]  # strips the file in place


def strip_tool() -> Stripper | None:
    """binutils' `strip`, or None where it is not installed."""
    tool = shutil.which("strip")
    if tool is None:
        return None
    return lambda path: subprocess.run([tool, str(path)], check=True)


def is_auditwheel_library(name: str) -> bool:
    """Whether `name` lies in a `<package>.libs/` folder (patched by auditwheel)."""
    return any(part.endswith(".libs") for part in PurePath(name).parts[:-1])


def strip_symbols(
    binaries: Sequence[Entry], out_dir: Path, strip: Stripper
) -> tuple[list[Entry], int]:
    """The binaries, each replaced by its stripped copy where that is smaller.

    Copies go to `out_dir` at their name in the bundle and are kept between builds:
    a copy newer than its source is reused. Returns the TOC and the bytes saved.
    """
    result: list[Entry] = []
    saved = 0
    for name, src, kind in binaries:
        if kind not in ("BINARY", "EXTENSION") or is_auditwheel_library(name):
            result.append((name, src, kind))
            continue
        copy = out_dir / name
        if not copy.is_file() or copy.stat().st_mtime < os.stat(src).st_mtime:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, copy)
            os.chmod(copy, 0o755)
            strip(copy)
        if copy.stat().st_size < os.path.getsize(src):
            saved += os.path.getsize(src) - copy.stat().st_size
            src = str(copy)
        result.append((name, src, kind))
    return result, saved
