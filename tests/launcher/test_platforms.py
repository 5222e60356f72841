"""The parts of Windows' and macOS' wiring that can run here: the WebView2 decision and
its sentence, the shortcut table, and canaries on the pywebview code they rely on.

The rest (WinForms, Cocoa) runs only in the GitHub workflow's Windows and macOS jobs.
"""

from __future__ import annotations

from pathlib import Path

import webview
from webview.menu import Menu

from desktop_shell.platforms import current, linux, macos, shortcuts, webview2
from desktop_shell.settings import Settings
from desktop_shell.window import menu
from desktop_shell.window.actions import WindowActions
from tests.support.launch import demo_app

PYWEBVIEW = Path(webview.__file__).parent
RUNTIME = "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"


def _registry(values: dict[tuple[str, str], str]) -> webview2.Reader:
    return lambda hive, key: values.get((hive, key))


def test_no_webview2_runtime_is_a_sentence_with_the_download_link() -> None:
    text = webview2.problem(_registry({}), machine_is_64_bit=True, app_name="Fragment Demos")
    assert text == ("Fragment Demos needs the Microsoft Edge WebView2 Runtime, which is not "
                    "installed on this computer. Install it from "
                    "https://developer.microsoft.com/microsoft-edge/webview2/ and start "
                    "Fragment Demos again.")


def test_a_webview2_runtime_per_user_or_per_machine_is_enough() -> None:
    per_user = ("HKEY_CURRENT_USER", rf"Software\Microsoft\EdgeUpdate\Clients\{RUNTIME}")
    per_machine = ("HKEY_LOCAL_MACHINE", rf"SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{RUNTIME}")
    assert webview2.problem(_registry({per_user: "131.0.2903.70"}), machine_is_64_bit=True, app_name="Fragment Demos") is None
    assert webview2.problem(_registry({per_machine: "131.0.2903.70"}), machine_is_64_bit=True, app_name="Fragment Demos") is None
    # A 32-bit Windows has no WOW6432Node: the same key is under SOFTWARE.
    assert webview2.problem(_registry({per_machine: "131.0.2903.70"}), machine_is_64_bit=False, app_name="Fragment Demos")
    assert webview2.problem(_registry({}), machine_is_64_bit=True, runtime_path_set=True, app_name="Fragment Demos") is None


def test_a_removed_or_too_old_runtime_counts_as_missing() -> None:
    key = ("HKEY_CURRENT_USER", rf"Software\Microsoft\EdgeUpdate\Clients\{RUNTIME}")
    for version in ("", "0.0.0.0", "86.0.600.0", "garbage"):
        assert webview2.problem(_registry({key: version}), machine_is_64_bit=True, app_name="Fragment Demos"), version
    assert webview2.installed_version(_registry({key: "86.0.622.0"}), True) == "86.0.622.0"


def test_pywebview_still_reads_the_registry_keys_we_check() -> None:
    """Canary: webview2.py mirrors pywebview's _is_chromium; if that changes, so must it."""
    source = (PYWEBVIEW / "platforms" / "winforms.py").read_text()
    for client in webview2.CLIENTS:
        assert client in source
    assert r"WOW6432Node\Microsoft\EdgeUpdate\Clients" in source and "'pv'" in source
    assert "'86.0.622.0'" in source


def test_every_shortcut_runs_its_menu_item(tmp_path: Path) -> None:
    settings = Settings(app_script=tmp_path / "app.py", manifest=demo_app(),
                        log_file=tmp_path / "log")
    menus, titles = menu.build(WindowActions(settings, "http://127.0.0.1:1/"), settings.manifest)
    table = shortcuts.by_shortcut(menus, titles)
    assert len(table) == sum(len(texts) for texts in titles.values()) > 0
    items = {item.title: item.function for m in menus for item in m.items if hasattr(item, "function")}
    for title, texts in titles.items():
        for text in texts:
            assert table[shortcuts.parse(text)] is items[title]
    assert shortcuts.parse("Ctrl+1") == shortcuts.Shortcut(frozenset({"Ctrl"}), "1")
    assert shortcuts.parse("Ctrl+Shift+r") == shortcuts.Shortcut(frozenset({"Ctrl", "Shift"}), "R")
    # macOS: Cmd+Q is the system app menu's Quit; the others are ours.
    assert shortcuts.parse(titles["Quit"][0]) in macos.SYSTEM_TAKES
    assert all(isinstance(m, Menu) for m in menus)


def test_pywebview_menus_still_have_no_shortcuts() -> None:
    """Canary: platforms/windows.py and macos.py add them; pywebview may do it one day."""
    assert "TODO: support platform-agnostic shortcut" in (PYWEBVIEW / "menu.py").read_text()
    cocoa = (PYWEBVIEW / "platforms" / "cocoa.py").read_text()
    assert "item.title, 'handleMenuAction:', ''" in cocoa  # items made with no key equivalent


def test_this_system_has_its_module() -> None:
    assert current() is linux
    assert current().window_problem.__module__ == "desktop_shell.qt.linux_libraries"
