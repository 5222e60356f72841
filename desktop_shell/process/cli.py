"""Command line: parse options into Settings, then run the chosen mode."""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import sys
import webbrowser
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from desktop_shell import resources
from desktop_shell.manifest import APP_VARIABLE, Manifest, ManifestError, app_folder, load
from desktop_shell.process import desktop_entry, logs, paths, single_instance
from desktop_shell.process.stop_signals import Interrupted, StopSignals
from desktop_shell.qt import splash
from desktop_shell.server import server_process
from desktop_shell.server.protocol import Server
from desktop_shell.server.server import AppServer, ServerError
from desktop_shell.settings import SELF_TEST_TIMEOUT, Mode, Settings

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILURE = 1


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is from 1 to 65535, not {port}")
    return port


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < seconds < 24 * 3600:
        raise argparse.ArgumentTypeError(f"seconds are more than 0 and less than a day, not {text}")
    return seconds


def load_manifest() -> Manifest:
    """The app to serve: $DESKTOP_SHELL_APP's, else the bundled app/ (ManifestError if wrong)."""
    return load(app_folder(resources.resource_path("app")))


def build_parser(manifest: Manifest) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=f"{manifest.app.name}. {manifest.app.description} Served from this "
        "process on 127.0.0.1 and shown in a desktop window; works offline.",
        epilog=f"Logs are written to {paths.UserDirs.of(manifest.app.id).log} (one file per "
        f"run, the last {logs.KEEP} kept). To serve "
        f"another app folder (its app.toml, pages and icon), set {APP_VARIABLE}=DIR.",
    )
    parser.add_argument(
        "--page", choices=manifest.page_names,
        help=f"page to open (default: {manifest.default_page.url_path}); if the app is already "
        "running, its window switches to this page",
    )
    parser.add_argument(
        "--port", type=_port, default=0, metavar="N",
        help="serve on this port of 127.0.0.1 (default: a free port chosen by the system)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--browser", action="store_true", help="open the app in the system browser instead of a window"
    )
    where.add_argument(
        "--headless", action="store_true",
        help="serve without any window; print the app's URL as the first line, run until Ctrl+C",
    )
    where.add_argument(
        "--self-test", action="store_true",
        help="open every page in the window, check that each renders, exit 0 (ok) or 1 (failed)",
    )
    parser.add_argument(
        "--self-test-timeout", type=_seconds, default=SELF_TEST_TIMEOUT,
        metavar="SECONDS",
        help="how long --self-test gives the pages, all together, to render "
        "(default: %(default).0f)",
    )
    parser.add_argument(
        "--new-instance", action="store_true",
        help="open a window of its own even if the app is already running (by default, "
        "a second launch brings the running window to the front and exits)",
    )
    parser.add_argument(
        "--dev", action="store_true", help="development: reload pages when their files change"
    )
    parser.add_argument("--debug", action="store_true", help="verbose logs")
    parser.add_argument(
        "--version", action="version", version=f"{manifest.app.name} {resources.version()}"
    )
    if sys.platform.startswith("linux"):
        entry = parser.add_mutually_exclusive_group()
        entry.add_argument(
            "--install-desktop-entry", action=_RunAndExit,
            run=partial(desktop_entry.install_for_this_user, manifest.app),
            help="add the app to the desktop's menu for this user (a .desktop file and "
            "icons under $XDG_DATA_HOME, ~/.local/share), running this program, and exit",
        )
        entry.add_argument(
            "--uninstall-desktop-entry", action=_RunAndExit,
            run=partial(desktop_entry.uninstall_for_this_user, manifest.app),
            help="remove what --install-desktop-entry added, and exit",
        )
    return parser


class _RunAndExit(argparse.Action):
    """Like --version: do one job (`run`, which returns an exit code), and exit with it."""

    def __init__(
        self, option_strings: Sequence[str], dest: str, run: Callable[[], int], **kwargs: Any
    ) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)
        self._run = run

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        parser.exit(self._run())


