"""Edit Streamlit's index.html as it is served: what the launcher adds to the page.

Streamlit serves one index.html for every page path, once per document the window loads.
`IndexPage` adds bytes at the end of its <head> and at the start of its <body>: the loading
screen laid over the page until Streamlit has drawn (loading_overlay.py) and, for a first
page that draws a chart, the chart's modulepreload links (chart_preload.py).
"""

from __future__ import annotations

import re

from desktop_shell.server.gate import ASGIApp, Message, Receive, Scope, Send

# Requests that are never the page itself (index.html is served for every other path).
_NOT_PAGES = ("/static/", "/_stcore/", "/media/", "/component/", "/app/static/")
_BODY = re.compile(rb"<body[^>]*>")


def _is_page_request(scope: Scope) -> bool:
    return (scope["type"] == "http" and scope.get("method") == "GET"
            and not str(scope.get("path", "")).startswith(_NOT_PAGES))


def edit(page: bytes, *, head: bytes, body: bytes) -> bytes:
    """`page` with `head` at the end of its <head> and `body` at the start of its <body>."""
    page = page.replace(b"</head>", head + b"</head>", 1)
    return _BODY.sub(lambda start: start.group(0) + body, page, count=1)


class IndexPage:
    """ASGI middleware: `edit` every HTML page served (200, text/html)."""

    def __init__(self, app: ASGIApp, *, head: bytes = b"", body: bytes = b"") -> None:
        self._app = app
        self._head = head
        self._body = body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (self._head or self._body) or not _is_page_request(scope):
            await self._app(scope, receive, send)
            return
        # Uncompressed, to edit it (a loopback connection gains nothing from gzip).
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope.get("headers", []) if k != b"accept-encoding"]
        start: Message | None = None
        content = bytearray()

        async def edited(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if message.get("status") == 200 and headers.get(b"content-type", b"").startswith(b"text/html"):
                    start = message  # held until the whole body is in
                    return
            elif start is not None and message["type"] == "http.response.body":
                content.extend(message.get("body", b""))
                if message.get("more_body"):
                    return
                page = edit(bytes(content), head=self._head, body=self._body)
                headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
                await send({**start, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        await self._app(scope, receive, edited)
