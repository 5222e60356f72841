"""Start-up timing of a built executable: first window, and a whole --self-test.

    DISPLAY=:57 .venv/bin/python build/measure_startup.py dist/fragment-demos [--runs 3]

For each run it starts `EXE --self-test` with TMPDIR set to a fresh empty folder,
and records:
  window  seconds until an X window titled "Fragment Demos" is mapped (the loading
          screen a person sees first; for a onefile build this includes unpacking);
  total   seconds until the process exits (both pages rendered and checked);
  left    whether anything (an unpacked _MEI* folder) was left in TMPDIR.
Linux/X11 only (python-xlib, a test dependency of the project).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from Xlib import X, display  # python-xlib

TITLE = "Fragment Demos"


def _has_window(dpy: display.Display, title: str) -> bool:
    pending = [dpy.screen().root]
    while pending:
        window = pending.pop()
        try:
            attrs = window.get_attributes()
            name = window.get_wm_name()
            if attrs.map_state == X.IsViewable and name and title in str(name):
                return True
            pending.extend(window.query_tree().children)
        except Exception:  # noqa: BLE001 - windows come and go while we walk the tree
            continue
    return False


def run_once(exe: Path) -> dict[str, float | bool]:
    dpy = display.Display()
    with tempfile.TemporaryDirectory(prefix="fd-measure-") as tmp:
        env = dict(os.environ, TMPDIR=tmp)
        started = time.monotonic()
        proc = subprocess.Popen(
            [str(exe), "--self-test"], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        window = float("nan")
        while proc.poll() is None:
            if window != window and _has_window(dpy, TITLE):  # nan: not seen yet
                window = time.monotonic() - started
            time.sleep(0.02)
        total = time.monotonic() - started
        out = proc.stdout.read() if proc.stdout else ""
        left = bool(os.listdir(tmp))
    dpy.close()
    ok = proc.returncode == 0 and out.count(": ok (") == 2
    if not ok:
        print(f"exit {proc.returncode}, output:\n{out}", file=sys.stderr)
    return {"window": window, "total": total, "ok": ok, "left": left}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exe", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results = []
    for n in range(args.runs):
        result = run_once(args.exe.resolve())
        results.append(result)
        print(f"run {n + 1}: window {result['window']:.2f} s, self-test {result['total']:.2f} s, "
              f"ok={result['ok']}, left in TMPDIR={result['left']}", flush=True)
    print(f"median: window {statistics.median(r['window'] for r in results):.2f} s, "
          f"self-test {statistics.median(r['total'] for r in results):.2f} s")
    return 0 if all(r["ok"] and not r["left"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
