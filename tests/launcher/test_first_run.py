"""The server pays its first page run's once-per-process costs before a page asks
(server/first_run.py, run by preimport.py's thread).

Each case runs in a fresh Python: what is paid once is paid once per process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from tests.support.launch import ROOT, inherited_environment

# The real server, warmed up as the launcher's is; then one page session over the real
# WebSocket, as the window's frontend opens it: what did its first script run still pay?
FIRST_SESSION = textwrap.dedent("""
    import gc, json, sys, threading, time
    from pathlib import Path

    import websocket
    from streamlit import env_util
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from desktop_shell.server.server import AppServer
    from desktop_shell.settings import Settings
    from tests.support.launch import ROOT, demo_app

    server = AppServer(Settings(app_script=ROOT / "app" / "streamlit_app.py",
                                manifest=demo_app(), log_file=Path(sys.argv[1]) / "log"))
    server.start()
    server.wait_ready(60)
    deadline = time.monotonic() + 60  # the warm-up thread: seen at its imports, then done
    while "altair" not in sys.modules and time.monotonic() < deadline:
        time.sleep(0.01)
    for thread in threading.enumerate():
        if thread.name == "early-imports":
            thread.join(60)

    collector = {"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}
    questions = []  # Streamlit's "am I in a Python REPL?" (inspect.stack(): slow at first)
    is_repl = env_util.is_repl
    env_util.is_repl = lambda: questions.append(1) or is_repl()
    before = set(sys.modules)
    stream = server.base_url.replace("http", "ws") + "/_stcore/stream"
    ws = websocket.create_connection(stream, header=[f"Cookie: {server.cookie}"],
                                     subprotocols=["streamlit"], timeout=30,
                                     suppress_origin=True)
    rerun = BackMsg()
    rerun.rerun_script.query_string = ""
    rerun.rerun_script.page_script_hash = ""
    ws.send_binary(rerun.SerializeToString())
    elements = []
    while True:
        message = ForwardMsg()
        message.ParseFromString(ws.recv())
        if message.WhichOneof("type") == "script_finished":
            break
        if message.WhichOneof("type") == "delta" and message.delta.WhichOneof("type") == "new_element":
            elements.append(message.delta.new_element.WhichOneof("type"))
    ws.close()
    print(json.dumps({"elements": elements, "repl_questions": len(questions),
                      "imported": sorted(set(sys.modules) - before), "collector": collector}))
    server.stop()
""")

# preimport.warm_up itself, with a page session started (argv[1] == "started") or not.
WARM_UP = textwrap.dedent("""
    import json, sys, threading
    from altair.utils.schemapi import SchemaBase
    from desktop_shell.server import built_in_charts, preimport

    built_in_charts.install()  # as the server does; Altair is wrapped at the first chart
    started = threading.Event()
    if sys.argv[1] == "started":
        started.set()
    page = preimport.FirstPage(modules=("numpy", "pandas", "altair"), charts=True,
                               built_in_charts=("line_chart",))
    preimport.warm_up(page, started)
    validate = SchemaBase.__dict__["validate"].__func__
    print(json.dumps({"chart_drawn": getattr(validate, "_desktop_shell", False),
                      "arrow_conversion": "pyarrow.pandas_compat" in sys.modules}))
""")

# What the chart path imports at its first use: pandas -> narwhals and pandas -> Arrow.
CHART_PATH = ("narwhals", "pyarrow", "altair", "pandas", "numpy", "jsonschema")


def run(code: str, *args: str) -> tuple[dict[str, Any], str]:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT,
                          env={**inherited_environment(), "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


@pytest.fixture(scope="module")
def first_session(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    return run(FIRST_SESSION, str(tmp_path_factory.mktemp("first-session")))


def test_the_first_session_finds_the_chart_path_warm(
    first_session: tuple[dict[str, Any], str],
) -> None:
    """Its script run draws the chart without importing the chart's conversions or asking
    the REPL question: the warm-up paid both, and logged no bare-mode warning."""
    result, stderr = first_session
    assert "vega_lite_chart" in result["elements"], result
    assert result["repl_questions"] == 0
    paid_now = [m for m in result["imported"] if m.split(".")[0] in CHART_PATH]
    assert paid_now == [], f"the first page run imported {paid_now}"
    assert "PIL.Image" not in result["imported"]  # the page icon's reader, imported early
    assert "missing ScriptRunContext" not in stderr


def test_the_collector_is_back_on_with_the_imports_out_of_its_reach(
    first_session: tuple[dict[str, Any], str],
) -> None:
    """preimport.py turns Python's cyclic collector off during the imports, then freezes
    what they made (pandas, numpy, Altair: ~190,000 objects) and turns it back on."""
    result, _ = first_session
    assert result["collector"]["enabled"] is True
    assert result["collector"]["frozen"] > 50_000, result["collector"]


def test_the_charts_are_drawn_early_unless_a_session_has_started() -> None:
    """A session that started during the imports draws its first chart itself: the same
    work done twice at once would only slow it."""
    alone, _ = run(WARM_UP, "alone")
    assert alone == {"chart_drawn": True, "arrow_conversion": True}
    behind, _ = run(WARM_UP, "started")
    assert behind["chart_drawn"] is False
