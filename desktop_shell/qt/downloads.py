"""Downloads from the page (st.download_button, a table's CSV export) land in Downloads.

pywebview 6.2's Qt handler (webview/platforms/qt.py, on_download_requested) calls
`setPath`, which Qt 6's QWebEngineDownloadRequest no longer has
(https://doc.qt.io/qt-6/qwebenginedownloadrequest.html), so with ALLOW_DOWNLOADS on
every download fails with an AttributeError, as reported for another Qt 6 app in
https://github.com/olii-dev/stratus-browser/issues/6 . ALLOW_DOWNLOADS stays off and
this handler takes its place.
Like a browser's default, the file goes to the user's Downloads folder under the name
the page suggests; QtWebEngine makes the name unique if the file already exists.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import webview

log = logging.getLogger(__name__)


def _on_download_requested(request: Any) -> None:
    target = f"{request.downloadDirectory()}/{request.downloadFileName()}"
    request.isFinishedChanged.connect(
        lambda: log.info("download finished: %s (%s)", target, request.state().name)
    )
    log.info("download requested: %s -> %s", request.url().toString()[:80], target)
    request.accept()


def attach(window: webview.Window) -> None:
    """Accept the window's downloads (Qt backend only; Windows and macOS are not wired yet).

    Qt objects may only be touched on the GUI thread: connecting from another thread
    deadlocked against the GIL here. pywebview fires `before_show` synchronously on
    the GUI thread, once its BrowserView (window.native) exists.
    """
    if sys.platform.startswith("linux"):
        window.events.before_show += _connect


def _connect(window: webview.Window) -> None:
    browser = window.native  # pywebview's BrowserView, a QMainWindow
    browser.webview.page().profile().downloadRequested.connect(_on_download_requested)
