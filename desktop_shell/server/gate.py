"""Only our window gets in: a per-launch secret, and only our own Host name.

A server on 127.0.0.1 is reachable by every process and user of the machine, and by
web pages in the user's browser (DNS rebinding makes evil.example resolve to
127.0.0.1). So every HTTP request and WebSocket handshake must carry this launch's
secret, or it gets 403:

- the first URL the window (or --headless / --browser user) opens carries it as
  `?secret=...`; the gate answers with a redirect to the same URL without it and sets
  the secret as a cookie: HttpOnly (page scripts cannot read it), SameSite=Strict (no
  other site's page can make the browser send it), Path=/ ;
- later requests, the WebSocket included, carry the cookie.

The Host header must name our loopback address and port, which a rebound DNS name
cannot. Streamlit's own XSRF protection stays on behind this gate.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "desktop_shell_secret"
QUERY = "secret"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


class SecretGate:
    """ASGI middleware: pass requests with the secret and our Host; 403 the rest."""

    def __init__(self, app: ASGIApp, *, secret: str, hosts: frozenset[str]) -> None:
        self._app = app
        self._secret = secret.encode()
        self._hosts = hosts

    def _matches(self, candidate: str) -> bool:
        return hmac.compare_digest(candidate.encode(), self._secret)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self._app(scope, receive, send)  # lifespan
            return
        if _header(scope, b"host") not in self._hosts:
            await self._refuse(scope, receive, send, "unknown host")
            return
        cookie = SimpleCookie(_header(scope, b"cookie"))
        if COOKIE in cookie and self._matches(cookie[COOKIE].value):
            await self._app(scope, receive, send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = [value for key, value in query if key == QUERY]
        if scope["type"] == "http" and given and self._matches(given[0]):
            rest = urlencode([(k, v) for k, v in query if k != QUERY])
            location = scope.get("root_path", "") + scope["path"] + (f"?{rest}" if rest else "")
            await self._redirect_with_cookie(send, location)
            return
        await self._refuse(scope, receive, send, "no secret")

    async def _redirect_with_cookie(self, send: Send, location: str) -> None:
        cookie = f"{COOKIE}={self._secret.decode()}; HttpOnly; SameSite=Strict; Path=/"
        await send({
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode("latin-1")),
                (b"set-cookie", cookie.encode("latin-1")),
                (b"cache-control", b"no-store"),
                (b"content-length", b"0"),
            ],
        })
        await send({"type": "http.response.body", "body": b""})

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, why: str) -> None:
        if scope["type"] == "websocket":
            # Closing before accepting refuses the handshake: uvicorn answers HTTP 403.
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 1008, "reason": why})
            return
        body = b"403 Forbidden: this app only answers its own window.\n"
        await send({
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode())],
        })
        await send({"type": "http.response.body", "body": body})
