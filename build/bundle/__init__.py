"""What build/app.spec bundles, and the machinery that trims it.

- manifest.py: the app's name, id, licence, description and icon (app/app.toml),
  and its version (pyproject.toml).
- app_files.py: app/ as data files; the modules its pages import (hidden imports).
- policy.py: what is left out, each with its reason: modules, files, what stays.
- toc.py: trim a TOC by rules; drop dangling symlinks and orphaned system libraries.
- strip.py: strip symbols from binaries, except auditwheel's `*.libs/` folders.

Standard library only (PyInstaller is imported where a build needs it), so the unit
tests (tests/build/test_bundle.py) run without building anything.
"""
