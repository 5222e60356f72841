"""A system library the window needs is missing: one sentence naming the package, exit 1.

Hidden as a person's machine would lack it: in a private mount namespace (root:
`unshare -m`), an empty file is bind-mounted over the library, so the dynamic loader
cannot use it. Qt itself would abort the process (qFatal, SIGABRT, a core dump).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_shell.qt import linux_libraries
from tests.support import x11
from tests.support.hide import hiding
from tests.support.launch import Launches
from tests.support.window import screenshot

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux libraries")

# glibc's own libraries: the table leaves them out (nothing at all runs without them).
GLIBC = re.compile(r"^(libc|libm|libdl|libpthread|librt|libresolv|ld-linux[-\w]*)\.so")


def _system_libraries(library: Path) -> set[str]:
    """What the dynamic loader takes for `library` from outside PySide6 (ldd)."""
    result = subprocess.run(["ldd", str(library)], capture_output=True, text=True, check=True)
    names = set()
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] == "=>" and "PySide6" not in parts[2]:
            names.add(parts[0])
    return names


def test_every_system_library_qt_loads_has_its_package_in_the_table() -> None:
    qt = linux_libraries.qt_dir()
    assert qt is not None
    loaded: set[str] = set()
    for library in [*qt.glob("plugins/platforms/libq*.so"), qt / "lib/libQt6WebEngineCore.so.6",
                    *qt.glob("plugins/xcbglintegrations/*.so"),
                    *qt.glob("plugins/wayland-*-client/*.so")]:
        loaded |= _system_libraries(library)
    unknown = sorted(name for name in loaded
                     if name not in linux_libraries.PACKAGES and not GLIBC.match(name))
    assert not unknown, f"add these to linux_libraries.PACKAGES with their package: {unknown}"
    # The platforms Qt tries (xcb, wayland) are among those checked.
    assert {"libqxcb.so", "libqwayland.so"} <= {p.name for p in qt.glob("plugins/platforms/*.so")}


def test_the_dlopen_error_names_the_library_and_the_sentence_its_package() -> None:
    error = linux_libraries.load_error(Path("/nonexistent/libxcb-cursor.so.0"))
    assert error is not None
    assert linux_libraries.missing_soname(error) == "libxcb-cursor.so.0"
    assert linux_libraries.missing_soname("libEGL.so.1: cannot open shared object file") == "libEGL.so.1"
    text = linux_libraries.sentence("/lib/x86_64-linux-gnu/libEGL.so.1: file too short", "Fragment Demos")
    assert text == ("Fragment Demos cannot open its window: the system library libEGL.so.1 is "
                    "missing. Install the package libegl1 (Debian, Ubuntu: sudo apt install libegl1).")


def test_qt_picks_wayland_first_when_wayland_display_is_set() -> None:
    candidates = linux_libraries.platform_candidates
    assert candidates({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}) == ["wayland", "xcb"]
    assert candidates({"DISPLAY": ":0"}) == ["xcb"]
    assert candidates({"WAYLAND_DISPLAY": "wayland-0"}) == ["wayland"]  # no XWayland to fall back to
    assert candidates({"QT_QPA_PLATFORM": "xcb;wayland:foo", "WAYLAND_DISPLAY": "w"}) == ["xcb", "wayland"]


def _library(name: str) -> Path:
    return Path("/lib/x86_64-linux-gnu") / name


def test_a_missing_xcb_library_is_named_in_a_message_box_and_exit_1(
    tmp_path: Path, home: Path, launched: Launches
) -> None:
    command = [*hiding(_library("libxcb-cursor.so.0"), tmp_path), sys.executable, "launcher.py"]
    if shutil.which("xmessage") is None and shutil.which("zenity") is None:
        pytest.skip("no message-box program (x11-utils' xmessage)")
    app = launched.start(["--self-test"], home, command=command)
    box = x11.wait_for_window("Fragment Demos", timeout=60)  # the message box, not the app
    shot = screenshot("missing-library-box")
    x11.activate(box)
    x11.press("Return")  # its OK button
    code = app.wait(30)
    _stdout, stderr = app.output()
    assert code == 1, f"exit {code} (-6 is Qt's abort)\n{stderr}"
    assert "the system library libxcb-cursor.so.0 is missing" in stderr
    assert "sudo apt install libxcb-cursor0" in stderr
    assert "libxcb-cursor0" in app.log_file.read_text()
    assert not list(Path.cwd().glob("core*")), "a core dump was written"
    print(f"\nthe box: {shot}")


def test_a_qt_platform_that_cannot_start_is_a_sentence_not_an_abort(
    tmp_path: Path, home: Path, launched: Launches
) -> None:
    app = launched.start(["--self-test"], home,
                         env={"QT_QPA_PLATFORM": "nonesuch", "PATH": str(tmp_path)})  # no message box
    code = app.wait(60)
    _stdout, stderr = app.output()
    assert code == 1, f"exit {code} (-6 is Qt's abort)\n{stderr}"
    assert ('fragment-demos: error: Fragment Demos cannot open its window: Qt could not start '
            'its display connection (Could not find the Qt platform plugin "nonesuch"') in stderr
