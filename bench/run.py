"""Benchmark: the desktop launcher against `streamlit run` + Chromium, on this machine.

    .venv/bin/python bench/run.py [--runs N] [--quick] [--stream-seconds S] [--display :N]

Not a pass/fail test: it prints one markdown table (median, min-max over the runs,
and each figure as a ratio to the baseline measured in the same invocation) and writes
it to bench/results.md. A full run takes about 8-10 minutes; --quick (1 run, 10 s of
streaming, no warm-up) is a smoke test of the script itself. Details: bench/README.md.
The work is in the package beside this file (bench/main.py first).
"""

from __future__ import annotations

import sys
from pathlib import Path

# The project's root, not this folder, first on the path: the package is `bench`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
