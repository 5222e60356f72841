"""The one settings object that carries every option from the CLI to the server and window."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from .gate import new_secret

APP_NAME = "Fragment Demos"
APP_ID = "fragment-demos"  # file names, log folder, executable name
LOOPBACK = "127.0.0.1"

# CLI page name -> URL path in the Streamlit app (app/streamlit_app.py sets the same url_paths).
PAGES: dict[str, str] = {"data-feed": "", "sales": "sales"}
# Text each page shows once rendered: what the self-test and the tests wait for.
PAGE_TITLES: dict[str, str] = {
    "data-feed": "Data feed",
    "sales": "Daily vs monthly sales, by product",
}
# The Pages menu's item for each page, in order (Ctrl+1, Ctrl+2, ...).
PAGE_MENU_TITLES: dict[str, str] = {"data-feed": "Data feed", "sales": "Sales"}


class Mode(enum.Enum):
    WINDOW = "window"  # native pywebview window (default)
    BROWSER = "browser"  # serve, open the system browser
    HEADLESS = "headless"  # serve only, print the URL


@dataclass(frozen=True, slots=True)
class Settings:
    app_script: Path
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
    page: str = "data-feed"
    page_given: bool = False  # --page was on the command line: a running instance switches to it
    port: int = 0  # 0: the OS picks a free port when we bind
    dev: bool = False
    debug: bool = False
    self_test: bool = False
    new_instance: bool = False  # a window of its own even if one is running (single_instance.py)
    startup_timeout: float = 30.0  # seconds until the window shows the error screen
    self_test_timeout: float = 60.0
    window_size: tuple[int, int] = (1280, 800)
    window_min_size: tuple[int, int] = (720, 520)
    secret: str = field(default_factory=new_secret, repr=False)  # one per launch: gate.py

    def page_path(self, page: str | None = None) -> str:
        return "/" + PAGES[page or self.page]
