"""Command line: parse options into Settings, then run the chosen mode."""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import signal
import sys
import threading
import webbrowser
from collections.abc import Sequence

from . import logs, paths, resources, single_instance, splash
from .server import AppServer, ServerError
from .settings import APP_ID, APP_NAME, PAGES, Mode, Settings

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_ID,
        description=f"{APP_NAME}: two Streamlit fragment tutorials in a desktop window, "
        "served from this process on 127.0.0.1 and usable offline.",
        epilog=f"Logs are written to {paths.UserDirs.of(APP_ID).log} "
        f"(one file per run, the last {logs.KEEP} kept)",
    )
    parser.add_argument(
        "--page", choices=list(PAGES),
        help="page to open (default: data-feed); if the app is already running, "
        "its window switches to this page",
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
        "--new-instance", action="store_true",
        help="open a window of its own even if the app is already running (by default, "
        "a second launch brings the running window to the front and exits)",
    )
    parser.add_argument(
        "--dev", action="store_true", help="development: reload pages when their files change"
    )
    parser.add_argument("--debug", action="store_true", help="verbose logs")
    parser.add_argument(
        "--version", action="version", version=f"{APP_NAME} {resources.version()}"
    )
    return parser


def parse_settings(argv: Sequence[str] | None, dirs: paths.UserDirs | None = None) -> Settings:
    args = build_parser().parse_args(argv)
    dirs = dirs or paths.UserDirs.of(APP_ID)
    mode = Mode.BROWSER if args.browser else Mode.HEADLESS if args.headless else Mode.WINDOW
    # The person's own window keeps its place and a warm web cache between runs; a
    # self-test and a --new-instance window (which would share the profile) do not.
    own_window = mode is Mode.WINDOW and not args.self_test
    warm = own_window and not args.new_instance
    files = paths.run_files(dirs, APP_ID, keep_window=own_window, keep_web=warm)
    log_file = logs.run_log_file(files.log_folder, APP_ID)
    return Settings(
        app_script=resources.resource_path("app", "streamlit_app.py"),
        log_file=log_file,
        geometry_file=files.geometry_file,
        web_profile_dir=files.web_profile_dir,
        port_file=files.port_file,
        storage_warning=(
            f"{files.problem}: logging to {log_file}, and remembering nothing this run"
            if files.problem else ""
        ),
        mode=mode,
        page=args.page or "data-feed",
        page_given=args.page is not None,
        port=args.port,
        dev=args.dev,
        debug=args.debug,
        self_test=args.self_test,
        new_instance=args.new_instance,
    )


def _say(message: str, *, error: bool = False) -> None:
    """A line for the person at the terminal, if there is one, and for the log."""
    log.log(logging.ERROR if error else logging.INFO, "%s", message, extra=logs.FILE_ONLY)
    stream = sys.stderr if error else sys.stdout
    if stream is not None:  # windowed builds have no console streams
        print(f"{APP_ID}: error: {message}" if error else message, file=stream, flush=True)


def _warn(message: str) -> None:
    log.warning("%s", message, extra=logs.FILE_ONLY)
    if sys.stderr is not None:
        print(f"{APP_ID}: warning: {message}", file=sys.stderr, flush=True)


def _serve_until_signal(server: AppServer) -> int:
    """Block until SIGINT/SIGTERM (exit 0) or the server dies (exit 1)."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda _sig, _frame: stop.set())
    while not stop.wait(0.5):
        if not server.running:
            _say("the app server stopped unexpectedly", error=True)
            return EXIT_FAILURE
    return EXIT_OK


def _serve_in_browser(settings: Settings, server: AppServer) -> int:
    server.start()
    server.wait_ready(settings.startup_timeout)
    _say(f"Opening {server.base_url} in the system browser; press Ctrl+C to stop.")
    webbrowser.open(server.url())
    return _serve_until_signal(server)


def run(settings: Settings, instance: single_instance.Primary | None = None) -> int:
    """Run the chosen mode; `instance`: this process is the single instance (window mode)."""
    server = AppServer(settings)
    try:
        server.bind()  # first, so a taken --port fails before anything shows
        if settings.mode is Mode.BROWSER:
            return _serve_in_browser(settings, server)
        if settings.mode is Mode.HEADLESS:
            server.start()
            server.wait_ready(settings.startup_timeout)
            print(server.url(), flush=True)  # the first line on stdout, for scripts
            return _serve_until_signal(server)

        from . import selftest
        from .activation import Activator
        from .window import WindowUnavailable, run_window

        check = selftest.make_check(settings, server, _say) if settings.self_test else None
        activator = None
        if instance is not None:
            activator = Activator(server.url)
            instance.listen(activator.request)
        try:
            return run_window(
                settings, server, after_load=check,
                on_ready=activator.window_ready if activator else None,
            )
        except WindowUnavailable as exc:
            splash.close_bootloader_splash()  # no window came up to replace it
            if instance is not None:
                instance.close()  # no window to bring forward: the next launch makes its own
            if exc.browser_fallback and not settings.self_test:
                _say(f"{exc} Showing the app in the system browser instead.", error=True)
                return _serve_in_browser(settings, server)
            _say(f"{exc} Use --browser or --headless to run without a window.", error=True)
            return EXIT_FAILURE
    except ServerError as exc:
        _say(str(exc), error=True)
        return EXIT_FAILURE
    finally:
        server.stop()
        log.info("stopped")


def _exit_without_teardown(code: int) -> None:
    """At interpreter exit, end the process at once with `code`, once all is flushed.

    After the window has closed and the server has stopped, Python's own teardown
    (PySide destroying the QApplication and QtWebEngine, then every module of Qt,
    Streamlit, pandas...) took ~0.4 s of the ~0.9 s from the close click to every
    process gone (bench/), and had nothing left to save. Registered last, this runs
    first among the exit handlers, after Python has joined any non-daemon thread.
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
    return settings.mode is Mode.WINDOW and not settings.self_test and not settings.new_instance


def main(argv: Sequence[str] | None = None) -> int:
    dirs = paths.UserDirs.of(APP_ID)
    settings = parse_settings(argv, dirs)
    instance: single_instance.Primary | None = None
    problem = ""
    if _takes_part_in_single_instance(settings):
        request = single_instance.Request(settings.page if settings.page_given else None)
        try:
            instance = single_instance.claim(single_instance.default_dir(dirs), request)
        except single_instance.Unavailable as exc:
            problem = f"{exc}; opening a window of its own."
        else:
            if instance is None:
                # Nothing logged: this launch only handed over (and makes no log file).
                page = f" and opened the {request.page} page" if request.page else ""
                if sys.stdout is not None:
                    print(f"{APP_NAME} is already running: brought its window to the front{page}.",
                          flush=True)
                return EXIT_OK
    if settings.mode is not Mode.WINDOW:
        splash.close_bootloader_splash()  # no window to hand over to
    try:
        log_problem = logs.setup(settings.log_file, app_id=APP_ID, debug=settings.debug)
        log.info("%s %s starting (%s)", APP_NAME, resources.version(), settings.mode.value)
        if settings.storage_warning or log_problem:  # one line: what is not written, and so what
            _warn("; ".join(filter(None, (settings.storage_warning, log_problem))))
        if problem:
            _warn(problem)
        code = run(settings, instance)
        if settings.mode is Mode.WINDOW and "PySide6.QtWebEngineCore" in sys.modules:
            _exit_without_teardown(code)
        return code
    finally:
        if instance is not None:
            instance.close()
