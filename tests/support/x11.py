"""The app's window on the X display: find it (by title, or by process with `Screen`),
read where it is, type and click into it as a person does (xdotool, through XTEST), and
close it as a window manager does.

Closing: `xdotool windowclose` only unmaps the window (the app keeps running). A real close
is the WM_DELETE_WINDOW client message (ICCCM 4.2.8.1), which Qt answers with its closeEvent.
"""

from __future__ import annotations

import collections
import subprocess
import time
from collections.abc import Callable
from typing import Any

from Xlib import X, Xutil, display
from Xlib.error import XError
from Xlib.ext import res
from Xlib.protocol import event


def find_windows(title: str, pid: int | None = None) -> list[int]:
    """Mapped windows with this title (and, if given, this process's _NET_WM_PID).

    The app's window is titled "<page> — Fragment Demos" once a page shows: a title
    ending in " — <title>" matches too.
    """
    screen = Screen()
    try:
        return screen.find(title=title, pids=None if pid is None else {pid})
    finally:
        screen.close()


def wait_for_window(title: str, timeout: float, pid: int | None = None) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        windows = find_windows(title, pid)
        if windows:
            return windows[0]
        time.sleep(0.05)
    raise TimeoutError(f"no mapped window titled {title!r} after {timeout} s")


def close_window(window_id: int) -> None:
    d = display.Display()
    try:
        win = d.create_resource_object("window", window_id)
        protocols = d.intern_atom("WM_PROTOCOLS")
        delete = d.intern_atom("WM_DELETE_WINDOW")
        message = event.ClientMessage(
            window=win, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0])
        )
        win.send_event(message, event_mask=X.NoEventMask)
        # A round trip before closing, as libX11's XCloseDisplay does (python-xlib's close
        # does not): the X server drops a client's unread requests when it sees the
        # connection hang up first (epoll reports EPOLLIN|EPOLLHUP, and ClientReady closes
        # the client before reading them). A busy server, as during a page load, then lost
        # this very message: the "ignored first close" was the test's, not the app's.
        # https://gitlab.freedesktop.org/xorg/xserver/-/blob/master/os/connection.c (ClientReady)
        d.sync()
    finally:
        d.close()


def geometry(window_id: int) -> tuple[int, int, int, int]:
    """The window's client area on the screen: x, y, width, height."""
    d = display.Display()
    try:
        win = d.create_resource_object("window", window_id)
        size = win.get_geometry()
        origin = win.translate_coords(d.screen().root, 0, 0)
        return -origin.x, -origin.y, size.width, size.height
    finally:
        d.close()


def icon_sizes(window_id: int) -> list[tuple[int, int]]:
    """The sizes of the window's icon as the window manager gets it (_NET_WM_ICON)."""
    d = display.Display()
    try:
        atom = d.intern_atom("_NET_WM_ICON")
        prop = d.create_resource_object("window", window_id).get_full_property(
            atom, X.AnyPropertyType, sizehint=1 << 22
        )
        values = list(prop.value) if prop else []
    finally:
        d.close()
    sizes = []
    while len(values) >= 2:  # width, height, then width * height ARGB pixels
        width, height = int(values[0]), int(values[1])
        sizes.append((width, height))
        values = values[2 + width * height :]
    return sizes


def net_wm_state(window_id: int) -> list[str]:
    """The window's state as the window manager keeps it (_NET_WM_STATE): atom names,
    such as "_NET_WM_STATE_FULLSCREEN"."""
    d = display.Display()
    try:
        prop = d.create_resource_object("window", window_id).get_full_property(
            d.intern_atom("_NET_WM_STATE"), X.AnyPropertyType
        )
        names = [d.get_atom_name(int(atom)) for atom in (prop.value if prop else [])]
        d.sync()  # every reply read before closing (see close_window)
        return names
    finally:
        d.close()


def wm_class(window_id: int) -> tuple[str, str]:
    """The window's WM_CLASS (ICCCM 4.1.2.5): instance and class, which docks and a
    desktop entry's StartupWMClass match."""
    d = display.Display()
    try:
        found = d.create_resource_object("window", window_id).get_wm_class()
        d.sync()
        return found if found else ("", "")
    finally:
        d.close()


