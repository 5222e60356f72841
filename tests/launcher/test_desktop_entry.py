"""The Linux menu entry: written, valid, started as the desktop starts it, matched to
the window by WM_CLASS, and removed without a trace. Each test has its own HOME and
XDG_DATA_HOME."""

from __future__ import annotations

import configparser
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import x11
from tests.support.launch import APP_TITLE, ROOT, Launches, demo_app, launch
from tests.support.window import open_app, wait_rendered

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop.org menus"),
    pytest.mark.timeout(180),
]

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def run(args: list[str], home: Path, *, data_home: Path | None, env: dict[str, str] | None = None,
        command: list[str] | None = None) -> tuple[int, str, str]:
    variables = {"HOME": str(home)}
    if data_home is None:
        variables["XDG_DATA_HOME"] = ""  # unset for the spec: ~/.local/share
    else:
        variables["XDG_DATA_HOME"] = str(data_home)
    app = launch(args, home / "run", command=command, env={**variables, **(env or {})})
    out, err = app.output(timeout=60)
    return app.process.returncode, out, err


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign] # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def files_under(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*")} if folder.exists() else set()


def test_install_writes_a_valid_entry_and_every_icon_and_uninstall_removes_them(home: Path) -> None:
    data = home / "data"
    (data / "applications").mkdir(parents=True)
    theirs = data / "applications" / "other-app.desktop"  # another app's entry stays
    theirs.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n")
    before = files_under(data)

    code, out, err = run(["--install-desktop-entry"], home, data_home=data)
    assert (code, err) == (0, ""), err
    entry = data / "applications" / "fragment-demos.desktop"
    assert str(entry) in out
    validated = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert validated.returncode == 0 and validated.stdout == "", validated.stdout
    fields = read_entry(entry)
    assert fields["Name"] == APP_TITLE and fields["Icon"] == "fragment-demos"
    assert fields["StartupWMClass"] == "fragment-demos" and fields["Terminal"] == "false"
    assert "Education" in fields["Categories"].split(";")
    # Exec runs this program as it was started: this interpreter with launcher.py.
    assert shlex.split(fields["Exec"]) == [sys.executable, str(ROOT / "launcher.py")]
    for size in SIZES:
        icon = data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "fragment-demos.png"
        source = ROOT / "build" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "fragment-demos.png"
        assert icon.read_bytes() == source.read_bytes()
    assert not (home / ".local").exists(), "XDG_DATA_HOME was not respected"

    code, out, err = run(["--uninstall-desktop-entry"], home, data_home=data)
    assert (code, err) == (0, "")
    assert "9 files" in out
    assert files_under(data) == before
    code, out, _ = run(["--uninstall-desktop-entry"], home, data_home=data)
    assert code == 0 and "nothing to remove" in out


def test_without_xdg_data_home_it_goes_to_local_share(home: Path) -> None:
    code, _, err = run(["--install-desktop-entry"], home, data_home=None)
    assert (code, err) == (0, "")
    assert (home / ".local" / "share" / "applications" / "fragment-demos.desktop").is_file()
    assert (home / ".local" / "share" / "icons" / "hicolor" / "48x48" / "apps" / "fragment-demos.png").is_file()
    code, _, _ = run(["--uninstall-desktop-entry"], home, data_home=None)
    assert code == 0 and files_under(home / ".local" / "share") == set()


def test_exec_is_the_file_a_first_stage_names(home: Path) -> None:
    data = home / "data"
    executable = "/opt/Fragment Demos/fragment-demos"  # a space, quoted as the spec says
    code, _, _ = run(["--install-desktop-entry"], home, data_home=data,
                     env={"DESKTOP_SHELL_EXECUTABLE": executable})
    assert code == 0
    entry = data / "applications" / "fragment-demos.desktop"
    assert read_entry(entry)["Exec"] == f'"{executable}"'
    assert subprocess.run(["desktop-file-validate", str(entry)]).returncode == 0


def test_an_unwritable_data_folder_is_a_sentence(home: Path) -> None:
    data = home / "data"
    data.write_text("a file where the folder should be")
    code, out, err = run(["--install-desktop-entry"], home, data_home=data)
    assert code == 1 and out == ""
    assert err.startswith("fragment-demos: error: could not install the menu entry:") and "Traceback" not in err


@pytest.mark.slow
def test_the_entry_starts_the_app_whose_window_matches_it(home: Path, launched: Launches) -> None:
    """Started from its Exec line as a desktop does (no terminal, another folder), the
    window's WM_CLASS is the entry's StartupWMClass, so docks group and pin it."""
    data = home / "data"
    code, _, _ = run(["--install-desktop-entry"], home, data_home=data)
    assert code == 0
    fields = read_entry(data / "applications" / "fragment-demos.desktop")
    elsewhere = home / "elsewhere"
    elsewhere.mkdir()
    with open_app([], home, launched, command=shlex.split(fields["Exec"]), cwd=elsewhere) as (app, window, page):
        wait_rendered(page, "Data feed")
        page.close()
        instance, klass = x11.wm_class(window)
        assert klass == fields["StartupWMClass"]
        assert instance == fields["StartupWMClass"]  # docks that match the instance too



def test_exec_quotes_what_the_spec_reserves(tmp_path: Path) -> None:
    from desktop_shell.process import desktop_entry

    odd = '/home/a b/100% "$HOME"\\`x`/fragment-demos'
    text = desktop_entry.entry_text(demo_app().app, [odd, "--page", "sales"])
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    # Quoted, with " ` $ \ escaped, % doubled; then the key's own escape doubles backslashes.
    assert exec_line == 'Exec="/home/a b/100%% \\\\"\\\\$HOME\\\\"\\\\\\\\\\\\`x\\\\`/fragment-demos" --page sales'
    entry = tmp_path / "fragment-demos.desktop"
    entry.write_text(text)
    validated = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert validated.returncode == 0 and validated.stdout == "", validated.stdout
