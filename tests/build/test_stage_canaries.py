"""Canaries: what the first stage (build/stage/) relies on in PyInstaller's internals.

Each fails when the installed PyInstaller changes the thing it checks; the stage then
needs a look (build/README.md, "The single file"). No build needed; the bootloader's
check reads PyInstaller's sdist, which build/stage/bootloader.py downloads once.
"""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build" / "stage"))

import bootloader  # noqa: E402 - build/stage/bootloader.py
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


def test_exe_takes_its_bootloader_from_bootloader_file() -> None:
    # stage.spec's PatchedEXE overrides this private method to give the patched `run`.
    exe = pytest.importorskip("PyInstaller.building.api").EXE
    assert list(inspect.signature(exe._bootloader_file).parameters) == ["self", "exe", "extension"]
    assert "self._bootloader_file('run'" in inspect.getsource(exe.__init__)


def test_upstream_still_ends_its_parent_on_a_signal_before_the_clean_up(tmp_path: Path) -> None:
    """build/stage/bootloader.patch is still needed, and still applies, to the PyInstaller
    uv.lock pins. Once this fails, upstream holds or blocks signals until its `_MEI*`
    folder is removed: drop the patch and build/stage/bootloader.py."""
    sdist = bootloader.locked_sdist(bootloader.installed_version())
    source = bootloader.unpacked_source(sdist, tmp_path)  # downloaded once, into build/work/
    posix = (source / "bootloader" / "src" / "pyi_utils_posix.c").read_text()
    child = posix[posix.index("\npyi_utils_create_child("):]
    waited = child.index("waitpid(child_pid, &rc, 0);")
    assert re.search(r"for \(signum = 0; signum < num_signals; \+\+signum\) \{\s*signal\(signum, SIG_DFL\);",
                     child[waited:]), "the default handlers are no longer restored after waitpid()"
    main_c = (source / "bootloader" / "src" / "pyi_main.c").read_text()
    assert main_c.index("pyi_utils_create_child(pyi_ctx)") < main_c.index(
        "pyi_main_onefile_parent_cleanup(pyi_ctx) < 0")
    for text in (posix, main_c):
        assert "sigprocmask" not in text and "pthread_sigmask" not in text
    check = subprocess.run(["git", "apply", "--check", str(bootloader.PATCH)], cwd=source,
                           env={**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)},
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
