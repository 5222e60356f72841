"""Shared by all tests. pytest-xvfb gives the session a virtual X display."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.launch import Launched


@pytest.fixture
def launched() -> Iterator[list[Launched]]:
    """Apps a test started; whatever still runs at the end is killed (and the test says why)."""
    started: list[Launched] = []
    yield started
    for app in started:
        app.kill()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path
