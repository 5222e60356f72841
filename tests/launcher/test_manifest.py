"""app.toml drives the launcher: the demos' manifest, wrong manifests, and a second app.

The second app, tests/launcher/tide_tables/, has three pages and nothing of app/ but
the entry script; the launcher serves it when DESKTOP_SHELL_APP names its folder.
"""

from __future__ import annotations

import shutil
import signal
import time
from pathlib import Path

import pytest

from desktop_shell import manifest
from desktop_shell.manifest import ManifestError
from tests.support import x11
from tests.support.launch import ROOT, Launches, demo_app, launch
from tests.support.probes import CHARTS_DRAWN
from tests.support.window import open_app, screenshot

TIDES = Path(__file__).resolve().parent / "tide_tables"
SERVE_TIDES = {manifest.APP_VARIABLE: str(TIDES)}


def test_the_demos_manifest() -> None:
    demos = demo_app()
    names = ("Fragment Demos", "fragment-demos", "Apache-2.0")
    assert (demos.app.name, demos.app.id, demos.app.licence) == names
    assert demos.app.icon == ROOT / "app" / "icon.png"
    assert [(p.url_path, p.title, p.menu_title, p.path) for p in demos.pages] == [
        ("data-feed", "Data feed", "Data feed", "/"),
        ("sales", "Daily vs monthly sales", "Sales", "/sales"),
    ]
    assert demos.default_page.url_path == "data-feed" and demos.page(None) is demos.default_page


# --- wrong manifests: a sentence naming the file and the key ----------------------

GOOD = """
[app]
name = "Tide Tables"
id = "tide-tables"
licence = "MIT"
description = "Tides."
icon = "icon.png"

[[pages]]
script = "harbour.py"
title = "Harbour"
url_path = "harbour"
default = true

[[pages]]
script = "tides.py"
title = "Tides this week"
url_path = "tides"
"""


def wrong(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (wrong(GOOD, 'name = "Tide Tables"\n', ""), "[app] has no `name`"),
        (wrong(GOOD, 'title = "Tides this week"\n', ""), "[[pages]] number 2 has no `title`"),
        (wrong(GOOD, 'url_path = "tides"', 'url_path = "harbour"'),
         "[[pages]] number 1 and number 2 both have `url_path` = 'harbour'"),
        (wrong(GOOD, "default = true\n", ""), "no page has `default = true`"),
        (GOOD + "default = true\n", "[[pages]] numbers 1, 2 have `default = true`"),
        (wrong(GOOD, 'script = "tides.py"', 'script = "tide.py"'),
         "[[pages]] number 2 `script` = 'tide.py': there is no such file in"),
        (wrong(GOOD, 'icon = "icon.png"', 'icon = "logo.png"'),
         "[app] `icon` = 'logo.png': there is no such file in"),
        (wrong(GOOD, 'id = "tide-tables"', 'id = "Tide Tables"'),
         "[app] `id` = 'Tide Tables' is not a file name"),
        (wrong(GOOD, 'url_path = "tides"', 'url_path = "tides/week"'),
         "[[pages]] number 2 `url_path` = 'tides/week' is not one path segment"),
        (wrong(GOOD, "default = true", 'default = "yes"'), "`default` = 'yes' is not a boolean"),
        (wrong(GOOD, 'url_path = "tides"', 'url_path = "tides"\nmenu-title = "Tides"'),
         "[[pages]] number 2 has `menu-title`: the keys are"),
        (wrong(GOOD, "[app]", "[app"), "not valid TOML: Expected ']'"),
        (GOOD.split("[[pages]]")[0], "there is no [[pages]] table"),
    ],
)
def test_a_wrong_manifest_is_a_sentence(text: str, complaint: str, tmp_path: Path) -> None:
    for name in ("harbour.py", "tides.py", "icon.png"):
        shutil.copy(TIDES / name, tmp_path / name)
    (tmp_path / "app.toml").write_text(text)
    with pytest.raises(ManifestError) as caught:
        manifest.load(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'app.toml'}: ") and complaint in message, message
    assert message.endswith(".") and "\n" not in message


def test_a_missing_manifest_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="app.toml: there is no such file; an app folder needs"):
        manifest.load(tmp_path)


