"""Build the executables: `python build/stage/build.py [--onedir]` (scripts/dev.py build runs it).

Steps, each stopping the build with its exit code if it fails:
  1. the app as a folder: build/app.spec with DESKTOP_SHELL_ONEDIR=1
     -> dist/<app id>-onedir/ (with --onedir, that is all);
  2. the first stage: build/stage/bootloader.py (POSIX: PyInstaller's bootloader, patched)
     -> build/work/stage/bootloader/run, then build/stage/stage.spec
     -> build/work/stage/dist/first-stage;
  3. the single file: build/stage/assemble.py puts both together -> dist/<app id>.
macOS: the spec's app bundle, dist/<app name>.app, instead of steps 2 and 3.
(The app's id and name: app/app.toml.)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build"))
from bundle import manifest  # noqa: E402 - build/bundle: what the spec reads too

APP_ID = manifest.read(ROOT).id
DIST = ROOT / "dist"
WORK = ROOT / "build" / "work"
ONEDIR = DIST / f"{APP_ID}-onedir"
STAGE = WORK / "stage" / "dist" / "first-stage"
SINGLE_FILE = DIST / (f"{APP_ID}.exe" if os.name == "nt" else APP_ID)


class StepFailed(Exception):
    pass


def _step(name: str, command: Sequence[str | Path], **env: str) -> None:
    print(f"[build] {name}: {' '.join(map(str, command))}", flush=True)
    # PyInstaller's cache of processed binaries is per tree: `--clean` empties it, and a
    # build in another checkout of the same user would otherwise lose files mid-build
    # ("No such file or directory: ~/.cache/pyinstaller/bincache.../libtcl8.6.so").
    env.setdefault("PYINSTALLER_CONFIG_DIR", str(WORK / "pyinstaller-cache"))
    code = subprocess.run([str(c) for c in command], cwd=ROOT, env={**os.environ, **env}).returncode
    if code != 0:
        raise StepFailed(f"{name} failed with exit code {code}")


def pyinstaller(spec: str, distpath: Path, workpath: Path) -> list[str]:
    return [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
            "--distpath", str(distpath), "--workpath", str(workpath), spec]


def build(onedir_only: bool) -> None:
    if sys.platform == "darwin" and not onedir_only:
        # macOS: the spec makes an app bundle (a folder people double-click), no stage.
        _step("app bundle", pyinstaller("build/app.spec", DIST, WORK / "macos"))
        return
    _step("app folder", pyinstaller("build/app.spec", DIST, WORK / "onedir"),
          DESKTOP_SHELL_ONEDIR="1")
    if onedir_only:
        return
    if os.name == "posix":
        _step("stage bootloader", [sys.executable, "build/stage/bootloader.py"])
    _step("first stage", pyinstaller("build/stage/stage.spec", STAGE.parent, WORK / "stage" / "work"))
    _step("single file", [sys.executable, "build/stage/assemble.py", STAGE, ONEDIR, SINGLE_FILE])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build/stage/build.py", description=__doc__.split("\n")[0])
    parser.add_argument("--onedir", action="store_true",
                        help=f"build only the folder, {ONEDIR.relative_to(ROOT)}/")
    args = parser.parse_args(argv)
    try:
        build(args.onedir)
    except StepFailed as exc:
        print(f"[build] {exc}", file=sys.stderr)
        return 1
    print(f"[build] done: {ONEDIR if args.onedir else SINGLE_FILE}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
