"""Import the first page's heavy modules while the window loads Streamlit's frontend.

The first script run would import them itself (pandas, numpy, Altair: ~0.4 s here with a
bytecode cache, bench/), after the frontend has loaded and connected, on the path to the
first chart. Imported once the server answers, they load while the window fetches and
compiles the frontend (~0.6 s during which this process mostly waits). The page's own
`import` then finds them in sys.modules; Python's per-module import locks make a page
that asks while one is half-imported wait for it, not import it twice.

Only modules from outside the app folder are imported early: the app's own modules may
call Streamlit at import time, which only works inside a script run. (Measured with
chart_preload.py: see there.) The same thread then pays what the first script run pays
once besides its imports (first_run.py).
"""

from __future__ import annotations

import ast
import contextlib
import gc
import importlib
import logging
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop_shell.server import first_run

log = logging.getLogger(__name__)

# Streamlit's built-in charts draw with Altair, which Streamlit imports only when the
# first one is made (streamlit/elements/lib/built_in_chart_utils.py).
BUILT_IN_CHARTS = frozenset({"line_chart", "area_chart", "bar_chart", "scatter_chart"})
ALTAIR_CHARTS = BUILT_IN_CHARTS | {"altair_chart"}
# Every chart that the frontend draws with its Vega-Lite module (chart_preload.py).
VEGA_LITE_CHARTS = ALTAIR_CHARTS | {"vega_lite_chart"}
ALREADY_LOADED = frozenset({"streamlit", "__future__"})
# Streamlit reads an image (a page icon that is a file, st.image, st.logo) with Pillow,
# imported at the first (streamlit/elements/lib/image_utils.py, image_to_url): ~15 ms.
# The entry script's page icon is the app's icon file. (An emoji icon needs no Pillow:
# then this import is done for nothing, in the background.)
IMAGE_CALLS = frozenset({"set_page_config", "image", "logo"})


def _imports_and_calls(tree: ast.AST) -> tuple[list[str], set[str]]:
    """Top-level names of the modules `tree` imports as it runs (absolute imports outside
    functions: one inside a function may never run), and the attribute names it uses
    anywhere (st.line_chart -> "line_chart", in a fragment's function too)."""
    modules: list[str] = []
    attributes: set[str] = set()
    pending: list[tuple[ast.AST, bool]] = [(tree, False)]
    while pending:
        node, in_function = pending.pop()
        if isinstance(node, ast.Import) and not in_function:
            modules += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and not in_function:
            modules.append(node.module.split(".")[0])
        elif isinstance(node, ast.Attribute):
            attributes.add(node.attr)
        inside = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        pending += [(child, inside) for child in reversed(list(ast.iter_child_nodes(node)))]
    return modules, attributes


@dataclass(frozen=True)
class FirstPage:
    """What the first page needs before its first script run can draw."""

    modules: tuple[str, ...]  # from outside the app folder, in the order first seen
    charts: bool  # it draws a Vega-Lite chart: built-in, Altair or a spec of its own
    built_in_charts: tuple[str, ...] = ()  # st.line_chart...: "line_chart", sorted


def read_first_page(scripts: list[Path], app_folder: Path) -> FirstPage:
    """The modules from outside `app_folder` that `scripts` import, directly or through the
    app's own modules beside them; Altair among them if one draws a built-in chart."""
    found: list[str] = []
    seen_local: set[str] = set()
    pending = list(scripts)
    calls: set[str] = set()
    while pending:
        script = pending.pop(0)
        try:
            tree = ast.parse(script.read_bytes(), filename=str(script))
        except (OSError, SyntaxError, ValueError):
            continue  # the script run reports it, with Streamlit's own error screen
        modules, attributes = _imports_and_calls(tree)
        calls |= attributes
        for name in modules:
            local = app_folder / f"{name}.py"
            if local.is_file() or (app_folder / name / "__init__.py").is_file():
                if name not in seen_local:
                    seen_local.add(name)
                    pending.append(local if local.is_file() else app_folder / name / "__init__.py")
            elif name not in found and name not in ALREADY_LOADED:
                found.append(name)
    if calls & ALTAIR_CHARTS and "altair" not in found:
        found.append("altair")
    if calls & IMAGE_CALLS:
        found.append("PIL.Image")
    return FirstPage(modules=tuple(found), charts=bool(calls & VEGA_LITE_CHARTS),
                     built_in_charts=tuple(sorted(calls & BUILT_IN_CHARTS)))


def import_all(names: list[str]) -> None:
    """Import each module; one that fails is left to the page, which shows its error."""
    started = time.perf_counter()
    loaded = []
    for name in names:
        if name in sys.modules:
            continue
        try:
            importlib.import_module(name)
            loaded.append(name)
        except Exception as exc:  # noqa: BLE001 - the page's own import reports it
            log.debug("early import of %s failed: %s: %s", name, type(exc).__name__, exc)
    log.info("imported %s early in %.2f s", ", ".join(loaded) or "nothing",
             time.perf_counter() - started)


@contextlib.contextmanager
def no_collection_then_freeze() -> Iterator[None]:
    """Python's cyclic collector off while the page's modules load (and the first chart
    imports its own), then what they made moved out of its reach (gc.freeze).

    Imports make ~190,000 objects that live as long as the process, and little garbage
    (~1,500 objects): the collector ran ~200 times during pandas, numpy and Altair's
    imports, twice over everything loaded, for ~20 % of their time (0.16-0.22 s of
    0.77 s under load). Frozen, those objects are never scanned again: the full
    collections that would follow (~0.1 s each here) scan only what the sessions make.
    Process-wide, so other threads do not collect either meanwhile: under a second.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def warm_up(page: FirstPage, session_started: threading.Event) -> None:
    """Pay what the first script run of `page` would pay once (first_run.py): its imports,
    then its charts unless a session has started to draw them itself."""
    try:
        first_run.skip_the_repl_question()
        with no_collection_then_freeze():
            import_all(list(page.modules))
            if not page.built_in_charts:
                return
            if session_started.is_set():
                log.info("a session started during the imports: it draws its first chart itself")
                return
            started = time.perf_counter()
            first_run.built_in_charts(page.built_in_charts)
            log.info("drew %s once in the background in %.2f s",
                     ", ".join(page.built_in_charts), time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - never fail the server: the page pays it instead
        log.debug("the warm-up stopped: %s: %s", type(exc).__name__, exc)


def start(page: FirstPage, session_started: threading.Event) -> threading.Thread:
    """Warm up for `page` in a daemon thread; return it (started). `session_started` is
    set when a page's session starts (first_run.SessionWatch)."""
    thread = threading.Thread(target=warm_up, args=(page, session_started),
                              name="early-imports", daemon=True)
    thread.start()
    return thread
