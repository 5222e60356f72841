"""The window's menu bar and its keyboard shortcuts, in one table."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from webview.menu import Menu, MenuAction, MenuSeparator

from .actions import WindowActions
from .settings import APP_NAME, PAGE_MENU_TITLES


@dataclass(frozen=True, slots=True)
class Item:
    title: str
    run: Callable[[], None]
    shortcut: str | None = None  # Qt's notation; Ctrl is Cmd on macOS, Meta is Control
    also: tuple[str, ...] = ()  # more keys for the same item (Ctrl++ beside Ctrl+=)


SEPARATOR = None
# Full screen as each platform's apps have it.
FULL_SCREEN = "Ctrl+Meta+F" if sys.platform == "darwin" else "F11"


def layout(actions: WindowActions) -> list[tuple[str, list[Item | None]]]:
    """Menus and their items (None: a separator), in order."""
    pages: list[Item | None] = [
        Item(title, partial(actions.show_page, page), f"Ctrl+{number}")
        for number, (page, title) in enumerate(PAGE_MENU_TITLES.items(), start=1)
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
        ("Help", [Item(f"About {APP_NAME}", actions.about)]),
    ]


def build(actions: WindowActions) -> tuple[list[Menu], dict[str, tuple[str, ...]]]:
    """pywebview's menu, and the shortcuts of each item by title (pywebview has none yet)."""
    menus: list[Menu] = []
    shortcuts: dict[str, tuple[str, ...]] = {}
    for title, items in layout(actions):
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
