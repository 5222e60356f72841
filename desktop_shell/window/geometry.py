"""The window's size and position, remembered between runs and fitted to today's screens.

Saved as JSON in the per-user config folder when the window closes; read at the next
start and fitted to the screens that exist now (a monitor unplugged, a smaller
resolution, a laptop off its dock), so the window never opens off-screen or larger than
the screen. The rectangle is the window's outer frame (title bar included), in the
screens' virtual-desktop coordinates, so a fitted window keeps its title bar on screen;
`frame` is what the frame adds to the client area, to size the client from it.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from desktop_shell.window.zoom import ACTUAL_SIZE, nearest

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Rect:
    x: int
    y: int
    width: int
    height: int

    def overlap(self, other: Rect) -> int:
        """Area shared with `other`, in pixels."""
        w = min(self.x + self.width, other.x + other.width) - max(self.x, other.x)
        h = min(self.y + self.height, other.y + other.height) - max(self.y, other.y)
        return max(w, 0) * max(h, 0)


@dataclass(frozen=True, slots=True)
class Geometry:
    rect: Rect  # the outer frame
    frame: tuple[int, int] = (0, 0)  # frame width and height minus the client area's
    maximized: bool = False
    zoom: float = ACTUAL_SIZE  # the page's zoom (View menu); files before it have none

    @property
    def client_size(self) -> tuple[int, int]:
        return self.rect.width - self.frame[0], self.rect.height - self.frame[1]


# Coordinates and sizes beyond this are not a window anyone had (Qt's own limit is
# 16777215, QWIDGETSIZE_MAX): such a file is damaged, not remembered.
_LIMIT = 1 << 20


def _number(data: dict[str, object], key: str, default: int | None = None) -> int:
    value = data.get(key, default)
    # bool is an int in Python, and json gives floats for 1.0 or 1e400: neither is ours.
    if type(value) is not int or not -_LIMIT <= value <= _LIMIT:
        raise ValueError(f"{key} is {value!r}")
    return value


def parse(text: bytes) -> Geometry:
    """The geometry in a saved file's bytes; ValueError if they are not one we wrote."""
    try:
        data = json.loads(text)
    except RecursionError:  # [[[[... nested deeper than the parser goes
        raise ValueError("nested too deeply") from None
    if not isinstance(data, dict):
        raise ValueError(f"not a JSON object but {type(data).__name__}")
    rect = Rect(*(_number(data, key) for key in ("x", "y", "width", "height")))
    frame = (_number(data, "frame_width", 0), _number(data, "frame_height", 0))
    maximized = data.get("maximized", False)
    if not isinstance(maximized, bool):
        raise ValueError(f"maximized is {maximized!r}")
    # No zoom (a file from before the View menu): actual size; any other value, its step.
    geometry = Geometry(rect, frame, maximized, nearest(data.get("zoom", ACTUAL_SIZE)))
    if min(geometry.client_size) <= 0 or min(frame) < 0:
        raise ValueError(f"no room for a window: {geometry}")
    return geometry


def load(path: Path) -> Geometry | None:
    """The saved geometry, or None if there is none or the file is not ours (one warning).

    Any content is "nothing remembered": a damaged file must never stop the app.
    """
    try:
        return parse(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        log.warning("ignoring the saved window geometry in %s: %s", path, str(exc)[:200])
        return None


def save(path: Path, geometry: Geometry) -> None:
    """Write atomically: a crash mid-write must not leave a half file for the next start."""
    data = {
        **asdict(geometry.rect),
        "frame_width": geometry.frame[0],
        "frame_height": geometry.frame[1],
        "maximized": geometry.maximized,
        "zoom": geometry.zoom,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only home must not stop the app from closing
        log.warning("could not save the window geometry to %s: %s", path, exc)


def fit(saved: Geometry, screens: Sequence[Rect], minimum: tuple[int, int]) -> Geometry:
    """`saved`, moved and shrunk as little as needed to lie wholly on one of `screens`.

    The screen is the one the window overlapped most; a window on no screen at all goes
    to the first (primary) screen, centred. The client area is never smaller than
    `minimum`, unless the screen itself is smaller.
    """
    if not screens:
        return saved
    rect = saved.rect
    screen = max(screens, key=rect.overlap)
    centre = screen.overlap(rect) == 0
    if centre:
        screen = screens[0]
    width = min(max(rect.width, minimum[0] + saved.frame[0]), screen.width)
    height = min(max(rect.height, minimum[1] + saved.frame[1]), screen.height)
    if centre:
        x = screen.x + (screen.width - width) // 2
        y = screen.y + (screen.height - height) // 2
    else:
        x = min(max(rect.x, screen.x), screen.x + screen.width - width)
        y = min(max(rect.y, screen.y), screen.y + screen.height - height)
    return replace(saved, rect=Rect(x, y, width, height))