def active_window() -> int | None:
    """The window the window manager says has the focus (_NET_ACTIVE_WINDOW)."""
    d = display.Display()
    try:
        prop = d.screen().root.get_full_property(
            d.intern_atom("_NET_ACTIVE_WINDOW"), X.AnyPropertyType
        )
        return int(prop.value[0]) if prop and prop.value[0] else None
    finally:
        d.close()


def xdotool(*args: str | int) -> None:
    """Type, click, move or resize through the X server's input (XTEST), as a person."""
    subprocess.run(["xdotool", *map(str, args)], check=True, timeout=30)


def activate(window_id: int) -> None:
    xdotool("windowactivate", "--sync", window_id)


def click(x: int, y: int) -> None:
    xdotool("mousemove", "--sync", x, y, "click", 1)


def press(*keys: str) -> None:
    """Key presses ("ctrl+r", "Down", "Return") to the focused window."""
    xdotool("key", "--delay", 80, *keys)


def stacking() -> list[int]:
    """Managed windows from bottom to top (_NET_CLIENT_LIST_STACKING)."""
    d = display.Display()
    try:
        atom = d.intern_atom("_NET_CLIENT_LIST_STACKING")
        prop = d.screen().root.get_full_property(atom, X.AnyPropertyType)
        return [int(w) for w in prop.value] if prop else []
    finally:
        d.close()


def is_iconified(window_id: int) -> bool:
    """Minimized: WM_STATE is IconicState (ICCCM 4.1.3.1)."""
    d = display.Display()
    try:
        atom = d.intern_atom("WM_STATE")
        prop = d.create_resource_object("window", window_id).get_full_property(atom, atom)
        return bool(prop) and int(prop.value[0]) == Xutil.IconicState
    finally:
        d.close()


def minimize(window_id: int, timeout: float = 10) -> None:
    """Minimize as a taskbar does, and wait until the window manager has done it."""
    iconify(window_id)
    wait_until(lambda: is_iconified(window_id), timeout, "the window minimized")


def iconify(window_id: int) -> None:
    """Ask to minimize: the WM_CHANGE_STATE client message (ICCCM 4.1.4)."""
    d = display.Display()
    try:
        root = d.screen().root
        message = event.ClientMessage(
            window=d.create_resource_object("window", window_id),
            client_type=d.intern_atom("WM_CHANGE_STATE"),
            data=(32, [Xutil.IconicState, 0, 0, 0, 0]),
        )
        root.send_event(
            message, event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask
        )
        d.sync()  # before closing: see close_window (this message was lost the same way)
    finally:
        d.close()


class OtherWindow:
    """Another application's window, covering the screen and made active, as a person's
    editor or terminal would be. Close it with close()."""

    def __init__(self, title: str = "Other application") -> None:
        self._display = display.Display()
        screen = self._display.screen()
        self.window = screen.root.create_window(
            0, 0, screen.width_in_pixels, screen.height_in_pixels, 0, screen.root_depth,
            background_pixel=screen.white_pixel,
        )
        self.window.set_wm_name(title)
        self.window.set_wm_hints(flags=Xutil.InputHint, input=True)
        self.window.map()
        self._display.sync()
        self.id = int(self.window.id)

    def close(self) -> None:
        self.window.destroy()
        self._display.sync()
        self._display.close()


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not {what} after {timeout} s")
        time.sleep(0.05)


