"""Which modules the server imports early for the first page (server/preimport.py)."""

from __future__ import annotations

from pathlib import Path

from desktop_shell.server.preimport import modules_for
from tests.support.launch import ROOT


def test_the_data_feed_page_needs_numpy_pandas_and_altair() -> None:
    app = ROOT / "app"
    found = modules_for([app / "streamlit_app.py", app / "data_feed.py"], app)
    # numpy and pandas through feed_data.py beside it; Altair for st.line_chart.
    assert [m for m in found if m in ("numpy", "pandas", "altair")] == ["numpy", "pandas", "altair"]
    assert "feed_data" not in found and "streamlit" not in found


def test_the_apps_own_modules_are_left_to_the_page(tmp_path: Path) -> None:
    """They may call Streamlit as they are imported, which only works in a script run."""
    (tmp_path / "page.py").write_text("import helpers\nimport streamlit as st\nst.write(1)\n")
    (tmp_path / "helpers.py").write_text("import json\nimport streamlit as st\nst.title('x')\n")
    (tmp_path / "broken.py").write_text("import csv\ndef (\n")
    assert modules_for([tmp_path / "page.py", tmp_path / "broken.py"], tmp_path) == ["json"]


def test_an_import_inside_a_function_is_left_to_when_it_runs(tmp_path: Path) -> None:
    (tmp_path / "page.py").write_text(
        "import csv\nimport streamlit as st\n\n"
        "@st.fragment\ndef chart():\n    import json\n    st.line_chart([1, 2])\n"
    )
    assert modules_for([tmp_path / "page.py"], tmp_path) == ["csv", "altair"]
