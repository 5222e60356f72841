"""--self-test: open every page in the real window and check that it rendered.

The executables run this in CI, so it checks what a person would see: the page's
title heading, at least one chart drawn, and no Streamlit error box.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .server import AppServer
from .settings import PAGE_TITLES, Settings

if TYPE_CHECKING:
    import webview

log = logging.getLogger(__name__)

# What the page shows, read in the page itself.
PROBE_JS = """
(() => {
  const q = (s) => Array.from(document.querySelectorAll(s));
  return {
    headings: q('h1').map((h) => h.innerText.trim()),
    // Charts Vega has drawn into: a mark (line, bar) with geometry, not just an empty <svg>.
    charts: q('[data-testid="stVegaLiteChart"]').filter((chart) =>
      Array.from(chart.querySelectorAll('g[class*="mark-"] path[d]'))
        .some((mark) => mark.getAttribute('d').length > 20)).length,
    // The error box's first line ("RuntimeError: message"), not its traceback.
    errors: q('[data-testid="stException"]').map((e) => e.innerText.trim().split('\\n')[0]),
    // Elements of a run still in progress: the page is not finished yet.
    stale: q('[data-stale="true"]').length,
  };
})()
"""


def page_state(probe: dict[str, Any] | None, title: str) -> str | None:
    """'ok', an error text, or None while the page is still rendering."""
    if not probe:
        return None
    if probe.get("errors"):
        return "the page shows an error: " + " | ".join(probe["errors"])
    if title in probe.get("headings", []) and probe.get("charts", 0) > 0 and not probe.get("stale"):
        return "ok"
    return None


def make_check(
    settings: Settings, server: AppServer, report: Callable[[str], None]
) -> Callable[[webview.Window], bool]:
    def check(window: webview.Window) -> bool:
        deadline = time.monotonic() + settings.self_test_timeout
        for page, title in PAGE_TITLES.items():
            started = time.monotonic()
            window.load_url(server.url(page))
            state: str | None = None
            while state is None and time.monotonic() < deadline:
                if window.events.closing.is_set():
                    state = "the window was closed"
                    break
                time.sleep(0.2)
                try:
                    state = page_state(window.evaluate_js(PROBE_JS), title)
                except Exception as exc:  # noqa: BLE001 - the page may be between loads
                    log.debug("probe failed: %s", exc)
            if state != "ok":
                report(f"self-test: {page}: FAILED ({state or 'not rendered in time'})")
                return False
            report(f"self-test: {page}: ok ({time.monotonic() - started:.1f} s)")
        return True

    return check
