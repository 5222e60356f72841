"""Canaries: what the first stage (build/stage/) relies on in PyInstaller's internals.

Each fails when the installed PyInstaller changes the thing it checks; the stage then
needs a look (build/README.md, "The single file"). No build needed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build" / "stage"))

from first_stage import payload, splash  # noqa: E402

writers = pytest.importorskip("PyInstaller.archive.writers")
splash_templates = pytest.importorskip("PyInstaller.building.splash_templates")


def test_the_cookie_the_stage_copies_after_its_payload_is_pyinstallers() -> None:
    # assemble.py writes a copy of this cookie at the end of the single file, with
    # pkg_length reaching back over the payload; the bootloader takes the last cookie.
    writer = writers.CArchiveWriter
    assert writer._COOKIE_FORMAT == payload.COOKIE.format
    assert writer._COOKIE_MAGIC_PATTERN == payload.COOKIE_MAGIC


def test_the_splash_closes_when_its_connection_ends() -> None:
    # The stage hands its connection to the app across exec; closing it (or EOT) closes
    # the picture, and PyInstaller's own client would close it at exec.
    script = splash_templates.ipc_script
    assert re.search(r"chan eof \$channel\]\} \{\s*#[^\n]*\n(\s*#[^\n]*\n)*\s*chan close \$channel\s*exit",
                     script), script
    assert "-eofchar \\x04" in script
    assert "set env(_PYI_SPLASH_IPC)" in script
    assert splash.CLOSE == b"\x04"
    assert "update_text" in script and "-translation cr" in script
