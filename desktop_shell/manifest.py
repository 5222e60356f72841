"""The app's manifest, app.toml: its name, id, licence, icon and pages, read and checked once.

Everything that names the app or a page reads it: the entry script (the sidebar), the
command line (--page), the menu, the About box, the self-test, the window, file names.
Standard library only: the entry script imports this module inside Streamlit's run of
the page, where the launcher's Qt and server parts have no business.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "app.toml"
# The app folder to serve instead of the bundled app/ (README, "Make it your own app").
# The server sets it for the entry script, which has no other way to learn it.
APP_VARIABLE = "DESKTOP_SHELL_APP"

_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")  # a file and folder name on every platform
_URL_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")  # one path segment; a --page name
_APP_KEYS = {"name": str, "id": str, "licence": str, "description": str, "icon": str}
_PAGE_KEYS = {"script": str, "title": str, "url_path": str}
_PAGE_OPTIONAL = {"icon": str, "menu_title": str, "default": bool}


class ManifestError(ValueError):
    """The manifest is missing or wrong; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class App:
    name: str  # for people: window titles, the About box, messages
    id: str  # for files: the executable, the log and settings folders, the lock
    licence: str
    description: str
    icon: Path  # the window's icon and the pages' favicon


@dataclass(frozen=True, slots=True)
class Page:
    script: Path
    title: str  # the sidebar, the browser's document.title, the window's title
    url_path: str  # the page's address and its --page name
    menu_title: str  # the Pages menu (the title unless the manifest gives a shorter one)
    icon: str | None = None  # an emoji or ":material/name:" (Streamlit's own icons)
    default: bool = False  # also served at "/"

    @property
    def path(self) -> str:
        """The page's path on the server: the default page is at "/"."""
        return "/" if self.default else f"/{self.url_path}"


@dataclass(frozen=True, slots=True)
class Manifest:
    folder: Path  # the app folder: app.toml, the pages, the icon
    app: App
    pages: tuple[Page, ...]  # in menu order

    @property
    def default_page(self) -> Page:
        return next(page for page in self.pages if page.default)

    @property
    def page_names(self) -> tuple[str, ...]:
        """The pages' url_paths, in order: what --page accepts."""
        return tuple(page.url_path for page in self.pages)

    def page(self, name: str | None = None) -> Page:
        """The page whose url_path is `name`; the default page for None. KeyError if none."""
        if name is None:
            return self.default_page
        for page in self.pages:
            if page.url_path == name:
                return page
        raise KeyError(name)


def app_folder(default: Path) -> Path:
    """The app folder to serve: $DESKTOP_SHELL_APP if set, else `default`."""
    chosen = os.environ.get(APP_VARIABLE, "").strip()
    return Path(chosen).expanduser().resolve() if chosen else default


def load(folder: Path) -> Manifest:
    """Read and check `folder`/app.toml; raise ManifestError with a sentence if it is wrong."""
    file = folder / MANIFEST
    try:
        with file.open("rb") as stream:
            data = tomllib.load(stream)
    except FileNotFoundError:
        raise ManifestError(
            f"{file}: there is no such file; an app folder needs an {MANIFEST} that names "
            "the app and lists its pages."
        ) from None
    except OSError as exc:
        raise ManifestError(f"{file}: cannot be read: {exc.strerror or exc}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{file}: not valid TOML: {exc}.") from None
    return _Reader(file).manifest(data)


