"""QtWebEngine's Chromium switches and V8 flags, merged with those the user set.

QtWebEngine reads its Chromium switches once, as Qt starts, from QTWEBENGINE_CHROMIUM_FLAGS
(https://doc.qt.io/qt-6/qtwebengine-debugging.html), split on spaces ("..." keeps spaces).
Chromium keeps only the last of a repeated switch: a second `--js-flags` would replace the
user's (measured: `--js-flags=--a --js-flags=--b` gives V8 only `--b`). So V8's flags go
into one `--js-flags`, comma-separated as Chromium hands them to V8, and whatever the user
set wins: a switch they give is left as they gave it, a V8 flag they give is not added.

Why each flag: the figures are bench/ runs (`--alt-env QTWEBENGINE_CHROMIUM_FLAGS=...`),
on this machine (2 cores, Xvfb, software GL); docs/performance.md has the routes that lost.
"""

from __future__ import annotations

import re

# (flag, why). Measured with the data feed streaming every 1 s.
V8_FLAGS: tuple[tuple[str, str], ...] = (
    # V8 14.0 (QtWebEngine 6.12's Chromium 140) starts with a very large old-generation
    # limit until its first full GC, unless the embedder gives an initial one (V8's
    # heap-controller.h): the page's garbage (~9 MiB/s while streaming, all of it
    # collectable: a forced GC took the renderer from 756 to 231 MiB) piled up to ~425
    # MiB of V8 heap before the first full GC, and the committed pages stayed. Given an
    # initial 32 MiB, V8 collects from the page load on and then sizes its limits
    # itself, as Chromium 156 does unasked. A hard cap (--max-old-space-size) bounded
    # the heap too, but at +10 points of a core.
    ("--initial-old-space-size=32", "streaming plateau: renderer ~260-300 MiB, not ~750"),
)

# Chromium switches (name=value), for QtWebEngine's browser and its helper processes.
CHROMIUM_SWITCHES: tuple[tuple[str, str], ...] = ()

JS_FLAGS = "--js-flags"
_TOKEN = re.compile(r'(?:[^\s"]+|"[^"]*")+')  # a space-separated word, "..." kept whole


def _name(switch: str) -> str:
    return switch.split("=", 1)[0]


def _v8_names(value: str) -> set[str]:
    """The V8 flags named in a --js-flags value (spaces or commas between them),
    without their dashes' spelling: V8 reads --max_lazy and --max-lazy alike."""
    words = re.split(r"[\s,]+", value.strip('"'))
    return {_name(word).lstrip("-").replace("_", "-") for word in words if word}


def merged(
    user: str,
    switches: tuple[tuple[str, str], ...] = CHROMIUM_SWITCHES,
    v8_flags: tuple[tuple[str, str], ...] = V8_FLAGS,
) -> str:
    """`user`'s QTWEBENGINE_CHROMIUM_FLAGS with `switches` and `v8_flags` added where the
    user set nothing of the same name."""
    tokens = _TOKEN.findall(user)
    given = {_name(token) for token in tokens}
    added = [switch for switch, _ in switches if _name(switch) not in given]
    js_at = [i for i, token in enumerate(tokens) if _name(token) == JS_FLAGS]
    user_js = tokens[js_at[-1]].split("=", 1)[1] if js_at and "=" in tokens[js_at[-1]] else ""
    theirs = _v8_names(user_js)
    ours = [flag for flag, _ in v8_flags if _name(flag).lstrip("-").replace("_", "-") not in theirs]
    if ours:
        # Ours first, the user's after: V8 reads them in order, the later one wins.
        rest = ",".join(re.split(r"[\s,]+", user_js.strip('"'))) if user_js.strip('"') else ""
        js = f"{JS_FLAGS}={','.join(filter(None, [*ours, rest]))}"
        tokens = [token for i, token in enumerate(tokens) if i not in js_at]
        added.append(js)
    return " ".join([*tokens, *added])
