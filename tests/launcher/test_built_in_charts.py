"""Streamlit's built-in charts skip Altair's schema checks; people's own charts keep them
(server/built_in_charts.py).

Each case runs a page in a fresh Python (Streamlit's AppTest: the real script runner and
the real chart code), because install() changes the process for good. Altair's
`SchemaBase.validate` is counted there before install() wraps it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

RUN_PAGE = textwrap.dedent("""
    import json, sys
    from altair.utils.schemapi import SchemaBase
    from streamlit.testing.v1 import AppTest

    checks = []
    check = SchemaBase.__dict__["validate"].__func__

    def counted(cls, instance, schema=None):
        checks.append(cls.__name__)
        return check(cls, instance, schema)

    SchemaBase.validate = classmethod(counted)
    if sys.argv[1] == "installed":
        from desktop_shell.server import built_in_charts
        built_in_charts.install()
    at = AppTest.from_file(sys.argv[2], default_timeout=60).run()
    print(json.dumps({
        "specs": [json.loads(e.proto.spec) for e in at.main.children.values()
                  if e.type == "vega_lite_chart"],
        "checks": len(checks),
        "errors": [e.value for e in at.exception],
    }))
""")

BUILT_IN_CHARTS = textwrap.dedent("""
    import numpy as np, pandas as pd, streamlit as st

    df = pd.DataFrame({"A": np.arange(10), "B": np.arange(10) ** 2, "C": list("xy") * 5})
    st.line_chart(df, x="A", y="B", color="C")
    st.area_chart(df[["A", "B"]], x_label="time")
    st.bar_chart(df, x="C", y="B", horizontal=True)
    st.scatter_chart(df, x="A", y="B", size="B")
    st.line_chart(pd.DataFrame(np.zeros((4, 2)), columns=["A", "B"],
                               index=pd.date_range("2026-01-01", periods=4, freq="500ms")))
""")


def run_page(tmp_path: Path, page: str, mode: str) -> dict[str, Any]:
    script = tmp_path / "page.py"
    script.write_text(page, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", RUN_PAGE, mode, str(script)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_built_in_charts_send_the_same_spec_without_altairs_checks(tmp_path: Path) -> None:
    plain = run_page(tmp_path, BUILT_IN_CHARTS, "plain")
    installed = run_page(tmp_path, BUILT_IN_CHARTS, "installed")

    assert plain["errors"] == installed["errors"] == []
    assert len(plain["specs"]) == 5
    assert installed["specs"] == plain["specs"]
    assert plain["checks"] > 0, "Altair no longer checks specs: built_in_charts.py has no job"
    # The canary: Streamlit still builds its charts with vega_charts.generate_chart and
    # serializes them with vega_charts._convert_altair_to_vega_lite_spec, and Altair still
    # checks through SchemaBase.validate. If not, the checks come back (17 ms a chart).
    assert installed["checks"] == 0, (
        "Streamlit's built-in charts are checked again: see which of generate_chart, "
        "_convert_altair_to_vega_lite_spec (streamlit.elements.vega_charts) or "
        "SchemaBase.validate (altair.utils.schemapi) changed, and update built_in_charts.py"
    )


def test_a_chart_people_build_is_still_checked(tmp_path: Path) -> None:
    """Next to a built-in chart, in the same script run: the wrong encoding type is
    named, as without the launcher."""
    page = textwrap.dedent("""
        import altair as alt, pandas as pd, streamlit as st

        df = pd.DataFrame({"A": [1, 2, 3], "B": [3, 1, 2]})
        st.line_chart(df)
        st.altair_chart(alt.Chart(df).mark_line().encode(x=alt.X("A", type="sideways"), y="B"))
    """)
    installed = run_page(tmp_path, page, "installed")

    assert len(installed["specs"]) == 1  # the built-in chart, drawn
    assert installed["checks"] > 0
    assert any("sideways" in error for error in installed["errors"]), installed["errors"]
