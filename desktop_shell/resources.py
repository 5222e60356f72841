"""Find the app's files: in a source checkout, an installed wheel, or a PyInstaller bundle.

All three lay the files out alike under their root (app/, desktop_shell/assets/,
build/icons/hicolor/), so every resource has one relative path in every case.
"""

from __future__ import annotations

import sys
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "fragment-demos"  # pyproject.toml's project.name
PACKAGE = Path(__file__).resolve().parent
# In a wheel, the checkout's files the app reads sit in this folder of the package, at
# their checkout paths (pyproject.toml, [tool.hatch.build.targets.wheel.force-include]).
WHEEL_DATA = "_data"


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def is_installed() -> bool:
    """True when running from an installed wheel (pip, pipx, uv tool), not a checkout."""
    return not is_frozen() and (PACKAGE / WHEEL_DATA).is_dir()


def root() -> Path:
    """The folder the app's files are laid out in, like the checkout.

    The bundle's unpack folder (sys._MEIPASS) when frozen; the package's data folder
    when installed from a wheel; else the checkout (an editable install included).
    """
    if is_frozen():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]
    if is_installed():
        return PACKAGE / WHEEL_DATA
    return PACKAGE.parent


def resource_path(*parts: str) -> Path:
    return root().joinpath(*parts)


def asset(name: str) -> Path:
    return resource_path("desktop_shell", "assets", name)


def hicolor_icons() -> Path:
    """The icon theme folder: <size>x<size>/apps/fragment-demos.png for each size."""
    return resource_path("build", "icons", "hicolor")


@cache
def version() -> str:
    """The version in pyproject.toml: the one place it is written.

    A checkout and the bundle (the spec copies it) read the file; an installed wheel
    has no pyproject.toml, and its metadata carries the same version.
    """
    if is_installed():
        return metadata.version(DISTRIBUTION)
    with resource_path("pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])
