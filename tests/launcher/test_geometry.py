"""Fitting a remembered window to the screens there are now, and reading what was saved."""

from __future__ import annotations

from pathlib import Path

from desktop_shell.window.geometry import Geometry, Rect, fit, load, save

LEFT, RIGHT = Rect(0, 0, 1920, 1080), Rect(1920, 0, 1280, 1024)
FRAME = (2, 25)
MINIMUM = (720, 520)


def at(x: int, y: int, width: int = 902, height: int = 675, maximized: bool = False) -> Geometry:
    return Geometry(Rect(x, y, width, height), FRAME, maximized)


def test_a_window_wholly_on_a_screen_stays_where_it_was() -> None:
    assert fit(at(2000, 100), [LEFT, RIGHT], MINIMUM) == at(2000, 100)


def test_a_window_across_two_screens_moves_onto_the_one_it_mostly_covered() -> None:
    assert fit(at(1800, 100), [LEFT, RIGHT], MINIMUM) == at(1920, 100)
    assert fit(at(1200, 100), [LEFT, RIGHT], MINIMUM) == at(1920 - 902, 100)


def test_a_window_on_a_screen_that_is_gone_is_centred_on_the_primary_one() -> None:
    fitted = fit(at(2000, 100), [LEFT], MINIMUM)
    assert fitted == at((1920 - 902) // 2, (1080 - 675) // 2)


def test_a_window_larger_than_the_screen_shrinks_to_it() -> None:
    small = Rect(0, 0, 1024, 768)
    assert fit(at(-50, -30, 1600, 1200), [small], MINIMUM) == at(0, 0, 1024, 768)


def test_the_client_area_never_gets_smaller_than_the_minimum() -> None:
    fitted = fit(at(10, 10, 100, 100), [LEFT], MINIMUM)
    assert fitted.client_size == MINIMUM


def test_maximized_is_kept() -> None:
    assert fit(at(5000, 0, maximized=True), [LEFT], MINIMUM).maximized


def test_saved_geometry_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "config" / "window.json"
    save(path, at(30, 40, maximized=True))
    assert load(path) == at(30, 40, maximized=True)
    assert [p.name for p in path.parent.iterdir()] == ["window.json"]  # no temporary left


def test_a_missing_damaged_or_foreign_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "window.json"
    assert load(path) is None
    for text in ("{", "[]", '{"x": 1}', '{"x": 0, "y": 0, "width": "wide", "height": 3}',
                 '{"x": 0, "y": 0, "width": 0, "height": 0}'):
        path.write_text(text)
        assert load(path) is None, text
