"""The files uploads are tried with: the issue's attacks, clumsy files and good ones."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

PAYLOAD = b"<html><script>alert(document.domain)</script></html>"


def png(width: int = 10, height: int = 10, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "red" if mode != "1" else 1).save(out, "PNG")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header says width × height, with a few bytes of pixels: a bomb's shape."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def png_html_polyglot() -> bytes:
    """A valid PNG carrying HTML in a text chunk and after its end."""
    data = png()
    end = data.rindex(b"IEND") - 4
    return data[:end] + _chunk(b"tEXt", b"Comment\0" + PAYLOAD) + data[end:] + PAYLOAD


def gif_js_polyglot() -> bytes:
    """A GIF that is also JavaScript: a comment extension and trailing bytes of script."""
    out = io.BytesIO()
    Image.new("P", (10, 10), 1).save(out, "GIF", comment=b"*/alert(document.domain)/*")
    data = out.getvalue()
    return (
        data[:-1]
        + b"\x21\xfe\x1a"
        + b"*/;alert(document.domain);/*"
        + b"\x00"
        + b";"
        + b"//"
        + PAYLOAD
    )


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (47.0, 29.0, 52.0), 3: "E", 4: (19.0, 2.0, 27.0)}  # GPS
    exif[0x010E] = "Secret description"  # ImageDescription
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(out, "JPEG", exif=exif, comment=b"a comment")
    return out.getvalue()


def gif_animated() -> bytes:
    out = io.BytesIO()
    frames = [Image.new("P", (10, 10), i) for i in range(3)]
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (12, 8), (0, 128, 0, 128)).save(out, "WEBP")
    return out.getvalue()


def svg() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(document.domain)</script></svg>"
    )


def bmp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "BMP")
    return out.getvalue()


MB = 1024 * 1024

# (name, file name, bytes, refused?, what the refusal says)
REFUSED = [
    ("50 MB PNG: a 10×10 image and junk", "junk.png", png() + b"JUNK" * (50 * MB // 4), "at most"),
    ("PNG declaring 100 megapixels", "bomb.png", png_declaring(10_000, 10_000), "megapixels"),
    ("PNG declaring 2 gigapixels", "bomb2.png", png_declaring(50_000, 40_000), "megapixels"),
    ("SVG with a script", "drawing.svg", svg(), "SVG"),
    ("SVG named .png", "drawing.png", svg(), "SVG"),
    ("HTML named .png", "page.png", PAYLOAD, "not an image"),
    ("a truncated PNG", "cut.png", png(200, 200)[:60], "not an image"),
    ("an empty file", "empty.png", b"", "empty"),
    ("a BMP", "old.bmp", bmp(), "not accepted"),
]

# (name, file name, bytes, stored extension)
ACCEPTED = [
    ("a PNG", "picture.png", png(), "png"),
    ("PNG+HTML polyglot", "poly.png", png_html_polyglot(), "png"),
    ("GIF/JS polyglot", "poly.gif", gif_js_polyglot(), "png"),
    ("a PNG named .jpg", "photo.jpg", png(), "png"),
    ("a JPEG with GPS metadata", "holiday.jpg", jpeg_with_gps(), "jpg"),
    ("an animated GIF (its first frame)", "anim.gif", gif_animated(), "png"),
    ("a WebP", "leaf.webp", webp(), "webp"),
]
