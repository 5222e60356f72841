"""A virtual X display (Xvfb) and a window manager on it (openbox), as a desktop has.

The test session's desktop (tests/conftest.py), a test that wants a display of its own, and
the benchmark all start theirs with `xvfb`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

SIZE = "1400x900x24"  # a desktop-sized screen, at the depth QtWebEngine needs


class DisplayError(RuntimeError):
    pass


@contextmanager
def xvfb(size: str = SIZE, *, black_root: bool = False) -> Iterator[tuple[str, int]]:
    """A new Xvfb on a free display number: (":N", its pid), stopped on the way out.

    24-bit: at 16 bits (Xvfb's default) QtWebEngine with software GL (llvmpipe)
    crashes with SIGSEGV while opening the window. `black_root` (-br): a window that has
    not drawn yet reads back black (the benchmark tells "painted" by that).
    """
    binary = shutil.which("Xvfb")
    if binary is None:
        raise DisplayError("Xvfb is not installed (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", size, "-nolisten", "tcp",
         *(["-br"] if black_root else [])],
        pass_fds=[write_fd], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()  # Xvfb writes its display number once ready
        if not number:
            raise DisplayError("Xvfb did not start")
        yield f":{number}", process.pid
    finally:
        process.terminate()  # gently: it removes its socket and lock file
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextmanager
def window_manager(display_name: str) -> Iterator[None]:
    """openbox on `display_name`, once it manages windows: frames and focus as for a person.
    Without openbox installed, nothing (the tests that need one say so)."""
    if not shutil.which("openbox"):
        yield
        return
    from Xlib import display

    wm = subprocess.Popen(
        ["openbox", "--sm-disable"], env={**os.environ, "DISPLAY": display_name},
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    screen = display.Display(display_name)
    check = screen.intern_atom("_NET_SUPPORTING_WM_CHECK")
    deadline = time.monotonic() + 10
    while screen.screen().root.get_full_property(check, 0) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    screen.close()
    try:
        yield
    finally:
        wm.terminate()
        wm.wait(10)
