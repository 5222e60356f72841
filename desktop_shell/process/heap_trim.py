"""Give the C heap's free pages back to the system once the start-up's garbage is freed.

glibc's malloc keeps what a process frees in its arenas: it returns only a heap's free
top to the system, once that top is larger than M_TRIM_THRESHOLD, so memory freed in
the middle of a heap stays resident (and counted in PSS). malloc_trim(0) also releases
every whole free page inside the heaps (madvise(MADV_DONTNEED), glibc >= 2.8):
https://man7.org/linux/man-pages/man3/malloc_trim.3.html

The start-up frees a lot in the middle of the heaps: the server's imports and its first
page run (pandas, pyarrow, Altair), the window's page load (QtWebEngine's browser side
receives the frontend's ~10 MB of JavaScript). Measured in the process itself, right
before and after the call, with the page open (issue 12, 2-core VM under Xvfb):
- the server's forked child (server_process.py): Private_Dirty 135-138 -> 116-118 MiB
  (-18 to -19 MiB), the call taking 8-130 ms; a trim as the server first answered
  gave back only 8 MiB, as the imports and the first page run come after it;
- the window's process: Private_Dirty 92-93 -> 86-87 MiB (-6 to -7 MiB), 13-36 ms; a
  trim right as the page was asked for gave back nothing, one in the first quiet
  second of its load as much as one 4 s later.
gc.collect() before it freed nothing more (the garbage is already freed, not cyclic).

Once per process, at the first quiet moment after a `ready` condition: trimming again
while the app streams would give pages back that malloc faults in again a second later,
for CPU. Elsewhere (macOS, Windows, musl) there is no malloc_trim: nothing is done.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

# A poll interval is quiet when the whole process (every thread, Qt's and Chromium's
# too) used less than this share of one core in it. Idle, the server child uses 1-3 %
# and the window's process 0-4 %; the page's load and first run 20-100 %.
QUIET_SHARE = 0.1
# Quiet for this long: a shorter lull comes in the page's load, while the renderer
# compiles the frontend and the window's process waits (0.5-0.75 s in the timelines),
# and a trim there cost the cold chart ~0.1 s in a bench A/B (5 launches).
QUIET_SECONDS = 1.0


def malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc (musl has none)
        return None


class TrimWhenQuiet:
    """Calls malloc_trim(0) once: at the first `poll` that ends `quiet_seconds` of quiet
    intervals, all begun after `ready()` was true. Poll it every fraction of a second."""

    def __init__(self, name: str, ready: Callable[[], bool] = lambda: True,
                 trim: Callable[[int], int] | None = None,
                 quiet_seconds: float = QUIET_SECONDS) -> None:
        self._name = name  # for the log: which process
        self._ready = ready
        self._trim = trim if trim is not None else malloc_trim()
        self._quiet_seconds = quiet_seconds
        self._last: tuple[float, float] | None = None  # (wall, cpu) at the last poll, once ready
        self._quiet_from = 0.0  # wall time since which every interval was quiet
        self.done = self._trim is None

    def poll(self) -> None:
        if self.done:
            return
        wall, cpu = time.monotonic(), time.process_time()
        if self._last is None:
            if self._ready():
                self._last, self._quiet_from = (wall, cpu), wall
            return
        (wall_then, cpu_then), self._last = self._last, (wall, cpu)
        if wall <= wall_then or (cpu - cpu_then) / (wall - wall_then) >= QUIET_SHARE:
            self._quiet_from = wall  # busy: the quiet stretch starts again
            return
        if wall - self._quiet_from < self._quiet_seconds:
            return
        self.done = True
        assert self._trim is not None
        released = self._trim(0)
        log.info("%s process: freed heap given back to the system (malloc_trim: %s, %.0f ms)",
                 self._name, "some" if released else "none", (time.monotonic() - wall) * 1000)
