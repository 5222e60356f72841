"""Both pages through Streamlit's AppTest (scripts run in-process, no browser).

AppTest reruns the whole script on every interaction, so it cannot tell a
fragment rerun from a full one: that is proven in test_app_browser.py.
"""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ENTRY = Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py"
# Generous: the machine is shared and the first run imports pandas & co.
TIMEOUT = 30


def start() -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=TIMEOUT).run()
    assert not at.exception
    return at


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


def buttons(at: AppTest) -> dict[str, bool]:
    """Sidebar button label -> enabled."""
    return {b.label: not b.disabled for b in at.sidebar.button}


@pytest.fixture
def feed() -> AppTest:
    return start()


@pytest.fixture
def sales() -> AppTest:
    """The sales page with the demo slow-down switched off."""
    at = start()
    at.switch_page("sales.py").run()
    assert not at.exception
    assert at.toggle(key="slow_down").value is True  # the demo default
    at.toggle(key="slow_down").set_value(False).run()
    return at


# --- Data feed ---------------------------------------------------------------


def test_feed_initial_state(feed: AppTest):
    assert [t.value for t in feed.title] == ["Data feed"]
    data = feed.session_state["data"]
    assert len(data) == 120  # the last 60 s, one sample every 0.5 s
    assert list(data.columns) == ["A", "B"]
    assert feed.session_state["stream"] is False
    assert buttons(feed) == {"Start streaming": True, "Stop streaming": False}
    assert len(feed.get("vega_lite_chart")) == 1


def test_feed_slider_default_and_range(feed: AppTest):
    slider = feed.sidebar.slider(key="run_every")
    assert slider.label == "Check for updates every: (seconds)"
    assert slider.value == 1.0
    assert (slider.min, slider.max) == (0.5, 5.0)
    slider.set_value(2.5).run()
    assert feed.session_state["run_every"] == 2.5
    assert feed.sidebar.slider(key="run_every").value == 2.5


def test_feed_chart_is_static_until_streaming(feed: AppTest):
    initial = feed.session_state["data"].copy()
    # Full reruns that are not streaming (here: moving the slider) leave the
    # data alone; the seed appended on every rerun and cut it to 100 rows.
    feed.sidebar.slider(key="run_every").set_value(3.0).run()
    feed.run()
    pd.testing.assert_frame_equal(feed.session_state["data"], initial)


def test_feed_start_and_stop(feed: AppTest):
    feed.sidebar.button[0].click().run()  # Start streaming
    assert feed.session_state["stream"] is True
    assert buttons(feed) == {"Start streaming": False, "Stop streaming": True}
    streamed = feed.session_state["data"]
    assert len(streamed) == 100  # while streaming: the last 100 rows
    assert streamed.index.is_monotonic_increasing and streamed.index.is_unique

    feed.sidebar.button[1].click().run()  # Stop streaming
    assert feed.session_state["stream"] is False
    assert buttons(feed) == {"Start streaming": True, "Stop streaming": False}
    pd.testing.assert_frame_equal(feed.session_state["data"], streamed)


def test_navigation_keeps_feed_settings(feed: AppTest):
    feed.sidebar.slider(key="run_every").set_value(2.0).run()
    feed.sidebar.button[0].click().run()

    feed.switch_page("sales.py").run()
    assert [t.value for t in feed.title] == ["Daily vs monthly sales, by product"]
    assert not feed.sidebar.button  # the feed's sidebar widgets are gone

    feed.switch_page("data_feed.py").run()
    assert [t.value for t in feed.title] == ["Data feed"]
    assert feed.sidebar.slider(key="run_every").value == 2.0
    assert feed.session_state["stream"] is True
    assert buttons(feed) == {"Start streaming": False, "Stop streaming": True}
    assert not feed.exception


# --- Sales --------------------------------------------------------------------


def test_sales_initial_state(sales: AppTest):
    assert [t.value for t in sales.title] == ["Daily vs monthly sales, by product"]
    assert sales.markdown[0].value == (
        "This app shows the 2023 daily sales for Widget A through Widget Z."
    )
    picker = sales.date_input(key="selected_date")
    assert picker.label == "Pick a day"
    assert picker.value == date(2023, 1, 1)
    assert (picker.min, picker.max) == (date(2023, 1, 1), date(2023, 12, 31))
    assert headers(sales) == [
        "Best sellers, 01/01/23",
        "Worst sellers, 01/01/23",
        "Daily sales for all products, January 2023",
        "Total sales for all products, January 2023",
    ]
    assert sales.toggle(key="slow_down").label == "Slow down (1 s) to show what reruns"


def test_sales_tables(sales: AppTest):
    best, worst, month = (df.value for df in sales.dataframe)
    assert best.shape == worst.shape == (10, 1)
    assert best.iloc[:, 0].is_monotonic_decreasing
    assert worst.iloc[:, 0].is_monotonic_increasing
    assert month.shape == (31, 26)
    assert month.index[0] == date(2023, 1, 1) and month.index[-1] == date(2023, 1, 31)
    # The day's best seller is the best of that day's row in the month table.
    assert best.index[0] == month.loc[date(2023, 1, 1)].idxmax()
    assert len(sales.get("vega_lite_chart")) == 3


def test_sales_same_month_change(sales: AppTest):
    sales.date_input(key="selected_date").set_value(date(2023, 1, 15)).run()
    assert headers(sales) == [
        "Best sellers, 01/15/23",
        "Worst sellers, 01/15/23",
        "Daily sales for all products, January 2023",
        "Total sales for all products, January 2023",
    ]
    assert sales.session_state["previous_date"] == date(2023, 1, 15)


def test_sales_new_month(sales: AppTest):
    sales.date_input(key="selected_date").set_value(date(2023, 3, 15)).run()
    assert headers(sales) == [
        "Best sellers, 03/15/23",
        "Worst sellers, 03/15/23",
        "Daily sales for all products, March 2023",
        "Total sales for all products, March 2023",
    ]
    assert sales.session_state["previous_date"] == date(2023, 3, 15)

    sales.date_input(key="selected_date").set_value(date(2023, 12, 31)).run()
    assert headers(sales)[2:] == [
        "Daily sales for all products, December 2023",
        "Total sales for all products, December 2023",
    ]
    month = sales.dataframe[2].value
    assert month.shape == (31, 26) and month.index[-1] == date(2023, 12, 31)

    sales.date_input(key="selected_date").set_value(date(2023, 2, 28)).run()
    assert sales.dataframe[2].value.shape == (28, 26)
    assert not sales.exception


def test_sales_date_survives_navigation(sales: AppTest):
    sales.date_input(key="selected_date").set_value(date(2023, 3, 15)).run()

    sales.switch_page("data_feed.py").run()
    assert [t.value for t in sales.title] == ["Data feed"]
    sales.switch_page("sales.py").run()

    # The seed lost the pick (widget state is dropped on a page switch) while
    # keeping previous_date, which cost a needless full rerun on return.
    assert sales.date_input(key="selected_date").value == date(2023, 3, 15)
    assert sales.session_state["previous_date"] == date(2023, 3, 15)
    assert headers(sales)[2] == "Daily sales for all products, March 2023"
    assert sales.toggle(key="slow_down").value is False  # stays off, too
