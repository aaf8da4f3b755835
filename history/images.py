"""Uploaded images: judged by what they contain, stored as the pixels that were decoded.

A file's name and declared type prove nothing: a "PNG" may be HTML, a script, an SVG, a
100-megapixel decompression bomb or a small picture followed by 50 MB of anything. Pillow
opens and verifies it here, within a byte limit and a pixel limit, and what is stored is
re-encoded from the decoded pixels, so that nothing else the file carried (a polyglot's
payload, metadata such as EXIF and GPS positions, trailing bytes) is kept.

No Django imports: pure and fast to test.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow warns of a decompression bomb above MAX_IMAGE_PIXELS; that warning is an error here
# (callers check the pixel count themselves first; this is the net under it).
warnings.simplefilter("error", Image.DecompressionBombWarning)

# What each accepted format is stored as: (Pillow format, extension, media type).
STORED_AS = {
    "JPEG": ("JPEG", "jpg", "image/jpeg"),
    "PNG": ("PNG", "png", "image/png"),
    "GIF": ("PNG", "png", "image/png"),  # the first frame; animation is not kept
    "WEBP": ("WEBP", "webp", "image/webp"),
}
MEDIA_TYPES = {extension: media_type for _, extension, media_type in STORED_AS.values()}
MEDIA_TYPES["jpeg"] = "image/jpeg"


class ImageRefused(ValueError):
    """Not an image this site takes; the message says why, for an editor."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    extension: str
    media_type: str
    width: int
    height: int


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def check_size(size: int, *, max_bytes: int) -> None:
    if size > max_bytes:
        raise ImageRefused(
            f"The file is {_megabytes(size)}; an image may be at most "
            f"{_megabytes(max_bytes)}. Save it smaller (for the web, 2000 pixels wide is plenty)."
        )


def clean_image(data: bytes, *, max_bytes: int, max_pixels: int) -> CleanImage:
    """Check ``data`` is a JPEG, PNG, GIF or WebP within the limits; return it re-encoded."""
    check_size(len(data), max_bytes=max_bytes)
    head = data[:1024].lstrip().lower()
    if head.startswith(b"<?xml") or b"<svg" in head:
        raise ImageRefused(
            "SVG images are not accepted (they can carry scripts). Upload a PNG or a JPEG."
        )
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in STORED_AS:
                raise ImageRefused(
                    f"{kind or 'This'} images are not accepted. Upload a PNG, JPEG, GIF or WebP."
                )
            if width * height > max_pixels:
                raise ImageRefused(_too_many_pixels(width, height, max_pixels))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)
            image.load()
            return _reencode(image, kind, width, height)
    except ImageRefused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ImageRefused(
            f"The image has more than {max_pixels / 1e6:.0f} megapixels, the most accepted. "
            "Save it smaller (for the web, 2000 pixels wide is plenty)."
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRefused(
            "This file is not an image that can be read (or it is damaged). "
            "Upload a PNG, JPEG, GIF or WebP."
        ) from exc


def _too_many_pixels(width: int, height: int, max_pixels: int) -> str:
    return (
        f"The image is {width:,} × {height:,} pixels ({width * height / 1e6:.0f} megapixels); "
        f"at most {max_pixels / 1e6:.0f} megapixels are accepted."
    )


def _reencode(image: Image.Image, kind: str, width: int, height: int) -> CleanImage:
    pillow_format, extension, media_type = STORED_AS[kind]
    image = ImageOps.exif_transpose(image)  # turned as the camera meant, before EXIF goes
    options: dict = {}
    if pillow_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        options = {"quality": 90}
    elif pillow_format == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        options = {"quality": 90}
    elif image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
        image = image.convert("RGBA")
    # Pillow writes some of ``info`` back (a JPEG's comment, ICC profiles): only the pixels,
    # and which colour is transparent, go on.
    image.info = {k: v for k, v in image.info.items() if k == "transparency"}
    out = io.BytesIO()
    image.save(out, format=pillow_format, **options)
    return CleanImage(out.getvalue(), extension, media_type, image.width, image.height)
