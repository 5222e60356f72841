"""The app's own screens (assets/*.html), filled in: the loading screen and the error screen.

The loading screen is written once, in assets/loading.html: the window shows it as a page
of its own before the server answers, and the server lays its style and markup over
Streamlit's page until that has drawn something (server/loading_overlay.py).
"""

from __future__ import annotations

import html
import re
import string
from dataclasses import dataclass
from pathlib import Path

from desktop_shell import resources

LOADING_ID = "desktop-shell-loading"  # the loading screen's element; its <style> is LOADING_ID-style


@dataclass(frozen=True)
class LoadingParts:
    """The loading screen's <style> element and its markup, filled in."""

    style: str
    markup: str


def fill(asset: str, **texts: str) -> str:
    """One of the screens (assets/*.html), with `texts` filled in, escaped."""
    template = string.Template(resources.asset(asset).read_text(encoding="utf-8"))
    return template.safe_substitute({key: html.escape(text) for key, text in texts.items()})


def loading_page(app_name: str) -> str:
    return fill("loading.html", name=app_name)


def error_page(title: str, message: str, log_file: Path) -> str:
    return fill("error.html", title=title, message=message, log_file=str(log_file))


def loading_parts(app_name: str) -> LoadingParts:
    """The loading screen's style and markup, to put into another page."""
    page = loading_page(app_name)
    style = re.search(rf'<style id="{LOADING_ID}-style">.*?</style>', page, re.DOTALL)
    markup = re.search(rf'<main id="{LOADING_ID}">.*?</main>', page, re.DOTALL)
    if style is None or markup is None:
        raise ValueError(f"assets/loading.html has no <style id={LOADING_ID}-style> or <main id={LOADING_ID}>")
    return LoadingParts(style.group(0), markup.group(0))
