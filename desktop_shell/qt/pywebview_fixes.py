"""Work-arounds for pywebview's Qt backend (Linux) that keep a closing window from hanging or crashing.

Each one touches a private name of pywebview; tests/launcher/test_upstream_canaries.py
fails, naming the change, when an upgrade renames one.
"""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import webview

    from desktop_shell.process.stop_signals import StopSignals


def attach(window: webview.Window) -> None:
    """Hook the close-time fixes to the window (Qt backend only)."""
    if not sys.platform.startswith("linux"):
        return
    window.events.before_show += _forgive_late_results
    window.events.closing += release_pending_js
    window.events.closed += _release_page_waits


def keep_signal_handler(window: webview.Window, stop: StopSignals) -> None:
    """Keep our SIGINT handler when pywebview's Qt backend starts its event loop.

    pywebview installs its own (webview/platforms/qt.py, create_window: `_app.quit()`)
    just before it creates the window and starts QtWebEngine, ~0.5 s during which a
    Ctrl+C would quit an event loop that is not running yet: lost. It looks the
    handler up by its module-level name when it installs it, so that name is pointed
    at ours, from `initialized`: pywebview fires it once it has imported its backend,
    before create_window. (Not by importing the backend earlier: it reads the profile's
    storage path from webview.start's arguments at import.)
    """
    if not sys.platform.startswith("linux"):
        return

    def point_at_ours() -> None:
        from webview.platforms import qt as qt_platform

        qt_platform._sigint_handler = stop.handle

    window.events.initialized += point_at_ours


class _LateResults(dict):  # type: ignore[type-arg]
    """pywebview's pending JavaScript results, forgiving a result that comes too late.

    Once `release_pending_js` has let a waiting call return, that call deletes its
    entry; QtWebEngine may still deliver the result while the page closes, and
    pywebview's return_result then raised a KeyError (printed on the terminal, seen
    with a signal ~0.9 s into the start). Such a result now lands in a throwaway entry.
    """

    def __missing__(self, key: str) -> dict[str, Any]:
        return {"semaphore": threading.Semaphore(0), "result": None, "parse_json": False}


def _forgive_late_results(window: webview.Window) -> None:
    window.native._js_results = _LateResults(window.native._js_results)


def release_pending_js(window: webview.Window) -> None:
    """Wake threads still waiting for a JavaScript result from the closing page.

    pywebview's Qt backend waits for evaluate_js results without a timeout (its
    JS-bridge thread calls it at every page load); a page that closes first never
    answers, and that non-daemon thread then keeps the process from exiting. pywebview
    releases these waits on close for WinForms and GTK, not Qt:
    https://github.com/r0x0r/pywebview/pull/987
    """
    if window.native is None:
        return
    for pending in list(getattr(window.native, "_js_results", {}).values()):
        pending["semaphore"].release()


def _release_page_waits(window: webview.Window) -> None:
    """Once the window is gone, let pywebview's calls that wait for a page return.

    `load_url` clears pywebview's page events, and its calls wait up to 20 s for them;
    so does its own non-daemon thread that injects the JS bridge into the page before
    (util.generate_js_object). Closed before the app's page loaded, the events never
    came: the process outlived its window by 20 s and logged "Main window failed to
    start" (3 closes in 90 right after the load). Run from `closed`, when the window's
    instance is gone, so the released calls do nothing. The same 20 s wait, after a
    load that never completes: https://github.com/r0x0r/pywebview/pull/1808
    """
    window.events.before_load.set()  # pywebview registers no handlers on these two
    window.events._pywebviewready.set()
