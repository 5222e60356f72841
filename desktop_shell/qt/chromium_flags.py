"""QtWebEngine's Chromium switches and V8 flags, merged with those the user set.

QtWebEngine reads its Chromium switches once, as Qt starts, from QTWEBENGINE_CHROMIUM_FLAGS
(https://doc.qt.io/qt-6/qtwebengine-debugging.html), split on spaces ("..." keeps spaces).
Chromium keeps only the last of a repeated switch: a second `--js-flags` would replace the
user's (measured: `--js-flags=--a --js-flags=--b` gives V8 only `--b`). So V8's flags go
into one `--js-flags`, comma-separated as Chromium hands them to V8, and whatever the user
set wins: a switch they give is left as they gave it, a V8 flag they give is not added.

Why each flag is beside it. Measured on a 2-core VM under Xvfb, one launch per line, the
data feed streaming every 1 s for 60 s: whole-tree PSS max (MiB) and CPU (% of one core);
as measured, today's flags gave 1215-1219 MiB and 18.1-18.6 %, the renderer 7.3-7.9 %.
Routes that lost, and why:

- `--max-old-space-size=256` / `=128` (a hard cap; an earlier session, 90 s): 804 / 774
  MiB, but 26.9 / 29.1 % against 16.9 %: near its cap V8 collects all the time.
- `--optimize-for-size`: 1283 MiB, 17.2 %; `--max-semi-space-size=32`: 1250 MiB, 17.8 %.
  Neither moves the first full GC, so the heap still piles up to ~425 MiB.
- `--initial-old-space-size=64`: 781 MiB, 21.4 %; `=32` with `--heap-growing-percent=200`:
  804 MiB, 20.4 %; `=32` with `--max-semi-space-size=32`: 730 MiB, 20.6 %: no better than
  `=32` alone (751 and 771 MiB, 20.8 and 21.2 %).
- Page open (PSS of the tree 3 s after the chart; today's 629-656 MiB): `--disable-gpu`
  638, `--disable-gpu-compositing` 641, `--no-zygote` 649, `--single-process` 667 (one
  process, and a renderer crash would take the app with it), MALLOC_ARENA_MAX=2 688:
  none below the noise. What did lower it is Qt's software scene graph (scene_graph.py).
  Session 6, with the server in its forked child (whole tree 8 s after the launch, 3
  launches each, today's 563-572 MiB): `--renderer-process-limit=1` 561-572 (there is
  one renderer already); `--enable-low-end-device-mode` 555-557 (the renderer -8 MiB),
  not kept: it changes how Blink and the compositor cache and raster (a CPU cost while
  streaming, not measured). Kept: `--no-unsandboxed-zygote` (below).

The cost kept: collecting regularly costs the renderer ~2.5-3 points of a core (10.0-10.6 %
against 7.3-7.9 %; V8 14.0's full GCs mark Blink's heap too); the software scene graph
gives the app process back ~4 (scene_graph.py). With both, in one bench run (one launch
each): 17.8 % against 18.9 %, PSS max 657 MiB against 1210 (Chromium: 18.2 %, 778 MiB).
Tried to win that back, with both in place (661-667 MiB, renderer 10.1-10.4 %):
`--no-flush-bytecode` 654 MiB, 10.5 %: nothing; `--single-threaded-gc` 754 MiB, 8.4 %,
then in a bench A/B (one launch each) 16.2 % against 17.8 %, 711 MiB against 744: kept
(its GC pauses fall on the page's thread: a chart redrawn each second does not show it).
"""

from __future__ import annotations

import re

# (flag, why). Measured with the data feed streaming every 1 s.
V8_FLAGS: tuple[tuple[str, str], ...] = (
    # V8 14.0 (QtWebEngine 6.12's Chromium 140) starts with a very large old-generation
    # limit until its first full GC, unless the embedder gives an initial one (V8's
    # src/heap/heap.h, using_initial_limit_). The page's garbage (~9 MiB/s while
    # streaming, all of it collectable: a forced GC took the renderer from 756 to 231
    # MiB) piled up to ~425 MiB of V8 heap before the first full GC, and the committed
    # pages stayed. Given an initial 32 MiB, V8 collects from the page load on and then
    # sizes its limits itself, as Chromium 156 does unasked (its V8 heap: 14 MiB used
    # with the page open, 30-80 while streaming; QtWebEngine's: 50, then up to ~425).
    # A hard cap (--max-old-space-size) bounded the heap too, but at +10 points of a core.
    ("--initial-old-space-size=32", "streaming plateau: renderer ~260-300 MiB, not ~750"),
    # Collecting that often costs the renderer ~2.5-3 points of a core; on 2 cores V8's
    # GC helper threads mostly add work. Done on the page's own thread it cost 1.4-1.8
    # points less (two runs: renderer 9.0 % against 10.4 %, 8.4 against 10.1-10.4),
    # the renderer ending at 309 and 294 MiB against 282 and 259 (0.5 s: 347 against 395).
    ("--single-threaded-gc", "the renderer's GC: ~1.5 points of a core less"),
)

# Chromium switches (name=value), for QtWebEngine's browser and its helper processes.
CHROMIUM_SWITCHES: tuple[tuple[str, str], ...] = (
    # Linux: Chromium starts two zygotes and forks the page's renderer from the sandboxed
    # one. The other ("--no-zygote-sandbox") only forks utility processes that set up a
    # sandbox of their own (audio, video decoding...; QtWebEngine runs its network
    # service in the browser process): it sat idle at 22 MiB of PSS. Without it, such a
    # process would be started by fork+exec (GetUnsandboxedZygote returns null:
    # https://source.chromium.org/chromium/chromium/src/+/main:content/common/zygote/zygote_handle_impl_linux.cc).
    # Upstream's note on the switch: for platforms with very little memory whose binaries
    # are not replaced while the browser runs (content_switches.cc) - ours are the app's
    # own QtWebEngineProcess, in its venv or build folder.
    # Page open, whole tree, 3 launches each: 546-554 MiB against 563-572, 4 processes.
    ("--no-unsandboxed-zygote", "page open: one idle zygote fewer, -14 MiB"),
)

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
