"""menu.py's shortcuts ("Ctrl+R", Qt's notation) as the pieces each system's menu wants."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple


class Shortcut(NamedTuple):
    modifiers: frozenset[str]  # "Ctrl", "Shift", "Alt"
    key: str  # "R", "1", "Q"


def parse(text: str) -> Shortcut:
    *modifiers, key = text.split("+")
    return Shortcut(frozenset(modifiers), key.upper() if len(key) == 1 else key)


def by_shortcut(
    menus: Sequence[Any], shortcuts: Mapping[str, Sequence[str]]
) -> dict[Shortcut, Callable[[], None]]:
    """What each shortcut runs: the function of the menu item with that title (an item
    may have several, as Zoom In has Ctrl+= and Ctrl++)."""
    table: dict[Shortcut, Callable[[], None]] = {}
    for menu in menus:
        for item in menu.items:
            title = getattr(item, "title", None)
            for text in shortcuts.get(title, ()) if isinstance(title, str) else ():
                table[parse(text)] = item.function
    return table
