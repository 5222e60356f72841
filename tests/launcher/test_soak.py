"""Soak: streaming at the fastest interval keeps memory flat and the chart at 100 rows.

`SOAK_SECONDS` sets the length (CI: 120 s; try 1800 for a manual run).

Two measures, because they see different leaks:

- **The app's own heaps**: what the launcher, Streamlit and the page allocate and still
  hold, sampled every second inside both of its processes, the window's and its forked
  server's (server_process.py), by a small module loaded at start (HEAP_SAMPLER, through
  sitecustomize, started at the fork): the C library's bytes in use (`mallinfo2`:
  allocated chunks plus large mmapped ones; Python's large objects, pandas and numpy
  buffers) and Python's small-object heap (`sys.getallocatedblocks`). Unlike PSS, it does
  not move with memory that is free but kept by the allocator, nor with QtWebEngine's
  in-process engine (Chromium's PartitionAlloc), which made PSS swing by ±60 MiB here.
- **The whole tree's PSS** (the app plus QtWebEngine's helpers: the renderer's V8 heap
  grows to ~1.1 GiB in the first 30 s, then wanders by ±100 MiB): only a gross leak.

Each is judged by its slope (least squares) after the first third of the run (warm-up),
in MiB per 0.5 s, the fastest interval. `test_the_soak_catches_a_leak_of_0_2_mib_per_rerun`
runs a copy of the app that keeps 0.2 MiB per rerun and checks that the same limits flag it.
"""

from __future__ import annotations

import os
import statistics
import textwrap
import time
from pathlib import Path

import pytest

from tests.support import procs
from tests.support.cdp import Page
from tests.support.launch import Launches, copy_of_the_app
from tests.support.probes import POINTS
from tests.support.window import open_app, wait_rendered

pytestmark = pytest.mark.slow

SECONDS = float(os.environ.get("SOAK_SECONDS", "120"))
RERUN = 0.5  # seconds between the fragment's reruns at the fastest interval, if it keeps up
# Slopes are in MiB per RERUN seconds. Under load the fragment reran about once a second,
# not twice: a leak of 0.2 MiB per rerun then grows the heap by ~0.1 MiB per 0.5 s
# (measured: +0.103), a leak-free app by +0.001. The limit sits between, with room on
# both sides: a 0.2 MiB leak fails as long as the fragment reruns at least every 5 s.
OWN_LIMIT_MIB_PER_RERUN = 0.02
# The tree's PSS wanders by ±100 MiB (the renderer's garbage collector): its slope over
# 80 s moved by up to 0.57 MiB per 0.5 s with no leak at all; it only catches gross leaks.
TREE_LIMIT_MIB_PER_RERUN = 1.0

HEAP_SAMPLER = '''
import ctypes, os, sys, threading, time

class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
        "uordblks", "fordblks", "keepcost")]

def _sample(path):
    mallinfo2 = ctypes.CDLL(None).mallinfo2
    mallinfo2.restype = _MallInfo2
    with open(path, "a", buffering=1) as out:
        while True:
            info = mallinfo2()
            out.write(f"{time.monotonic():.2f} {info.uordblks + info.hblkhd} "
                      f"{sys.getallocatedblocks()}\\n")
            time.sleep(1)

def _start(path):
    threading.Thread(target=_sample, args=(path,), name="soak-heap-sampler", daemon=True).start()

# Started once the window's process has forked its server (server_process.py), in both:
# a thread running before the fork would make the launcher refuse to fork.
_path = os.environ.pop("SOAK_HEAP_SAMPLES", "")
if _path:
    _forked = []
    def _after(suffix):
        if not _forked:
            _forked.append(suffix)
            _start(_path + suffix)
    os.register_at_fork(after_in_parent=lambda: _after(".window"),
                        after_in_child=lambda: _after(".server"))
'''

Samples = list[tuple[float, float]]  # (elapsed seconds, MiB)


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


