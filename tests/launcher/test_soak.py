"""Soak: streaming at the fastest interval keeps memory flat and the chart at 100 rows.

`SOAK_SECONDS` sets the length (CI: 120 s; try 1800 for a manual run).
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import pytest

from tests.support import procs
from tests.support.launch import Launched
from tests.support.window import close_like_a_user, open_app, wait_rendered

SECONDS = float(os.environ.get("SOAK_SECONDS", "120"))
# Points in each series' line: Vega draws a line as "M x,y" then one "L x,y" per point.
POINTS = (
    "Array.from(document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] "
    "g[class*=\"mark-line\"] path[d]')).map((p) => p.getAttribute('d').split('L').length)"
)


def pss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass  # a helper process that ended
    return total


@pytest.mark.timeout(SECONDS + 240)
def test_streaming_at_the_fastest_interval_keeps_memory_flat(
    home: Path, launched: list[Launched], capsys: pytest.CaptureFixture[str]
) -> None:
    app, window, page = open_app([], home, launched)
    wait_rendered(page, "Data feed")
    # The slider to its minimum (0.5 s) with the keyboard, as a person could: Home key.
    page.evaluate("document.querySelector('[data-testid=\"stSlider\"] input[type=\"range\"]').focus()")
    page.call("Input.dispatchKeyEvent", type="keyDown", key="Home", code="Home",
              windowsVirtualKeyCode=36)
    page.call("Input.dispatchKeyEvent", type="keyUp", key="Home", code="Home",
              windowsVirtualKeyCode=36)
    page.wait_for(
        "document.querySelector('[data-testid=\"stSliderThumbValue\"]').innerText.trim()",
        20, lambda value: value == "0.50",
    )
    page.evaluate(
        "Array.from(document.querySelectorAll('button')).find((b) => "
        "b.innerText.trim() === 'Start streaming').click()"
    )
    page.wait_for(POINTS, 30, lambda counts: bool(counts) and set(counts) == {100})

    samples: list[tuple[float, int, list[int]]] = []
    python_pss: list[int] = []  # the app's own process: server, Streamlit, Qt's main thread
    start = time.monotonic()
    while (elapsed := time.monotonic() - start) < SECONDS:
        tree = [app.process.pid, *procs.descendants(app.process.pid)]
        samples.append((elapsed, pss_kib(tree), page.evaluate(POINTS)))
        python_pss.append(pss_kib([app.process.pid]))
        time.sleep(5)
    page.close()
    close_like_a_user(app, window)
    assert app.wait(30) == 0

    # Compare the last third of the run with the second third (the first is warm-up).
    third = max(1, len(samples) // 3)
    early = statistics.median(s[1] for s in samples[third : 2 * third])
    late = statistics.median(s[1] for s in samples[-third:])
    growth = (late - early) / early
    points = {n for s in samples for n in s[2]}
    with capsys.disabled():  # the figures belong in the CI log
        print(f"soak {SECONDS:.0f} s at 0.5 s: {len(samples)} samples, PSS {early / 1024:.0f} MiB -> "
              f"{late / 1024:.0f} MiB ({growth:+.1%}); the app process alone "
              f"{python_pss[third] / 1024:.0f} -> {python_pss[-1] / 1024:.0f} MiB; "
              f"points per series seen: {sorted(points)}")
        print("PSS MiB over time (tree):", [round(s[1] / 1024) for s in samples])
    assert points == {100}, "the chart left its 100-row window"
    assert growth < 0.10, "memory grew while streaming"
