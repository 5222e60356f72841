"""The floors' window: a bare pywebview window, nothing else in its process.

Same window as the launcher's (pywebview's Qt backend, 1280x800, white background, the
same QtWebEngine settings: Qt's scene graph and V8 flags from desktop_shell/qt/) but no
Streamlit, no server, no logging set-up. `bench/run.py` starts it as
`python bench/floor_window.py [--url URL] [--profile DIR]` and times it like the app:

- no URL: the launcher's own loading.html (variant "floor": the first visible content);
- a URL: the app's page on a server already running (variant "floor-page": the engine's
  own launch → chart drawn), in a kept web profile in DIR (cold: an empty one).

Closing the window exits.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TITLE = "Bench Floor Window"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="floor_window.py")
    parser.add_argument("--url", help="open this page (default: the launcher's loading.html)")
    parser.add_argument("--profile", type=Path,
                        help="keep the web profile in this folder (default: private)")
    args = parser.parse_args(argv)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # as the launcher does
    sys.path.insert(0, str(ROOT))
    from desktop_shell.qt import chromium_flags, scene_graph

    # The engine as the launcher's window sets it up (window.py, _prepare_qt_environment):
    # the floor is that of our engine settings, not of QtWebEngine's defaults.
    scene_graph.choose()
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = chromium_flags.merged(
        os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", ""))
    import webview

    page = ({"url": args.url} if args.url else
            {"html": (ROOT / "desktop_shell" / "assets" / "loading.html").read_text("utf-8")})
    webview.create_window(TITLE, width=1280, height=800, background_color="#FFFFFF", **page)
    webview.start(gui="qt", debug=False, private_mode=args.profile is None,
                  storage_path=str(args.profile) if args.profile else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
