"""A desktop's light or dark setting, provided the way real desktops provide it.

GNOME, KDE Plasma and others publish the user's choice through the XDG Settings portal
on the session bus: org.freedesktop.portal.Desktop answers
org.freedesktop.portal.Settings for `org.freedesktop.appearance color-scheme`
(0 no preference, 1 dark, 2 light):
https://flatpak.github.io/xdg-desktop-portal/docs/doc-org.freedesktop.portal.Settings.html
Here a private dbus-daemon (its own socket, no service activation, so nothing else on
the machine is reached or started) carries a stand-in for that portal service.
"""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

PORTAL_NAME = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
SETTINGS = "org.freedesktop.portal.Settings"
APPEARANCE = "org.freedesktop.appearance"
DARK, LIGHT, NO_PREFERENCE = 1, 2, 0

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@contextmanager
def session_bus(folder: Path) -> Iterator[str]:
    """A private session bus; yields its address (for DBUS_SESSION_BUS_ADDRESS)."""
    config = folder / "session-bus.conf"
    config.write_text(BUS_CONFIG)
    daemon = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()  # printed once it listens
        assert address, f"dbus-daemon did not start (exit code {daemon.poll()})"
        yield address
    finally:
        daemon.terminate()
        daemon.wait(10)


class SettingsPortal:
    """Answers Settings.Read, ReadOne and ReadAll as xdg-desktop-portal does; records calls."""

    def __init__(self, address: str, color_scheme: int) -> None:
        self.color_scheme = color_scheme
        self.calls: list[str] = []
        self._conn: DBusConnection = open_dbus_connection(address)
        reply = self._conn.send_and_get_reply(message_bus.RequestName(PORTAL_NAME))
        assert reply.body == (1,), f"could not own {PORTAL_NAME}: {reply.body}"
        self._thread = threading.Thread(target=self._serve, name="fake-portal", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._conn.sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked receive()
        self._thread.join(10)
        self._conn.close()

    def _values(self) -> dict[str, dict[str, tuple[str, Any]]]:
        return {APPEARANCE: {"color-scheme": ("u", self.color_scheme), "contrast": ("u", 0)}}

    def _serve(self) -> None:
        while True:
            try:
                msg = self._conn.receive()
            except (OSError, ValueError):
                return  # closed
            if msg.header.message_type != MessageType.method_call:
                continue
            fields = msg.header.fields
            interface, member = fields.get(HeaderFields.interface), fields.get(HeaderFields.member)
            self.calls.append(f"{interface}.{member}{msg.body}")
            self._conn.send(self._answer(msg, interface, member))

    def _answer(self, msg: Any, interface: str | None, member: str | None) -> Any:
        values = self._values()
        if interface == SETTINGS and member == "ReadAll":
            wanted = msg.body[0]
            found = {ns: v for ns, v in values.items() if not wanted or ns in wanted}
            return new_method_return(msg, "a{sa{sv}}", (found,))
        if interface == SETTINGS and member in ("Read", "ReadOne"):
            namespace, key = msg.body
            if key not in values.get(namespace, {}):
                return new_error(msg, "org.freedesktop.portal.Error.NotFound", "s", (key,))
            value = values[namespace][key]
            # Read (version 1) wraps the value in one more variant; ReadOne does not.
            return new_method_return(msg, "v", (("v", value) if member == "Read" else value,))
        if interface == "org.freedesktop.DBus.Properties" and msg.body[:2] == (SETTINGS, "version"):
            return new_method_return(msg, "v", (("u", 2),))
        unknown = f"{interface}.{member}"
        return new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (unknown,))


@contextmanager
def desktop_setting(
    folder: Path, color_scheme: int
) -> Iterator[tuple[dict[str, str], SettingsPortal]]:
    """A session bus whose Settings portal says `color_scheme`: (the app's environment, portal)."""
    with session_bus(folder) as address:
        portal = SettingsPortal(address, color_scheme)
        try:
            yield {"DBUS_SESSION_BUS_ADDRESS": address}, portal
        finally:
            portal.close()

