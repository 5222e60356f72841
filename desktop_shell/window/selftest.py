"""--self-test: open every page in the real window and check that it rendered.

The executables run this in CI, so it checks what a person would see on every page
the manifest lists: the page's title, its content, every chart drawn, and no
Streamlit error box.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop_shell.server.protocol import Server
from desktop_shell.settings import Settings

if TYPE_CHECKING:
    import webview

log = logging.getLogger(__name__)

# What the page shows, read in the page itself.
PROBE_JS = """
(() => {
  const q = (s) => Array.from(document.querySelectorAll(s));
  const charts = q('[data-testid="stVegaLiteChart"]');
  return {
    // Streamlit titles the document as the manifest titles the page (st.Page's title).
    title: document.title,
    // Elements the page's script has put in the main area.
    elements: q('[data-testid="stMain"] [data-testid="stElementContainer"]').length,
    charts: charts.length,
    // Charts Vega has drawn into: a mark (line, bar) with geometry, not just an empty <svg>.
    drawn: charts.filter((chart) =>
      Array.from(chart.querySelectorAll('g[class*="mark-"] path[d]'))
        .some((mark) => mark.getAttribute('d').length > 20)).length,
    // The error box's first line ("RuntimeError: message"), not its traceback.
    errors: q('[data-testid="stException"]').map((e) => e.innerText.trim().split('\\n')[0]),
    // Elements of a run still in progress: the page is not finished yet.
    stale: q('[data-stale="true"]').length,
    // "running" until the page's script has finished ("notRunning"); Streamlit's own
    // end-to-end tests wait on this attribute.
    script: document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state'),
  };
})()
"""


def page_state(probe: dict[str, Any] | None, title: str) -> str | None:
    """'ok', an error text, or None while the page is still rendering.

    Rendered: the page's script has finished, the document has the page's title, the
    main area shows something, every chart has been drawn (a chart with no data never
    is), and nothing is left from a run in progress.
    """
    if not probe:
        return None
    if probe.get("errors"):
        return "the page shows an error: " + " | ".join(probe["errors"])
    finished = probe.get("script") == "notRunning"
    shown = finished and probe.get("title") == title and probe.get("elements", 0) > 0
    if shown and probe.get("drawn") == probe.get("charts") and not probe.get("stale"):
        return "ok"
    return None


def make_check(
    settings: Settings, server: Server, report: Callable[[str], None]
) -> Callable[[webview.Window], bool]:
    def check(window: webview.Window) -> bool:
        deadline = time.monotonic() + settings.self_test_timeout
        for page in settings.manifest.pages:
            started = time.monotonic()
            window.load_url(server.url(page.url_path))
            state: str | None = None
            while state is None and time.monotonic() < deadline:
                if window.events.closing.is_set():
                    state = "the window was closed"
                    break
                time.sleep(0.2)
                try:
                    state = page_state(window.evaluate_js(PROBE_JS), page.title)
                except Exception as exc:  # noqa: BLE001 - the page may be between loads
                    log.debug("probe failed: %s", exc)
            if state != "ok":
                report(f"self-test: {page.url_path}: FAILED ({state or 'not rendered in time'})")
                return False
            report(f"self-test: {page.url_path}: ok ({time.monotonic() - started:.1f} s)")
        return True

    return check
