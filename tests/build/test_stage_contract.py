"""What the first stage hands the app across exec, named on both sides.

The stage (build/stage/first_stage/) is a program of its own, frozen without
desktop_shell, so each variable it sets for the app is written in both; these tests
keep the two spellings equal. No build needed.
"""

from __future__ import annotations

import sys

from desktop_shell.process import desktop_entry
from desktop_shell.qt import splash as app_splash
from tests.support.launch import ROOT

sys.path.insert(0, str(ROOT / "build" / "stage"))

from first_stage import handoff  # noqa: E402
from first_stage import splash as stage_splash  # noqa: E402


def test_the_start_up_pictures_connection_is_found_where_the_stage_puts_it() -> None:
    assert stage_splash.FD_VARIABLE == app_splash.HANDOVER_VARIABLE


def test_the_single_files_path_is_found_where_the_stage_puts_it() -> None:
    assert handoff.EXECUTABLE_VARIABLE == desktop_entry.EXECUTABLE_VARIABLE