def parse_settings(
    argv: Sequence[str] | None, manifest: Manifest, dirs: paths.UserDirs | None = None
) -> Settings:
    args = build_parser(manifest).parse_args(argv)
    dirs = dirs or paths.UserDirs.of(manifest.app.id)
    mode = (Mode.BROWSER if args.browser else Mode.HEADLESS if args.headless
            else Mode.SELF_TEST if args.self_test else Mode.WINDOW)
    # The person's own window keeps its place and a warm web cache between runs; a
    # self-test and a --new-instance window (which would share the profile) do not.
    own_window = mode is Mode.WINDOW
    warm = own_window and not args.new_instance
    files = paths.run_files(dirs, manifest.app.id, keep_window=own_window, keep_web=warm)
    log_file = logs.run_log_file(files.log_folder, manifest.app.id)
    return Settings(
        app_script=resources.resource_path("app", "streamlit_app.py"),
        manifest=manifest,
        log_file=log_file,
        geometry_file=files.geometry_file,
        web_profile_dir=files.web_profile_dir,
        port_file=files.port_file,
        storage_warning=(
            f"{files.problem}: logging to {log_file}, and remembering nothing this run"
            if files.problem else ""
        ),
        mode=mode,
        page=args.page,
        port=args.port,
        dev=args.dev,
        debug=args.debug,
        new_instance=args.new_instance,
        self_test_timeout=args.self_test_timeout,
    )


def _say(message: str, *, error: bool = False) -> None:
    """A line for the person at the terminal, if there is one, and for the log."""
    log.log(logging.ERROR if error else logging.INFO, "%s", message, extra=logs.FILE_ONLY)
    stream = sys.stderr if error else sys.stdout
    if stream is not None:  # windowed builds have no console streams
        print(f"{_program()}: error: {message}" if error else message, file=stream, flush=True)


def _warn(message: str) -> None:
    log.warning("%s", message, extra=logs.FILE_ONLY)
    if sys.stderr is not None:
        print(f"{_program()}: warning: {message}", file=sys.stderr, flush=True)


def _program() -> str:
    """How the person started us ("launcher.py", "fragment-demos"): argparse's prog."""
    return os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "launcher"


def _serve_until_signal(server: Server, stop: StopSignals) -> int:
    """Block until SIGINT/SIGTERM (exit 0) or the server dies (exit 1)."""
    while not stop.requested.wait(0.5):
        if not server.running:
            _say("the app server stopped unexpectedly", error=True)
            return EXIT_FAILURE
    return EXIT_OK


def _serve_in_browser(settings: Settings, server: Server, stop: StopSignals) -> int:
    server.start()
    server.wait_ready(settings.startup_timeout, until=stop.requested)
    stop.check()
    _say(f"Opening {server.base_url} in the system browser; press Ctrl+C to stop.")
    webbrowser.open(server.url())
    return _serve_until_signal(server, stop)


def _serve_headless(settings: Settings, server: Server, stop: StopSignals) -> int:
    server.start()
    server.wait_ready(settings.startup_timeout, until=stop.requested)
    stop.check()
    print(server.url(), flush=True)  # the first line on stdout, for scripts
    return _serve_until_signal(server, stop)


def _show_window(
    settings: Settings, server: Server, stop: StopSignals,
    instance: single_instance.Primary | None,
) -> int:
    """The window (or the self-test in it); the system browser if no window can open."""
    from desktop_shell.window import selftest
    from desktop_shell.window.activation import Activator
    from desktop_shell.window.window import WindowApp, WindowUnavailable

    self_test = settings.mode is Mode.SELF_TEST
    check = selftest.make_check(settings, server, _say) if self_test else None
    activator = None
    if instance is not None:
        activator = Activator(server.url)
        instance.listen(activator.request, settings.manifest.page_names)
    try:
        return WindowApp(
            settings, server, stop, after_load=check,
            on_ready=activator.window_ready if activator else None,
        ).run()
    except WindowUnavailable as exc:
        splash.close_bootloader_splash()  # no window came up to replace it
        if instance is not None:
            instance.close()  # no window to bring forward: the next launch makes its own
        if exc.browser_fallback and not self_test:
            _say(f"{exc} Showing the app in the system browser instead.", error=True)
            return _serve_in_browser(settings, server, stop)
        _say(f"{exc} Use --browser or --headless to run without a window.", error=True)
        return EXIT_FAILURE


def _make_server(settings: Settings, instance: single_instance.Primary | None) -> Server:
    """The window's server forks (server_process.py) where it can; else a thread serves."""
    if not server_process.wanted(settings):
        return AppServer(settings)
    parent_only = instance.filenos() if instance is not None else ()
    handed_over = splash.handed_over_fd()
    if handed_over is not None:
        parent_only += (handed_over,)
    return server_process.ServerProcess(settings, parent_only)


