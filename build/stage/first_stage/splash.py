"""The bootloader's start-up picture: progress text while unpacking, then handed to the app.

PyInstaller's bootloader draws build/splash.png (Tcl/Tk) in the parent process and
serves a TCP port on 127.0.0.1 (env _PYI_SPLASH_IPC); the picture closes when the
connection that talks to it ends (PyInstaller/building/splash_templates.py). Its Python
client, pyi_splash, would close it when this process execs the app; so this keeps the
connection itself, lets exec inherit it, and names it in DESKTOP_SHELL_SPLASH_FD: the
app closes it once its own splash is up (desktop_shell/qt/splash.py), so a picture is on
screen from the double-click to the app's window.
"""

from __future__ import annotations

import os
import socket
import time

FD_VARIABLE = "DESKTOP_SHELL_SPLASH_FD"
CLOSE = b"\x04"  # pyi_splash.CLOSE_CONNECTION
INTERVAL = 0.2  # seconds between progress updates


class BootSplash:
    def __init__(self, connection: socket.socket | None) -> None:
        self._connection = connection
        self._said = 0.0

    @classmethod
    def connect(cls) -> BootSplash:
        port = os.environ.pop("_PYI_SPLASH_IPC", "")
        if not port.isdigit() or port == "0":
            return cls(None)
        connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            connection.settimeout(2)
            connection.connect(("127.0.0.1", int(port)))  # an address: no name lookup
            connection.settimeout(None)  # blocking again (the app inherits the descriptor)
        except OSError:
            connection.close()
            return cls(None)
        return cls(connection)

    def say(self, text: str) -> None:
        if self._connection is None:
            return
        # Tcl reads one command per CR-terminated line: no CR or braces in the text.
        clean = "".join(c for c in text if c not in "\r\n(){}[]$\\")
        try:
            self._connection.sendall(f"update_text({clean})".encode() + b"\r")
        except OSError:
            self._connection = None

    def progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._said >= INTERVAL or done >= total:
            self._said = now
            percent = 100 * done // max(total, 1)
            self.say(f"Preparing the first start: {percent} %")

    def hand_over(self, env: dict[str, str]) -> None:
        """Let the next program (exec) inherit the connection and close it when ready."""
        if self._connection is not None:
            self.say("")
            fd = self._connection.detach()
            os.set_inheritable(fd, True)
            env[FD_VARIABLE] = str(fd)

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.sendall(CLOSE)
            except OSError:
                pass
            self._connection.close()
            self._connection = None
