"""The one settings object that carries every option from the CLI to the server and window."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from desktop_shell.manifest import Manifest
from desktop_shell.server.gate import new_secret

LOOPBACK = "127.0.0.1"
SELF_TEST_TIMEOUT = 60.0  # seconds --self-test gives every page, together (--self-test-timeout)


class Mode(enum.Enum):
    WINDOW = "window"  # native pywebview window (default)
    BROWSER = "browser"  # serve, open the system browser
    HEADLESS = "headless"  # serve only, print the URL
    SELF_TEST = "self-test"  # every page in the window, checked; exit 0 or 1


@dataclass(frozen=True, slots=True)
class Settings:
    app_script: Path  # the entry script, app/streamlit_app.py: it serves `manifest`'s pages
    manifest: Manifest  # the app: its name, id, icon and pages (app.toml)
    log_file: Path
    # Where the window's size and place are kept between runs; None: not remembered.
    geometry_file: Path | None = None
    # The window's web profile (HTTP cache, compiled JavaScript), kept between runs so
    # the page starts warm; None: a private profile, nothing written to disk.
    web_profile_dir: Path | None = None
    # The last port used, tried first so the page's origin, which keys that cache, stays
    # the same; None: a free port chosen by the system each run.
    port_file: Path | None = None
    # "" or the one line saying which per-user folder cannot be written (a read-only
    # home), so this run logs elsewhere and remembers nothing (paths.run_files).
    storage_warning: str = ""
    mode: Mode = Mode.WINDOW
    # --page (a url_path): the page to open, or to switch a running instance to;
    # None: the manifest's default page, and a running instance stays where it is.
    page: str | None = None
    port: int = 0  # 0: the OS picks a free port when we bind
    dev: bool = False
    debug: bool = False
    new_instance: bool = False  # a window of its own even if one is running (single_instance.py)
    startup_timeout: float = 30.0  # seconds until the window shows the error screen
    self_test_timeout: float = SELF_TEST_TIMEOUT
    window_size: tuple[int, int] = (1280, 800)
    window_min_size: tuple[int, int] = (720, 520)
    secret: str = field(default_factory=new_secret, repr=False)  # one per launch: gate.py

    def page_path(self, page: str | None = None) -> str:
        return self.manifest.page(page or self.page).path
