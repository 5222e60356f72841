"""Make the single file: the stage executable + the onedir folder as a zip payload + a cookie.

    python build/stage/assemble.py STAGE_EXE ONEDIR_FOLDER OUTPUT

Layout and why: first_stage/payload.py. The key that names the cache folder is the
version plus a SHA-256 of every path, mode and content of the folder, computed here once.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import sys
import tomllib
import zipfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from first_stage.payload import COMMENT_PREFIX, COOKIE, COOKIE_MAGIC  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
COMPRESSION_LEVEL = 6  # zlib: level 9 makes the file 1 % smaller and the build much slower


def _members(folder: Path) -> list[Path]:
    return sorted(
        (path for path in folder.rglob("*") if path.is_symlink() or path.is_file() or path.is_dir()),
        key=lambda path: path.relative_to(folder).as_posix(),
    )


def write_payload(folder: Path, out: io.BufferedWriter, app_id: str, version: str) -> str:
    """Write the zip of `folder` to `out` (at its current position); return the build key."""
    digest = hashlib.sha256()
    program = app_id + (".exe" if os.name == "nt" else "")
    if not (folder / program).is_file():
        raise SystemExit(f"assemble: {folder / program} is missing")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=COMPRESSION_LEVEL) as archive:
        for path in _members(folder):
            name = path.relative_to(folder).as_posix()
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                entry = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                entry.external_attr = (stat.S_IFLNK | 0o777) << 16
                target = os.readlink(path).encode()
                archive.writestr(entry, target, compress_type=zipfile.ZIP_STORED)
                digest.update(b"L" + name.encode() + b"\0" + target + b"\0")
            elif stat.S_ISDIR(info.st_mode):
                archive.write(path, name + "/")
                digest.update(b"D" + name.encode() + b"\0")
            else:
                archive.write(path, name)
                digest.update(b"F" + name.encode() + b"\0" + oct(stat.S_IMODE(info.st_mode)).encode())
                with open(path, "rb") as file:
                    for chunk in iter(lambda: file.read(1 << 20), b""):
                        digest.update(chunk)
        key = f"{version}-{digest.hexdigest()[:16]}"
        archive.comment = COMMENT_PREFIX + json.dumps(
            {"key": key, "app_id": app_id, "program": program}, separators=(",", ":")
        ).encode()
    return key


def assemble(stage: Path, folder: Path, output: Path, app_id: str, version: str) -> str:
    data = stage.read_bytes()
    # As the bootloader does: the last cookie in the file. On Linux the archive is in the
    # ELF section `pydata`, followed by the section headers, so not at the very end.
    cookie_at = data.rfind(COOKIE_MAGIC)
    if cookie_at < 0:
        raise SystemExit(f"assemble: no PyInstaller cookie in {stage}")
    magic, pkg_length, toc_offset, toc_length, python_version, libname = COOKIE.unpack(
        data[cookie_at:cookie_at + COOKIE.size]
    )
    pkg_start = cookie_at + COOKIE.size - pkg_length
    partial = output.with_name(output.name + ".partial")
    with open(partial, "wb") as out:
        out.write(data)
        key = write_payload(folder, out, app_id, version)
        # The same cookie, with pkg_length reaching back over the payload to the archive.
        end = out.tell() + COOKIE.size
        if end - pkg_start >= 2**32:
            raise SystemExit("assemble: the payload is too big for the cookie's 32-bit length")
        out.write(COOKIE.pack(magic, end - pkg_start, toc_offset, toc_length, python_version,
                              libname))
    os.chmod(partial, 0o755)
    os.replace(partial, output)
    return key


def main(argv: Sequence[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    stage, folder, output = (Path(arg) for arg in argv[1:])
    app = tomllib.loads((ROOT / "app" / "app.toml").read_text(encoding="utf-8"))["app"]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    key = assemble(stage, folder, output, app["id"], version)
    print(f"assemble: {output} ({output.stat().st_size / 2**20:.1f} MiB), build key {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
