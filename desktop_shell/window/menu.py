"""The window's menu bar and its keyboard shortcuts, in one table."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from webview.menu import Menu, MenuAction, MenuSeparator

from desktop_shell.manifest import Manifest
from desktop_shell.window.actions import WindowActions


@dataclass(frozen=True, slots=True)
class Item:
    title: str
    run: Callable[[], None]
    shortcut: str | None = None  # Qt's notation; Ctrl is Cmd on macOS, Meta is Control
    also: tuple[str, ...] = ()  # more keys for the same item (Ctrl++ beside Ctrl+=)


SEPARATOR = None
# Full screen as each platform's apps have it.
FULL_SCREEN = "Ctrl+Meta+F" if sys.platform == "darwin" else "F11"


def layout(actions: WindowActions, manifest: Manifest) -> list[tuple[str, list[Item | None]]]:
    """Menus and their items (None: a separator), in order."""
    pages: list[Item | None] = [
        # Ctrl+1 to Ctrl+9 for the first nine pages, as browsers do for tabs.
        Item(page.menu_title, partial(actions.show_page, page.url_path),
             f"Ctrl+{number}" if number <= 9 else None)
        for number, page in enumerate(manifest.pages, start=1)
    ]
    return [
        ("App", [
            Item("Reload", actions.reload, "Ctrl+R"),
            SEPARATOR,
            Item("Open log folder", actions.open_log_folder),
            SEPARATOR,
            Item("Quit", actions.quit, "Ctrl+Q"),
        ]),
        ("Pages", pages),
        ("View", [
            Item("Zoom In", actions.zoom_in, "Ctrl+=", also=("Ctrl++",)),
            Item("Zoom Out", actions.zoom_out, "Ctrl+-"),
            Item("Actual Size", actions.actual_size, "Ctrl+0"),
            SEPARATOR,
            Item("Full Screen", actions.full_screen, FULL_SCREEN),  # Esc leaves it too
        ]),
        ("Help", [Item(f"About {manifest.app.name}", actions.about)]),
    ]


def build(actions: WindowActions, manifest: Manifest) -> tuple[list[Menu], dict[str, tuple[str, ...]]]:
    """pywebview's menu, and the shortcuts of each item by title (pywebview has none yet)."""
    menus: list[Menu] = []
    shortcuts: dict[str, tuple[str, ...]] = {}
    for title, items in layout(actions, manifest):
        entries: list[Menu | MenuAction | MenuSeparator] = []
        for item in items:
            if item is None:
                entries.append(MenuSeparator())
                continue
            entries.append(MenuAction(item.title, item.run))
            if item.shortcut:
                shortcuts[item.title] = (item.shortcut, *item.also)
        menus.append(Menu(title, entries))
    return menus, shortcuts
