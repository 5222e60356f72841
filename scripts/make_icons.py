"""Draw the app icon and write it in every format the platforms need.

Run once after changing the design: `python scripts/make_icons.py`. The outputs are
committed: app/icon.png (app.toml's [app] icon: the window's icon on Linux, the splash's and
the pages' favicon), build/icons/icon.ico (Windows, 16-256 px), build/icons/icon.icns (macOS,
16-1024 px), build/icons/hicolor/ (Linux desktop entries, 16-512 px) and build/splash.png
(what the single-file executable shows while it unpacks).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
SIZE = 1024
RED, DARK, LIGHT = (255, 75, 75), (49, 51, 63), (255, 255, 255)


def draw(size: int = SIZE) -> Image.Image:
    s = size / 1024
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    d.rounded_rectangle((40 * s, 40 * s, 984 * s, 984 * s), radius=200 * s, fill=DARK)
    # Two series of a streaming line chart: the app's first page.
    a = [(170, 700), (330, 520), (480, 610), (640, 360), (850, 430)]
    b = [(170, 560), (330, 640), (480, 430), (640, 520), (850, 250)]
    d.line([(x * s, y * s) for x, y in b], fill=(131, 201, 255), width=int(48 * s), joint="curve")
    d.line([(x * s, y * s) for x, y in a], fill=RED, width=int(56 * s), joint="curve")
    for x, y in a[-1:] + b[-1:]:
        r = 44 * s
        d.ellipse((x * s - r, y * s - r, x * s + r, y * s + r), fill=LIGHT)
    d.line((170 * s, 820 * s, 854 * s, 820 * s), fill=(128, 132, 149), width=int(20 * s))
    return image


def splash(icon: Image.Image) -> Image.Image:
    """What the single-file executable shows while it unpacks (PyInstaller's Splash):
    the icon on the look of the app's own splash (desktop_shell/qt/splash.py)."""
    from PIL import ImageFont

    card = Image.new("RGB", (360, 240), (239, 239, 239))
    card.paste(icon.resize((96, 96), Image.Resampling.LANCZOS), (132, 34), icon.resize((96, 96)))
    d = ImageDraw.Draw(card)
    d.rectangle((0, 0, 359, 239), outline=(160, 160, 160))
    for text, y, size in (("Fragment Demos", 146, 22), ("Starting…", 182, 13)):
        try:
            font = ImageFont.truetype("DejaVuSans-Bold.ttf" if size > 20 else "DejaVuSans.ttf", size)
        except OSError:
            font = ImageFont.load_default(size)
        d.text((180, y), text, fill=(0, 0, 0), font=font, anchor="mt")
    return card


def main() -> int:
    icon = draw()
    icon.resize((256, 256), Image.Resampling.LANCZOS).save(ROOT / "app/icon.png")
    icons = ROOT / "build/icons"
    icons.mkdir(parents=True, exist_ok=True)
    # Linux desktops: the freedesktop icon theme sizes, for a .desktop file's Icon=.
    for n in (16, 24, 32, 48, 64, 128, 256, 512):
        folder = icons / "hicolor" / f"{n}x{n}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        icon.resize((n, n), Image.Resampling.LANCZOS).save(folder / "fragment-demos.png")
    icon.save(icons / "icon.ico", sizes=[(n, n) for n in (16, 24, 32, 48, 64, 128, 256)])
    icon.save(icons / "icon.icns")
    splash(icon).save(ROOT / "build/splash.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
