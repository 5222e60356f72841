"""Watch one launch until its chart is drawn (its X window and its page), and close it
as a person does."""

from __future__ import annotations

import contextlib
import signal
import threading
import time

from bench.launching import Run, Started
from bench.processes import tree_of
from bench.settings import TIMEOUT, TITLE
from tests.support import cdp, procs, x11
from tests.support.probes import CHARTS_DRAWN, ERRORS, HEADINGS

# One expression per poll: where the page is and what it shows, and when its document's
# navigation started (performance.timeOrigin: ms since the epoch, the window's own request
# for the page, redirects included).
PAGE_STATE = (
    "({href: location.href, loading: !!document.getElementById('desktop-shell-loading'), "
    f"h1: {HEADINGS}, charts: {CHARTS_DRAWN}, errors: {ERRORS}, "
    "origin: performance.timeOrigin})"
)


class WindowWatch(threading.Thread):
    """Polls the X display (every 10 ms) for the launch's window: when it maps, paints and
    shows content, and, for the launcher (whose first window is a splash), when the app
    window itself shows content. Times go into `run.t`, in seconds after launch."""

    def __init__(self, started: Started, screen: x11.Screen, run: Run, deadline: float) -> None:
        super().__init__(name="bench-x11", daemon=True)
        self.started, self.screen, self.t, self.deadline = started, screen, run.t, deadline
        self.roots = [started.browser] if started.browser else started.roots
        # Only the launcher's variants open a splash first.
        self.first_only = not started.splash
        self.window: int | None = None
        self.error: BaseException | None = None
        self.stop = threading.Event()
        self.pids: set[int] = set()

    def stamp(self) -> float:
        return time.monotonic() - self.started.t0

    def run(self) -> None:
        try:
            last_tree = 0.0
            while not self.stop.is_set() and time.monotonic() < self.deadline:
                if time.monotonic() - last_tree > 0.2:  # the onefile's app process comes later
                    tree = tree_of([p.pid for p in self.roots])
                    self.started.seen.update(tree)
                    self.pids, last_tree = set(tree), time.monotonic()
                if self.window is None:
                    self.window = self.screen.window_of(self.pids)
                    if self.window is not None:
                        self.t["window"] = self.stamp()
                if self.window is not None and self.seen_enough(self.window):
                    return
                time.sleep(0.01)
        except BaseException as exc:  # noqa: BLE001 - re-raised by the main thread
            self.error = exc

    def seen_enough(self, window: int) -> bool:
        """Record what `window` shows; whether there is nothing left to wait for."""
        stamp = self.stamp()
        painted, content = self.screen.look(window)
        if painted and "painted" not in self.t:
            self.t["painted"] = stamp
        if content and "content" not in self.t:
            self.t["content"] = stamp
        if self.first_only:
            return content
        if "content" not in self.t:
            return False
        # The launcher's first window is a splash (the onefile's is the bootloader's, then
        # the app's): see when the app window itself has painted content (its loading
        # screen). (Larger than the splashes, 360x240: the window is 1280x800.)
        app_window = self.screen.window_of(self.pids, exclude=frozenset({window}), smallest=500)
        if app_window is not None and self.screen.look(app_window)[1]:
            self.t["app_window"] = self.stamp()
            return True
        return False


def read_page(page: cdp.Page, started: Started, run: Run) -> None:
    """One look at the page over DevTools: record the loading screen, the title, the chart."""
    t = run.t
    sent = time.monotonic()
    try:
        state = page.evaluate(PAGE_STATE) or {}
    except (cdp.CDPError, OSError):
        state = {}
    stamp = (sent + time.monotonic()) / 2 - started.t0
    if state.get("loading") and "loading_dom" not in t:
        t["loading_dom"] = stamp
    if TITLE in (state.get("h1") or []) and "title" not in t:
        t["title"] = stamp
    if state.get("errors"):
        raise RuntimeError(f"{run.variant}: the page shows an error")
    if "title" in t and (state.get("charts") or 0) >= 1 and "chart" not in t:
        t["chart"] = stamp
        if state.get("origin"):  # the same wall clock as t0_wall
            t["page_request"] = state["origin"] / 1000 - started.t0_wall
            run.values["page_to_chart"] = stamp - t["page_request"]


