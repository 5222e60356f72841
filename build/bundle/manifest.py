"""The facts the build needs about the app, read from where they are written once.

app/app.toml's [app] table gives the name, id, licence, description and icon;
pyproject.toml gives the version.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

APP_FOLDER = "app"
MANIFEST = f"{APP_FOLDER}/app.toml"
# macOS bundle identifiers are reverse-DNS names: the publisher's domain, then the app.
# Whoever ships the app replaces this with a domain of their own.
BUNDLE_ID_DOMAIN = "org.example"


@dataclass(frozen=True)
class App:
    name: str  # for people: title bar, About box, macOS app name
    id: str  # for files and commands: the executable, dist/<id>, per-user folders
    licence: str  # an SPDX expression
    description: str
    icon: Path  # the app's picture (PNG), absolute
    version: str

    @property
    def bundle_id(self) -> str:
        """macOS's CFBundleIdentifier: letters, digits, dots and dashes only."""
        return f"{BUNDLE_ID_DOMAIN}.{self.id.replace('-', '')}"


def read(root: Path) -> App:
    """The app described by root/app/app.toml, at the version in root/pyproject.toml."""
    with (root / MANIFEST).open("rb") as f:
        app = tomllib.load(f)["app"]
    with (root / "pyproject.toml").open("rb") as f:
        version = tomllib.load(f)["project"]["version"]
    return App(
        name=app["name"],
        id=app["id"],
        licence=app["licence"],
        description=app["description"],
        icon=root / APP_FOLDER / app["icon"],
        version=version,
    )
