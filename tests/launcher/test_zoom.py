"""The zoom's steps (desktop_shell/window/zoom.py), and the zoom in the remembered geometry."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from desktop_shell.window import geometry, zoom


def test_zoom_goes_through_the_browser_steps_and_stops_at_the_ends() -> None:
    up = [zoom.ACTUAL_SIZE]
    while (following := zoom.larger(up[-1])) != up[-1]:
        up.append(following)
    down = [zoom.ACTUAL_SIZE]
    while (following := zoom.smaller(down[-1])) != down[-1]:
        down.append(following)
    assert up == [1.0, 1.1, 1.25, 1.5, 1.75, 2.0]
    assert down == [1.0, 0.9, 0.8, 0.75, 0.67]
    assert zoom.larger(2.0) == 2.0 and zoom.smaller(0.67) == 0.67


@pytest.mark.parametrize(
    ("saved", "step"),
    [(1.26, 1.25), (0.1, 0.67), (99, 2.0), (math.nan, 1.0), ("1.5", 1.5), ("big", 1.0),
     (None, 1.0), ([1.1], 1.0), (10**400, 1.0)],
)
def test_any_saved_zoom_is_read_as_a_step(saved: object, step: float) -> None:
    assert zoom.nearest(saved) == step


def test_the_zoom_is_saved_with_the_geometry_and_old_files_still_load(tmp_path: Path) -> None:
    path = tmp_path / "window.json"
    rect = geometry.Rect(10, 20, 900, 640)
    geometry.save(path, geometry.Geometry(rect, (2, 25), zoom=1.5))
    assert geometry.load(path) == geometry.Geometry(rect, (2, 25), zoom=1.5)
    old = {"x": 10, "y": 20, "width": 900, "height": 640, "frame_width": 2, "frame_height": 25,
           "maximized": True}  # written before the View menu existed
    path.write_text(json.dumps(old))
    assert geometry.load(path) == geometry.Geometry(rect, (2, 25), maximized=True, zoom=1.0)