def mib_per_interval(samples: Samples) -> float:
    """Growth per 0.5 s after the first third (warm-up): the least-squares slope, so a
    steady leak shows and a one-off step or a garbage collector's sawtooth hardly does."""
    kept = samples[len(samples) // 3 :]
    return statistics.linear_regression([t for t, _ in kept], [m for _, m in kept]).slope * RERUN


def heap_samples(path: Path, since: float, until: float) -> tuple[Samples, Samples]:
    """A process's malloc bytes in use and Python's allocated blocks (as MiB at 32 bytes a
    block, the smallest object's size class after a pointer), while it streamed; times
    are the system's monotonic clock, the same in every process."""
    malloc: Samples = []
    blocks: Samples = []
    for line in path.read_text().splitlines():
        when, in_use, count = line.split()
        if since <= float(when) <= until:
            malloc.append((float(when) - since, int(in_use) / 2**20))
            blocks.append((float(when) - since, int(count) * 32 / 2**20))
    return malloc, blocks


def start_streaming(page: Page) -> None:
    # The slider to its minimum (0.5 s) with the keyboard, as a person could: Home key.
    # Its component is a module of its own, which may arrive after the chart's (the
    # chart's is preloaded: server/chart_preload.py).
    slider = "document.querySelector('[data-testid=\"stSlider\"] input[type=\"range\"]')"
    page.wait_for(f"!!{slider}", 20)
    page.evaluate(f"{slider}.focus()")
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


def soak(home: Path, launched: Launches, name: str, capsys: pytest.CaptureFixture[str],
         cwd: Path | None = None) -> dict[str, float]:
    """Stream at the fastest interval for SECONDS; the slopes (MiB per 0.5 s) of the
    app's malloc heap, its Python blocks and the tree's PSS, and the chart's points."""
    sampler = home / "sampler"
    sampler.mkdir(parents=True)
    (sampler / "sitecustomize.py").write_text(HEAP_SAMPLER)
    heap_file = home / "heap"
    with open_app(
        [], home, launched, env={"PYTHONPATH": str(sampler), "SOAK_HEAP_SAMPLES": str(heap_file)},
        **({"cwd": cwd} if cwd else {}), exit_timeout=30,
    ) as (app, window, page):
        wait_rendered(page, "Data feed")
        start_streaming(page)

        tree: Samples = []
        points: set[int] = set()
        start = time.monotonic()
        while (elapsed := time.monotonic() - start) < SECONDS:
            pids = [app.process.pid, *procs.descendants(app.process.pid)]
            tree.append((elapsed, pss_kib(pids) / 1024))
            points.update(page.evaluate(POINTS))
            time.sleep(2)
    slopes = {"tree": mib_per_interval(tree), "points": float(points == {100})}
    with capsys.disabled():  # the figures belong in the CI log
        print(f"\nsoak{name} {SECONDS:.0f} s at {RERUN} s: tree PSS {tree[0][1]:.0f} -> "
              f"{tree[-1][1]:.0f} MiB ({slopes['tree']:+.3f} MiB/0.5 s); "
              f"points per series seen: {sorted(points)}")
        print("  tree PSS MiB:", [round(m) for _, m in tree[::2]])
        # The server (Streamlit, the page) and the window (pywebview, Qt) each keep a heap.
        for process in ("server", "window"):
            malloc, blocks = heap_samples(heap_file.with_suffix(f".{process}"), start, start + SECONDS)
            slopes[f"{process} malloc"] = mib_per_interval(malloc)
            slopes[f"{process} blocks"] = mib_per_interval(blocks)
            print(f"  the {process} process: malloc heap {malloc[0][1]:.0f} -> "
                  f"{malloc[-1][1]:.0f} MiB ({slopes[f'{process} malloc']:+.3f} MiB/0.5 s), "
                  f"Python blocks {blocks[0][1]:.0f} -> {blocks[-1][1]:.0f} MiB "
                  f"({slopes[f'{process} blocks']:+.3f}); malloc MiB:",
                  [round(m) for _, m in malloc[::4]])
    return slopes


@pytest.mark.timeout(SECONDS + 240)
def test_streaming_at_the_fastest_interval_keeps_memory_flat(
    home: Path, launched: Launches, capsys: pytest.CaptureFixture[str]
) -> None:
    slopes = soak(home, launched, "", capsys)
    assert slopes["points"], "the chart left its 100-row window"
    for process in ("server", "window"):
        assert slopes[f"{process} malloc"] < OWN_LIMIT_MIB_PER_RERUN, \
            f"the {process} process's heap grew while streaming"
        assert slopes[f"{process} blocks"] < OWN_LIMIT_MIB_PER_RERUN, \
            f"the {process} process's Python objects grew"
    assert slopes["tree"] < TREE_LIMIT_MIB_PER_RERUN, "the app's processes grew while streaming"


LEAK = """
import sys
_leak = sys.modules.setdefault("_soak_leak", type(sys)("_soak_leak"))
_leak.__dict__.setdefault("kept", []).append(bytearray(200 * 1024))  # 0.2 MiB a rerun
"""


@pytest.mark.timeout(SECONDS + 240)
def test_the_soak_catches_a_leak_of_0_2_mib_per_rerun(
    tmp_path: Path, home: Path, launched: Launches, capsys: pytest.CaptureFixture[str]
) -> None:
    """The limits above are not blind: a copy of the app whose fragment keeps 0.2 MiB per
    rerun fails them."""
    copy = copy_of_the_app(tmp_path)
    page_file = copy / "app" / "data_feed.py"
    text = page_file.read_text()
    marker = "    st.line_chart(st.session_state.data)\n"
    assert marker in text
    leak = textwrap.indent(LEAK.strip(), "    ") + "\n"
    page_file.write_text(text.replace(marker, marker + leak))
    slopes = soak(home, launched, " (a copy leaking 0.2 MiB per rerun)", capsys, cwd=copy)
    assert slopes["server malloc"] > OWN_LIMIT_MIB_PER_RERUN
