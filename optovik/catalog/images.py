"""Simple drawn pictures for demo and generated catalogs: a few per kind of product, shared by
many products, so that a large catalog stays light."""

import functools
import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from .services import thumbnail_bytes

SIZE = (640, 480)
PALETTES = (
    ((226, 232, 240), (71, 85, 105)),
    ((254, 243, 199), (180, 83, 9)),
    ((220, 252, 231), (21, 128, 61)),
    ((224, 231, 255), (67, 56, 202)),
)
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


@functools.cache
def _font(size: int):
    try:
        return ImageFont.truetype(str(FONT), size)
    except OSError:
        return ImageFont.load_default()


def _draw(shape: str, variant: int, caption: str) -> bytes:
    background, ink = PALETTES[variant % len(PALETTES)]
    img = Image.new("RGB", SIZE, background)
    d = ImageDraw.Draw(img)
    cx, cy = SIZE[0] // 2, SIZE[1] // 2 - 30
    if shape == "tyre":
        d.ellipse((cx - 150, cy - 150, cx + 150, cy + 150), fill=(40, 40, 40))
        d.ellipse((cx - 80, cy - 80, cx + 80, cy + 80), fill=(150, 150, 150))
        for i in range(12):
            d.line((cx, cy, cx + 150 * ((-1) ** i), cy + 12 * i - 66), fill=(70, 70, 70), width=3)
    elif shape == "rim":
        d.ellipse((cx - 140, cy - 140, cx + 140, cy + 140), fill=(190, 190, 200), outline=ink, width=8)
        for dx, dy in ((0, -90), (86, -28), (53, 73), (-53, 73), (-86, -28)):
            d.line((cx, cy, cx + dx, cy + dy), fill=ink, width=18)
        d.ellipse((cx - 25, cy - 25, cx + 25, cy + 25), fill=ink)
    elif shape == "brick":
        for row in range(4):
            for col in range(4):
                x = cx - 220 + col * 110 + (55 if row % 2 else 0)
                y = cy - 120 + row * 60
                d.rectangle((x, y, x + 100, y + 50), fill=(178 - variant * 10, 74, 56), outline=background, width=4)
    elif shape == "roof":
        for i in range(5):
            d.polygon(
                [(cx - 240, cy + 60 - i * 40), (cx, cy - 140 - i * 10), (cx + 240, cy + 60 - i * 40)], outline=ink
            )
        d.rectangle((cx - 200, cy + 60, cx + 200, cy + 150), fill=ink)
    else:  # a bag of a dry mix
        d.polygon([(cx - 120, cy - 150), (cx + 120, cy - 150), (cx + 150, cy + 150), (cx - 150, cy + 150)], fill=ink)
        d.rectangle((cx - 90, cy - 60, cx + 90, cy + 40), fill=background)
    d.text((SIZE[0] // 2, SIZE[1] - 50), caption[:32], fill=ink, font=_font(30), anchor="mm")
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


def shape_for(kind: str) -> str:
    if kind.startswith(("car_", "truck_")):
        return "tyre"
    if kind.startswith("rim"):
        return "rim"
    if kind in ("brick", "facing_brick", "aerated"):
        return "brick"
    if kind in ("metal_tile", "soft_tile", "roll_roof", "insulation", "waterproofing"):
        return "roof"
    return "bag"


def picture_files(*, key: str, shape: str, caption: str, count: int = 3) -> list[tuple[str, str]]:
    """(image name, thumbnail name) in the default storage for ``count`` drawn pictures of a kind;
    drawn once, reused afterwards."""
    files = []
    for variant in range(count):
        name = f"catalog/demo/{key}-{variant}.png"
        thumb = f"catalog/thumbnails/demo-{key}-{variant}.jpg"
        if not default_storage.exists(name):
            data = _draw(shape, variant, caption)
            name = default_storage.save(name, ContentFile(data))
            thumb = default_storage.save(thumb, ContentFile(thumbnail_bytes(data)))
        files.append((name, thumb))
    return files
