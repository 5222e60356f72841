"""Unit tests of the sales page's data functions (no Streamlit involved)."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from sales_data import (
    PRODUCT_NAMES,
    best_ten,
    is_new_month,
    make_sales_data,
    month_start,
    next_month,
    sales_for_month,
    worst_ten,
)


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return make_sales_data(2023)


def test_shape_and_columns(data):
    assert data.shape == (365, 26)
    assert list(data.columns) == [f"Widget {c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
    assert PRODUCT_NAMES == list(data.columns)
    assert all(dtype == np.float64 for dtype in data.dtypes)


def test_index_is_every_day_of_2023_as_plain_dates(data):
    assert data.index[0] == date(2023, 1, 1)
    assert data.index[-1] == date(2023, 12, 31)
    assert all(type(day) is date for day in data.index)  # not Timestamp/datetime
    assert data.index.is_unique and data.index.is_monotonic_increasing
    assert (pd.Series(data.index).diff().dropna() == pd.Timedelta(days=1)).all()


def test_values_are_rounded_to_cents(data):
    assert (data.round(2) == data).all().all()


def test_seed_makes_it_reproducible():
    pd.testing.assert_frame_equal(make_sales_data(1), make_sales_data(1))
    assert not make_sales_data(1).equals(make_sales_data(2))


def test_rows_can_be_looked_up_with_a_date(data):
    row = data.loc[date(2023, 7, 4)]
    assert row.shape == (26,)


@pytest.mark.parametrize(
    ("day", "start", "after"),
    [
        (date(2023, 1, 31), date(2023, 1, 1), date(2023, 2, 1)),
        (date(2023, 1, 1), date(2023, 1, 1), date(2023, 2, 1)),
        (date(2023, 2, 14), date(2023, 2, 1), date(2023, 3, 1)),
        (date(2023, 12, 1), date(2023, 12, 1), date(2024, 1, 1)),
        (date(2023, 12, 31), date(2023, 12, 1), date(2024, 1, 1)),
        (date(2024, 2, 29), date(2024, 2, 1), date(2024, 3, 1)),
    ],
)
def test_month_bounds(day, start, after):
    assert month_start(day) == start
    assert next_month(day) == after


@pytest.mark.parametrize(
    ("day", "days_in_month"),
    [
        (date(2023, 1, 10), 31),
        (date(2023, 2, 10), 28),  # 2023 is not a leap year
        (date(2023, 4, 30), 30),
        (date(2023, 12, 25), 31),  # ends at the end of the data, not past it
    ],
)
def test_sales_for_month_holds_every_day_of_the_month(data, day, days_in_month):
    month = sales_for_month(data, day)
    assert len(month) == days_in_month
    assert month.index[0] == month_start(day)
    assert all(d.month == day.month and d.year == day.year for d in month.index)


def test_leap_february_has_29_days():
    leap = pd.DataFrame(
        {"Widget A": 1.0},
        index=pd.Index(pd.date_range("2024-01-01", "2024-12-31").date, dtype="object"),
    )
    assert len(sales_for_month(leap, date(2024, 2, 10))) == 29
    assert (next_month(date(2024, 2, 29)) - month_start(date(2024, 2, 29))).days == 29


def test_new_month_detection():
    assert not is_new_month(date(2023, 1, 31), date(2023, 1, 1))
    assert is_new_month(date(2023, 2, 1), date(2023, 1, 31))
    assert is_new_month(date(2023, 1, 15), date(2023, 12, 15))


def test_best_and_worst_ten_ordering(data):
    day = date(2023, 3, 3)
    best, worst = best_ten(data, day), worst_ten(data, day)
    row = data.loc[day]

    assert len(best) == len(worst) == 10
    assert best.is_monotonic_decreasing
    assert worst.is_monotonic_increasing
    assert best.iloc[0] == row.max()
    assert worst.iloc[0] == row.min()
    assert list(best.index) == list(row.sort_values(ascending=False).index[:10])
    # 26 products: the two lists never share a product.
    assert not set(best.index) & set(worst.index)
    assert best.iloc[-1] > worst.iloc[-1]
