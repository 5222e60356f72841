"""The spec's machinery (build/bundle/) on small, made-up TOCs: nothing is built.

Each test runs in milliseconds. Binaries are small files in tmp_path; what a binary
links is given by a table instead of ldd, and strip by a function that shortens the
file, so the logic (which entries go, which stay, which copy is used) is what is tested.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.support.launch import ROOT

sys.path.insert(0, str(ROOT / "build"))  # where the spec finds bundle/ (its SPECPATH)

from bundle import app_files, manifest, policy, toc  # noqa: E402
from bundle.strip import strip_symbols  # noqa: E402
from bundle.toc import Entry  # noqa: E402

RULES = [("Qt/translations/*", "translations"), ("Qt/plugins/platforms/libqvnc.so", "VNC")]
KEEP = [("Qt/translations/en-US.pak", "fallback locale")]


def names(entries: Iterable[Entry]) -> list[str]:
    return sorted(name for name, _src, _kind in entries)


def binary(folder: Path, name: str, size: int = 1000) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x7fELF" + b"x" * (size - 4))
    return str(path)


# --- trim by rules, KEEP ------------------------------------------------------------

def test_trim_drops_what_a_rule_matches_and_keep_overrides_it() -> None:
    entries = [
        ("Qt/translations/de.pak", "/src/de.pak", "DATA"),
        ("Qt/translations/sub/fr.pak", "/src/fr.pak", "DATA"),  # "*" also matches "/"
        ("Qt/translations/en-US.pak", "/src/en-US.pak", "DATA"),
        ("Qt/plugins/platforms/libqvnc.so", "/src/libqvnc.so", "BINARY"),
        ("Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
    ]
    trimmed = toc.trim(entries, RULES, KEEP)
    assert names(trimmed.kept) == ["Qt/plugins/platforms/libqxcb.so", "Qt/translations/en-US.pak"]
    assert names(trimmed.by_rule) == [
        "Qt/plugins/platforms/libqvnc.so", "Qt/translations/de.pak", "Qt/translations/sub/fr.pak",
    ]
    assert trimmed.dangling == []


def test_trim_keeps_the_order_of_what_stays() -> None:
    entries = [(f"lib{i}.so", f"/src/lib{i}.so", "BINARY") for i in (3, 1, 2)]
    assert toc.trim(entries, RULES, KEEP).kept == entries


def test_size_counts_files_not_symlinks(tmp_path: Path) -> None:
    entries = [
        ("a.so", binary(tmp_path, "a.so", 2**20), "BINARY"),
        ("b.so", binary(tmp_path, "b.so", 2**19), "BINARY"),
        ("c.so", "a.so", "SYMLINK"),
    ]
    assert toc.size_mib(entries) == 1.5


# --- dangling symlinks --------------------------------------------------------------

def test_symlinks_whose_target_was_trimmed_go_with_it() -> None:
    entries = [
        ("pyarrow/libarrow_flight.so.2600", "/src/flight", "BINARY"),
        ("pyarrow/libarrow.so.2600", "/src/arrow", "BINARY"),
        ("libarrow_flight.so.2600", "pyarrow/libarrow_flight.so.2600", "SYMLINK"),
        ("libarrow.so.2600", "pyarrow/libarrow.so.2600", "SYMLINK"),
    ]
    trimmed = toc.trim(entries, [("pyarrow/libarrow_flight*", "Flight")], [])
    assert names(trimmed.by_rule) == ["pyarrow/libarrow_flight.so.2600"]
    assert names(trimmed.dangling) == ["libarrow_flight.so.2600"]
    assert names(trimmed.dropped) == ["libarrow_flight.so.2600", "pyarrow/libarrow_flight.so.2600"]
    assert "libarrow.so.2600" in names(trimmed.kept)


def test_a_symlink_to_a_kept_file_in_another_folder_stays() -> None:
    entries = [
        ("Qt/lib/libQt6Core.so.6", "/src/core", "BINARY"),
        ("PySide6/libQt6Core.so.6", "../Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("PySide6/libQt6Gone.so.6", "../Qt/lib/libQt6Gone.so.6", "SYMLINK"),
    ]
    assert names(toc.without_dangling_symlinks(entries)) == [
        "PySide6/libQt6Core.so.6", "Qt/lib/libQt6Core.so.6",
    ]


# --- orphaned system libraries ------------------------------------------------------

# What each source links, as ldd would say; a source not in the table is an error, so
# a test fails if the machinery asks about a symlink or a file it should not read.
LINKS = {
    "/src/qgtk3.so": ["libgtk-3.so.0", "libglib-2.0.so.0", "libpython3.11.so.1.0"],
    "/src/gtk": ["libcairo.so.2", "libglib-2.0.so.0"],
    "/src/cairo": ["libpixman-1.so.0"],
    "/src/pixman": [],
    "/src/glib": [],
    "/src/python": [],
    "/src/softokn": [],
    "/src/core": ["libglib-2.0.so.0"],
    "/src/qpdf.so": ["libQt6Pdf.so.6"],
    "/src/pdf": [],
}


def linked(src: str) -> list[str]:
    return LINKS[src]


KEPT_BINARIES: list[Entry] = [
    ("libgtk-3.so.0", "/src/gtk", "BINARY"),
    ("libcairo.so.2", "/src/cairo", "BINARY"),
    ("libpixman-1.so.0", "/src/pixman", "BINARY"),
    ("libglib-2.0.so.0", "/src/glib", "BINARY"),  # also linked by QtCore, which stays
    ("libpython3.11.so.1.0", "/src/python", "BINARY"),  # never dropped
    ("libsoftokn3.so", "/src/softokn", "BINARY"),  # loaded at run time: nobody links it
    ("PySide6/Qt/lib/libQt6Core.so.6", "/src/core", "BINARY"),
    ("PySide6/Qt/lib/libQt6Pdf.so.6", "/src/pdf", "BINARY"),  # not top level
    ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
]
DROPPED: list[Entry] = [
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/src/qgtk3.so", "BINARY"),
    ("PySide6/Qt/plugins/imageformats/libqpdf.so", "/src/qpdf.so", "BINARY"),
    ("libqgtk3.so", "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "SYMLINK"),
]


def test_libraries_only_dropped_binaries_linked_are_orphans_even_indirectly() -> None:
    orphans = toc.orphaned_libraries(KEPT_BINARIES, DROPPED, linked)
    assert orphans == {"libgtk-3.so.0", "libcairo.so.2", "libpixman-1.so.0"}
    assert names(toc.without(KEPT_BINARIES, orphans)) == [
        "PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt/lib/libQt6Pdf.so.6",
        "libQt6Core.so.6", "libglib-2.0.so.0", "libpython3.11.so.1.0", "libsoftokn3.so",
    ]


def test_a_library_something_kept_links_is_no_orphan() -> None:
    kept = [*KEPT_BINARIES, ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/xcb", "BINARY")]
    links = {**LINKS, "/src/xcb": ["libcairo.so.2"]}
    orphans = toc.orphaned_libraries(kept, DROPPED, lambda src: links[src])
    assert orphans == {"libgtk-3.so.0"}


def test_nothing_dropped_means_no_orphans() -> None:
    assert toc.orphaned_libraries(KEPT_BINARIES, [], linked) == set()


# --- strip --------------------------------------------------------------------------

def halve(path: Path) -> None:
    """Stands in for binutils' strip: the file loses half its bytes."""
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def test_strip_uses_smaller_copies_and_leaves_auditwheel_libs_alone(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "stripped"
    entries = [
        ("libpython3.11.so.1.0", binary(src, "libpython.so"), "BINARY"),
        ("numpy/_core/_multiarray_umath.so", binary(src, "umath.so"), "EXTENSION"),
        ("numpy.libs/libscipy_openblas64_.so", binary(src, "openblas.so"), "BINARY"),
        ("pillow.libs/libjpeg-8a.so.62", binary(src, "jpeg.so"), "BINARY"),
        ("app/data_feed.py", binary(src, "data_feed.py"), "DATA"),
        ("libpython3.so", "libpython3.11.so.1.0", "SYMLINK"),
    ]
    result, saved = strip_symbols(entries, out, halve)
    assert [name for name, _src, _kind in result] == [name for name, _src, _kind in entries]
    sources = {name: src for name, src, _kind in result}
    assert sources["libpython3.11.so.1.0"] == str(out / "libpython3.11.so.1.0")
    umath = "numpy/_core/_multiarray_umath.so"
    assert sources[umath] == str(out / umath)
    assert Path(sources["libpython3.11.so.1.0"]).stat().st_size == 500
    for name, original, _kind in entries[2:]:
        assert sources[name] == original, name
    assert saved == 2 * 500
    assert not (out / "numpy.libs").exists()


def test_strip_keeps_the_original_when_stripping_saves_nothing(tmp_path: Path) -> None:
    original = binary(tmp_path / "src", "already-stripped.so")
    entries = [("lib.so", original, "BINARY")]
    result, saved = strip_symbols(entries, tmp_path / "out", lambda path: None)
    assert result == entries and saved == 0


def test_strip_reuses_a_copy_newer_than_its_source(tmp_path: Path) -> None:
    calls: list[Path] = []

    def counting(path: Path) -> None:
        calls.append(path)
        halve(path)

    entries = [("lib.so", binary(tmp_path / "src", "lib.so"), "BINARY")]
    first = strip_symbols(entries, tmp_path / "out", counting)
    second = strip_symbols(entries, tmp_path / "out", counting)
    assert first == second and len(calls) == 1


# --- the app's files and the pages' imports -----------------------------------------

def test_app_folder_is_bundled_as_laid_out_without_bytecode(tmp_path: Path) -> None:
    for name in ["app/app.toml", "app/icon.png", "app/page.py", "app/data/prices.csv",
                 "app/__pycache__/page.cpython-311.pyc", "app/stray.pyc"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert app_files.data_files(tmp_path, "app") == [
        (str(tmp_path / "app/app.toml"), "app"),
        (str(tmp_path / "app/data/prices.csv"), "app/data"),
        (str(tmp_path / "app/icon.png"), "app"),
        (str(tmp_path / "app/page.py"), "app"),
    ]


def test_page_imports_are_absolute_imports_of_other_modules(tmp_path: Path) -> None:
    (tmp_path / "sales.py").write_text(
        "from __future__ import annotations\n"
        "import streamlit as st\n"
        "import numpy.random, json\n"
        "from altair import Chart\n"
        "from sales_data import load\n"  # a sibling page module: bundled as data already
        "from . import helpers\n"
        "def later():\n"
        "    from PIL import Image\n"  # imports inside functions count too
    )
    (tmp_path / "sales_data.py").write_text("import pandas as pd\nimport sales.sub\n")
    assert app_files.page_imports(sorted(tmp_path.glob("*.py"))) == [
        "PIL", "altair", "json", "numpy.random", "pandas", "streamlit",
    ]


def test_what_a_page_imports_is_never_excluded() -> None:
    excludes = {"PIL": "images", "pyarrow.csv": "CSV", "requests": "HTTP", "pydeck": "maps"}
    allowed = app_files.not_excluding(excludes, ["PIL.Image", "pyarrow", "requests", "pydeckish"])
    assert allowed == {"pyarrow.csv": "CSV", "pydeck": "maps"}


# --- the manifest -------------------------------------------------------------------

def test_the_manifest_gives_the_facts_and_pyproject_the_version(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app/app.toml").write_text(
        '[app]\nname = "Quarterly Figures"\nid = "quarterly-figures"\nlicence = "MIT"\n'
        'description = "Figures."\nicon = "logo.png"\n\n[[pages]]\nscript = "a.py"\n'
        'title = "A"\nurl_path = "a"\ndefault = true\n'
    )
    (tmp_path / "app/logo.png").write_bytes(b"")
    (tmp_path / "app/a.py").write_text("")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "2.3.4"\n')
    app = manifest.read(tmp_path)
    assert (app.name, app.id, app.licence, app.description, app.version) == (
        "Quarterly Figures", "quarterly-figures", "MIT", "Figures.", "2.3.4",
    )
    assert app.icon == tmp_path / "app" / "logo.png"
    assert app.bundle_id == "org.example.quarterlyfigures"


def test_nothing_in_build_names_the_app_by_hand() -> None:
    app = manifest.read(ROOT)
    sources = [ROOT / "build/app.spec", *sorted((ROOT / "build").rglob("*.py"))]
    sources = [path for path in sources if "work" not in path.relative_to(ROOT / "build").parts]
    assert [str(p) for p in sources if app.name in p.read_text() or app.id in p.read_text()] == []


# --- the policy, through the machinery ----------------------------------------------

@pytest.mark.parametrize(("name", "stays"), [
    ("PySide6/Qt/translations/qtwebengine_locales/en-US.pak", True),
    ("PySide6/Qt/translations/qtwebengine_locales/de.pak", False),
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqwayland-egl.so", True),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
    ("PySide6/Qt/lib/libQt6WebEngineCore.so.6", True),
    ("pyarrow/libarrow_python.so.2600", True),
    ("pyarrow/libarrow_python.so", False),
    ("pyarrow/libarrow_python.so.2600.0.0", False),
    ("libstdc++.so.6", False),
    ("streamlit/static/index.html", True),
])
def test_policy_trims_what_its_reasons_say(name: str, stays: bool) -> None:
    trimmed = toc.trim([(name, "/src", "BINARY")], policy.TRIM_RULES, policy.KEEP)
    assert bool(trimmed.kept) is stays


def test_each_os_keeps_its_own_toolkit_only() -> None:
    linux, windows = policy.excludes("linux"), policy.excludes("win32")
    assert "PySide6" not in linux and {"clr", "objc", "webview.platforms.cocoa"} <= linux.keys()
    assert "PySide6" in windows and "clr" not in windows and "objc" in windows


def test_every_exclusion_and_rule_gives_a_reason() -> None:
    rules = policy.TRIM_RULES + policy.KEEP
    reasons = [*policy.excludes("linux").values(), *(reason for _pattern, reason in rules)]
    assert all(reason.strip() for reason in reasons)
