"""Close a window the way a window manager does when the user clicks its close button.

Xvfb runs no window manager, and `xdotool windowclose` only unmaps the window (the
app keeps running). A real close is the WM_DELETE_WINDOW client message (ICCCM 4.2.8.1),
which Qt answers with its closeEvent.
"""

from __future__ import annotations

import time

from Xlib import X, display
from Xlib.error import XError
from Xlib.protocol import event


def find_windows(title: str, pid: int | None = None) -> list[int]:
    """Mapped windows with this title (and, if given, this process's _NET_WM_PID)."""
    d = display.Display()
    try:
        found: list[int] = []
        stack = [d.screen().root]
        net_wm_name = d.intern_atom("_NET_WM_NAME")
        net_wm_pid = d.intern_atom("_NET_WM_PID")
        utf8 = d.intern_atom("UTF8_STRING")
        while stack:
            win = stack.pop()
            try:
                prop = win.get_full_property(net_wm_name, utf8)
                name = prop.value.decode() if prop else win.get_wm_name()
                attrs = win.get_attributes()
                children = win.query_tree().children
                owner = win.get_full_property(net_wm_pid, X.AnyPropertyType) if pid else None
            except XError:
                continue  # a short-lived window vanished while we looked at it
            if name == title and attrs.map_state == X.IsViewable:
                if pid is None or (owner is not None and int(owner.value[0]) == pid):
                    found.append(win.id)
            stack.extend(children)
        return found
    finally:
        d.close()


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
