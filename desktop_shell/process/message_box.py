"""One sentence in a native message box, for when the window cannot say it.

A windowed executable has no terminal: without a box, a missing system library or web
view would look like a splash that vanished. Each system's own means, no toolkit of ours
(Qt may be what failed): MessageBoxW on Windows, osascript on macOS, zenity, kdialog or
xmessage on Linux, whichever is installed. Callers also log the sentence and print it
where there is a terminal. The About box on Windows and macOS is one too.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import textwrap
from typing import Literal

from desktop_shell.window.actions import _child_environment  # without the bundle's library path

log = logging.getLogger(__name__)

Kind = Literal["error", "info"]
BOX_TIMEOUT = 600  # seconds; a box nobody answers must not keep the process forever


def linux_commands(title: str, message: str, kind: Kind = "error") -> list[list[str]]:
    """The message-box programs to try, in order (the first that runs wins)."""
    return [
        ["zenity", f"--{kind}", "--no-markup", f"--title={title}", f"--text={message}"],
        ["kdialog", "--title", title, "--error" if kind == "error" else "--msgbox", message],
        # xmessage neither wraps nor scrolls sideways on its own
        ["xmessage", "-center", "-buttons", "OK", "-default", "OK", "-title", title,
         textwrap.fill(message, 72, break_on_hyphens=False, break_long_words=False)],
    ]


def _show_linux(title: str, message: str, kind: Kind) -> bool:
    for command in linux_commands(title, message, kind):
        if shutil.which(command[0]) is None:
            continue
        try:
            # Not with the bundle's library path, which would hand it our xcb copies.
            result = subprocess.run(
                command, env=_child_environment(), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=BOX_TIMEOUT,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.debug("%s: %s", command[0], exc)
            continue
        # 0: OK; 1: closed with the window's X. Anything else (no display...): the next one.
        if result.returncode in (0, 1):
            return True
    return False


def _show_windows(title: str, message: str, kind: Kind) -> bool:
    import ctypes

    icon = 0x10 if kind == "error" else 0x40  # MB_ICONERROR, MB_ICONINFORMATION
    MB_SETFOREGROUND = 0x10000
    return bool(ctypes.windll.user32.MessageBoxW(  # type: ignore[attr-defined]
        None, message, title, icon | MB_SETFOREGROUND
    ))


def _show_macos(title: str, message: str, kind: Kind) -> bool:
    style = "critical" if kind == "error" else "informational"
    script = f"on run argv\ndisplay alert (item 1 of argv) message (item 2 of argv) as {style}\nend run"
    try:
        result = subprocess.run(["osascript", "-e", script, title, message],
                                capture_output=True, timeout=BOX_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def show(title: str, message: str, kind: Kind = "error") -> bool:
    """Show `message` in a box and wait until it is closed; False if none could show."""
    try:
        if sys.platform == "win32":
            shown = _show_windows(title, message, kind)
        elif sys.platform == "darwin":
            shown = _show_macos(title, message, kind)
        else:
            shown = _show_linux(title, message, kind)
    except Exception:  # noqa: BLE001 - the sentence still goes to the log and terminal
        log.exception("the message box failed")
        return False
    log.info("message box %s", "shown" if shown else "not available")
    return shown
