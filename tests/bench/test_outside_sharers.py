"""bench/processes.outside_sharers: which other processes share the measured one's
site-packages pages (and so lower its PSS), read from /proc/PID/maps."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from bench.processes import outside_sharers

HOLD = "import sys; {imports}; print('ready', flush=True); sys.stdin.read()"


@pytest.fixture
def holders() -> Iterator[dict[str, subprocess.Popen[str]]]:
    """Three Pythons that wait: two with numpy's extension modules mapped, one bare."""
    started = {}
    for name, imports in (("a", "import numpy"), ("b", "import numpy"), ("bare", "pass")):
        process = subprocess.Popen([sys.executable, "-c", HOLD.format(imports=imports)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        started[name] = process
    yield started
    for process in started.values():
        assert process.stdin is not None
        process.stdin.close()
        process.wait(10)


def test_a_process_mapping_the_same_site_packages_files_is_found(
        holders: dict[str, subprocess.Popen[str]]) -> None:
    a, b, bare = (holders[name].pid for name in ("a", "b", "bare"))
    found = [line.split(":")[0] for line in outside_sharers([a], {a})]
    assert str(b) in found and str(bare) not in found
    # Those the benchmark started itself are not outside it.
    assert str(b) not in [line.split(":")[0] for line in outside_sharers([a], {a, b})]
