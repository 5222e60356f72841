"""The package as a Python user installs it: a wheel, built offline, in a fresh virtualenv.

The wheel is built with the locked build backend (hatchling, in .venv, no build
isolation: nothing is fetched), then installed into a new venv with its dependencies
pinned to uv.lock's versions (uv installs them from its cache, hard-linked: ~2 s under
load rather than minutes). The installed `fragment-demos` then runs its self-test in the
real window from a folder outside the checkout, so it can only find its pages and
assets in the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.launch import ROOT, launch

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the installed window runs on Linux here"),
    pytest.mark.timeout(300),
]

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def uv() -> str:
    """The pinned uv that scripts/dev.py installs (or one on PATH)."""
    pinned = ROOT / ".tools" / "bin" / "uv"
    found = str(pinned) if pinned.exists() else shutil.which("uv")
    assert found, "uv is missing: run python3 scripts/dev.py setup"
    return found


def run(command: list[str | Path], cwd: Path, env: dict[str, str] | None = None,
        **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in (env or os.environ).items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=240,
        **kwargs,  # type: ignore[call-overload]
    )
    assert done.returncode == 0, f"{command}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # --no-build-isolation: the build backend is the locked one in this venv, offline.
    run([uv(), "build", "--wheel", "--no-build-isolation", "--python", sys.executable,
         "--out-dir", out], cwd=ROOT)
    (built,) = out.glob("fragment_demos-*.whl")  # the distribution: pyproject's name
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("installed")
    venv = folder / "venv"
    constraints = folder / "constraints.txt"
    run([uv(), "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
         "--quiet", "--output-file", constraints], cwd=ROOT)
    run([uv(), "venv", "--quiet", "--python", sys.executable, venv], cwd=folder)
    run([uv(), "pip", "install", "--quiet", "--python", venv / "bin" / "python",
         "--constraints", constraints, wheel], cwd=folder)
    yield venv


def test_the_wheel_carries_the_pages_assets_icons_and_the_gui_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as whl:
        names = set(whl.namelist())
        entry_points = whl.read(f"fragment_demos-{VERSION}.dist-info/entry_points.txt").decode()
    data = "desktop_shell/_data/"
    pages = {p.name for p in (ROOT / "app").iterdir() if p.is_file()}
    assert {f"{data}app/{name}" for name in pages} <= names
    assert {f"{data}desktop_shell/assets/{p.name}" for p in (ROOT / "desktop_shell" / "assets").iterdir()} <= names
    for size in (16, 48, 256, 512):
        assert f"{data}build/icons/hicolor/{size}x{size}/apps/fragment-demos.png" in names
    assert "desktop_shell/__main__.py" in names
    assert not any("__pycache__" in name or name.startswith(("tests/", "bench/")) for name in names)
    assert "[gui_scripts]\nfragment-demos = desktop_shell.__main__:main" in entry_points


def test_the_installed_package_reads_its_own_files(venv: Path, tmp_path: Path) -> None:
    where = run([venv / "bin" / "python", "-c",
                 "from desktop_shell import resources; print(resources.root()); print(resources.version())"],
                cwd=tmp_path).stdout.split()
    assert Path(where[0]).is_relative_to(venv), where  # not the checkout
    assert where[1] == VERSION
    done = run([venv / "bin" / "python", "-m", "desktop_shell", "--version"], cwd=tmp_path)
    assert done.stdout.strip() == f"Fragment Demos {VERSION}"


def test_the_installed_command_passes_its_self_test(venv: Path, tmp_path: Path, home: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    app = launch(["--self-test"], home, command=[str(venv / "bin" / "fragment-demos")], cwd=elsewhere)
    out, err = app.output(timeout=180)
    assert app.process.returncode == 0, (out, err)
    assert "self-test: data-feed: ok" in out and "self-test: sales: ok" in out
    assert "Traceback" not in err


def test_the_installed_command_puts_itself_in_the_menu(venv: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    command = venv / "bin" / "fragment-demos"
    run([command, "--install-desktop-entry"], cwd=tmp_path,
        env={**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(data)})
    entry = (data / "applications" / "fragment-demos.desktop").read_text()
    assert f"\nExec={command}\n" in entry
    for size in (16, 256, 512):  # from the wheel's copy of the icons
        assert (data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "fragment-demos.png").is_file()
