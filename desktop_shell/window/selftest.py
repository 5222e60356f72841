"""--self-test: open every page in the real window and check that it rendered.

The executables run this in CI, so it checks what a person would see on every page
the manifest lists: the page's title, its content, every chart drawn, and no
Streamlit error box.
"""

from __future__ import annotations

import logging
import threading
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


PROBE_WAIT = 5.0  # seconds a probe waits for the page's answer before asking again


class NoAnswer(Exception):
    """The page did not answer a probe in time: its renderer is busy or the answer was lost."""


def ask_page(window: webview.Window, script: str, wait: float) -> Any:
    """`window.evaluate_js(script)`, given up after `wait` seconds (NoAnswer).

    pywebview waits for a script's result without a timeout: its Qt backend on a
    semaphore that only QtWebEngine's answer releases, and WebView2's the same way
    (https://github.com/r0x0r/pywebview/issues/1746). A page whose script never yields,
    or an answer lost around a navigation, held the self-test for ever: a CI run killed
    it after 180 s with no line printed. So the call waits on a thread of its own; one
    left waiting is a daemon, released when the window closes (pywebview_fixes).
    """
    answered = threading.Event()
    outcome: dict[str, Any] = {}

    def evaluate() -> None:
        try:
            outcome["value"] = window.evaluate_js(script)
        except Exception as exc:  # noqa: BLE001 - handed to the caller's thread
            outcome["error"] = exc
        finally:
            answered.set()

    threading.Thread(target=evaluate, name="self-test probe", daemon=True).start()
    if not answered.wait(wait):
        raise NoAnswer(script)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def make_check(
    settings: Settings, server: Server, report: Callable[[str], None]
) -> Callable[[webview.Window], bool]:
    def check(window: webview.Window) -> bool:
        deadline = time.monotonic() + settings.self_test_timeout
        for page in settings.manifest.pages:
            started = time.monotonic()
            window.load_url(server.url(page.url_path))
            state = wait_until_rendered(window, page.title, deadline)
            if state != "ok":
                report(f"self-test: {page.url_path}: FAILED ({state})")
                return False
            report(f"self-test: {page.url_path}: ok ({time.monotonic() - started:.1f} s)")
        return True

    return check


def wait_until_rendered(window: webview.Window, title: str, deadline: float) -> str:
    """'ok', or why the page did not render before `deadline` (time.monotonic()).

    A probe that gets no answer is asked again: an answer lost once is no failure; a
    page that answers none until the deadline is.
    """
    silent_since: float | None = None
    while time.monotonic() < deadline:
        if window.events.closing.is_set():
            return "the window was closed"
        time.sleep(0.2)
        asked = time.monotonic()
        try:
            probe = ask_page(window, PROBE_JS, min(PROBE_WAIT, max(deadline - asked, 0.5)))
        except NoAnswer:
            waited = time.monotonic() - asked
            log.info("self-test: no answer from the page in %.1f s; asking again", waited)
            silent_since = silent_since or asked
            continue
        except Exception as exc:  # noqa: BLE001 - the page may be between loads
            log.debug("probe failed: %s", exc)
            continue
        silent_since = None
        state = page_state(probe, title)
        if state is not None:
            return state
    if silent_since is not None:
        silent = time.monotonic() - silent_since
        return f"the page has not answered for {silent:.0f} s: its script may be stuck"
    return "not rendered in time"
