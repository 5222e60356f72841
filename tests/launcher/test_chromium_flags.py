"""QtWebEngine's flags: ours merged with the user's QTWEBENGINE_CHROMIUM_FLAGS, theirs win.

What V8 makes of the merged value is checked in a real QtWebEngine page: Chromium keeps
only the last `--js-flags`, so a second one would silently drop the first.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_shell.qt.chromium_flags import V8_FLAGS, merged
from tests.support import procs
from tests.support.launch import ROOT, Launches
from tests.support.window import open_app, wait_rendered

SWITCHES = (("--renderer-process-limit=1", "why"),)
V8 = (("--expose-gc", "why"), ("--max-lazy", "why"))


def test_ours_are_added_to_nothing() -> None:
    assert merged("", SWITCHES, V8) == "--renderer-process-limit=1 --js-flags=--expose-gc,--max-lazy"


def test_a_switch_the_user_gave_is_left_as_given() -> None:
    assert merged("--renderer-process-limit=4", SWITCHES, ()) == "--renderer-process-limit=4"


def test_the_users_v8_flags_join_ours_in_one_js_flags_theirs_last() -> None:
    flags = merged("--foo --js-flags=--stack-size=900 --bar", (), V8)
    assert flags == "--foo --bar --js-flags=--expose-gc,--max-lazy,--stack-size=900"


def test_a_v8_flag_the_user_gave_is_not_added_in_either_spelling() -> None:
    flags = merged('--js-flags="--max_lazy --no-expose-gc"', (), V8)
    assert flags == "--js-flags=--expose-gc,--max_lazy,--no-expose-gc"  # theirs last: it wins
    assert merged("--js-flags=--max_lazy", (), V8) == "--js-flags=--expose-gc,--max_lazy"
    assert merged("--js-flags=--expose-gc,--max-lazy", (), V8) == "--js-flags=--expose-gc,--max-lazy"


def test_blink_and_log_switches_pass_through() -> None:
    user = "--blink-settings=preferredColorScheme=0 --log-level=3"
    assert merged(user, SWITCHES, ()) == f"{user} --renderer-process-limit=1"


# A QtWebEngine page, started with QTWEBENGINE_CHROMIUM_FLAGS=argv[1], prints what the
# JavaScript expression argv[2] gives; V8's own complaints go to stderr.
PROBE = """
import os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication
os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = sys.argv[1]
app = QApplication([])
view = QWebEngineView()
def report(value):
    print(value, flush=True)
    app.quit()
view.loadFinished.connect(lambda ok: view.page().runJavaScript(sys.argv[2], 0, report))
view.setHtml("<p>probe</p>")
view.show()
QTimer.singleShot(30000, app.quit)
app.exec()
"""


def probe(flags: str, expression: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, flags, expression], cwd=ROOT, capture_output=True,
        text=True, timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


@pytest.mark.slow
def test_v8_gets_both_ours_and_the_users_flags() -> None:
    # Each of the two V8 flags exposes a function: the page reports which it got.
    flags = merged("--js-flags=--expose-externalize-string", (), (("--expose-gc", ""),))
    result = probe(flags, "typeof gc + ' ' + typeof externalizeString")
    assert result.stdout.split() == ["function", "function"], result.stderr[-2000:]


# V8 says "Error: unrecognized flag --x" on stderr for a flag it does not know, and goes
# on without it: our flags would then quietly do nothing after a QtWebEngine upgrade.
@pytest.mark.slow
def test_canary_this_v8_knows_every_flag_we_give_it() -> None:
    """A canary for chromium_flags.V8_FLAGS: V8 (QtWebEngine's) knows each of them; the
    planted unknown flag shows that the check can fail."""
    planted = "--no-such-v8-flag-planted"
    flags = [flag for flag, _ in V8_FLAGS]
    result = probe("--js-flags=" + ",".join([*flags, planted]), "1")
    unknown = re.findall(r"unrecognized flag (\S+)", result.stderr)
    assert unknown == [planted], result.stderr[-2000:]


@pytest.mark.slow
def test_the_apps_tree_has_no_unsandboxed_zygote(home: Path, launched: Launches) -> None:
    """--no-unsandboxed-zygote (CHROMIUM_SWITCHES) reaches QtWebEngine: of Chromium's two
    zygotes, only the one the renderer is forked from runs."""
    with open_app([], home, launched) as (app, _, page):
        wait_rendered(page, "Data feed")
        lines = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                 for pid in procs.descendants(app.process.pid)]
    zygotes = [line for line in lines if "--type=zygote" in line]
    assert zygotes, lines  # the check below looks at Chromium's processes
    assert not [line for line in zygotes if "--no-zygote-sandbox" in line], zygotes