def connect(started: Started) -> cdp.Page | None:
    """The page over DevTools, once the browser has one."""
    try:
        targets = cdp.page_targets(started.debug_port)
    except OSError:
        return None
    return cdp.Page(targets[0]["webSocketDebuggerUrl"]) if targets else None


def observe(
    started: Started, screen: x11.Screen, run: Run, want_chart: bool
) -> tuple[int, cdp.Page]:
    """Poll the window (X, in a thread) and the page (CDP) until the chart is drawn.

    Two loops, so that a slow DevTools answer never delays seeing the window, and the
    other way round; each records the time of what it saw, in seconds after launch.
    """
    t = run.t
    watch = WindowWatch(started, screen, run, started.t0 + TIMEOUT)
    watch.start()
    page: cdp.Page | None = None
    try:
        while time.monotonic() < watch.deadline:
            if watch.error is not None:
                raise watch.error
            for root in started.roots:
                if root.poll() is not None:
                    raise RuntimeError(f"{run.variant}: exited {root.returncode} during start")
            page = page or connect(started)
            if page is not None:
                read_page(page, started, run)
            done = ("chart" in t) if want_chart else ("loading_dom" in t)
            seen_all = "content" in t and (watch.first_only or "app_window" in t)
            if done and seen_all and page is not None and watch.window is not None:
                return watch.window, page
            time.sleep(0.03)
        raise TimeoutError(f"{run.variant}: not rendered after {TIMEOUT} s (seen: {t})")
    except BaseException:
        if page is not None:
            with contextlib.suppress(Exception):
                page.close()
        raise
    finally:
        watch.stop.set()
        watch.join(5)


def close(started: Started, screen: x11.Screen, window: int, run: Run) -> None:
    """WM_DELETE_WINDOW as a user would (again every 2 s if ignored); time until all gone."""
    tree = started.pids()
    owner = started.browser or started.roots[0]
    log_file = started.app.log_file if started.app is not None else None

    def closing_seen() -> bool:
        """The close was taken: the app logs it, unmaps its window, or exits."""
        if owner.poll() is not None or not screen.mapped(window):
            return True
        return bool(log_file and log_file.exists() and "window closing" in log_file.read_text())

    # The window there now: the launcher's first window was its splash, gone by now.
    window = screen.window_of(set(tree)) or window
    t_close = time.monotonic()
    clicks = 0
    while clicks < 5:
        if clicks:
            # Qt may have replaced its X window meanwhile: send to the one there now.
            again = screen.window_of(set(tree))
            window = again if again is not None else window
        x11.close_window(window)
        t_last = time.monotonic()
        clicks += 1
        if started.server is not None and clicks == 1:
            # The baseline's server is stopped at once, in parallel with the browser's
            # close: the quickest a person (or a wrapper script) could do it.
            started.server.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and not closing_seen():
            time.sleep(0.02)
        if closing_seen():
            break
    left = procs.wait_gone(tree, 30)
    gone = time.monotonic() - t_close
    run.values["close_clicks"] = clicks
    run.values["left"] = len(left)
    if left:
        run.notes.append(f"left after 30 s: {left}")
    else:
        run.values["close"] = gone
        # From the message that took effect: without the 2 s a re-send costs.
        run.values["close_effective"] = t_close + gone - t_last
    for root in started.roots:
        with contextlib.suppress(Exception):
            root.wait(5)
    if started.app is not None and started.app.process.returncode is not None:
        run.values["exit_code"] = started.app.process.returncode
    if started.tmp is not None and started.tmp.exists():
        run.values["tmp_left"] = len(list(started.tmp.iterdir()))
