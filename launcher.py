"""Run the app that app/app.toml describes in a native window (`python launcher.py --help`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from fragment_demos.cli import main as run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
