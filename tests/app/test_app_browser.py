"""Both pages in headless Chromium against a real ``streamlit run`` server.

These are the tests that can see what AppTest cannot: the fragment's own
reruns (timed streaming on the feed page, a same-month date change on the
sales page) and that they leave the rest of the page alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.support.probes import LINE_PATHS

pytestmark = pytest.mark.slow

if TYPE_CHECKING:
    from tests.app.conftest import AppPage, Message

expect = pytest.importorskip("playwright.sync_api").expect

# The line chart's series are SVG paths; with under 2000 points Streamlit's
# Vega charts render to SVG, so a path's vertices are the rows in the chart.
LINES_JS = f"""() => [...document.querySelectorAll({LINE_PATHS!r})]
    .map(p => p.getAttribute('d') || '')"""
# Longer than two update intervals (slider default 1 s): long enough for a
# chart that should stay still to have moved if it were going to. Checked
# both on screen (same SVG) and on the wire (no script run started).
STILL_MS = 2500


def vertex_counts(paths: list[str]) -> list[int]:
    return [p.count("L") + 1 if p else 0 for p in paths]


def run_starts(messages: list[Message]) -> list[tuple[str, ...]]:
    """For each script run started: the fragments it reran (empty: full run)."""
    return [m.run_fragment_ids for m in messages if m.kind == "new_session"]


def drawn_elements(messages: list[Message]) -> set[str]:
    return {m.element for m in messages if m.element}


@pytest.mark.timeout(120)
def test_streaming_starts_and_stops(app_page: AppPage) -> None:
    page = app_page.page
    app_page.goto("/")
    expect(page.get_by_role("heading", name="Data feed")).to_be_visible()
    start = page.get_by_role("button", name="Start streaming")
    stop = page.get_by_role("button", name="Stop streaming")
    expect(start).to_be_enabled()
    expect(stop).to_be_disabled()

    # First load: the last 60 s, 120 samples per series, all of them shown.
    page.wait_for_function(
        f"() => {{ const d = ({LINES_JS})(); return d.length === 2 && "
        "d.every(p => p.split('L').length === 120); }"
    )
    app_page.wait_idle()
    page.evaluate("() => document.fonts.ready.then(() => true)")  # layout final
    initial = page.evaluate(LINES_JS)
    mark = len(app_page.messages)
    page.wait_for_timeout(STILL_MS)
    assert page.evaluate(LINES_JS) == initial, "chart moved before streaming started"
    assert not run_starts(app_page.messages[mark:]), "something reran by itself"

    start.click()
    expect(stop).to_be_enabled()
    expect(start).to_be_disabled()

    # Wait for the chart to change from `previous`, i.e. for new data drawn.
    def next_frame(previous: list[str]) -> list[str]:
        page.wait_for_function(
            f"prev => {{ const d = ({LINES_JS})(); return d.length === 2 && "
            "d.every(p => p) && d.join() !== prev.join(); }",
            arg=previous,
            timeout=15_000,
        )
        return page.evaluate(LINES_JS)

    # The click's own full rerun draws once; the later changes come from the
    # fragment rerunning by itself every run_every seconds.
    frame = next_frame(initial)
    mark = len(app_page.messages)
    for _ in range(2):
        frame = next_frame(frame)
        assert vertex_counts(frame) == [100, 100]  # streaming keeps the last 100

    # What the server sent for those automatic updates: runs of the fragment
    # only (each starts with a new_session naming the fragment), drawing only
    # the chart. A full rerun would start with no fragment id and resend the
    # title and the sidebar widgets.
    sent = app_page.messages[mark:]
    starts = run_starts(sent)
    assert len(starts) >= 2 and all(starts), starts
    assert drawn_elements(sent) == {"vega_lite_chart"}
    assert all(m.delta_fragment_id in starts[0] for m in sent if m.kind == "delta")

    stop.click()
    expect(start).to_be_enabled()
    expect(stop).to_be_disabled()
    app_page.wait_idle()
    stopped = page.evaluate(LINES_JS)
    mark = len(app_page.messages)
    page.wait_for_timeout(STILL_MS)
    assert page.evaluate(LINES_JS) == stopped, "chart still moving after Stop"
    assert not run_starts(app_page.messages[mark:]), "fragment still rerunning"
    app_page.assert_clean()


# Records, per column of the sales page, how often an element was marked
# stale and how many other DOM changes happened, from the moment it runs.
#
# How a fragment rerun shows in Streamlit 1.67's DOM: every element sits in a
# div[data-testid=stElementContainer] whose data-stale attribute turns "true"
# while a script run that will redraw it is in progress, and back to "false"
# when the run delivers it. A full rerun marks every element of the page
# stale as soon as it starts; a fragment rerun marks only the fragment's
# elements. Element identity does NOT tell them apart: React keeps the same
# DOM nodes in a full rerun too (the monthly header node survives a month
# change, only its text changes), so the observer watches attributes and
# content, not nodes. Changes inside a <canvas> are left out: the data grid
# keeps a hidden accessibility <table> in its canvas and refills it on its
# own (after a repaint, a focus change), with no script run involved.
OBSERVE_JS = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const column = h => [...main.querySelectorAll('[data-testid=stColumn]')]
    .find(c => c.querySelector(h));
  const columns = {
    daily: column('[data-testid=stDateInput]'),
    monthly: [...main.querySelectorAll('[data-testid=stColumn]')]
      .find(c => c.textContent.includes('Daily sales for all products')),
  };
  const log = {daily: {stale: 0, dom: 0}, monthly: {stale: 0, dom: 0}};
  window.__rerunLog = log;
  for (const [name, col] of Object.entries(columns)) {
    new MutationObserver(ms => ms.forEach(m => {
      if (m.type === 'attributes') {
        if (m.target.getAttribute('data-stale') === 'true') log[name].stale++;
      } else if (!(m.target.closest ? m.target : m.target.parentElement).closest('canvas')) {
        log[name].dom++;
      }
    })).observe(col, {subtree: true, childList: true, characterData: true,
                      attributes: true, attributeFilter: ['data-stale']});
  }
}"""


