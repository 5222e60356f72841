"""Random two-series data feed for the "Data feed" page (no Streamlit here).

Kept apart from the page so the timing rules (0.5 s samples, 60 s cap,
100-row window) can be tested with a fixed clock and a seeded generator.
"""

from __future__ import annotations

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


def get_recent_data(
    last_timestamp: datetime,
    now: datetime | None = None,
    rng: np.random.Generator | None = None,
) -> pd.DataFrame:
    """Generate and return data from last timestamp to now, at most 60 seconds.

    Samples sit on the 0.5 s grid that starts at ``last_timestamp`` (so a feed
    extended call after call has no gaps or duplicates) and include ``now``
    itself if it falls on the grid: ``get_recent_data(now - 60 s, now)`` gives
    exactly 120 rows.
    """
    now = datetime.now() if now is None else now
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
