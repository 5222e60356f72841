"""The single file's first stage, with the real built file: its per-user cache and its window.

The first start unpacks the app's folder into $XDG_CACHE_HOME/fragment-demos/builds/<key>/
(build/stage/first_stage/cache.py); later starts run from there. Every launch gets its
own HOME, XDG folders (the cache, and XDG_RUNTIME_DIR with the single-instance lock) and
TMPDIR, and is registered for clean-up. Linux only.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import cdp, procs, x11
from tests.support.launch import APP_TITLE, Launched, Launches
from tests.support.window import close_and_wait, screenshot, wait_rendered

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds the Linux executable"),
    pytest.mark.timeout(1800 + 600),  # the first test may wait for the build
]

LOCK_NAME = ".stage-lock"  # first_stage/locks.py
START_TIMEOUT = 300  # seconds: a cold start inflates ~520 MiB on a loaded machine


def start(executable: Path, home: Path, launched: Launches, *args: str,
          env: dict[str, str] | None = None, debug_port: int | None = None) -> Launched:
    """Start the single file as a person would, with this home's folders."""
    tmpdir = home / "tmp"
    tmpdir.mkdir(parents=True, exist_ok=True)
    app = launched.start(list(args), home, command=[str(executable)], cwd=home, debug_port=debug_port,
                         env={"HOME": str(home), "TMPDIR": str(tmpdir), **(env or {})})
    return app


def version(executable: Path, home: Path, launched: Launches,
            env: dict[str, str] | None = None) -> Launched:
    """`--version`: unpacks (or checks the cache), execs the app, which prints and exits."""
    app = start(executable, home, launched, "--version", env=env)
    code = app.wait(START_TIMEOUT)
    out, err = app.output()
    assert code == 0, f"exit {code}\n{out}\n{err[-3000:]}"
    assert out.startswith("Fragment Demos "), out
    return app


def builds(home: Path) -> Path:
    return home / "cache" / "fragment-demos" / "builds"


def published(home: Path) -> list[Path]:
    return sorted(p for p in builds(home).iterdir() if not p.name.startswith("."))


def files(folder: Path) -> dict[str, tuple[int, int, int]]:
    """{relative path: (size, inode, mtime_ns)} of every file and link, lock left out."""
    found = {}
    for path in folder.rglob("*"):
        info = path.lstat()
        if path.name != LOCK_NAME and not stat.S_ISDIR(info.st_mode):
            found[path.relative_to(folder).as_posix()] = (info.st_size, info.st_ino, info.st_mtime_ns)
    return found


def assert_same_as_onedir(folder: Path, onedir: Path) -> None:
    """The cache holds exactly the onedir build's files, each with its size."""
    sizes = {name: size for name, (size, _i, _m) in files(folder).items()}
    expected = {name: size for name, (size, _i, _m) in files(onedir).items()}
    assert sizes == expected


def tmp_left(home: Path) -> list[str]:
    return sorted(os.listdir(home / "tmp"))


def test_cold_start_unpacks_once_and_the_warm_start_writes_nothing(
    executable: Path, onedir_folder: Path, home: Path, launched: Launches
) -> None:
    version(executable, home, launched)
    [cache] = published(home)
    assert [p.name for p in builds(home).iterdir()] == [cache.name], "temporary folders left"
    for folder in (home / "cache" / "fragment-demos", builds(home), cache):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert_same_as_onedir(cache, onedir_folder)
    assert tmp_left(home) == []
    before = files(cache)

    version(executable, home, launched)

    assert published(home) == [cache]
    assert files(cache) == before, "the warm start wrote files into the cache"
    assert [p.name for p in builds(home).iterdir()] == [cache.name]
    assert tmp_left(home) == []


