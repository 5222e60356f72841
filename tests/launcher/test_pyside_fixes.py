"""The PySide6 reference-counting bug that desktop_shell/qt/pyside_fixes.py works around."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.launch import ROOT

# From Python 3.12 None is immortal (PEP 683): its count cannot fall, so the bug cannot
# happen, and "three times None's count" would be ~1.3e10 calls (hours) there.
pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 (PEP 683)"
)

# Calls QWidget.move (a Qt method returning nothing) `calls` times; prints how many
# references None lost meanwhile.
PROBE = """
import sys
from desktop_shell.qt import pyside_fixes
calls = {calls} or 3 * sys.getrefcount(None)  # 0: three times what None has now
assert calls < 10_000_000, f"None has {{calls // 3}} references: immortal? ({{sys.version}})"
if {fix}:
    pyside_fixes.keep_none_alive()
from PySide6 import QtWidgets
app = QtWidgets.QApplication([])
widget = QtWidgets.QWidget()
before = sys.getrefcount(None)
for _ in range(calls):
    widget.move(1, 1)
print(before - sys.getrefcount(None) if before < 2**39 else 0, flush=True)
"""


def probe(*, fix: bool, calls: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE.format(fix=fix, calls=calls)],
        cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True, text=True, timeout=120,
    )


def test_pyside_still_drops_a_reference_to_none_per_call() -> None:
    # When this fails, PySide6 is fixed: pyside_fixes.py and this file can go.
    result = probe(fix=False, calls=1000)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == 1000


def test_with_the_fix_more_calls_than_none_had_references_do_not_abort() -> None:
    result = probe(fix=True, calls=0)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "deallocating None" not in result.stderr