class _Reader:
    """Turns the parsed TOML into a Manifest, naming the file and the key in every complaint."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.folder = file.parent

    def fail(self, what: str, why: str) -> ManifestError:
        return ManifestError(f"{self.file}: {what} {why}.")

    def manifest(self, data: dict[str, Any]) -> Manifest:
        unknown = sorted(set(data) - {"app", "pages"})
        if unknown:
            raise self.fail(
                f"the top level has {_names(unknown)}:", "only [app] and [[pages]] belong there"
            )
        app = self.app(data.get("app"))
        raw_pages = data.get("pages")
        if not isinstance(raw_pages, list) or not raw_pages:
            raise self.fail("there is no [[pages]] table:", "list at least one page")
        pages = tuple(self.page(number, raw) for number, raw in enumerate(raw_pages, start=1))
        self.check_pages(pages)
        return Manifest(self.folder, app, pages)

    def table(
        self, where: str, raw: object, required: dict[str, type], optional: dict[str, type]
    ) -> dict[str, Any]:
        """`raw` checked: a table with every required key, no unknown one, each of its type."""
        if not isinstance(raw, dict):
            raise self.fail(f"{where} is missing", f"(it needs {_names(required)})")
        unknown = sorted(set(raw) - set(required) - set(optional))
        if unknown:
            known = _names([*required, *optional])
            raise self.fail(f"{where} has {_names(unknown)}:", f"the keys are {known}")
        for key, kind in {**required, **optional}.items():
            if key not in raw:
                if key in required:
                    raise self.fail(f"{where} has no `{key}`:", f"it needs {_names(required)}")
                continue
            value = raw[key]
            if not isinstance(value, kind):
                raise self.fail(f"{where} `{key}` = {value!r}", f"is not a {_KIND[kind]}")
            if kind is str and not value.strip():
                raise self.fail(f"{where} `{key}`", "is empty")
        return raw

    def file_in_folder(self, where: str, key: str, relative: str) -> Path:
        path = (self.folder / relative).resolve()
        if not path.is_file():
            raise self.fail(
                f"{where} `{key}` = {relative!r}:", f"there is no such file in {self.folder}"
            )
        return path

    def app(self, raw: object) -> App:
        values = self.table("[app]", raw, _APP_KEYS, {})
        if not _ID.fullmatch(values["id"]):
            raise self.fail(
                f"[app] `id` = {values['id']!r} is not a file name:",
                "use lower-case letters, digits, '.', '_' and '-'",
            )
        return App(
            name=values["name"].strip(),
            id=values["id"],
            licence=values["licence"].strip(),
            description=values["description"].strip(),
            icon=self.file_in_folder("[app]", "icon", values["icon"]),
        )

    def page(self, number: int, raw: object) -> Page:
        where = f"[[pages]] number {number}"
        values = self.table(where, raw, _PAGE_KEYS, _PAGE_OPTIONAL)
        if not _URL_PATH.fullmatch(values["url_path"]):
            raise self.fail(
                f"{where} `url_path` = {values['url_path']!r} is not one path segment:",
                "use letters, digits, '_' and '-'",
            )
        title = values["title"].strip()
        return Page(
            script=self.file_in_folder(where, "script", values["script"]),
            title=title,
            url_path=values["url_path"],
            menu_title=values.get("menu_title", title).strip(),
            icon=values.get("icon"),
            default=values.get("default", False),
        )

    def check_pages(self, pages: tuple[Page, ...]) -> None:
        # Each page has its own address, and its own item in the Pages menu (whose
        # shortcuts are given by title).
        for key in ("url_path", "menu_title"):
            seen: dict[str, int] = {}
            for number, page in enumerate(pages, start=1):
                value = getattr(page, key)
                if value in seen:
                    raise self.fail(
                        f"[[pages]] number {seen[value]} and number {number} both have "
                        f"`{key}` = {value!r}:",
                        "each page needs its own" + _MENU_TITLE_NOTE.get(key, ""),
                    )
                seen[value] = number
        defaults = [number for number, page in enumerate(pages, start=1) if page.default]
        if len(defaults) != 1:
            which = f"[[pages]] numbers {_names(defaults)} have" if defaults else "no page has"
            raise self.fail(
                f"{which} `default = true`:", 'exactly one page is the default, served at "/"'
            )


_KIND = {str: "string", bool: "boolean (true or false)"}
_MENU_TITLE_NOTE = {"menu_title": " (menu_title is the title unless given)"}


def _names(items: Iterable[object]) -> str:
    return ", ".join(f"`{item}`" if isinstance(item, str) else str(item) for item in items)
