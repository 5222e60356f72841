"""Shared by all tests: the session's virtual desktop, a home per test, the apps it started."""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

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
def desktop() -> Iterator[str | None]:
    """The session's virtual desktop, DISPLAY for everything the tests start: a
    desktop-sized Xvfb (display.SIZE) and a window manager on it (openbox), so windows get
    frames and focus as for a person. None where there is no Xvfb (Windows, macOS)."""
    with contextlib.ExitStack() as stack:
        try:
            name, _ = stack.enter_context(display.xvfb())
        except display.DisplayError as exc:
            warnings.warn(f"no virtual display: {exc}", stacklevel=1)
            yield None
            return
        stack.enter_context(display.window_manager(name))
        previous = os.environ.get("DISPLAY")
        os.environ["DISPLAY"] = name
        try:
            yield name
        finally:
            if previous is None:
                os.environ.pop("DISPLAY", None)
            else:
                os.environ["DISPLAY"] = previous
