"""Full-page screenshots of both pages at 1280x800, for the README.

Writes artifacts/screenshots/data-feed.png and sales.png (look at them). With
UPDATE_SCREENSHOTS=1 it writes the README's copies in docs/screenshots/ instead;
they are not rewritten on every run, since the data is random.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.probes import CHARTS, CHARTS_DRAWN, STALE

pytestmark = pytest.mark.slow

if TYPE_CHECKING:
    from tests.app.conftest import AppPage

expect = pytest.importorskip("playwright.sync_api").expect

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / ("docs" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else "artifacts") / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
NO_STALE_JS = f"() => ({STALE}) === 0"
# All `n` charts on the page, and each has drawn its marks.
CHARTS_DRAWN_JS = f"n => ({CHARTS}) === n && ({CHARTS_DRAWN}) === n"


def settle(page) -> None:
    """Wait until nothing is rerunning, fonts are in and two frames painted."""
    # Park the pointer on empty page background: hover effects (the sidebar's
    # collapse button, chart tooltips) are not part of the picture.
    page.mouse.move(VIEWPORT["width"] - 5, VIEWPORT["height"] - 5)
    page.wait_for_function(NO_STALE_JS)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.evaluate(
        "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )


def full_page_shot(page, path: Path) -> None:
    """Screenshot the whole page at the window's width.

    Streamlit scrolls its main area, not the document, so Playwright's
    full_page option only ever sees one window-full. Grow the window to the
    main area's scroll height instead (width unchanged, so the layout is the
    one a 1280 px wide window shows), shoot, and restore it.
    """
    height = page.evaluate(
        "() => document.querySelector('[data-testid=stMain]').scrollHeight"
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, VIEWPORT["height"])})
    settle(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(VIEWPORT)


@pytest.mark.timeout(120)
def test_screenshots(app_page: AppPage) -> None:
    page = app_page.page
    assert page.viewport_size == VIEWPORT

    app_page.goto("/")
    expect(page.get_by_role("heading", name="Data feed")).to_be_visible()
    page.wait_for_function(CHARTS_DRAWN_JS, arg=1)
    settle(page)
    full_page_shot(page, SHOTS / "data-feed.png")

    # Through the sidebar, as a person would.
    page.get_by_role("link", name="Daily vs monthly sales").click()
    expect(page).to_have_url(app_page.server.url + "/sales")
    expect(
        page.get_by_role("heading", name="Total sales for all products, January 2023")
    ).to_be_visible()
    page.wait_for_function(CHARTS_DRAWN_JS, arg=3)
    expect(page.locator("[data-testid=stDataFrame] canvas").first).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_have_count(3)
    settle(page)
    full_page_shot(page, SHOTS / "sales.png")

    app_page.assert_clean()
    for name in ("data-feed.png", "sales.png"):
        png = (SHOTS / name).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(png[16:20], "big")
        height = int.from_bytes(png[20:24], "big")
        assert width == VIEWPORT["width"] and height >= VIEWPORT["height"], (name, width, height)
