"""The command line as a person uses it: help, version, headless and browser modes."""

from __future__ import annotations

import signal
import tomllib
from pathlib import Path

import pytest

from tests.support import procs
from tests.support.http import Browser
from tests.support.launch import ROOT, FakeSystemBrowser, Launched, Launches


def run(*args: str, home: Path, launched: Launches) -> tuple[int, str, str]:
    app = launched.start(args, home)  # killed at the end of the test if it hangs
    out, err = app.output(timeout=30)
    return app.process.returncode, out, err


def test_help_lists_every_option(home: Path, launched: Launches) -> None:
    code, out, _ = run("--help", home=home, launched=launched)
    assert code == 0
    for option in ("--page", "--port", "--browser", "--headless", "--dev", "--debug",
                   "--version", "--self-test", "--new-instance", "data-feed", "sales"):
        assert option in out


def test_version_is_the_pyproject_version(home: Path, launched: Launches) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    code, out, _ = run("--version", home=home, launched=launched)
    assert (code, out.strip()) == (0, f"Fragment Demos {version}")


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_bad_port_is_a_usage_error(port: str, home: Path, launched: Launches) -> None:
    code, _, err = run("--port", port, home=home, launched=launched)
    assert code == 2 and "--port" in err and "Traceback" not in err


def start_headless(home: Path, launched: Launches, *args: str) -> tuple[Launched, str]:
    app = launched.start(["--headless", *args], home)
    return app, app.first_line().strip()  # the first line is the URL


@pytest.mark.timeout(120)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_headless_prints_url_serves_and_stops_on_signal(
    sig: signal.Signals, home: Path, launched: Launches
) -> None:
    app, url = start_headless(home, launched, "--page", "sales")
    assert url.startswith("http://127.0.0.1:") and "/sales?secret=" in url, url
    port = int(url.split(":")[2].split("/")[0])
    status, page = Browser().get(url)
    assert status == 200 and '<div id="root">' in page
    app.signal(sig)
    assert app.wait(20) == 0
    _, err = app.output()
    assert "Traceback" not in err
    assert procs.port_is_free(port)
    assert "stopped" in app.log_file.read_text()


@pytest.mark.timeout(120)
def test_headless_fixed_port_taken_is_a_clear_error(home: Path, launched: Launches) -> None:
    port = procs.free_port()
    first, url = start_headless(home, launched, "--port", str(port))
    assert url.startswith(f"http://127.0.0.1:{port}/")
    second = launched.start(["--headless", "--port", str(port)], home / "second")
    out, err = second.output(timeout=30)
    assert second.process.returncode == 1
    assert out == ""  # no URL: nothing is served
    assert f"Port {port} on 127.0.0.1 is already in use" in err and "Traceback" not in err
    first.signal(signal.SIGTERM)
    assert first.wait(20) == 0


@pytest.mark.timeout(120)
def test_browser_mode_opens_the_system_browser(home: Path, launched: Launches) -> None:
    browser = FakeSystemBrowser(home)
    app = launched.start(["--browser"], home, env=browser.env)
    url = browser.wait_opened(app)
    assert url.startswith("http://127.0.0.1:")
    assert Browser().get(url)[0] == 200
    app.signal(signal.SIGINT)
    assert app.wait(20) == 0
    assert "Traceback" not in app.output()[1]