def pick_day(app: AppPage, year_month_day: str) -> None:
    """Type a date into "Pick a day" the way a person does.

    Streamlit 1.67's date input is a segmented field (year / month / day
    spin buttons, shown as YYYY/MM/DD) with a calendar popover. Clicking it
    focuses the year and opens the calendar; typing "2023/01/15" fills the
    segments (each moves on when full; the "/" is accepted as a separator).
    The new value is sent when the popover closes: Escape (or a click
    elsewhere) commits it. Enter does not commit, and there is no text for
    Ctrl+A to select.
    """
    page = app.page
    segments = page.get_by_test_id("stDateInputField").get_by_role("spinbutton")
    segments.first.click()
    page.keyboard.type(year_month_day)
    expect(segments).to_have_text(year_month_day.split("/"))
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("stDateInputCalendar")).to_have_count(0)


def header_texts(app: AppPage) -> list[str]:
    return app.page.locator("[data-testid=stMain] h2").all_inner_texts()


@pytest.mark.timeout(150)
def test_same_month_reruns_only_the_fragment(app_page: AppPage) -> None:
    page = app_page.page
    app_page.goto("/sales")

    def heading(name: str):
        return page.get_by_role("heading", name=name)

    expect(heading("Total sales for all products, January 2023")).to_be_visible()
    expect(page.get_by_label("Slow down (1 s) to show what reruns")).to_be_checked()
    app_page.wait_idle()

    # Same month: only the fragment (left column) reruns.
    page.evaluate(OBSERVE_JS)
    mark = len(app_page.messages)
    pick_day(app_page, "2023/01/15")
    expect(heading("Best sellers, 01/15/23")).to_be_visible()
    expect(heading("Worst sellers, 01/15/23")).to_be_visible()
    app_page.wait_idle()
    log = page.evaluate("window.__rerunLog")
    assert log["daily"]["stale"] > 0 and log["daily"]["dom"] > 0, log
    # A full rerun would have marked the monthly column stale the moment it
    # started, before the fragment redrew its headers: nothing happened there.
    assert log["monthly"] == {"stale": 0, "dom": 0}, log
    assert header_texts(app_page)[2:] == [
        "Daily sales for all products, January 2023",
        "Total sales for all products, January 2023",
    ]
    # And on the wire: one run, of the fragment only.
    starts = run_starts(app_page.messages[mark:])
    assert len(starts) == 1 and starts[0], starts

    # Another month: the fragment calls st.rerun(), the whole page reruns.
    page.evaluate(OBSERVE_JS)
    mark = len(app_page.messages)
    pick_day(app_page, "2023/03/15")
    expect(heading("Daily sales for all products, March 2023")).to_be_visible()
    expect(heading("Total sales for all products, March 2023")).to_be_visible()
    app_page.wait_idle()
    log = page.evaluate("window.__rerunLog")
    assert log["monthly"]["stale"] > 0 and log["monthly"]["dom"] > 0, log
    assert header_texts(app_page) == [
        "Best sellers, 03/15/23",
        "Worst sellers, 03/15/23",
        "Daily sales for all products, March 2023",
        "Total sales for all products, March 2023",
    ]
    # On the wire: the fragment's run, which calls st.rerun(), then a full run.
    starts = run_starts(app_page.messages[mark:])
    assert [bool(ids) for ids in starts] == [True, False], starts
    app_page.assert_clean()


@pytest.mark.timeout(180)
def test_rapid_date_changes_never_wedge_the_page(app_page: AppPage) -> None:
    """Days picked faster than the page reruns (1 s slow-down on) across months:
    the page must end showing the last day picked, idle, with no error."""
    page = app_page.page
    app_page.goto("/sales")
    expect(page.get_by_role("heading", name="Best sellers, 01/01/23")).to_be_visible()
    days = ["2023/01/20", "2023/02/03", "2023/02/17", "2023/05/09", "2023/05/10",
            "2023/11/30", "2023/12/01", "2023/12/31", "2023/06/15", "2023/06/16"]
    for day in days:  # no waiting for the page between picks
        pick_day(app_page, day)
    expect(page.get_by_role("heading", name="Best sellers, 06/16/23")).to_be_visible(timeout=60_000)
    app_page.wait_idle()
    assert header_texts(app_page) == [
        "Best sellers, 06/16/23",
        "Worst sellers, 06/16/23",
        "Daily sales for all products, June 2023",
        "Total sales for all products, June 2023",
    ]
    app_page.assert_clean()
