"""PyInstaller's bootloader for the first stage, built from the locked sdist with one patch.

    python build/stage/bootloader.py    (build/stage/build.py runs it; POSIX only)
    -> build/work/stage/bootloader/run, which stage.spec gives PyInstaller's EXE

Why: the stage is a onefile program, so the process people start is the bootloader's
parent, which waits for the stage (later the app) and then removes its `_MEI*` folder.
Upstream restores the default signal handlers as soon as its child has exited, before
that clean-up (bootloader/src/pyi_utils_posix.c, "restoring signal handlers";
pyinstaller/pyinstaller#6923 made the first signal safe, not a later one). A second
SIGTERM or Ctrl+C in that window ends the parent and leaves the folder in $TMPDIR.
`bootloader.patch` holds SIGHUP, SIGINT, SIGQUIT and SIGTERM from the child's exit to
the end of the clean-up, then re-raises the one that came.
tests/build/test_stage_canaries.py fails once upstream no longer needs it.

The sdist is the one uv.lock pins (URL and SHA-256) for the installed PyInstaller; it is
downloaded once into build/work/stage/bootloader/. Building takes ~6 s (gcc, waf).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PATCH = Path(__file__).with_name("bootloader.patch")
OUTPUT = ROOT / "build" / "work" / "stage" / "bootloader" / "run"
STAMP = OUTPUT.with_name("run.key")  # key() of the sdist and patch it was built from
DOWNLOADS = OUTPUT.parent  # the sdist, kept


class BootloaderError(Exception):
    """A sentence saying which step failed and what to do."""


@dataclass(frozen=True, slots=True)
class Sdist:
    version: str
    url: str
    sha256: str

    @property
    def path(self) -> Path:
        return DOWNLOADS / self.url.rsplit("/", 1)[-1]


def locked_sdist(version: str) -> Sdist:
    """uv.lock's sdist of PyInstaller `version` (the installed one)."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    for package in lock["package"]:
        if package["name"] == "pyinstaller" and package["version"] == version:
            sdist = package["sdist"]
            return Sdist(version, sdist["url"], sdist["hash"].removeprefix("sha256:"))
    raise BootloaderError(f"uv.lock has no PyInstaller {version}, the installed one: "
                          "run `python3 scripts/dev.py` to install the locked dependencies")


def installed_version() -> str:
    import PyInstaller

    return PyInstaller.__version__


def download(sdist: Sdist) -> Path:
    """The sdist, from DOWNLOADS or PyPI; its SHA-256 checked either way."""
    if not sdist.path.is_file() or _sha256(sdist.path) != sdist.sha256:
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        partial = sdist.path.with_suffix(".part")
        try:
            with urllib.request.urlopen(sdist.url, timeout=60) as response, open(partial, "wb") as out:
                shutil.copyfileobj(response, out)
        except OSError as exc:
            raise BootloaderError(f"could not download {sdist.url} ({exc}); building the single "
                                  "file needs PyInstaller's source once") from exc
        if _sha256(partial) != sdist.sha256:
            partial.unlink()
            raise BootloaderError(f"{sdist.url} does not have the SHA-256 uv.lock gives")
        partial.replace(sdist.path)
    return sdist.path


def unpacked_source(sdist: Sdist, into: Path) -> Path:
    """The sdist unpacked into `into`; its top folder."""
    with tarfile.open(download(sdist)) as archive:
        archive.extractall(into, filter="data")
    return into / f"pyinstaller-{sdist.version}"


def key(sdist: Sdist) -> str:
    """What the built file depends on: the sdist and the patch."""
    return hashlib.sha256(sdist.sha256.encode() + PATCH.read_bytes()).hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _run(step: str, command: list[str], cwd: Path, **env: str) -> None:
    result = subprocess.run(command, cwd=cwd, env={**os.environ, **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise BootloaderError(f"{step} failed with exit code {result.returncode}:\n"
                              f"{result.stdout[-4000:]}")


def is_current(sdist: Sdist) -> bool:
    return OUTPUT.is_file() and STAMP.is_file() and STAMP.read_text() == key(sdist)


def build() -> Path:
    """The patched `run` at OUTPUT, rebuilt only when the sdist or the patch changed."""
    import PyInstaller

    sdist = locked_sdist(installed_version())
    if is_current(sdist):
        return OUTPUT
    with tempfile.TemporaryDirectory(prefix="bootloader-") as work:
        source = unpacked_source(sdist, Path(work))
        # git apply rather than patch(1): git is on every machine that has this tree. The
        # ceiling keeps it from taking an enclosing repository's root as the patch's.
        _run("applying build/stage/bootloader.patch", ["git", "apply", "--verbose", str(PATCH)],
             source, GIT_CEILING_DIRECTORIES=work)
        _run("compiling the bootloader (needs a C compiler: gcc or clang)",
             [sys.executable, "./waf", "all"], source / "bootloader")
        built = source / "PyInstaller" / "bootloader" / PyInstaller.PLATFORM / "run"
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, OUTPUT)
    STAMP.write_text(key(sdist))
    return OUTPUT


def built() -> Path:
    """OUTPUT, for stage.spec; a sentence if it is missing or was built from other sources."""
    if not is_current(locked_sdist(installed_version())):
        raise BootloaderError(f"{OUTPUT} is missing or out of date: build the single file "
                              "with build/stage/build.py, which builds it first")
    return OUTPUT


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        print(build())
    except BootloaderError as exc:
        print(f"bootloader: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
