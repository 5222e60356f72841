"""Shared by all tests. pytest-xvfb gives the session a virtual X display."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import display
from tests.support.launch import Launches


@pytest.fixture
def launched() -> Iterator[Launches]:
    """Apps a test started (`launched.start(...)`); whatever still runs at the end is killed."""
    started = Launches()
    yield started
    for app in started:
        app.kill()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture(scope="session", autouse=True)
def window_manager(xvfb: Any) -> Iterator[None]:
    """A window manager on the session's virtual screen, as every desktop has (openbox)."""
    if xvfb is None:
        yield
        return
    with display.window_manager(f":{xvfb.display}"):
        yield
