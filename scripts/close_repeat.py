"""Close the app's window with ONE WM_DELETE_WINDOW at a chosen moment, N times; count.

    .venv/bin/python scripts/close_repeat.py loaded 30 [--no-wm]

Moments: `mapped` (the loading screen), `loaded` (the window's page is the app: just
after load_url), `logged` ("app loaded" in the log), `rendered` (charts drawn).
Each run gets its own Xvfb (and openbox unless --no-wm). Per run: was the close taken
("window closing" in the log), how long until the process exited (30 s at most), and
whether it printed a traceback. Written to find why first closes looked ignored
(tests/support/x11.close_window) and why some closes took 20 s (window.py,
_release_page_waits).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import cdp, procs, x11  # noqa: E402
from tests.support.launch import APP_TITLE, launch  # noqa: E402
from tests.support.window import wait_rendered  # noqa: E402

MOMENTS = ("mapped", "loaded", "logged", "rendered")


def wait_for_moment(moment: str, log_file: Path, port: int) -> None:
    if moment == "loaded":
        cdp.connect(port, "http://127.0.0.1:", 60).close()
    elif moment == "logged":
        deadline = time.monotonic() + 60
        while "app loaded in the window" not in log_file.read_text():
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not load")
            time.sleep(0.02)
    elif moment == "rendered":
        page = cdp.connect(port, "http://127.0.0.1:", 60)
        wait_rendered(page, "Data feed")
        page.close()


def one_close(moment: str) -> tuple[bool, float | None, bool]:
    """(close taken, seconds until the process exited or None, traceback printed)."""
    home = Path(tempfile.mkdtemp(prefix="close-repeat-"))
    port = procs.free_port()
    app = launch(["--debug"], home, debug_port=port)
    try:
        window = x11.wait_for_window(APP_TITLE, 60, app.process.pid)
        wait_for_moment(moment, app.log_file, port)
        sent = time.monotonic()
        x11.close_window(window)
        try:
            app.process.wait(30)
            took: float | None = time.monotonic() - sent
        except subprocess.TimeoutExpired:
            took = None
        taken = "window closing" in app.log_file.read_text()
        return taken, took, "Traceback" in app.stderr_path.read_text()
    finally:
        app.kill()
        shutil.rmtree(home, ignore_errors=True)


def start_display(window_manager: bool) -> list[subprocess.Popen[bytes]]:
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        pass_fds=(write,), stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        os.environ["DISPLAY"] = f":{pipe.readline().strip()}"
    started = [xvfb]
    if window_manager:
        started.append(subprocess.Popen(
            ["openbox", "--sm-disable"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        ))
        time.sleep(1)  # openbox manages windows mapped from now on
    return started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("moment", choices=MOMENTS)
    parser.add_argument("runs", type=int)
    parser.add_argument("--no-wm", action="store_true", help="no window manager")
    args = parser.parse_args()
    started = start_display(not args.no_wm)
    dropped = slow = tracebacks = 0
    times: list[float] = []
    try:
        for run in range(args.runs):
            taken, took, traceback = one_close(args.moment)
            dropped += not taken
            slow += took is None or took > 5
            tracebacks += traceback
            times += [took] if took is not None else []
            if not taken or took is None or took > 5 or traceback:
                print(f"  run {run}: close taken {taken}, exited after "
                      f"{'-' if took is None else f'{took:.1f}'} s, traceback {traceback}")
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(10)
    times.sort()
    median = f"{times[len(times) // 2]:.2f} s" if times else "-"
    print(f"{args.moment}, {'no window manager' if args.no_wm else 'openbox'}: first close "
          f"not taken {dropped} of {args.runs}; exit after more than 5 s {slow}; "
          f"tracebacks {tracebacks}; exit time median {median}")
    return 1 if dropped or slow or tracebacks else 0


if __name__ == "__main__":
    sys.exit(main())
