"""macOS: pywebview's Cocoa window (WKWebView, through PyObjC).

Nothing here can run on Linux; only the shortcut table (shortcuts.py) is tested here.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from desktop_shell.manifest import App

from . import shortcuts as keys
from .webview_window import WebviewWindow

if TYPE_CHECKING:
    import webview

    from desktop_shell.window.actions import WindowActions

log = logging.getLogger(__name__)

# The system's app menu (pywebview's Cocoa backend makes it) already quits with Cmd+Q.
SYSTEM_TAKES = frozenset({keys.Shortcut(frozenset({"Ctrl"}), "Q")})


def window_problem(app: App) -> str | None:
    return None  # WebKit is part of macOS


@contextlib.contextmanager
def starting(app: App) -> Iterator[None]:
    yield


def wire_menu(window: webview.Window, actions: WindowActions, menus: list[Any],
              shortcuts: Mapping[str, Sequence[str]]) -> None:
    """In `before_show`, on the main thread: actions get the window, and Cmd+key runs them.

    pywebview's Cocoa menu items have no key equivalent (webview/menu.py: "TODO: support
    platform-agnostic shortcut"), and it rebuilds the menu bar as windows become key,
    so the keys are taken by a local event monitor, which sees each key press before the
    window does; once the window shows, the items also show their key (until rebuilt).
    Qt's "Ctrl" in menu.py is Command here, as in Qt on macOS.
    """
    import AppKit  # type: ignore[import-not-found]
    from PyObjCTools import AppHelper  # type: ignore[import-not-found]

    actions.attach(window, WebviewWindow(window))  # type: ignore[arg-type]
    table = {shortcut: run for shortcut, run in keys.by_shortcut(menus, shortcuts).items()
             if shortcut not in SYSTEM_TAKES}
    by_key: dict[str, Callable[[], None]] = {
        shortcut.key.lower(): run for shortcut, run in table.items()
        if shortcut.modifiers == frozenset({"Ctrl"})
    }
    command = AppKit.NSEventModifierFlagCommand
    relevant = (AppKit.NSEventModifierFlagCommand | AppKit.NSEventModifierFlagShift
                | AppKit.NSEventModifierFlagOption | AppKit.NSEventModifierFlagControl)

    def on_key_down(event: Any) -> Any:
        if event.modifierFlags() & relevant == command:
            run = by_key.get((event.charactersIgnoringModifiers() or "").lower())
            if run is not None:
                threading.Thread(target=run, daemon=True).start()  # as pywebview runs items
                return None  # handled: the page does not get it
        return event

    AppKit.NSEvent.addLocalMonitorForEventsMatchingMask_handler_(
        AppKit.NSEventMaskKeyDown, on_key_down)

    def show_keys_in_menu() -> None:
        titles = {title: keys.parse(texts[0]) for title, texts in shortcuts.items()}
        for top in AppKit.NSApp.mainMenu().itemArray():
            submenu = top.submenu()
            for item in submenu.itemArray() if submenu is not None else []:
                shortcut = titles.get(item.title())
                if shortcut is not None and shortcut not in SYSTEM_TAKES:
                    item.setKeyEquivalent_(shortcut.key.lower())
                    item.setKeyEquivalentModifierMask_(command)

    # pywebview builds the menu bar right after this event, and the run loop starts then.
    window.events.shown += lambda: AppHelper.callAfter(show_keys_in_menu)
