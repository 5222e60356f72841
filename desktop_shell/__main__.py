"""`python -m desktop_shell` and the installed `fragment-demos` command: as launcher.py."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    # First, before the imports below: Ctrl+C or SIGTERM from now on is a clean exit 0.
    from desktop_shell.process.stop_signals import StopSignals

    stop = StopSignals().install()
    from desktop_shell.process.cli import main as run

    return run(argv, stop)


if __name__ == "__main__":
    sys.exit(main())
