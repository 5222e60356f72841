"""A work-around for a reference-counting bug in PySide6 6.12 on Python 3.11.

Every call of a Qt method that returns nothing (QWidget.move, setWindowTitle,
QCoreApplication.processEvents, ...) drops one reference to None that it never took.
None's count falls by one per call until CPython aborts the process: "Fatal Python
error: none_dealloc: deallocating None". Measured here (PySide6 6.12.0, Python 3.11.7):
exactly -1 per call; a splash that pumped events for half a second crashed the launcher
now and then. Python 3.12 made None immortal (PEP 683,
https://peps.python.org/pep-0683/), so there the bug is harmless; on 3.11 None gets a
reference count no run can use up. tests/launcher/test_pyside_fixes.py says when the
bug is gone.
"""

from __future__ import annotations

import ctypes
import sys

# Like 3.12's immortal count: 2**40 calls would take years at a million calls a second.
_RESERVE = 1 << 40


def keep_none_alive() -> None:
    """Give None a reserve of references (Python < 3.12; call once, before Qt is used)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    # ob_refcnt is the first field of every object in CPython's non-debug builds.
    refcount = ctypes.c_ssize_t.from_address(id(None))
    if refcount.value < _RESERVE:
        refcount.value += _RESERVE
