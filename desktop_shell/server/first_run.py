"""What the server's first script run pays once, paid before the page asks.

With the page's imports done (preimport.py), the server's first session still took
~0.2 s from its script run's start to the chart where later sessions take ~0.07 s
(the "Data feed" page, one server in one interpreter, bytecode cache). What it paid once
per process:

- Streamlit's first element asks whether it runs in a Python REPL, to print a hint
  (delta_generator._maybe_print_use_warning -> env_util.is_repl -> inspect.stack()).
  inspect maps the file of every module loaded so far to find the stack's modules:
  0.05-0.13 s, ~1,400 realpath() calls. A server is never a REPL: the question is marked
  asked, as Streamlit marks it after asking (one private name: test_upstream_canaries.py).
- the first built-in chart: Altair's schema check wrapped (built_in_charts.py), the
  pandas -> narwhals and pandas -> Arrow conversions imported (narwhals._pandas_like,
  pyarrow.pandas_compat) and Altair's first chart built: ~0.04 s.
- the page icon read with Pillow, which Streamlit imports then (preimport.py imports it).

The charts are drawn once here, outside any session, in the thread that imports the
page's modules: in Streamlit's "bare mode" (an element made in a thread that has no
script-run context is built and dropped, as under `python page.py`:
delta_generator._enqueue sends nothing without one). No session, widget state or file is
involved; a step that fails is logged (debug) and left to the page, which meets it again
and shows its error. If a page's session has started by then (a slow machine: the
imports took longer than the window's load), it is left to draw its chart itself: the
same work done twice at once would only slow the one people wait for.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

from desktop_shell.server.gate import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)

# streamlit/delta_generator.py: set once the REPL question has been asked.
REPL_ASKED = "_use_warning_has_been_displayed"


class SessionWatch:
    """ASGI middleware (behind the secret gate): sets `started` at the first WebSocket
    handshake, a page's session starting."""

    def __init__(self, app: ASGIApp, started: threading.Event) -> None:
        self._app = app
        self._started = started

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            self._started.set()
        await self._app(scope, receive, send)


class _OtherThreads(logging.Filter):
    """Drops the records of one thread: Streamlit's "missing ScriptRunContext! This warning
    can be ignored when running in bare mode." at each of our bare-mode elements."""

    def __init__(self, thread_id: int) -> None:
        super().__init__()
        self._thread_id = thread_id

    def filter(self, record: logging.LogRecord) -> bool:
        return record.thread != self._thread_id


@contextlib.contextmanager
def _bare_mode() -> Iterator[None]:
    """Elements made in this thread, without the warning each would log; any error of
    theirs logged (debug), never raised: the page would meet it and show it."""
    from streamlit.runtime.scriptrunner_utils import script_run_context

    warnings = logging.getLogger(script_run_context.__name__)
    quiet = _OtherThreads(threading.get_ident())
    warnings.addFilter(quiet)
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the page's own run reports it
        log.debug("first-run warm-up failed: %s: %s", type(exc).__name__, exc)
    finally:
        warnings.removeFilter(quiet)


def skip_the_repl_question() -> None:
    """Mark Streamlit's once-per-process REPL question asked (see above)."""
    from streamlit import delta_generator

    if hasattr(delta_generator, REPL_ASKED):  # else the page asks it: the canary says so
        setattr(delta_generator, REPL_ASKED, True)


def built_in_charts(names: tuple[str, ...]) -> None:
    """Draw each built-in chart (st.line_chart...) once, from a two-row time series: the
    page's first chart then finds Altair wrapped and its conversions imported."""
    if not names:
        return
    import numpy as np
    import pandas as pd
    import streamlit as st

    # The common shape of a chart's data: numbers over a datetime index.
    data = pd.DataFrame(np.zeros((2, 2)), columns=["a", "b"],
                        index=pd.date_range("2026-01-01", periods=2, freq="s"))
    for name in names:
        with _bare_mode():
            getattr(st, name)(data)
