"""Find bundled files, from a source checkout or from a PyInstaller bundle."""

from __future__ import annotations

import sys
import tomllib
from functools import cache
from pathlib import Path


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def root() -> Path:
    """The project root: the checkout, or the bundle's unpack folder (sys._MEIPASS).

    The spec file lays the bundle out like the checkout (app/, fragment_demos/assets/,
    pyproject.toml), so every resource has one relative path in both cases.
    """
    if is_frozen():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return root().joinpath(*parts)


def asset(name: str) -> Path:
    return resource_path("fragment_demos", "assets", name)


@cache
def version() -> str:
    """The version in pyproject.toml: the one place it is written (the spec bundles it)."""
    with resource_path("pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])
