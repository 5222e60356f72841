"""Unit tests of the data feed's data functions (no Streamlit involved)."""

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from feed_data import COLUMNS, WINDOW_ROWS, SteadyClock, append_recent, clock, get_recent_data

NOW = datetime(2024, 5, 17, 12, 0, 0)
HALF_SECOND = timedelta(seconds=0.5)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(42)


def test_first_load_is_last_60_seconds_at_half_second_spacing(rng):
    data = get_recent_data(NOW - timedelta(seconds=60), now=NOW, rng=rng)

    assert len(data) == 120
    assert list(data.columns) == COLUMNS
    assert isinstance(data.index, pd.DatetimeIndex)
    assert (data.index.to_series().diff().dropna() == HALF_SECOND).all()
    assert data.index[0] == NOW - timedelta(seconds=59.5)
    assert data.index[-1] == NOW
    assert data.dtypes.tolist() == [np.float64, np.float64]
    assert not data.isna().any().any()


def test_new_samples_continue_the_grid_of_the_last_timestamp(rng):
    last = NOW - timedelta(seconds=1.75)
    data = get_recent_data(last, now=NOW, rng=rng)

    # 1.75 s after `last` there are three whole 0.5 s steps; all are <= now.
    assert list(data.index) == [last + HALF_SECOND * i for i in (1, 2, 3)]


def test_long_pause_is_capped_at_60_seconds(rng):
    data = get_recent_data(NOW - timedelta(hours=3), now=NOW, rng=rng)

    assert len(data) == 120
    assert data.index[0] >= NOW - timedelta(seconds=60)
    assert data.index[-1] <= NOW
    assert data.index[-1] - data.index[0] < timedelta(seconds=60)


def test_no_new_rows_when_called_twice_quickly(rng):
    first = get_recent_data(NOW - timedelta(seconds=60), now=NOW, rng=rng)
    again = get_recent_data(first.index[-1], now=NOW + timedelta(seconds=0.3), rng=rng)

    assert again.empty
    assert list(again.columns) == COLUMNS
    assert append_recent(first, again).equals(first.iloc[-WINDOW_ROWS:])


def test_last_timestamp_as_pandas_timestamp_is_accepted(rng):
    # The page passes data.index[-1], a pandas Timestamp, not a datetime.
    last = pd.Timestamp(NOW - timedelta(seconds=2))
    data = get_recent_data(last, now=NOW, rng=rng)
    assert len(data) == 4


def test_default_clock_is_now():
    before = clock()
    data = get_recent_data(before - timedelta(seconds=10))
    after = clock()

    assert 19 <= len(data) <= 20 + int((after - before) / HALF_SECOND)
    assert data.index[-1] <= after


def test_seeded_generator_gives_reproducible_values():
    one = get_recent_data(NOW - timedelta(seconds=5), now=NOW, rng=np.random.default_rng(7))
    two = get_recent_data(NOW - timedelta(seconds=5), now=NOW, rng=np.random.default_rng(7))
    pd.testing.assert_frame_equal(one, two)


def test_append_keeps_the_last_100_rows(rng):
    data = get_recent_data(NOW - timedelta(seconds=60), now=NOW, rng=rng)
    later = NOW + timedelta(seconds=5)
    new = get_recent_data(data.index[-1], now=later, rng=rng)

    combined = append_recent(data, new)

    assert len(new) == 10
    assert len(combined) == WINDOW_ROWS == 100
    assert combined.index[-1] == later
    pd.testing.assert_frame_equal(combined.iloc[-10:], new, check_freq=False)
    assert combined.index.is_monotonic_increasing
    assert combined.index.is_unique


def test_append_to_a_short_frame_keeps_everything(rng):
    data = get_recent_data(NOW - timedelta(seconds=5), now=NOW, rng=rng)
    new = get_recent_data(data.index[-1], now=NOW + timedelta(seconds=5), rng=rng)

    assert len(append_recent(data, new)) == 20
    assert len(append_recent(data, new, max_rows=15)) == 15


class Clocks:
    """A wall clock a test can step, and a monotonic clock that only moves forward."""

    def __init__(self) -> None:
        self.wall_now = NOW
        self.elapsed = 1000.0

    def wall(self) -> datetime:
        return self.wall_now

    def monotonic(self) -> float:
        return self.elapsed

    def tick(self, seconds: float) -> None:
        self.wall_now += timedelta(seconds=seconds)
        self.elapsed += seconds


def stream(feed_clock: SteadyClock, clocks: Clocks, rng, runs: int, step_at: int,
           step: timedelta, every: float = 1.0) -> tuple[pd.DataFrame, list[int]]:
    """The page's fragment, run every `every` s, with the wall clock stepped by `step`
    before run `step_at`: the data it ends with, and how many rows each run added."""
    data = get_recent_data(feed_clock() - timedelta(seconds=60), now=feed_clock(), rng=rng)
    added = []
    for run in range(runs):
        if run == step_at:
            clocks.wall_now += step
        clocks.tick(every)
        new = get_recent_data(data.index[-1], now=feed_clock(), rng=rng)
        added.append(len(new))
        data = append_recent(data, new)
    return data, added


@pytest.mark.parametrize("step", [timedelta(hours=-1), timedelta(hours=1), timedelta(days=-400),
                                  timedelta(seconds=-0.7)])
def test_samples_keep_their_rate_when_the_wall_clock_steps(rng, step):
    clocks = Clocks()
    feed_clock = SteadyClock(wall=clocks.wall, elapsed=clocks.monotonic)
    data, added = stream(feed_clock, clocks, rng, runs=40, step_at=10, step=step)

    assert added == [2] * 40  # 1 s between runs, a sample every 0.5 s: no freeze, no burst
    assert len(data) == WINDOW_ROWS
    assert data.index.is_monotonic_increasing and data.index.is_unique
    assert (data.index.to_series().diff().dropna() == HALF_SECOND).all()
    # The chart's times are the wall clock's as of the first reading, moved on steadily.
    assert data.index[-1] == NOW + timedelta(seconds=40)


def test_the_steady_clock_reads_the_wall_clock_once_then_moves_with_the_monotonic_one():
    clocks = Clocks()
    feed_clock = SteadyClock(wall=clocks.wall, elapsed=clocks.monotonic)
    assert feed_clock() == NOW
    clocks.wall_now -= timedelta(hours=1)  # set back
    clocks.elapsed += 2.5
    assert feed_clock() == NOW + timedelta(seconds=2.5)
    clocks.wall_now += timedelta(hours=3)
    assert feed_clock() == NOW + timedelta(seconds=2.5)


def test_the_naive_wall_clock_would_freeze_for_the_hour_it_was_set_back(rng):
    # What the steady clock fixes: the same stream on the wall clock itself makes no
    # sample for the hour after the clock goes back (and 120 at once after a jump forward).
    clocks = Clocks()
    _, back = stream(clocks.wall, clocks, rng, runs=20, step_at=10, step=timedelta(hours=-1))
    assert back[:10] == [2] * 10 and back[10:] == [0] * 10
    _, forward = stream(clocks.wall, clocks, rng, runs=12, step_at=10, step=timedelta(hours=1))
    assert forward[10] == 120