def _largest(folder: Path) -> Path:
    return max((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.stat().st_size)


@pytest.mark.parametrize("damage", ["truncated", "deleted"])
def test_a_damaged_cache_is_unpacked_again(
    damage: str, executable: Path, onedir_folder: Path, home: Path, launched: Launches
) -> None:
    version(executable, home, launched)
    [cache] = published(home)
    victim = _largest(cache) if damage == "truncated" else cache / "_internal" / "base_library.zip"
    if damage == "truncated":
        os.truncate(victim, victim.stat().st_size // 2)
    else:
        victim.unlink()

    version(executable, home, launched)

    assert published(home) == [cache]
    assert_same_as_onedir(cache, onedir_folder)
    assert [p.name for p in builds(home).iterdir()] == [cache.name]


def _wait_unpacking(app: Launched, home: Path) -> None:
    """Until the first start has written 20 MiB into its temporary folder."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        partial = list(builds(home).glob(".tmp-*")) if builds(home).exists() else []
        if partial and sum(f.stat().st_size for f in partial[0].rglob("*") if f.is_file()) > 20 << 20:
            return
        assert app.process.poll() is None, "finished before it could be stopped"
        time.sleep(0.05)
    pytest.fail("no unpacking seen")


def _signal_until_exit(app: Launched, every: float) -> None:
    """SIGTERM again and again until the process people started has exited."""
    while app.process.poll() is None:
        app.signal(signal.SIGTERM)  # Popen.send_signal: not once the process is reaped
        time.sleep(every)


@pytest.mark.parametrize("more", [False, True], ids=["one", "until-it-exits"])
def test_sigterm_while_unpacking_stops_and_removes_the_partial_folder(
    more: bool, executable: Path, home: Path, launched: Launches
) -> None:
    """More: a service manager, or a person pressing Ctrl+C again. Later signals reach
    the bootloader's parent (the process people started) after the stage has exited,
    while it removes its `_MEI*` folder; they must not cut that short
    (build/stage/bootloader.patch)."""
    app = start(executable, home, launched, "--version")
    _wait_unpacking(app, home)
    tree = app.snapshot_tree()

    app.signal(signal.SIGTERM)
    if more:
        _signal_until_exit(app, every=0.002)

    # The stage exits 143. The patched parent re-raises a signal it held during its
    # clean-up, once that is done.
    code = app.wait(60)
    assert code in ((-signal.SIGTERM, 128 + signal.SIGTERM) if more else (128 + signal.SIGTERM,)), (
        code, app.output())
    assert procs.wait_gone(tree, 10) == []
    assert list(builds(home).iterdir()) == [], "the partial folder was left"
    assert tmp_left(home) == []
    assert "Traceback" not in app.output()[1]


def test_a_start_killed_while_unpacking_leaves_nothing_that_runs(
    executable: Path, onedir_folder: Path, home: Path, launched: Launches
) -> None:
    app = start(executable, home, launched, "--version")
    _wait_unpacking(app, home)
    tree = app.snapshot_tree()
    os.kill(app.process.pid, signal.SIGKILL)  # the whole tree, as a power cut would
    for pid in procs.alive(tree):
        os.kill(pid, signal.SIGKILL)
    app.wait(10)
    assert procs.wait_gone(tree, 10) == []
    assert published(home) == [], "a half-unpacked folder was published"

    version(executable, home, launched)

    [cache] = published(home)
    assert_same_as_onedir(cache, onedir_folder)
    assert [p.name for p in builds(home).iterdir()] == [cache.name], "the half-unpacked folder is left"


def test_two_first_starts_at_once_share_one_cache(
    executable: Path, onedir_folder: Path, home: Path, launched: Launches
) -> None:
    first = start(executable, home, launched, "--version")
    second = start(executable, home, launched, "--version")
    for app in (first, second):
        code = app.wait(START_TIMEOUT)
        assert code == 0, app.output()
        assert app.output()[0].startswith("Fragment Demos ")
    [cache] = published(home)
    assert [p.name for p in builds(home).iterdir()] == [cache.name]
    assert_same_as_onedir(cache, onedir_folder)
    assert tmp_left(home) == []


@contextlib.contextmanager
def _tmpfs(folder: Path, options: str) -> Iterator[Path]:
    """A small file system of its own at `folder` (root only: mount)."""
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@contextlib.contextmanager
def _unwritable(where: str, home: Path) -> Iterator[Path]:
    """An XDG_CACHE_HOME the first stage cannot unpack 523 MiB into."""
    if where == "below a file":
        (home / "not-a-folder").write_text("")
        yield home / "not-a-folder" / "cache"  # mkdir fails: ENOTDIR, even for root
    elif os.geteuid() != 0:
        if where != "read-only folder":
            pytest.skip("mounting a file system needs root")
        (home / "read-only").mkdir(mode=0o500)
        yield home / "read-only"
    elif where == "read-only folder":
        pytest.skip("root writes into read-only folders; see the read-only file system")
    elif where == "read-only file system":
        with _tmpfs(home / "ro", "ro,size=1m") as folder:
            yield folder
    else:  # a disk that fills up in the middle of the unpacking
        with _tmpfs(home / "small", "size=50m,mode=0700") as folder:
            yield folder


@pytest.mark.parametrize(
    "where", ["below a file", "read-only folder", "read-only file system", "full file system"]
)
def test_an_unwritable_cache_location_still_starts_and_leaves_nothing(
    where: str, executable: Path, home: Path, launched: Launches
) -> None:
    with _unwritable(where, home) as cache_home:
        app = version(executable, home, launched, env={"XDG_CACHE_HOME": str(cache_home)})

        assert "for this run only" in app.output()[1]
        assert tmp_left(home) == [], "the temporary unpack was left behind"
        left = [p.relative_to(cache_home) for p in cache_home.rglob("*")] if cache_home.is_dir() else []
        assert all(not p.name.startswith(".tmp-") for p in left), left


def test_caches_of_other_builds_are_removed_unless_in_use(
    executable: Path, home: Path, launched: Launches
) -> None:
    root = builds(home)
    root.mkdir(parents=True, mode=0o755)
    os.chmod(root, 0o755)  # as another program might have made it
    old, in_use = root / "0.0.1-0000000000000000", root / "0.0.2-1111111111111111"
    for folder in (old, in_use):
        (folder / "_internal").mkdir(parents=True)
        (folder / "_internal" / "libsomething.so").write_bytes(b"x" * 1000)
        (folder / LOCK_NAME).write_text("")
    with open(in_use / LOCK_NAME) as holder:
        fcntl.flock(holder, fcntl.LOCK_SH)  # as an app of that build running from it
        version(executable, home, launched)
        assert not old.exists()
        assert in_use.exists(), "a cache in use was removed"
    assert stat.S_IMODE(root.stat().st_mode) == 0o700

    version(executable, home, launched)

    assert not in_use.exists()
    assert len(published(home)) == 1


# ------------------------------------------------------------------------- the window
def wait_app_window(app: Launched, timeout: float = START_TIMEOUT) -> int:
    """The app's window, owned by a process of this launch (the app runs in the pid the
    first stage exec'd into, a child of the bootloader people started)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in [app.process.pid, *procs.descendants(app.process.pid)]:
            if windows := x11.find_windows(APP_TITLE, pid):
                return windows[0]
        assert app.process.poll() is None, app.output()
        time.sleep(0.1)
    raise TimeoutError("no app window")


def _can_lock_exclusively(cache: Path) -> bool:
    """What a clean-up of another build tries before it deletes `cache`."""
    with open(cache / LOCK_NAME) as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def open_window(executable: Path, home: Path, launched: Launches) -> tuple[Launched, int]:
    app = start(executable, home, launched, debug_port=procs.free_port())
    window = wait_app_window(app)
    assert app.debug_port is not None
    page = cdp.connect(app.debug_port, "http://127.0.0.1:", 120)
    wait_rendered(page, "Data feed", timeout=120)
    page.close()
    return app, window


def test_closing_the_window_exits_0_and_leaves_nothing(
    executable: Path, home: Path, launched: Launches
) -> None:
    version(executable, home, launched)  # warm the cache: the window test runs from it
    app, window = open_window(executable, home, launched)
    shot = screenshot("single-file-window")
    # The bootloader's picture (Tcl/Tk, titled "tk") was closed by the app through the
    # connection the stage handed over.
    assert x11.find_windows("tk") == [], "the start-up picture is still up"
    tree = app.snapshot_tree()
    assert any("QtWebEngineProcess" in line for line in procs.still_running(tree))
    [cache] = published(home)
    assert not _can_lock_exclusively(cache), "the running app does not hold its cache's lock"

    close_and_wait(app, window, timeout=30)

    assert procs.wait_gone(tree, 10) == []
    assert tmp_left(home) == [], "the stage's temporary folder was left behind"
    assert _can_lock_exclusively(cache), "the lock outlived the app"
    assert "Traceback" not in app.output()[1]
    assert shot.stat().st_size > 0


def test_sigterm_with_the_window_open_closes_it_cleanly(
    executable: Path, home: Path, launched: Launches
) -> None:
    app, _window = open_window(executable, home, launched)
    tree = app.snapshot_tree()

    app.signal(signal.SIGTERM)

    assert app.wait(30) == 0, app.output()
    assert procs.wait_gone(tree, 10) == []
    assert tmp_left(home) == []
    assert "window closing" in app.log_file.read_text()


def test_a_second_double_click_hands_over_and_exits_0(
    executable: Path, home: Path, launched: Launches
) -> None:
    first, window = open_window(executable, home, launched)
    other = x11.OtherWindow()  # a person's other application, in front
    try:
        x11.wait_until(lambda: x11.active_window() == other.id, 20, "the other window active")

        second = start(executable, home, launched)

        assert second.wait(120) == 0, second.output()
        x11.wait_until(lambda: x11.active_window() == window, 20, "the app's window active")
    finally:
        other.close()
    assert first.process.poll() is None, "the running app exited"
    close_and_wait(first, window, timeout=30)
