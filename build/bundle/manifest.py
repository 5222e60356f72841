"""The facts the build needs about the app, read from where they are written once.

app/app.toml's [app] table gives the name, id, licence, description and icon (read and
checked by the launcher's own parser); pyproject.toml gives the version.
"""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

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


def _parser(root: Path) -> ModuleType:
    """The launcher's manifest module (standard library only), loaded from its file.

    One parser checks app.toml for the launcher, the entry script and the build; loaded
    by path, so the build imports nothing else of the launcher package.
    """
    name = "desktop_shell.manifest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, root / "desktop_shell" / "manifest.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is made
        spec.loader.exec_module(module)
    return sys.modules[name]


def read(root: Path) -> App:
    """The app described by root/app/app.toml, at the version in root/pyproject.toml."""
    app = _parser(root).load(root / APP_FOLDER).app  # ManifestError: a sentence, the build stops
    with (root / "pyproject.toml").open("rb") as f:
        version = tomllib.load(f)["project"]["version"]
    return App(
        name=app.name,
        id=app.id,
        licence=app.licence,
        description=app.description,
        icon=app.icon,
        version=version,
    )
