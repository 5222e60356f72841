"""Page 2, "Trigger a full-script rerun from inside a fragment".

Daily figures (left) live in a fragment: picking another day of the same
month reruns only that fragment. Picking a day in another month calls
``st.rerun()`` from inside the fragment, so the monthly figures (right) are
redrawn too.
"""

import time
from datetime import date

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
from sales_data import (
    FIRST_DAY,
    LAST_DAY,
    best_ten,
    is_new_month,
    make_sales_data,
    month_start,
    sales_for_month,
    worst_ten,
)

# Readable, fixed number format for every sales figure.
SALES_FORMAT = "%.2f"


@st.cache_data
def get_data() -> pd.DataFrame:
    """Generate random sales data for Widget A through Widget Z"""
    return make_sales_data(np.random.default_rng())


def slow_down() -> None:
    # The tutorial's deliberate delay: with it, a viewer sees which part of the
    # page greys out (reruns) and which does not. Off in tests.
    if st.session_state.get("slow_down", True):
        time.sleep(1)


def ranking_chart(products: pd.Series) -> alt.Chart:
    """Horizontal bars, one per product, in the order given (best or worst first)."""
    frame = products.rename("Sales").rename_axis("Product").reset_index()
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("Sales:Q", title="Sales"),
            # sort=None keeps the ranking order instead of sorting the names.
            y=alt.Y("Product:N", sort=None, title=None),
            tooltip=["Product", alt.Tooltip("Sales:Q", format=",.2f")],
        )
        # Vega centres each value label on its tick, so a tick near the end
        # of the axis pokes out of the chart and was cut off: leave room.
        .properties(padding={"right": 16})
    )


def show_ten(products: pd.Series) -> None:
    """A best/worst-ten table beside its bar chart."""
    # The seed's st.columns([1, 4]) left the table too narrow to show product
    # names and values. In a horizontal container the table takes the width
    # its content needs and the chart gets the rest, at any window size.
    with st.container(horizontal=True, wrap=False):
        st.dataframe(
            products.rename("Sales"),
            column_config={
                "_index": st.column_config.TextColumn("Product"),
                "Sales": st.column_config.NumberColumn(format=SALES_FORMAT),
            },
            width="content",
        )
        # Horizontal bars leave room for every product name (st.bar_chart's
        # upright bars dropped every other one in a column this narrow).
        st.altair_chart(ranking_chart(products), width="stretch", height="stretch")


@st.fragment
def show_daily_sales(data: pd.DataFrame) -> None:
    slow_down()
    with st.container(height=100):
        selected_date = st.date_input(
            "Pick a day",
            value=FIRST_DAY,
            min_value=FIRST_DAY,
            max_value=LAST_DAY,
            key="selected_date",
            # Keep the picked day when the user visits the other page and
            # comes back. By default Streamlit drops the widget's state on a
            # page switch: the picker came back at January 1 while
            # previous_date still held the old pick, so the first run back
            # saw a "new month" and rerun the whole app for nothing.
            persist_state="session",
        )

    if "previous_date" not in st.session_state:
        st.session_state.previous_date = selected_date
    previous_date = st.session_state.previous_date
    st.session_state.previous_date = selected_date
    if is_new_month(selected_date, previous_date):
        # The monthly figures outside this fragment are out of date: rerun the
        # whole app (st.rerun's default scope).
        st.rerun()

    with st.container(height=510):
        st.header(f"Best sellers, {selected_date:%m/%d/%y}")
        top_ten = best_ten(data, selected_date)
        show_ten(top_ten)

    with st.container(height=510):
        st.header(f"Worst sellers, {selected_date:%m/%d/%y}")
        bottom_ten = worst_ten(data, selected_date)
        show_ten(bottom_ten)


def show_monthly_sales(data: pd.DataFrame) -> None:
    slow_down()
    selected_date: date = st.session_state.selected_date
    this_month = month_start(selected_date)

    # Same height as the date picker's container, so both columns line up.
    st.container(height=100, border=False)

    with st.container(height=510):
        st.header(f"Daily sales for all products, {this_month:%B %Y}")
        monthly_sales = sales_for_month(data, selected_date)
        st.dataframe(
            monthly_sales,
            column_config={
                "_index": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
                **{
                    name: st.column_config.NumberColumn(format=SALES_FORMAT)
                    for name in monthly_sales.columns
                },
            },
            height="stretch",  # fill the fixed-height container below the header
        )

    with st.container(height=510):
        st.header(f"Total sales for all products, {this_month:%B %Y}")
        st.bar_chart(
            monthly_sales.sum().rename("Sales"),
            x_label="",
            y_label="Sales",
            height="stretch",
        )


st.set_page_config(layout="wide")

st.sidebar.toggle(
    "Slow down (1 s) to show what reruns",
    value=True,
    key="slow_down",
    persist_state="session",
)

data = get_data()

st.title("Daily vs monthly sales, by product")
st.markdown("This app shows the 2023 daily sales for Widget A through Widget Z.")

daily, monthly = st.columns(2)
with daily:
    show_daily_sales(data)
with monthly:
    show_monthly_sales(data)
