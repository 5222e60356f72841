"""Run the app that app/app.toml describes in a native window (`python launcher.py --help`)."""

from __future__ import annotations

import sys

from desktop_shell.__main__ import main  # installs the stop signals before anything slow

if __name__ == "__main__":
    sys.exit(main())
