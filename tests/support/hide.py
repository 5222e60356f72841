"""Hide a system library from one command, as on a machine that lacks it.

In a private mount namespace (`unshare -m`, root only) an empty file is bind-mounted
over the library: the dynamic loader finds it but cannot load it ("file too short").
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def hiding(library: Path, folder: Path) -> list[str]:
    """A command prefix running the rest with `library` hidden; skips where it cannot."""
    unshare, mount = shutil.which("unshare"), shutil.which("mount")
    if os.geteuid() != 0 or unshare is None or mount is None:
        pytest.skip("hiding a system library needs root and unshare (util-linux)")
    if subprocess.run([unshare, "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("no mount namespaces here (a container without CAP_SYS_ADMIN)")
    if not library.exists():
        pytest.skip(f"{library} is not installed here")
    empty = folder / "empty-library"
    empty.touch()
    return [unshare, "-m", "/bin/sh", "-c", f'{mount} --bind {empty} {library} && exec "$0" "$@"']
