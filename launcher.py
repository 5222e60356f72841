"""Fragment Demos: run the app in a native window (`python launcher.py --help`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    # First, before the imports below: Ctrl+C or SIGTERM from now on is a clean exit 0.
    from fragment_demos.stop_signals import Interrupted, StopSignals

    stop = StopSignals().install()
    try:
        from fragment_demos.cli import main as run
    except Interrupted:
        return 0
    return run(argv, stop)


if __name__ == "__main__":
    sys.exit(main())
