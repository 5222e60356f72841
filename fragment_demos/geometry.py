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

from .zoom import ACTUAL_SIZE, nearest

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


def load(path: Path) -> Geometry | None:
    """The saved geometry, or None if there is none or the file is not ours."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rect = Rect(*(int(data[key]) for key in ("x", "y", "width", "height")))
        frame = (int(data.get("frame_width", 0)), int(data.get("frame_height", 0)))
        geometry = Geometry(rect, frame, bool(data.get("maximized", False)),
                            nearest(data.get("zoom", ACTUAL_SIZE)))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        log.warning("ignoring the saved window geometry in %s: %s", path, exc)
        return None
    if min(geometry.client_size) <= 0 or min(frame) < 0:
        return None
    return geometry


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
