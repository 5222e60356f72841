"""HTTP as a browser does it: follow the secret URL's redirect and keep its cookie."""

from __future__ import annotations

import http.cookiejar
import urllib.request


class Browser:
    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url: str, timeout: float = 10) -> tuple[int, str]:
        with self._opener.open(url, timeout=timeout) as response:
            return response.status, response.read().decode()
