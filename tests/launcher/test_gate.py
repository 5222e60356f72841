"""Only our window gets in: requests without this launch's secret, or for another Host, get 403."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import websocket

from desktop_shell.server.gate import COOKIE
from desktop_shell.server.server import AppServer
from desktop_shell.settings import Settings
from tests.support.http import Browser
from tests.support.launch import ROOT, Launches, demo_app
from tests.support.window import open_app, wait_rendered


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    tmp = tmp_path_factory.mktemp("gate")
    app = AppServer(Settings(
        app_script=ROOT / "app" / "streamlit_app.py", manifest=demo_app(), log_file=tmp / "log"
    ))
    app.start()
    app.wait_ready(60)
    yield app
    app.stop()


def status(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def handshake(url: str, headers: list[str], host: str | None = None) -> str:
    """'accepted', or the HTTP status that refused the WebSocket handshake."""
    try:
        ws = websocket.create_connection(
            url, header=headers, host=host, timeout=10, suppress_origin=True
        )
    except websocket.WebSocketBadStatusException as exc:
        return str(exc.status_code)
    ws.close()
    return "accepted"


def test_requests_without_the_secret_are_refused(
    server: AppServer, capsys: pytest.CaptureFixture[str]
) -> None:
    base = server.base_url
    wrong_cookie = {"Cookie": f"{COOKIE}=not-the-secret"}
    attempts = {
        "page, no secret": status(base + "/"),
        "page, wrong secret in URL": status(base + "/?secret=not-the-secret"),
        "page, wrong cookie": status(base + "/", wrong_cookie),
        "static file, no secret": status(base + "/static/js/index.js"),
        "health, no secret": status(base + "/_stcore/health"),
        "page, right cookie, foreign Host (DNS rebinding)": status(
            base + "/", {"Cookie": server.cookie, "Host": "evil.example"}
        ),
    }
    with capsys.disabled():  # the figures belong in the CI log
        print(f"refused {sum(code == 403 for code in attempts.values())} of {len(attempts)}: {attempts}")
    assert set(attempts.values()) == {403}


def test_websocket_needs_the_secret(server: AppServer) -> None:
    ws_url = server.base_url.replace("http", "ws") + "/_stcore/stream"
    assert handshake(ws_url, []) == "403"
    assert handshake(ws_url, [f"Cookie: {COOKIE}=not-the-secret"]) == "403"
    assert handshake(ws_url, [f"Cookie: {server.cookie}"], host="evil.example") == "403"
    assert handshake(ws_url, [f"Cookie: {server.cookie}"]) == "accepted"


def test_the_secret_url_sets_an_httponly_strict_cookie_once(server: AppServer) -> None:
    request = urllib.request.Request(server.url())

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(request, timeout=10)
    assert answer.value.code == 303
    assert answer.value.headers["Location"] == "/"  # the secret leaves the address bar
    cookie = answer.value.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    # A browser following it gets the app, and keeps getting it with the cookie alone.
    browser = Browser()
    assert browser.get(server.url())[0] == 200
    assert browser.get(server.base_url + "/_stcore/health") == (200, "ok")


def test_each_launch_has_its_own_secret(tmp_path: Path) -> None:
    script = ROOT / "app" / "streamlit_app.py"
    first = Settings(app_script=script, manifest=demo_app(), log_file=tmp_path / "log")
    second = Settings(app_script=script, manifest=demo_app(), log_file=tmp_path / "log")
    assert first.secret != second.secret and len(first.secret) >= 40
    assert first.secret not in repr(first)  # never logged with the settings


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_the_secret_is_not_written_to_the_log(home: Path, launched: Launches) -> None:
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        # The window holds the secret only as its HttpOnly cookie; DevTools can read it.
        cookies = page.call("Network.getCookies", urls=[page.evaluate("location.origin")])["cookies"]
        secret = next(c["value"] for c in cookies if c["name"] == COOKIE)
        assert len(secret) >= 40 and "app loaded" in app.log_file.read_text()
    assert secret not in app.log_file.read_text()
    assert secret not in app.output()[1]
