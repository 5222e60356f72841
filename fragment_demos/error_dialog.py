"""One sentence in a native message box, for failures that happen before any window exists.

A windowed executable has no terminal: without a box, a missing system library or web
view would look like a splash that vanished. Each system's own means, no toolkit of ours
(Qt may be what failed): MessageBoxW on Windows, osascript on macOS, zenity, kdialog or
xmessage on Linux, whichever is installed. The caller also logs the sentence and prints
it where there is a terminal.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import textwrap

from .actions import _child_environment  # without the bundle's library path

log = logging.getLogger(__name__)

DIALOG_TIMEOUT = 600  # seconds; a box nobody answers must not keep the process forever


def linux_commands(title: str, message: str) -> list[list[str]]:
    """The message-box programs to try, in order (the first that runs wins)."""
    return [
        ["zenity", "--error", "--no-markup", f"--title={title}", f"--text={message}"],
        ["kdialog", "--title", title, "--error", message],
        # xmessage neither wraps nor scrolls sideways on its own
        ["xmessage", "-center", "-buttons", "OK", "-default", "OK", "-title", title,
         textwrap.fill(message, 72)],
    ]


def _show_linux(title: str, message: str) -> bool:
    for command in linux_commands(title, message):
        if shutil.which(command[0]) is None:
            continue
        try:
            # Not with the bundle's library path, which would hand it our xcb copies.
            result = subprocess.run(
                command, env=_child_environment(), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=DIALOG_TIMEOUT,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.debug("%s: %s", command[0], exc)
            continue
        # zenity and kdialog exit 1 when closed with the window's X; 255/other: no display.
        if result.returncode in (0, 1):
            return True
    return False


def _show_windows(title: str, message: str) -> bool:
    import ctypes

    MB_ICONERROR = 0x10
    MB_SETFOREGROUND = 0x10000
    return bool(ctypes.windll.user32.MessageBoxW(  # type: ignore[attr-defined]
        None, message, title, MB_ICONERROR | MB_SETFOREGROUND
    ))


def _show_macos(title: str, message: str) -> bool:
    script = ("on run argv\n display alert (item 1 of argv) message (item 2 of argv) as critical\n"
              "end run")
    try:
        result = subprocess.run(["osascript", "-e", script, title, message],
                                capture_output=True, timeout=DIALOG_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def show(title: str, message: str) -> bool:
    """Show `message` in a message box and wait until it is closed; False if none could show."""
    try:
        if sys.platform == "win32":
            shown = _show_windows(title, message)
        elif sys.platform == "darwin":
            shown = _show_macos(title, message)
        else:
            shown = _show_linux(title, message)
    except Exception:  # noqa: BLE001 - the sentence still goes to the log and terminal
        log.exception("the message box failed")
        return False
    log.info("message box %s", "shown" if shown else "not available")
    return shown
