"""The first stage of the single-file executable: unpack once into a per-user cache, run from there.

PyInstaller's onefile bootloader inflates its whole archive into a new `_MEI*` folder at
every start (and its maintainers decline a cached mode: pyinstaller/pyinstaller#7907).
So the single file is a tiny PyInstaller onefile program (this package, a few MiB) that
carries the app's onedir folder as a zip payload; it unpacks that once per user and build,
and later starts only check the cache with stat() and exec the app from it.
build/README.md has the layout, the cache protocol and its limits.
"""
