"""What the app's folder brings to the bundle: its files, and the modules its pages import.

Streamlit runs the pages from their source files, so app/ is bundled as data, laid
out as in the checkout (desktop_shell/resources.py finds files relative to
sys._MEIPASS). As data, the pages are not scanned for imports: whatever they import
is added here as hidden imports, and no exclusion may take it away.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

Data = tuple[str, str]  # (source file, folder in the bundle): Analysis `datas`

# Left behind: Python's bytecode caches, which the bundle does not read.
SKIPPED_PARTS = {"__pycache__"}
SKIPPED_SUFFIXES = {".pyc"}


def files(root: Path, folder: str) -> list[Path]:
    """Every file under root/folder, in a stable order, bytecode caches aside."""
    return sorted(
        path for path in (root / folder).rglob("*")
        if path.is_file()
        and not SKIPPED_PARTS & set(path.relative_to(root).parts)
        and path.suffix not in SKIPPED_SUFFIXES
    )


def data_files(root: Path, folder: str) -> list[Data]:
    """Every file under root/folder, each bound for the same folder in the bundle."""
    return [(str(path), path.parent.relative_to(root).as_posix()) for path in files(root, folder)]


def page_imports(pages: Iterable[Path]) -> list[str]:
    """Modules the pages import (absolute imports), minus the pages' own sibling modules.

    Reading them here means a page that starts using a new library gets it in the
    next build without editing the spec.
    """
    pages = list(pages)
    own = {page.stem for page in pages} | {"__future__"}
    found: set[str] = set()
    for page in pages:
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"), str(page))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module)
    return sorted(name for name in found if name.split(".")[0] not in own)


def not_excluding(excludes: Mapping[str, str], imports: Iterable[str]) -> dict[str, str]:
    """The exclusions without those that would take away a module in `imports`.

    An exclusion of a package takes its submodules too, so `PIL` goes if a page
    imports `PIL.Image`; an exclusion of a submodule (`pyarrow.csv`) goes if a page
    imports the submodule or something in it, not if it imports its parent.
    """
    imports = list(imports)
    return {
        module: reason for module, reason in excludes.items()
        if not any(name == module or name.startswith(module + ".") for name in imports)
    }
