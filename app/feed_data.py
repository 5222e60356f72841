"""Random two-series data feed for the "Data feed" page (no Streamlit here).

Kept apart from the page so the timing rules (0.5 s samples, 60 s cap,
100-row window) can be tested with a fixed clock and a seeded generator.

The feed's clock does not step when the wall clock does (the end of daylight saving
time, an NTP correction, a person setting the time): with `datetime.now()`, a clock
set back an hour made no new sample for an hour, and one set forward made a 60 s
burst. `clock` reads the wall clock once, then moves on with a monotonic clock, so
samples keep coming at the set rate; the chart's times are the wall clock's as of the
app's start.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

SAMPLE_TIME = timedelta(seconds=0.5)  # time between data points
MAX_GAP = timedelta(seconds=60)  # never generate more than this much new data
WINDOW_ROWS = 100  # rows kept while streaming
COLUMNS = ["A", "B"]

# One generator for the whole process: the feed is noise, it only has to differ
# from call to call. Tests pass their own seeded generator.
_rng = np.random.default_rng()


def _elapsed() -> float:
    """Seconds on a clock that never steps; on Linux it also counts a suspend
    (CLOCK_BOOTTIME), so the chart's times stay right after a laptop sleeps."""
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    return time.clock_gettime(boottime) if boottime is not None else time.monotonic()


class SteadyClock:
    """Wall-clock time that never steps: the wall clock when first read, advanced by a
    monotonic clock since. Both clocks can be injected (tests)."""

    def __init__(
        self,
        wall: Callable[[], datetime] = datetime.now,
        elapsed: Callable[[], float] = _elapsed,
    ) -> None:
        self._wall = wall
        self._elapsed = elapsed
        self._anchor: tuple[datetime, float] | None = None

    def __call__(self) -> datetime:
        if self._anchor is None:
            self._anchor = (self._wall(), self._elapsed())
        wall, start = self._anchor
        return wall + timedelta(seconds=self._elapsed() - start)


# The feed's clock, shared by every session of the process.
clock = SteadyClock()


def get_recent_data(
    last_timestamp: datetime,
    now: datetime | None = None,
    rng: np.random.Generator | None = None,
) -> pd.DataFrame:
    """Generate and return data from last timestamp to now, at most 60 seconds.

    Samples sit on the 0.5 s grid that starts at ``last_timestamp`` (so a feed
    extended call after call has no gaps or duplicates) and include ``now``
    itself if it falls on the grid: ``get_recent_data(now - 60 s, now)`` gives
    exactly 120 rows. ``now`` defaults to the feed's ``clock()``.
    """
    now = clock() if now is None else now
    rng = _rng if rng is None else rng
    last_timestamp = pd.Timestamp(last_timestamp).to_pydatetime()
    if now - last_timestamp > MAX_GAP:
        # After a long pause only the last minute matters; this bounds the work.
        last_timestamp = now - MAX_GAP
    n_samples = max(0, (now - last_timestamp) // SAMPLE_TIME)
    timestamps = pd.date_range(
        last_timestamp + SAMPLE_TIME, periods=n_samples, freq=SAMPLE_TIME
    )
    sample_values = rng.standard_normal((n_samples, len(COLUMNS)))
    return pd.DataFrame(sample_values, index=timestamps, columns=COLUMNS)


def append_recent(
    data: pd.DataFrame, new_data: pd.DataFrame, max_rows: int = WINDOW_ROWS
) -> pd.DataFrame:
    """Append ``new_data`` to ``data`` and keep only the last ``max_rows`` rows."""
    if not new_data.empty:
        # Skipping empty frames avoids pandas' changing rules on how an empty
        # frame's dtypes take part in a concat.
        data = pd.concat([data, new_data])
    return data.iloc[-max_rows:]
