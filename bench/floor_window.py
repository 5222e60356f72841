"""The floor for "first visible content": a bare pywebview window showing a static page.

Same window as the launcher's (pywebview's Qt backend, 1280x800, white background, the
launcher's own loading.html, private mode) but nothing else: no Streamlit, no server,
no logging set-up. `bench/run.py` starts it as `python bench/floor_window.py` and times
it like the app. Closing the window exits.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TITLE = "Bench Floor Window"


def main() -> int:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # as the launcher does
    import webview

    html = (ROOT / "desktop_shell" / "assets" / "loading.html").read_text(encoding="utf-8")
    webview.create_window(TITLE, html=html, width=1280, height=800, background_color="#FFFFFF")
    webview.start(gui="qt", private_mode=True, debug=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