def run(
    settings: Settings, stop: StopSignals, instance: single_instance.Primary | None = None
) -> int:
    """Run the chosen mode; `instance`: this process is the single instance (window mode)."""
    server = _make_server(settings, instance)
    child = isinstance(server, server_process.ServerProcess)
    try:
        server.bind()  # first, so a taken --port fails before anything shows
        if child:
            server.start()  # forked now: before any thread or Qt import
        if settings.mode is Mode.BROWSER:
            return _serve_in_browser(settings, server, stop)
        if settings.mode is Mode.HEADLESS:
            return _serve_headless(settings, server, stop)
        return _show_window(settings, server, stop, instance)
    except ServerError as exc:
        _say(str(exc), error=True)
        return EXIT_FAILURE
    finally:
        server.stop()
        log.info("stopped")


def _exit_without_teardown(code: int) -> None:
    """At interpreter exit, end the process at once with `code`, once all is flushed.

    After the window has closed (the server is left serving: window.py's end_soon),
    Python's own teardown (PySide destroying the QApplication and QtWebEngine, then
    every module of Qt, Streamlit, pandas...) took ~0.4 s of the ~0.9 s from the close
    click to every process gone (bench/), and had nothing left to save. Registered
    last, this runs first among the exit handlers, after Python has joined any
    non-daemon thread. On every platform: the toolkit's teardown is as useless there.
    """

    def exit_now() -> None:
        logging.shutdown()  # the log file is flushed and closed
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        os._exit(code)

    atexit.register(exit_now)


def _takes_part_in_single_instance(settings: Settings) -> bool:
    """Only a plain window: --self-test, --headless, --browser and --new-instance run beside it."""
    return settings.mode is Mode.WINDOW and not settings.new_instance


def _uses_qt(settings: Settings) -> bool:
    return settings.mode in (Mode.WINDOW, Mode.SELF_TEST)


def main(argv: Sequence[str] | None = None, stop: StopSignals | None = None) -> int:
    """`stop`: SIGINT/SIGTERM handling installed by the caller (launcher.py does it first)."""
    stop = stop or StopSignals().install()
    if stop.requested.is_set():
        return EXIT_OK  # stopped while the program's modules loaded
    try:
        manifest = load_manifest()
    except ManifestError as exc:
        # No log yet: its file is named after the manifest's app id.
        if sys.stderr is not None:
            print(f"{_program()}: error: {exc}", file=sys.stderr, flush=True)
        return EXIT_FAILURE
    dirs = paths.UserDirs.of(manifest.app.id)
    settings = parse_settings(argv, manifest, dirs)
    try:
        code = _main(settings, dirs, stop)
    except Interrupted:
        code = EXIT_OK
    if stop.requested.is_set():
        log.info("stopped by %s", stop.signal_name)
        if settings.mode is Mode.SELF_TEST:  # it did not check every page: not a pass
            _say(f"self-test: stopped by {stop.signal_name}", error=True)
            code = EXIT_FAILURE
    if _uses_qt(settings):
        _exit_without_teardown(code)
    return code


def _main(settings: Settings, dirs: paths.UserDirs, stop: StopSignals) -> int:
    name = settings.manifest.app.name
    instance: single_instance.Primary | None = None
    problem = ""
    if _takes_part_in_single_instance(settings):
        request = single_instance.Request(settings.page)
        try:
            instance = single_instance.claim(single_instance.default_dir(dirs), request)
        except single_instance.Unavailable as exc:
            problem = f"{exc}; opening a window of its own."
        else:
            if instance is None:
                # Nothing logged: this launch only handed over (and makes no log file).
                page = f" and opened the {request.page} page" if request.page else ""
                if sys.stdout is not None:
                    print(f"{name} is already running: brought its window to the front{page}.",
                          flush=True)
                return EXIT_OK
    stop.check()
    if not _uses_qt(settings):
        splash.close_bootloader_splash()  # no window to hand over to
    try:
        log_problem = logs.setup(settings.log_file, app_id=settings.manifest.app.id, debug=settings.debug)
        log.info("%s %s starting (%s)", name, resources.version(), settings.mode.value)
        if settings.storage_warning or log_problem:  # one line: what is not written, and so what
            _warn("; ".join(filter(None, (settings.storage_warning, log_problem))))
        if problem:
            _warn(problem)
        stop.check()
        return run(settings, stop, instance)
    finally:
        if instance is not None:
            instance.close()
