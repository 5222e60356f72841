"""What a window shows, sampled as a person would see it: something, or a blank surface.

`PaintWatch` grabs the window's pixels every few tens of milliseconds (X's GetImage) and
counts those that differ clearly from the most common colour: the loading screen's spinner
and text, or Streamlit's sidebar links and title, are hundreds to thousands of such pixels;
a blank page, white or dark, and Streamlit's empty sidebar panel (a shade off white) are
none. It also tells the loading screen by its spinner. The frames themselves can be
written out as PNGs to look at.
"""

from __future__ import annotations

import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from Xlib import X, display
from Xlib.error import XError

# Below the menu bar (Qt's, ~20 px): only the page counts.
PAGE_TOP = 30
# A pixel "differs" beyond this in one channel: text and the spinner do; the sidebar's
# panel (#F8F7F6 against #FFFFFF, #262730 against #171614 in dark) and antialiased
# fringes alone do not.
DIFFERS = 24
# A frame with fewer such pixels shows nothing to a person.
SOMETHING = 100
# The loading screen's spinner: its red arc (#C53948 light, #CF4250 dark) turns in a 46 px
# ring centred on the page, 43 px above the middle (assets/loading.html).
SPINNER_BOX = (48, 100)  # half width, and height above the middle, of where it turns
SPINNER_ARC = 20  # red pixels there: the spinner shows


@dataclass
class Frame:
    t: float  # seconds after the watch started
    differing: int  # pixels that differ clearly from the frame's most common colour
    spinner: bool  # the loading screen's spinner shows

    @property
    def blank(self) -> bool:
        return self.differing < SOMETHING


@dataclass
class PaintWatch:
    """Sample `window` every `interval` seconds in a thread, from `start` until `stop`.

    `keep_every`: also keep one frame's pixels every so many seconds (and every blank one
    after something showed), for `save`.
    """

    window: int
    interval: float = 0.02
    keep_every: float | None = None
    frames: list[Frame] = field(default_factory=list)
    kept: dict[float, tuple[np.ndarray, bool]] = field(default_factory=dict)
    error: BaseException | None = None

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="paint-watch", daemon=True)
        self.t0 = time.monotonic()

    def start(self) -> PaintWatch:
        self.t0 = time.monotonic()
        self._thread.start()
        return self

    def stop(self) -> list[Frame]:
        self._stop.set()
        self._thread.join(10)
        if self.error is not None:
            raise self.error
        return self.frames

    def _run(self) -> None:
        screen = display.Display()
        try:
            win = screen.create_resource_object("window", self.window)
            last_kept = -1e9
            while not self._stop.is_set():
                t = time.monotonic() - self.t0
                pixels = _grab(win)
                if pixels is not None:
                    frame = Frame(t, differing(pixels), spinner(pixels))
                    self.frames.append(frame)
                    shown = any(not f.blank for f in self.frames)
                    if self.keep_every is not None and (
                        t - last_kept >= self.keep_every or (shown and frame.blank)
                    ):
                        self.kept[t] = (pixels, frame.blank)
                        last_kept = t
                self._stop.wait(self.interval)
        except BaseException as exc:  # noqa: BLE001 - re-raised by stop()
            self.error = exc
        finally:
            screen.close()

    def save(self, folder: Path, prefix: str) -> list[Path]:
        """Write the kept frames as PNGs named after their time (ms); return the paths."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for t, (pixels, blank) in sorted(self.kept.items()):
            path = folder / f"{prefix}-{round(t * 1000):05d}ms{'-blank' if blank else ''}.png"
            path.write_bytes(png(pixels))
            paths.append(path)
        return paths


def blank_after_something(frames: list[Frame]) -> list[Frame]:
    """The blank frames that came after the window had shown something."""
    shown = next((i for i, f in enumerate(frames) if not f.blank), None)
    return [] if shown is None else [f for f in frames[shown:] if f.blank]


def _grab(win: object) -> np.ndarray | None:
    """The window's page area as an (height, width, 3) RGB array; None if it is not viewable."""
    try:
        geometry = win.get_geometry()  # type: ignore[attr-defined]
        w, h = geometry.width, geometry.height - PAGE_TOP
        if w <= 0 or h <= 0:
            return None
        image = win.get_image(0, PAGE_TOP, w, h, X.ZPixmap, 0xFFFFFFFF)  # type: ignore[attr-defined]
    except XError:
        return None
    data = np.frombuffer(bytes(image.data), dtype=np.uint8)
    if data.size != w * h * 4:
        return None
    return data.reshape(h, w, 4)[:, :, 2::-1]  # BGRX -> RGB


def differing(pixels: np.ndarray) -> int:
    """Pixels that differ by more than DIFFERS in a channel from the most common colour.

    Every other row and column (text strokes are wider than that), counted back up.
    """
    half = pixels[::2, ::2]
    packed = half[::4, ::4].astype(np.uint32) @ np.array([1 << 16, 1 << 8, 1], dtype=np.uint32)
    values, counts = np.unique(packed, return_counts=True)
    mode = int(values[counts.argmax()])
    background = np.array([mode >> 16, (mode >> 8) & 255, mode & 255], dtype=np.int16)
    return 4 * int((np.abs(half.astype(np.int16) - background).max(axis=2) > DIFFERS).sum())


def spinner(pixels: np.ndarray) -> bool:
    """Whether the loading screen's red arc turns in the middle of the page."""
    h, w, _ = pixels.shape
    half, above = SPINNER_BOX
    box = pixels[max(h // 2 - above, 0) : h // 2 + 8, max(w // 2 - half, 0) : w // 2 + half].astype(np.int16)
    red = (box[:, :, 0] > 150) & (box[:, :, 0] - box[:, :, 1] > 80) & (box[:, :, 0] - box[:, :, 2] > 60)
    return int(red.sum()) >= SPINNER_ARC


def png(pixels: np.ndarray) -> bytes:
    """An RGB array as a PNG file (no imaging library needed)."""
    h, w, _ = pixels.shape
    rows = b"".join(b"\x00" + pixels[y].tobytes() for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b"")
