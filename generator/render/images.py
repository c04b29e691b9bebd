"""Pictures made ready for the web at build time, with Pillow.

A picture is decoded defensively (Pillow's decompression-bomb limit, truncated files, formats
we did not ask for), turned upright, converted to sRGB, copied pixel by pixel into a new
image so that no metadata can follow it (EXIF with its GPS position, XMP, IPTC, comments, the
colour profile), and saved in the widths a page needs, never wider than the original: WebP,
plus JPEG (or PNG for graphics and transparency) for browsers without WebP. The same bytes
in give the same bytes out, so results can be kept by content hash (``cache.PictureStore``).
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import PIL
import PIL.Image
import PIL.ImageCms
import PIL.ImageOps

from generator.render.cache import PictureStore

ACCEPTED = ("JPEG", "PNG", "WEBP")
WIDTHS = (480, 960, 1600)
"""Phones, tablets and the 42rem column at 2x; a picture narrower than one is never enlarged."""
RECIPE = (f"pictures {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]} "
          f"Pillow {PIL.__version__}")
"""Part of every cache key: this code and Pillow's version, so a picture processed by
other code is processed anew rather than taken from the cache."""
JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True}
WEBP_OPTIONS = {"quality": 80, "method": 4}


class Refused(Exception):  # noqa: N818 - a picture is refused; not an error of the program
    """A picture that cannot be published as it is; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Encoded:
    """One file made from a picture: its size in pixels, its type and its bytes."""

    width: int
    height: int
    media_type: str  # "image/webp", "image/jpeg" or "image/png"
    data: bytes

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg"}.get(self.media_type, self.media_type.split("/")[1])

    def name(self, stem: str) -> str:
        """'kabul-960.3f2a9c1d0b.webp': the content hash lets hosts cache it forever."""
        digest = hashlib.sha256(self.data).hexdigest()[:10]
        return f"{stem}-{self.width}.{digest}.{self.extension}"


@dataclass(frozen=True, slots=True)
class Processed:
    """A picture in every width and format a page offers, smallest first."""

    width: int
    height: int
    variants: tuple[Encoded, ...]

    def of_type(self, media_type: str) -> tuple[Encoded, ...]:
        return tuple(v for v in self.variants if v.media_type == media_type)

    @property
    def fallback_type(self) -> str:
        return next(v.media_type for v in self.variants if v.media_type != "image/webp")

    def to_bytes(self) -> bytes:
        header = {"width": self.width, "height": self.height,
                  "variants": [[v.width, v.height, v.media_type, len(v.data)]
                               for v in self.variants]}
        return json.dumps(header).encode() + b"\n" + b"".join(v.data for v in self.variants)

    @classmethod
    def from_bytes(cls, blob: bytes) -> Processed:
        header_line, _, payload = blob.partition(b"\n")
        header = json.loads(header_line)
        variants, offset = [], 0
        for width, height, media_type, length in header["variants"]:
            variants.append(Encoded(width, height, media_type, payload[offset:offset + length]))
            offset += length
        if offset != len(payload):
            raise ValueError("cached picture is incomplete")
        return cls(header["width"], header["height"], tuple(variants))


