"""What a share card is painted with: its fonts and colours, and two surfaces to paint on.

A card without a photograph is made of four colours and the blends anti-aliased text makes
between them, so it is painted as coverage on one 8-bit layer and saved with a palette of
those blends: no colour search, a third of the bytes and half the time of a 24-bit card.
A card with a photograph needs every colour and is saved as 24-bit PNG at zlib level 1.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from pathlib import Path
from typing import Protocol

import PIL.Image
import PIL.ImageColor
import PIL.ImageDraw
import PIL.ImageFont

BACKGROUND, INK, MUTED, ACCENT = "#fbfaf7", "#1b1b1b", "#595650", "#9e1b22"
INKS = (INK, MUTED, ACCENT)
STEPS = 85  # per ink, from the background (0) to the full ink (84): 3 x 85 = 255 colours
Box = tuple[int, int, int, int]


@functools.lru_cache(maxsize=64)
def _font(path: Path, size: int, raqm: bool) -> PIL.ImageFont.FreeTypeFont:
    """Fonts are read once per process: every card uses the same few sizes."""
    engine = PIL.ImageFont.Layout.RAQM if raqm else PIL.ImageFont.Layout.BASIC
    return PIL.ImageFont.truetype(str(path), size, layout_engine=engine)


def _mask(path: Path, raqm: bool, char: str) -> tuple[tuple[int, int], bytes]:
    mask = _font(path, 32, raqm).getmask(char)
    return mask.size, bytes(mask)


@functools.lru_cache(maxsize=8192)
def _lacks(path: Path, raqm: bool, char: str) -> bool:
    """The font draws ``char`` as its empty box (the glyph of a character no font has), so
    it has no such letter. Kept per process: each card would otherwise draw every letter."""
    return _mask(path, raqm, char) == _mask(path, raqm, "\U0010fffd")


class Fonts:
    """The card's fonts at one engine; knows which characters they cannot draw."""

    def __init__(self, raqm: bool) -> None:
        self.raqm = raqm

    def get(self, path: Path, size: int) -> PIL.ImageFont.FreeTypeFont:
        return _font(path, size, self.raqm)

    def missing(self, path: Path, text: str) -> list[str]:
        """Characters this font has no letter for (spaces and controls need none)."""
        return [c for c in dict.fromkeys(text) if unicodedata.category(c)[0] not in "ZC"
                and _lacks(path, self.raqm, c)]

    def ellipsis(self, path: Path) -> str:
        """'…', or three full stops in a font without it (Noto Sans Arabic)."""
        return "..." if self.missing(path, "…") else "…"


class Surface(Protocol):
    def text(self, xy: tuple[int, int], text: str, font: PIL.ImageFont.FreeTypeFont,
             ink: str, *, anchor: str, direction: str | None) -> None: ...

    def rectangle(self, box: Box, ink: str) -> None: ...

    def paste(self, picture: PIL.Image.Image, xy: tuple[int, int]) -> None: ...

    def png(self) -> bytes: ...


class PhotoSurface:
    """24-bit: for cards with a photograph."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.card = PIL.Image.new("RGB", size, BACKGROUND)
        self.draw = PIL.ImageDraw.Draw(self.card)

    def text(self, xy: tuple[int, int], text: str, font: PIL.ImageFont.FreeTypeFont,
             ink: str, *, anchor: str, direction: str | None) -> None:
        self.draw.text(xy, text, font=font, fill=ink, anchor=anchor, direction=direction)

    def rectangle(self, box: Box, ink: str) -> None:
        self.draw.rectangle(box, fill=ink)

    def paste(self, picture: PIL.Image.Image, xy: tuple[int, int]) -> None:
        self.card.paste(picture, xy, picture if picture.mode == "RGBA" else None)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.card.save(buffer, "PNG", compress_level=1)  # 5x faster than optimize=True
        return buffer.getvalue()


class PlainSurface:
    """8-bit: coverage drawn on one layer (0 = background, 84 = full ink), then each
    drawing's box moved to its ink's range of the palette (ink * 85 + coverage). Texts of
    different inks never overlap on a card, so each box holds one ink. Exact to 1/84 of
    each blend."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.cover = PIL.Image.new("L", size, 0)
        self.draw = PIL.ImageDraw.Draw(self.cover)
        self.boxes: list[tuple[Box, int]] = []  # (where, ink index) for inks after the first

    def text(self, xy: tuple[int, int], text: str, font: PIL.ImageFont.FreeTypeFont,
             ink: str, *, anchor: str, direction: str | None) -> None:
        self.draw.text(xy, text, font=font, fill=STEPS - 1, anchor=anchor,
                       direction=direction)
        box = self.draw.textbbox(xy, text, font=font, anchor=anchor, direction=direction)
        self._mark(tuple(round(v) for v in box), ink)  # type: ignore[arg-type]

    def rectangle(self, box: Box, ink: str) -> None:
        self.draw.rectangle(box, fill=STEPS - 1)
        self._mark((box[0], box[1], box[2] + 1, box[3] + 1), ink)

    def _mark(self, box: Box, ink: str) -> None:
        if INKS.index(ink):
            self.boxes.append((box, INKS.index(ink)))

    def paste(self, picture: PIL.Image.Image, xy: tuple[int, int]) -> None:
        raise TypeError("a plain card has no photograph; use PhotoSurface")

    def png(self) -> bytes:
        for box, index in self.boxes:
            offset = [min(255, value + index * STEPS) if value else 0 for value in range(256)]
            self.cover.paste(self.cover.crop(box).point(offset), box[:2])
        self.cover.putpalette(_palette())
        buffer = io.BytesIO()
        self.cover.save(buffer, "PNG", compress_level=1)
        return buffer.getvalue()


@functools.lru_cache(maxsize=1)
def _palette() -> list[int]:
    """85 steps from the background to each ink: what anti-aliased text on a card is made of."""
    background = PIL.ImageColor.getrgb(BACKGROUND)
    colours: list[int] = []
    for ink in (PIL.ImageColor.getrgb(c) for c in INKS):
        for step in range(STEPS):
            share = step / (STEPS - 1)
            colours += [round(b * (1 - share) + i * share)
                        for b, i in zip(background, ink, strict=True)]
    return colours
