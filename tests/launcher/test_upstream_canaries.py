"""Canaries: every private name of pywebview, Streamlit and uvicorn the launcher touches.

Each test fails, naming the upstream change and what it would bring back, when an
upgrade renames or reshapes one. pyproject.toml bounds pywebview and Streamlit so an
upgrade is a decision; these tests say what to check when making it.

pywebview's Qt backend is read from its source (ast), not imported: importing it loads
QtWebEngine into the test process, which must happen before any QApplication exists.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
from pathlib import Path

import pytest

from desktop_shell.server.server import streamlit_options
from desktop_shell.settings import Settings
from tests.support.launch import demo_app


def _source_tree(module: str) -> ast.Module:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin, f"{module} is gone"
    return ast.parse(Path(spec.origin).read_text(encoding="utf-8"))


def _function(tree: ast.AST, name: str) -> ast.FunctionDef:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise AssertionError(f"no function {name}")


def _class(tree: ast.Module, name: str) -> ast.ClassDef:
    found = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name]
    assert found, f"no class {name}"
    return found[0]


def _text(node: ast.AST) -> str:
    return ast.unparse(node)


# -- pywebview ---------------------------------------------------------------------------

QT_BACKEND = "webview.platforms.qt"


def test_pywebview_keeps_pending_js_results_in_browserview_js_results() -> None:
    """pywebview_fixes.release_pending_js and _LateResults use BrowserView._js_results."""
    view = _class(_source_tree(QT_BACKEND), "BrowserView")
    init, evaluate, on_evaluate = (
        _text(_function(view, name)) for name in ("__init__", "evaluate_js", "on_evaluate_js")
    )
    message = (
        "pywebview changed how its Qt backend waits for evaluate_js results "
        "(BrowserView._js_results, entries with 'semaphore', 'result', 'parse_json'): "
        "check pywebview_fixes.release_pending_js (else closing during a load hangs the "
        "exit, pywebview PR #987) and _LateResults (else a KeyError on the terminal)"
    )
    assert "self._js_results = {}" in init, message
    for key in ("semaphore", "result", "parse_json"):
        assert f"'{key}'" in evaluate, message
    # return_result looks the entry up with [] (what _LateResults.__missing__ answers).
    assert "self._js_results[uuid_]" in on_evaluate, message
    assert "semaphore'].release()" in on_evaluate, message


def test_pywebview_still_waits_for_a_js_result_without_a_timeout() -> None:
    """selftest.ask_page waits for evaluate_js on a thread of its own, because pywebview's
    wait has no timeout (r0x0r/pywebview#1746). When it gets one, ask_page can go."""
    evaluate = _function(_class(_source_tree(QT_BACKEND), "BrowserView"), "evaluate_js")
    waits = [
        node for node in ast.walk(evaluate)
        if isinstance(node, ast.Call) and _text(node.func).endswith("semaphore.acquire")
    ]
    assert waits, "pywebview's Qt evaluate_js no longer waits on a semaphore: read it again"
    assert all(not w.args and not w.keywords for w in waits), (
        "pywebview's evaluate_js now waits with a timeout: selftest.ask_page's own thread "
        "may no longer be needed"
    )


def test_pywebview_installs_its_sigint_handler_by_module_name() -> None:
    """pywebview_fixes.keep_signal_handler points webview.platforms.qt._sigint_handler at ours."""
    tree = _source_tree(QT_BACKEND)
    names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    create = _text(_function(tree, "create_window"))
    message = (
        "pywebview's Qt backend no longer installs `_sigint_handler` by its module-level "
        "name in create_window: check pywebview_fixes.keep_signal_handler, else a Ctrl+C "
        "while QtWebEngine starts is lost again (tests/launcher/test_signals.py)"
    )
    assert "_sigint_handler" in names, message
    assert "signal.signal(signal.SIGINT, _sigint_handler)" in create, message
    # keep_signal_handler points the name at ours from `initialized`: pywebview must fire
    # it after importing the backend, before create_window.
    start = _text(_function(_source_tree("webview"), "start"))
    initialize = _text(_function(_class(_source_tree("webview.window"), "Window"), "_initialize"))
    order = "pywebview no longer fires events.initialized between importing its backend and create_window"
    assert "self.events.initialized.set(" in initialize, order
    assert start.index("initialize(gui)") < start.index("window._initialize(") < start.index(
        "guilib.create_window(windows[0])"
    ), order


def test_pywebview_events_have_pywebviewready_and_synchronous_before_show() -> None:
    """pywebview_fixes._release_page_waits sets events._pywebviewready; window.py and the
    features rely on before_show and closing running synchronously on the GUI thread."""
    import webview
    from webview.event import Event

    window = webview.create_window("canary", html="<p>canary</p>")
    assert window is not None
    try:
        ready = getattr(window.events, "_pywebviewready", None)
        assert isinstance(ready, Event), (
            "pywebview renamed events._pywebviewready: check pywebview_fixes._release_page_waits, "
            "else a window closed before its page loaded keeps the process 20 s (pywebview PR #1808)"
        )
        for name in ("before_show", "closing"):
            event = getattr(window.events, name)
            assert getattr(event, "_should_lock", False) is True, (
                f"pywebview now runs events.{name} handlers on a thread of their own: Qt may "
                "only be touched on the GUI thread (window.py, downloads.py, theme.py)"
            )
        for attribute in ("hidden", "maximized"):  # set in WindowApp.before_show
            assert hasattr(window, attribute), f"pywebview's Window has no `{attribute}` any more"
    finally:
        webview.windows.remove(window)


def test_pywebview_qt_closes_and_shows_as_window_py_expects() -> None:
    """WindowApp.before_show hides a window a signal came for: pywebview must read
    `hidden` after before_show, when it shows the window."""
    create = _text(_function(_source_tree(QT_BACKEND), "create_window"))
    assert "window.hidden" in create and create.index("BrowserView(window)") < create.index(
        "window.hidden"
    ), "pywebview's Qt backend no longer reads Window.hidden after making the BrowserView"


# -- Streamlit -----------------------------------------------------------------------------


def test_streamlit_config_has_main_script_path() -> None:
    """server.py sets streamlit.config._main_script_path, as `streamlit run` does."""
    from streamlit import config

    assert "_main_script_path" in vars(config), (
        "Streamlit's config module no longer has _main_script_path (set by `streamlit run` "
        "in streamlit/web/cli.py): check server.AppServer._make_uvicorn, else the app's "
        ".streamlit/config.toml beside its entry script is not read"
    )


def test_streamlit_runtime_is_a_singleton_in_runtime_instance() -> None:
    """server._forget_runtime clears Runtime._instance so a later server can start."""
    from streamlit.runtime.runtime import Runtime

    assert "_instance" in vars(Runtime), (
        "Streamlit's Runtime no longer keeps its singleton in Runtime._instance: check "
        "server._forget_runtime, else a second AppServer in one process (the browser "
        "fallback, tests) fails with 'Runtime instance already exists!'"
    )
    assert "Runtime._instance is not None" in inspect.getsource(Runtime.__init__)


def test_streamlit_gives_its_uvicorn_settings() -> None:
    """server.py starts uvicorn itself, with the settings `streamlit run` would use."""
    import uvicorn
    from streamlit.web.server.starlette import starlette_server

    function = getattr(starlette_server, "_get_uvicorn_config_kwargs", None)
    assert callable(function), (
        "Streamlit removed starlette_server._get_uvicorn_config_kwargs: check "
        "server.AppServer._make_uvicorn (WebSocket limits, TLS options of `streamlit run`)"
    )
    kwargs = function()
    assert isinstance(kwargs, dict)
    kwargs.update(log_config=None, lifespan="on", timeout_graceful_shutdown=2)
    uvicorn.Config(app=lambda *_: None, **kwargs)  # uvicorn still takes every one


def test_streamlit_loads_its_chart_code_from_the_module_chart_preload_names() -> None:
    """chart_preload.py preloads the frontend module that draws st.line_chart and its imports."""
    from streamlit import file_util

    from desktop_shell.server import chart_preload

    static = Path(file_util.get_static_dir())
    modules = chart_preload.chart_modules(static)
    assert modules and modules[0].startswith("ArrowVegaLiteChart."), (
        f"Streamlit's frontend has no {chart_preload.CHART_MODULE} any more: find the module "
        "that draws Vega-Lite charts and name it in chart_preload.CHART_MODULE"
    )
    vega = [m for m in modules if b"vega" in (static / "static" / "js" / m).read_bytes()]
    assert len(vega) >= 2, f"none of {modules} brings Vega's code any more"


def test_streamlit_asks_the_repl_question_once_behind_the_flag_first_run_sets() -> None:
    """first_run.py marks Streamlit's "am I in a Python REPL?" question asked, so the first
    page run skips its inspect.stack() (0.05-0.13 s)."""
    from desktop_shell.server.first_run import REPL_ASKED

    tree = _source_tree("streamlit.delta_generator")
    check = _text(_function(tree, "_maybe_print_use_warning"))
    assert f"if not {REPL_ASKED}:" in check and "is_repl()" in check, (
        f"Streamlit no longer asks env_util.is_repl() behind delta_generator.{REPL_ASKED}: "
        "find the new flag and name it in first_run.REPL_ASKED, else the server's first "
        "page run pays inspect.stack() again"
    )


def test_streamlit_draws_what_the_loading_overlay_watches_for() -> None:
    """loading_overlay.py removes the loading screen once Streamlit's frontend shows one of
    these test ids or state attributes: each must still be in the frontend's code (else the
    loading screen stays until its guard, GUARD_SECONDS)."""
    from streamlit import file_util

    from desktop_shell.server import loading_overlay

    js = Path(file_util.get_static_dir()) / "static" / "js"
    code = "".join(p.read_text("utf-8", "replace") for p in js.glob("index.*.js"))
    missing = []
    for selector in (*loading_overlay.DRAWN, loading_overlay.ELEMENT, loading_overlay.SKELETON):
        attribute, value = re.fullmatch(r'\[([\w-]+)="([^"]+)"\]', selector).groups()  # type: ignore[union-attr]
        if attribute == "role":
            continue  # ARIA's, not Streamlit's own
        wanted = [value] if attribute == "data-testid" else [attribute, value]
        missing += [f"{selector} ({w})" for w in wanted if w not in code]
    assert not missing, (
        f"Streamlit's frontend no longer has {missing}: find what it draws first now and "
        "name it in server/loading_overlay.py"
    )


def test_every_streamlit_option_the_launcher_sets_exists(tmp_path: Path) -> None:
    from streamlit import config

    options = config.get_config_options()
    settings = Settings(app_script=tmp_path / "app.py", manifest=demo_app(), log_file=tmp_path / "log")
    unknown = [key for key in streamlit_options(settings, 8501) if key not in options]
    assert not unknown, f"Streamlit dropped these options server.streamlit_options sets: {unknown}"


@pytest.mark.parametrize("distribution", ["pywebview", "streamlit"])
def test_pyproject_bounds_the_upgrade(distribution: str) -> None:
    """An upgrade past the bound is a decision: run these canaries when making it."""
    import tomllib

    from tests.support.launch import ROOT

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    spec = next(d for d in pyproject["project"]["dependencies"] if d.startswith(distribution))
    assert "<" in spec or "==" in spec, f"{distribution} has no upper bound: {spec}"
