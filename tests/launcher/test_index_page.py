"""What the launcher adds to Streamlit's index.html (server/index_page.py), and the loading
screen it lays over it (server/loading_overlay.py), written once (assets/loading.html)."""

from __future__ import annotations

from desktop_shell import screens
from desktop_shell.server import index_page, loading_overlay

PAGE = b'<html><head><title>Streamlit</title></head><body class="x"><div id="root"></div></body></html>'


def test_edit_adds_to_the_end_of_head_and_the_start_of_body() -> None:
    edited = index_page.edit(PAGE, head=b"<style>H</style>", body=b"<main>B</main>")
    assert edited == (b'<html><head><title>Streamlit</title><style>H</style></head>'
                      b'<body class="x"><main>B</main><div id="root"></div></body></html>')


def test_the_overlay_is_the_loading_screen_of_the_window() -> None:
    """One loading screen: the window's first page and the one laid over Streamlit's."""
    page = screens.loading_page("Tide <Tables>")
    overlay = loading_overlay.overlay("Tide <Tables>")
    parts = screens.loading_parts("Tide <Tables>")
    assert parts.style in page and parts.markup in page
    assert overlay.body.decode() == parts.markup
    assert overlay.head.decode().startswith(parts.style)
    assert "<h1>Tide &lt;Tables&gt;</h1>" in parts.markup


def test_every_style_rule_is_scoped_to_the_loading_screen() -> None:
    """Laid over Streamlit's page, its rules must not reach Streamlit's elements (and it is
    removed, style and all, once Streamlit draws)."""
    style = screens.loading_parts("App").style
    rules = [line.split("{")[0].strip() for line in style.splitlines() if "{" in line]
    selectors = [s.strip() for rule in rules for s in rule.split(",")]
    loose = [s for s in selectors if not s.startswith(("#desktop-shell-loading", "@", "to"))]
    assert selectors and not loose, loose
