"""The next launch starts warm: the same port (so the same origin) and a kept web profile."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.support.launch import Launches
from tests.support.window import open_app, wait_rendered

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

COOKIE = "desktop_shell_secret"


def port_file(home: Path) -> Path:
    return home / "state" / "fragment-demos" / "port"


def profile(home: Path) -> Path:
    return home / "cache" / "fragment-demos" / "web"


def run_once(home: Path, launched: Launches, args: list[str] | None = None) -> int:
    """Open the app, wait for the chart, close it; the port it served on."""
    with open_app(args or [], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        port = int(page.evaluate("location.port"))
    return port


def files_containing(folder: Path, needle: bytes) -> list[Path]:
    return [f for f in folder.rglob("*") if f.is_file() and needle in f.read_bytes()]


def test_the_second_launch_reuses_the_port_and_the_web_profile(
    home: Path, launched: Launches
) -> None:
    first = run_once(home, launched)
    assert port_file(home).read_text() == str(first)
    assert any(profile(home).rglob("*")), "no web profile kept"
    # The per-launch secret's cookie is a session cookie: never written to disk.
    assert files_containing(profile(home), COOKIE.encode()) == []
    assert files_containing(home / "cache", COOKIE.encode()) == []

    assert run_once(home, launched) == first


def test_a_remembered_port_taken_by_another_program_is_left_to_it(
    home: Path, launched: Launches
) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        taken = other.getsockname()[1]
        port_file(home).parent.mkdir(parents=True)
        port_file(home).write_text(str(taken))
        port = run_once(home, launched)
    assert port != taken
    assert port_file(home).read_text() == str(port)


def test_a_self_test_keeps_no_profile_and_no_port(home: Path, launched: Launches) -> None:

    app = launched.start(["--self-test"], home)
    assert app.wait(90) == 0, app.output()
    assert not port_file(home).exists()
    assert not profile(home).exists()
