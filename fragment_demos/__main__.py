"""`python -m fragment_demos`: the same as the `fragment-demos` command and launcher.py."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
