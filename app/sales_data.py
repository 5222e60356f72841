"""Random 2023 sales for Widget A..Z and the date arithmetic of the sales page.

No Streamlit here, so the data and the month rules can be tested on their own.
"""

from __future__ import annotations

import string
from datetime import date

import numpy as np
import pandas as pd

YEAR = 2023
FIRST_DAY = date(YEAR, 1, 1)
LAST_DAY = date(YEAR, 12, 31)
PRODUCT_NAMES = ["Widget " + letter for letter in string.ascii_uppercase]


def make_sales_data(rng: np.random.Generator | int | None = None) -> pd.DataFrame:
    """Return random daily sales: one row per day of 2023, one column per product.

    The index holds ``datetime.date`` values (no time part), so rows can be
    looked up with the date the date picker returns.
    """
    rng = np.random.default_rng(rng)
    average_daily_sales = rng.normal(1_000, 300, len(PRODUCT_NAMES))
    sales_dates = pd.date_range(FIRST_DAY, LAST_DAY, freq="D").date
    # Each product's daily sales scatter around its own average. Built as one
    # 2-D array: adding 26 columns one by one fragments the frame.
    values = rng.normal(average_daily_sales, 300, (len(sales_dates), len(PRODUCT_NAMES)))
    return pd.DataFrame(
        values.round(2),
        index=pd.Index(sales_dates, dtype="object"),
        columns=PRODUCT_NAMES,
    )


def month_start(day: date) -> date:
    """First day of ``day``'s month."""
    return day.replace(day=1)


def next_month(day: date) -> date:
    """First day of the month after ``day``'s (December rolls over to January)."""
    if day.month == 12:
        return date(day.year + 1, 1, 1)
    return date(day.year, day.month + 1, 1)


def is_new_month(selected_date: date, previous_date: date) -> bool:
    """Whether two picks fall in different months (and so need a full rerun)."""
    return month_start(selected_date) != month_start(previous_date)


def sales_for_month(data: pd.DataFrame, day: date) -> pd.DataFrame:
    """The rows of ``data`` for every day of ``day``'s month."""
    in_month = (data.index >= month_start(day)) & (data.index < next_month(day))
    return data[in_month]


def best_ten(data: pd.DataFrame, day: date) -> pd.Series:
    """The ten best-selling products on ``day``, best first."""
    return data.loc[day].sort_values(ascending=False).head(10)


def worst_ten(data: pd.DataFrame, day: date) -> pd.Series:
    """The ten worst-selling products on ``day``, worst first."""
    return data.loc[day].sort_values().head(10)
