"""Stream the data feed at both intervals and measure it: CPU, memory (its plateau), redraws."""

from __future__ import annotations

import json
import statistics
import time

from bench.launching import Run, Started
from bench.processes import measure_cpu
from bench.settings import PLATEAU_SECONDS, PSS_EVERY
from tests.support import cdp
from tests.support.probes import LINE_PATHS

START_BUTTON = "Start streaming"
STOP_BUTTON = "Stop streaming"
SLIDER_INPUT = '[data-testid="stSlider"] input[type="range"]'


def set_slider(page: cdp.Page) -> float | None:
    """Move the interval slider to its minimum (0.5 s) as a keyboard user would: Home.

    Streamlit 1.67's slider is a native <input type=range> (react-aria); a real key
    event (CDP Input.dispatchKeyEvent) moves it and commits the value to the server.
    """
    focused = page.evaluate(
        f"(() => {{ const t = document.querySelector('{SLIDER_INPUT}'); if (!t) return null;"
        " t.focus(); return Number(t.value); })()"
    )
    if focused is None:
        return None
    keys = {"key": "Home", "code": "Home", "windowsVirtualKeyCode": 36}
    page.call("Input.dispatchKeyEvent", type="rawKeyDown", **keys)
    page.call("Input.dispatchKeyEvent", type="keyUp", **keys)
    time.sleep(1.5)  # the value goes to the server, which reruns the page
    return page.evaluate(f"Number(document.querySelector('{SLIDER_INPUT}').value)")


# Counts, in the page, how often the line chart's path changes (sampled at 10 Hz):
# proof that the fragment streams, and at which rate.
COUNT_REDRAWS = """(() => {
  if (window.__benchTimer) clearInterval(window.__benchTimer);
  window.__benchRedraws = 0; let last = null;
  window.__benchTimer = setInterval(() => {
    const p = document.querySelector('%s');
    const d = p ? p.getAttribute('d') : null;
    if (d !== null && last !== null && d !== last) window.__benchRedraws += 1;
    last = d;
  }, 100);
  return true; })()""" % LINE_PATHS


STOP_COUNTING = "(() => { clearInterval(window.__benchTimer); return window.__benchRedraws; })()"


def click_button(page: cdp.Page, label: str) -> bool:
    return bool(page.evaluate(
        "(() => { const b = Array.from(document.querySelectorAll('button'))"
        f".find((b) => b.innerText.trim() === {json.dumps(label)} && !b.disabled);"
        " if (!b) return false; b.click(); return true; })()"
    ))


def button_enabled(page: cdp.Page, label: str) -> bool:
    return bool(page.evaluate(
        "Array.from(document.querySelectorAll('button'))"
        f".some((b) => b.innerText.trim() === {json.dumps(label)} && !b.disabled)"
    ))


def plateau(samples: list[tuple[float, float]], seconds: float) -> float:
    """The memory plateau: the median of the PSS samples in the last PLATEAU_SECONDS of
    the run (the last half of a run shorter than twice that)."""
    since = seconds - min(PLATEAU_SECONDS, seconds / 2)
    return statistics.median(mib for t, mib in samples if t >= since)


def kind_plateaus(samples: list[tuple[float, dict[str, float]]], seconds: float
                  ) -> dict[str, float]:
    """The plateau of each process kind (a kind missing from a sample counts 0 there)."""
    kinds = {name for _, parts in samples for name in parts}
    return {name: plateau([(t, parts.get(name, 0.0)) for t, parts in samples], seconds)
            for name in kinds}


def stream(started: Started, page: cdp.Page, run: Run, seconds: float, fast_seconds: float,
           idle: float, xvfb_pid: int | None) -> None:
    """Idle, then streaming at the default 1 s for `seconds`, then at 0.5 s (slider at
    its minimum) for `fast_seconds`."""
    if idle > 0:
        idle_figures = measure_cpu(started.pids, idle, xvfb_pid)
        run.values["idle_cpu"] = idle_figures["cpu"]
        run.breakdown["CPU % idle, page open"] = idle_figures["by_kind"]
    if not click_button(page, START_BUTTON):
        run.notes.append("no Start streaming button")
        return
    time.sleep(2)
    if not button_enabled(page, STOP_BUTTON):
        run.notes.append("streaming did not start")
        return
    time.sleep(2)  # let the first fragment runs settle
    for interval, duration in ((1.0, seconds), (0.5, fast_seconds)):
        if duration <= 0:
            continue
        if interval == 0.5:
            value = set_slider(page)
            run.values["slider"] = value if value is not None else float("nan")
            if value is None or abs(value - 0.5) > 1e-6:
                run.notes.append(f"slider not at 0.5 (reads {value}): measured at that value")
            time.sleep(2)
        page.evaluate(COUNT_REDRAWS)
        figures = measure_cpu(started.pids, duration, xvfb_pid, PSS_EVERY)
        key = "1s" if interval == 1.0 else "05s"
        run.values[f"redraws_per_s_{key}"] = (page.evaluate(STOP_COUNTING) or 0) / duration
        run.values[f"stream_cpu_{key}"] = figures["cpu"]
        run.values[f"stream_pss_{key}"] = figures["pss_max"]
        run.values[f"stream_pss_start_{key}"] = figures["pss_samples"][0][1]
        run.values[f"stream_plateau_{key}"] = plateau(figures["pss_samples"], duration)
        run.values[f"stream_seconds_{key}"] = duration
        run.breakdown[f"CPU % streaming every {interval:g} s"] = figures["by_kind"]
        run.breakdown[f"PSS MiB at the end of streaming every {interval:g} s"] = (
            figures["pss_by_kind"])
        run.breakdown[f"PSS MiB plateau streaming every {interval:g} s"] = kind_plateaus(
            figures["pss_kind_samples"], duration)
        if "xvfb_cpu" in figures:
            run.values[f"stream_xvfb_cpu_{key}"] = figures["xvfb_cpu"]
    # Still streaming? (the page kept its fragment running all along)
    if not button_enabled(page, STOP_BUTTON):
        run.notes.append("streaming had stopped by the end")
    click_button(page, STOP_BUTTON)
    time.sleep(1.5)
