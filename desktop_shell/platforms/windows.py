"""Windows: pywebview's WinForms window with Edge WebView2 (through pythonnet).

Neither this nor anything that imports `clr` can run on Linux: only the WebView2
decision (webview2.py) and the shortcut table (shortcuts.py) are tested here; the rest
is for the GitHub workflow's Windows job (README, "CI").
"""

from __future__ import annotations

import contextlib
import logging
import platform
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from desktop_shell.manifest import App
from desktop_shell.process import message_box

from . import shortcuts as keys
from . import webview2
from .webview_window import WebviewWindow

if TYPE_CHECKING:
    import webview

    from desktop_shell.window.actions import WindowActions

log = logging.getLogger(__name__)


def window_problem(app: App) -> str | None:
    """No WebView2 runtime: the sentence with its download link, in a message box too."""
    try:
        from webview import settings as webview_settings
    except ImportError:
        return None  # no pywebview: window.py says so, and opens the browser instead
    problem = webview2.problem(
        webview2.read_registry,
        machine_is_64_bit=platform.machine().lower() not in ("x86", "i386", "i686"),
        runtime_path_set=bool(webview_settings.get("WEBVIEW2_RUNTIME_PATH")),
        app_name=app.name,
    )
    if problem:
        message_box.show(app.name, problem)
    return problem


@contextlib.contextmanager
def starting(app: App) -> Iterator[None]:
    yield  # WinForms reports failures as exceptions, which window.py turns into a sentence


def _number(keys_value: Any) -> int:
    from System import Convert  # type: ignore[import-not-found]

    return int(Convert.ToInt32(keys_value))  # pythonnet 3 keeps .NET enums as objects


def _keys_value(shortcut: keys.Shortcut) -> Any:
    """System.Windows.Forms.Keys for a shortcut: Keys.Control | Keys.R ("D1" for "1")."""
    from System import Enum  # type: ignore[import-not-found]
    from System.Windows.Forms import Keys  # type: ignore[import-not-found]

    names = {"Ctrl": "Control", "Shift": "Shift", "Alt": "Alt"}
    key = f"D{shortcut.key}" if shortcut.key.isdigit() else shortcut.key
    value = _number(getattr(Keys, key))
    for modifier in shortcut.modifiers:
        value |= _number(getattr(Keys, names[modifier]))
    return Enum.ToObject(Keys, value)


def wire_menu(window: webview.Window, actions: WindowActions, menus: list[Any],
              shortcuts: Mapping[str, Sequence[str]]) -> None:
    """In `before_show`, on the GUI thread: actions get the window, items their shortcuts.

    The items show their shortcut (ToolStripMenuItem.ShortcutKeys), but WinForms never
    sees keys typed into the WebView2 control, which has the focus:
    https://github.com/MicrosoftEdge/WebView2Feedback/issues/1254 (open). The control
    raises KeyDown for them, so the shortcuts are run from there too.
    """
    from System.Windows.Forms import MenuStrip, ToolStripMenuItem  # type: ignore[import-not-found]

    actions.attach(window, WebviewWindow(window))  # type: ignore[arg-type]
    form = window.native
    for control in form.Controls:
        if not isinstance(control, MenuStrip):
            continue
        for top in control.Items:
            for item in top.DropDownItems:
                if isinstance(item, ToolStripMenuItem) and item.Text in shortcuts:
                    item.ShortcutKeys = _keys_value(keys.parse(shortcuts[item.Text][0]))
    table = {_number(_keys_value(shortcut)): run
             for shortcut, run in keys.by_shortcut(menus, shortcuts).items()}

    def on_key_down(_sender: Any, event: Any) -> None:
        run: Callable[[], None] | None = table.get(_number(event.KeyData))
        if run is not None:
            event.Handled = True
            threading.Thread(target=run, daemon=True).start()  # as pywebview runs menu items

    web_view = getattr(form, "webview", None)
    if web_view is not None:
        web_view.KeyDown += on_key_down
    else:
        log.warning("no web view control to take the shortcuts from")
