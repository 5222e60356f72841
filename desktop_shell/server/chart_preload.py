"""Let the window fetch and compile Streamlit's chart code while the first script runs.

Streamlit's frontend loads the code that draws charts (Vega, ~1 MB in ~25 modules) only
once the first chart arrives over the WebSocket, then fetches, compiles and runs it: the
last ~0.4 s before the chart is drawn (bench/, CDP Network timeline). Listed as
`<link rel="modulepreload">` in the page's index.html (server/index_page.py adds them), it
is fetched and compiled while the script runs instead. The chunk is found in the installed
frontend at start (its file names carry a content hash that changes with every Streamlit
release), so this works from a checkout, a wheel and a PyInstaller build alike; if it is
not found, no links are added.

Measured (bench/run.py --alt, 5 interleaved launches each, load 0.8-1.6): together with
preimport.py the chart is drawn at 2.21 s instead of 2.57 s; either one alone gains under
0.1 s, as the other then stays on the path to the chart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

# The frontend's module that renders st.line_chart, st.altair_chart...: its name (before
# the content hash) is the React component's (frontend/lib/src/components/elements/
# ArrowVegaLiteChart/). A canary test checks the installed Streamlit still has it.
CHART_MODULE = "ArrowVegaLiteChart.*.js"
_STATIC_IMPORT = re.compile(rb'(?:from|import)\s*"\./([\w.\-]+\.js)"')
_PRELOADED = re.compile(rb'<link rel="modulepreload"[^>]*href="\./static/js/([\w.\-]+\.js)"')


def chart_modules(static_dir: Path) -> list[str]:
    """The chart module and every module it imports statically, less what index.html
    already preloads, in the order found (the chart module first); [] if there is none."""
    js = static_dir / "static" / "js"
    found = sorted(js.glob(CHART_MODULE))
    if not found:
        return []
    try:
        already = set(_PRELOADED.findall((static_dir / "index.html").read_bytes()))
    except OSError:
        return []
    order: list[str] = []
    pending = [found[0].name]
    while pending:
        name = pending.pop(0)
        if name in order:
            continue
        order.append(name)
        try:
            code = (js / name).read_bytes()
        except OSError:
            continue
        pending += [m.decode() for m in _STATIC_IMPORT.findall(code) if m not in already]
    # index.*.js is the entry module: always loaded already, though not "preloaded".
    return [name for name in order if name.encode() not in already and not name.startswith("index.")]


def links(modules: Iterable[str]) -> bytes:
    return b"".join(
        b'<link rel="modulepreload" crossorigin href="./static/js/%s">' % name.encode()
        for name in modules
    )
