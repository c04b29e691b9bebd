"""Pictures for the tests, made on the spot: what each one carries is stated, not found.

``picture`` draws a recognisable scene (so resized variants can be compared with the
original) and can load it with every kind of metadata a camera or an editor leaves behind:
EXIF with a GPS position, an orientation tag, XMP, a comment, text chunks, a colour profile.
The other makers produce broken or hostile files for the bad-input cases.
"""

from __future__ import annotations

import io
import struct
import sys
import zlib
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw
from PIL.PngImagePlugin import PngInfo

GPS_LATITUDE = ((34, 1), (31, 1), (1234, 100))  # a place in Kabul, as cameras write it
SECRET = "Taken by a source who must stay anonymous"
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
       b'22-rdf-syntax-ns#"><rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/'
       b'1.0/" photoshop:City="Kabul" photoshop:Credit="' + SECRET.encode() +
       b'"/></rdf:RDF></x:xmpmeta>')
METADATA_MARKERS = (b"Exif", b"GPS", b"Kabul", SECRET.encode(), b"xmpmeta", b"ICC_PROFILE",
                    b"iCCP", b"tEXt", b"iTXt", b"eXIf", b"Canon")
"""Bytes that must never appear in a processed picture."""


def scene(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """Sky, ground, a sun and a red block on the left: 'which way is up' is easy to test."""
    image = Image.new(mode, (width, height), (110, 160, 215) if mode == "RGB" else
                      (110, 160, 215, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 2 // 3, width, height), fill=(150, 120, 70))
    draw.ellipse((width * 6 // 10, height // 8, width * 8 // 10, height // 8 + width // 5),
                 fill=(250, 205, 60))
    draw.rectangle((0, 0, width // 10, height // 3), fill=(200, 30, 40))
    return image


def exif(orientation: int = 1) -> Image.Exif:
    data = Image.Exif()
    data[0x010F] = "Canon"  # Make
    data[0x0110] = "Canon EOS R6"  # Model
    data[0x013B] = SECRET  # Artist
    data[0x0112] = orientation
    gps = data.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = tuple(n / d for n, d in GPS_LATITUDE)
    gps[3] = "E"
    gps[4] = (69.0, 10.0, 30.0)
    return data


def picture(kind: str, width: int, height: int, *, orientation: int = 1,
            metadata: bool = True) -> bytes:
    """A JPEG, PNG or WebP of ``scene``, ``width`` x ``height`` as it should be shown. With
    ``orientation`` 6 it is stored on its side, as phones do, and the EXIF tag says so."""
    image = scene(width, height, "RGBA" if kind == "png-alpha" else "RGB")
    if orientation == 6:
        image = image.transpose(Image.Transpose.ROTATE_90)
    buffer = io.BytesIO()
    extra: dict[str, object] = {}
    if metadata:
        extra = {"exif": exif(orientation).tobytes(),
                 "icc_profile": ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
                 .tobytes()}
    if kind == "jpeg":
        if metadata:
            extra.update(comment=SECRET.encode(), xmp=XMP)
        image.save(buffer, "JPEG", quality=88, **extra)
    elif kind in ("png", "png-alpha"):
        if metadata:
            info = PngInfo()
            info.add_text("Comment", SECRET)
            info.add_itxt("XML:com.adobe.xmp", XMP.decode())
            extra["pnginfo"] = info
        image.save(buffer, "PNG", **extra)
    elif kind == "webp":
        image.save(buffer, "WEBP", quality=85, **extra)
    else:
        image.save(buffer, kind.upper())  # gif, bmp, tiff: formats that are refused
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    """A tiny PNG whose header claims a huge picture: a decompression bomb's calling card."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * (1 + width * 3) * 4)  # a few rows; the rest never comes
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels)
            + _chunk(b"IEND", b""))


def truncated(kind: str, width: int, height: int) -> bytes:
    """The first half of a picture, as an interrupted copy leaves it."""
    data = picture(kind, width, height, metadata=False)
    return data[: len(data) // 2]


def make(recipe: str) -> bytes:
    """'jpeg 640x480', 'png 300x200', 'truncated-jpeg 640x480', 'png-bomb', 'gif 40x30'."""
    name, _, size = recipe.partition(" ")
    width, height = (int(n) for n in size.split("x")) if size else (0, 0)
    if name == "png-bomb":
        return png_bomb()
    if name.startswith("truncated-"):
        return truncated(name.removeprefix("truncated-"), width, height)
    return picture(name, width, height)


if __name__ == "__main__":  # python tests/imagemaker.py OUT 'jpeg 2000x1333'
    Path(sys.argv[1]).write_bytes(make(sys.argv[2]))
