"""Qt's software scene graph where OpenGL would be software: on the tests' Xvfb (no DRI),
a user's choice left alone, and the real window drawing its page with it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from desktop_shell.qt import scene_graph
from tests.support.launch import Launches
from tests.support.window import open_app, screenshot, wait_rendered

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 only")


@pytest.fixture(autouse=True)
def x_display(desktop: str | None) -> None:
    if desktop is None:
        pytest.skip("no virtual display")


@pytest.fixture(autouse=True)
def no_choice_of_our_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """No backend chosen before the test, and none left after it (choose() sets one)."""
    for name in (*scene_graph.USER_CHOICES, "WAYLAND_DISPLAY"):
        monkeypatch.setenv(name, "")  # restored (unset) afterwards
        monkeypatch.delenv(name)


def test_xvfb_has_no_direct_rendering() -> None:
    assert scene_graph.x_server_has_direct_rendering() is False


def test_an_unreachable_display_is_no_answer() -> None:
    assert scene_graph.x_server_has_direct_rendering(":4321") is None


def test_without_direct_rendering_qt_draws_in_software() -> None:
    scene_graph.choose()
    assert os.environ.get(scene_graph.BACKEND) == "software"


@pytest.mark.parametrize("name", scene_graph.USER_CHOICES)
def test_the_users_choice_is_left_alone(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, "opengl")
    scene_graph.choose()
    assert os.environ.get(name) == "opengl"
    assert name == scene_graph.BACKEND or scene_graph.BACKEND not in os.environ


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_the_window_draws_the_app_with_the_software_scene_graph(
    home: Path, launched: Launches
) -> None:
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        screenshot("window-software-scene-graph")
        assert "Qt's software scene graph" in app.log_file.read_text()