class Screen:
    """One connection to the display, kept open for polling (the benchmark looks many
    times a second): find a process tree's window, read its pixels."""

    def __init__(self) -> None:
        self.d = display.Display()
        self.root = self.d.screen().root
        self.net_wm_pid = self.d.intern_atom("_NET_WM_PID")
        self.net_wm_name = self.d.intern_atom("_NET_WM_NAME")
        self.utf8 = self.d.intern_atom("UTF8_STRING")

    def find(
        self, *, title: str | None = None, pids: set[int] | None = None,
        exclude: frozenset[int] = frozenset(), smallest: int = 0, depth: int | None = None,
    ) -> list[int]:
        """Mapped windows, top-level first (a window manager's frames hold the clients one
        level down): titled `title` (or "<page> — <title>"), made by one of `pids`
        (_NET_WM_PID, else the X client's pid), at least `smallest` px wide and high,
        at most `depth` levels below the root."""
        found: list[int] = []
        level = [(child, 1) for child in self.root.query_tree().children]
        while level:
            win, at = level.pop(0)
            try:
                if win.id not in exclude and self._matches(win, title, pids, smallest):
                    found.append(int(win.id))
                if depth is None or at < depth:
                    level.extend((child, at + 1) for child in win.query_tree().children)
            except XError:
                continue  # a short-lived window vanished while we looked at it
        return found

    def _matches(self, win: Any, title: str | None, pids: set[int] | None, smallest: int) -> bool:
        if win.get_attributes().map_state != X.IsViewable:
            return False
        if title is not None:
            prop = win.get_full_property(self.net_wm_name, self.utf8)
            name = (prop.value.decode() if prop else win.get_wm_name()) or ""
            if name != title and not name.endswith(f" — {title}"):
                return False
        if pids is not None:
            prop = win.get_full_property(self.net_wm_pid, X.AnyPropertyType)
            owner = int(prop.value[0]) if prop else self.client_pid(int(win.id))
            if owner not in pids:
                return False
        if smallest:
            geometry = win.get_geometry()
            return bool(geometry.width >= smallest and geometry.height >= smallest)
        return True

    def window_of(
        self, pids: set[int], exclude: frozenset[int] = frozenset(), smallest: int = 200
    ) -> int | None:
        """A mapped top-level window (at least `smallest` px wide and high) of one of `pids`
        (the benchmark's display has no window manager: the app's windows are top-level)."""
        found = self.find(pids=pids, exclude=exclude, smallest=smallest, depth=1)
        return found[0] if found else None

    def client_pid(self, window: int) -> int | None:
        """The pid of the X client that made `window`, from the X server (X-Resource).

        For windows without _NET_WM_PID: the onefile bootloader's splash (Tcl/Tk) sets none.
        """
        try:
            reply = self.d.res_query_client_ids([{"client": window, "mask": res.LocalClientPIDMask}])
        except XError:
            return None
        pids = [int(i.value[0]) for i in reply.ids if i.spec.mask == res.LocalClientPIDMask and i.value]
        return pids[0] if pids else None

    def mapped(self, window: int) -> bool:
        try:
            win = self.d.create_resource_object("window", window)
            return win.get_attributes().map_state == X.IsViewable
        except XError:
            return False

    def look(self, window: int) -> tuple[bool, bool]:
        """(painted, content): what the window's middle row and middle column show.

        painted: >= 90 % of those pixels are not black. Xvfb runs with -br (black root)
        and no compositor, so a window that has not drawn yet reads back black.
        content: painted, and at least 4 pixels differ from the most common colour: a
        plain white surface (Qt's background, Chromium's empty page) is not content;
        the loading screen's spinner and text, or Streamlit's sidebar, are.
        """
        try:
            win = self.d.create_resource_object("window", window)
            geometry = win.get_geometry()
            w, h = geometry.width, geometry.height
            row = win.get_image(0, h // 2, w, 1, X.ZPixmap, 0xFFFFFFFF).data
            col = win.get_image(w // 2, 0, 1, h, X.ZPixmap, 0xFFFFFFFF).data
        except XError:
            return False, False
        data = bytes(row) + bytes(col)
        pixels = [data[i : i + 3] for i in range(0, len(data) - 3, 4)]
        if not pixels:
            return False, False
        lit = sum(1 for p in pixels if max(p) > 16)
        painted = lit / len(pixels) >= 0.9
        mode = collections.Counter(pixels).most_common(1)[0][0]
        differ = sum(1 for p in pixels if max(abs(a - b) for a, b in zip(p, mode)) > 24)
        return painted, painted and differ >= 4

    def close(self) -> None:
        self.d.close()