def test_the_launcher_says_what_is_wrong_and_exits_1(tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "app"
    shutil.copytree(TIDES, folder)
    toml = folder / "app.toml"
    toml.write_text(toml.read_text().replace('url_path = "crew"', 'url_path = "tides"'))
    app = launch(["--self-test"], home, env={manifest.APP_VARIABLE: str(folder)})
    out, err = app.output(timeout=60)
    assert app.process.returncode == 1
    assert err == (
        f"launcher.py: error: {toml}: [[pages]] number 2 and number 3 both have "
        "`url_path` = 'tides': each page needs its own.\n"
    ), err
    assert out == ""


# --- a second app, served by the same launcher -----------------------------------


def test_a_second_app_gets_its_own_options_menu_and_about(home: Path) -> None:
    from desktop_shell.process.cli import build_parser, parse_settings
    from desktop_shell.window import actions, menu

    tides = manifest.load(TIDES)
    help_text = build_parser(tides).format_help()
    assert "--page {harbour,tides,crew}" in help_text and "Tide Tables." in help_text
    settings = parse_settings(["--page", "crew"], tides)
    assert settings.page_path() == "/crew" and settings.page_path("harbour") == "/"
    assert settings.log_file.parts[-3:-1] == ("tide-tables", "log")  # its id names the files
    assert settings.log_file.name.startswith("tide-tables-")

    pages = dict(menu.layout(actions.WindowActions(settings, "http://127.0.0.1:1"), tides))["Pages"]
    assert [(item.title, item.shortcut) for item in pages if item] == [
        ("Harbour", "Ctrl+1"), ("Tides", "Ctrl+2"), ("Crew on watch", "Ctrl+3"),
    ]
    about = actions.about_text(tides.app)
    assert about.startswith("Tide Tables ") and "Licence: MIT." in about
    assert "A harbour's tides, for testing the launcher on an app of its own." in about

    from desktop_shell.window.window import loading_page

    assert "<h1>Tide Tables</h1>" in loading_page(tides.app.name)  # the window's first screen


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_second_app_passes_the_self_test_in_the_real_window(
    home: Path, launched: Launches
) -> None:
    app = launched.start(["--self-test"], home, env=SERVE_TIDES)
    window = x11.wait_for_window("Tide Tables", 90, app.process.pid)  # its name, not the demos'
    icons = x11.icon_sizes(window)
    out, err = app.output(timeout=180)
    assert app.process.returncode == 0, out + err
    lines = [line for line in out.splitlines() if line.startswith("self-test: ")]
    assert [line.split(":")[1].strip() for line in lines] == ["harbour", "tides", "crew"], out
    assert all(": ok (" in line for line in lines), out
    assert (64, 64) in icons, icons  # tide_tables/icon.png, not the demos' icon
    # Its id names the files: this run's log is in its own folder.
    (log,) = (home / "state" / "tide-tables" / "log").glob(f"tide-tables-*-{app.process.pid}.log")
    assert "Tide Tables" in log.read_text()


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_second_app_opens_the_page_asked_for_with_its_sidebar(
    home: Path, launched: Launches
) -> None:
    with open_app(
        ["--page", "tides"], home, launched, env=SERVE_TIDES, title="Tide Tables"
    ) as (app, window, page):
        page.wait_for("location.pathname", 60, lambda path: path == "/tides")
        page.wait_for(CHARTS_DRAWN, 60, lambda drawn: drawn == 1)
        links = page.evaluate(
            "Array.from(document.querySelectorAll('a[data-testid=\"stSidebarNavLink\"]'))"
            ".map((a) => [new URL(a.href).pathname, a.innerText])"
        )
        assert [path for path, _ in links] == ["/", "/tides", "/crew"]
        titles = ("Harbour", "Tides this week", "Crew on watch")
        for (_, text), title in zip(links, titles, strict=True):
            assert title in text  # after the page's icon
        deadline = time.monotonic() + 30
        while not x11.find_windows("Tides this week — Tide Tables", app.process.pid):
            assert time.monotonic() < deadline, "the window is not titled after the page"
            time.sleep(0.2)
        screenshot("second-app-tides")
        page.close()
        app.signal(signal.SIGTERM)
        assert app.wait(30) == 0