def _what_it_is(data: bytes) -> str:
    """Why an unreadable file was refused, in the words a writer would use."""
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        return ("is an SVG drawing: SVG is refused, because it can carry scripts and links "
                "to other sites; expected a JPEG, PNG or WebP picture (export it as PNG)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            found = PIL.Image.open(io.BytesIO(data)).format
    except Exception:
        found = None
    if found:
        return f"is a {found} picture; expected JPEG, PNG or WebP (save it as one of those)"
    return "is not a picture (or not one that can be read); expected a JPEG, PNG or WebP file"


def decode(data: bytes) -> tuple[PIL.Image.Image, str]:
    """The picture's pixels, upright, and its format; or ``Refused``: never a bomb, a half
    file or an animation."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PIL.Image.DecompressionBombWarning)
            image = PIL.Image.open(io.BytesIO(data), formats=ACCEPTED)
    except (PIL.Image.DecompressionBombError, PIL.Image.DecompressionBombWarning) as exc:
        raise Refused(f"is refused as a possible decompression bomb (Pillow: {exc}); expected "
                      f"a picture of at most {PIL.Image.MAX_IMAGE_PIXELS:,} pixels, such as "
                      "4,000 by 3,000") from None
    except PIL.UnidentifiedImageError:
        raise Refused(_what_it_is(data)) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise Refused(f"cannot be read ({exc}); expected a complete JPEG, PNG or WebP "
                      "file") from None
    if getattr(image, "n_frames", 1) > 1:
        raise Refused(f"is animated ({getattr(image, 'n_frames', 1)} frames); expected a "
                      "still picture")
    try:
        image.load()
        return PIL.ImageOps.exif_transpose(image) or image, str(image.format)
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
        raise Refused(f"is truncated or damaged ({exc}); expected a complete "
                      f"{image.format} file (export it again)") from None


def _has_alpha(image: PIL.Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def to_srgb(image: PIL.Image.Image) -> PIL.Image.Image:
    """A new image in sRGB with nothing but pixels: the colour profile is applied, not kept,
    and no metadata of the original can reach the output."""
    mode = "RGBA" if _has_alpha(image) else "RGB"
    profile = image.info.get("icc_profile")
    converted = None
    if profile:
        try:
            source = image if image.mode in ("RGB", "RGBA", "L", "CMYK") else image.convert(mode)
            converted = PIL.ImageCms.profileToProfile(
                source, PIL.ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                PIL.ImageCms.createProfile("sRGB"), outputMode=mode)
        except (PIL.ImageCms.PyCMSError, OSError, ValueError):
            converted = None  # a profile that does not fit the pixels: read them as sRGB
    if converted is None:
        converted = image.convert(mode)
    return PIL.Image.frombytes(mode, converted.size, converted.tobytes())


def _encode(image: PIL.Image.Image, media_type: str, lossless: bool) -> Encoded:
    """One file in one format; every option explicit, so the bytes never vary."""
    buffer = io.BytesIO()
    if media_type == "image/webp":
        image.save(buffer, "WEBP", lossless=lossless, exact=False, **WEBP_OPTIONS)
    elif media_type == "image/jpeg":
        image.save(buffer, "JPEG", **JPEG_OPTIONS)
    else:
        image.save(buffer, "PNG", optimize=True)
    return Encoded(image.width, image.height, media_type, buffer.getvalue())


def widths_for(width: int) -> tuple[int, ...]:
    """The widths made of a picture ``width`` pixels wide: never enlarged."""
    return tuple(sorted({min(w, width) for w in WIDTHS}))


def process(data: bytes) -> Processed:
    """Every variant of one picture (see the module's docstring); ``Refused`` if it is bad."""
    original, kind = decode(data)
    lossless = kind == "PNG" or (kind == "WEBP" and data[12:16] == b"VP8L")
    clean = to_srgb(original)
    fallback = "image/png" if lossless or clean.mode == "RGBA" else "image/jpeg"
    variants = []
    for width in widths_for(clean.width):
        height = max(1, round(clean.height * width / clean.width))
        sized = clean if width == clean.width else \
            clean.resize((width, height), PIL.Image.Resampling.LANCZOS)
        variants += [_encode(sized, "image/webp", lossless), _encode(sized, fallback, lossless)]
    return Processed(clean.width, clean.height, tuple(variants))


def processed(data: bytes, store: PictureStore) -> Processed:
    """``process``, unless the same bytes were processed before (this build, or an earlier
    one when the project keeps a cache)."""
    key = hashlib.sha256(RECIPE.encode() + b"\0" + data).hexdigest()
    kept = store.get(key)
    if kept is not None:
        try:
            return Processed.from_bytes(kept)
        except (ValueError, KeyError, TypeError):
            pass  # a damaged cache entry is simply made again
    result = process(data)
    store.put(key, result.to_bytes())
    return result
