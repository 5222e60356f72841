"""The app in the Linux desktop's menu: a desktop entry and its icons, for this user.

`--install-desktop-entry` writes $XDG_DATA_HOME/applications/<app id>.desktop
(~/.local/share by default) and the hicolor icons beside it under icons/; the entry runs
the program that was started to install it, so it works for the single file, an
installed command (pip, pipx, uv tool) and a checkout alike. `--uninstall-desktop-entry`
removes exactly those files (and the folders that are left empty by it).
https://specifications.freedesktop.org/desktop-entry-spec/latest/
https://specifications.freedesktop.org/icon-theme-spec/latest/
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_shell import resources
from desktop_shell.manifest import App

# The file a person double-clicked, when that is not sys.executable: a first stage that
# unpacks the single file into a cache and runs it from there sets it to its own path.
EXECUTABLE_VARIABLE = "DESKTOP_SHELL_EXECUTABLE"
CATEGORIES = ("Education", "DataVisualization")


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset, empty or relative (XDG spec)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the entry and its icons go under one data folder."""

    data_home: Path
    app_id: str

    @property
    def entry(self) -> Path:
        return self.data_home / "applications" / f"{self.app_id}.desktop"

    @property
    def icon_theme(self) -> Path:
        return self.data_home / "icons" / "hicolor"

    def icons(self, source: Path) -> dict[Path, Path]:
        """Each icon in `source` (an hicolor folder) -> where it is installed."""
        return {
            png: self.icon_theme / png.relative_to(source)
            for png in sorted(source.glob(f"*/apps/{self.app_id}.png"))
        }

    def installed_files(self) -> list[Path]:
        """The files an install writes, whichever sizes it had."""
        return [self.entry, *sorted(self.icon_theme.glob(f"*/apps/{self.app_id}.png"))]


def command(argv0: str | None = None) -> list[str]:
    """The command that starts this program again, as it was started now.

    The variable (a first stage's path) first; a frozen executable is sys.executable;
    `python -m desktop_shell` and `python launcher.py` are run by this interpreter;
    an installed `fragment-demos` script is its own file.
    """
    override = os.environ.get(EXECUTABLE_VARIABLE)
    if override:
        return [os.path.abspath(override)]
    if resources.is_frozen():
        return [sys.executable]
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name.endswith(".__main__"):  # python -m <package>
        return [sys.executable, "-m", spec.name.rpartition(".")[0]]
    script = os.path.abspath(argv0 if argv0 is not None else sys.argv[0])
    if script.endswith(".py"):
        return [sys.executable, script]
    return [script]


def _quote(argument: str) -> str:
    """One argument of Exec, quoted as the spec requires when it holds reserved characters."""
    reserved = set(' \t\n"\'\\><~|&;$*?#()`')
    if argument and not reserved & set(argument):
        return argument.replace("%", "%%")
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'.replace("%", "%%")


def _escape(value: str) -> str:
    """A string value of a key: backslashes (the quoting's own included) are doubled."""
    return value.replace("\\", "\\\\").replace("\n", "\\n")


def entry_text(app: App, exec_command: Sequence[str]) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",  # the newest that Debian 12's desktop-file-validate knows
        f"Name={_escape(app.name)}",
        f"Comment={_escape(app.description)}",
        f"Exec={_escape(' '.join(_quote(a) for a in exec_command))}",
        f"Icon={app.id}",
        "Terminal=false",
        f"Categories={';'.join(CATEGORIES)};",
        # The window's WM_CLASS (splash.py sets it): docks match the window to the entry.
        f"StartupWMClass={app.id}",
        "",
    ])


def _write(path: Path, data: bytes) -> None:
    """Atomically, so a desktop never reads half an entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def install(app: App, layout: Layout, exec_command: Sequence[str]) -> list[Path]:
    """Write the icons, then the entry (which names them); return the files written."""
    written = []
    for source, target in layout.icons(resources.hicolor_icons()).items():
        _write(target, source.read_bytes())
        written.append(target)
    if not written:
        raise FileNotFoundError(f"no icons in {resources.hicolor_icons()}")
    _write(layout.entry, entry_text(app, exec_command).encode("utf-8"))
    layout.entry.chmod(0o755)  # some desktops trust only executable entries
    return [layout.entry, *written]


def uninstall(layout: Layout) -> list[Path]:
    """Remove what `install` wrote, and the folders that leaves empty; return the files."""
    removed = []
    for path in layout.installed_files():
        if not path.is_file():
            continue
        path.unlink()
        removed.append(path)
        folder = path.parent
        while folder != layout.data_home and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return removed


def install_for_this_user(app: App) -> int:
    """--install-desktop-entry: install, say where, exit code."""
    layout = Layout(data_home(), app.id)
    run = command()
    try:
        written = install(app, layout, run)
    except OSError as exc:
        print(f"{app.id}: error: could not install the menu entry: {exc}", file=sys.stderr)
        return 1
    print(f"{app.name} is now in the desktop's menu: {layout.entry}\n"
          f"It runs: {' '.join(run)}\n"
          f"Icons: {len(written) - 1} sizes under {layout.icon_theme}")
    return 0


def uninstall_for_this_user(app: App) -> int:
    """--uninstall-desktop-entry: remove, say what, exit code."""
    layout = Layout(data_home(), app.id)
    try:
        removed = uninstall(layout)
    except OSError as exc:
        print(f"{app.id}: error: could not remove the menu entry: {exc}", file=sys.stderr)
        return 1
    print(f"Removed {app.name}'s menu entry and icons ({len(removed)} files) from {layout.data_home}"
          if removed else f"{app.name} has no menu entry in {layout.data_home}: nothing to remove")
    return 0
