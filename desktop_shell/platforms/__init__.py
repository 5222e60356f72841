"""What differs between Linux, Windows and macOS, behind the same functions.

As pywebview has one backend per system, each module here offers, for its system:

- `window_problem(app) -> str | None`: before the toolkit loads, why no window can open
  (a missing library, a missing web view), already shown in a message box; None if fine.
- `starting(app)`: a context for the toolkit's start, turning a fatal start into a sentence.
- `wire_menu(window, actions, shortcuts)` (Windows, macOS), in pywebview's `before_show`:
  gives the menu's actions the window and the items their keyboard shortcuts. On
  Linux, window.py does this with Qt (qt_window.py), with the window's other Qt parts.
"""

from __future__ import annotations

import sys
from types import ModuleType


def current() -> ModuleType:
    """This system's module: linux, windows or macos."""
    if sys.platform == "win32":
        from . import windows as module
    elif sys.platform == "darwin":
        from . import macos as module
    else:
        from . import linux as module
    return module
