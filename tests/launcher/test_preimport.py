"""What the first page needs early: its modules, and whether it draws charts
(server/preimport.py; the charts decide chart_preload.py)."""

from __future__ import annotations

from pathlib import Path

from desktop_shell.server.preimport import FirstPage, read_first_page
from tests.support.launch import ROOT


def test_the_data_feed_page_needs_numpy_pandas_and_altair() -> None:
    app = ROOT / "app"
    first = read_first_page([app / "streamlit_app.py", app / "data_feed.py"], app)
    # numpy and pandas through feed_data.py beside it; Altair for st.line_chart.
    found = first.modules
    assert [m for m in found if m in ("numpy", "pandas", "altair")] == ["numpy", "pandas", "altair"]
    assert "feed_data" not in found and "streamlit" not in found
    assert first.charts and first.built_in_charts == ("line_chart",)
    # The entry script's page icon is an image file: Streamlit reads it with Pillow.
    assert "PIL.Image" in found


def test_the_apps_own_modules_are_left_to_the_page(tmp_path: Path) -> None:
    """They may call Streamlit as they are imported, which only works in a script run."""
    (tmp_path / "page.py").write_text("import helpers\nimport streamlit as st\nst.write(1)\n")
    (tmp_path / "helpers.py").write_text("import json\nimport streamlit as st\nst.title('x')\n")
    (tmp_path / "broken.py").write_text("import csv\ndef (\n")
    assert read_first_page([tmp_path / "page.py", tmp_path / "broken.py"], tmp_path) == FirstPage(
        modules=("json",), charts=False)


def test_an_import_inside_a_function_is_left_to_when_it_runs(tmp_path: Path) -> None:
    (tmp_path / "page.py").write_text(
        "import csv\nimport streamlit as st\n\n"
        "@st.fragment\ndef chart():\n    import json\n    st.line_chart([1, 2])\n"
    )
    assert read_first_page([tmp_path / "page.py"], tmp_path) == FirstPage(
        modules=("csv", "altair"), charts=True, built_in_charts=("line_chart",))


def test_a_vega_lite_spec_is_a_chart_without_altair(tmp_path: Path) -> None:
    (tmp_path / "page.py").write_text(
        "import streamlit as st\nst.vega_lite_chart({'mark': 'bar'}, use_container_width=True)\n")
    assert read_first_page([tmp_path / "page.py"], tmp_path) == FirstPage(modules=(), charts=True)
