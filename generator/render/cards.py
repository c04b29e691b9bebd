"""Share cards: the 1200 x 630 picture a link shows on social media and in chats.

Drawn at build time from the explainer's title, dek, the site's name and the lead picture,
in fonts that ship with the project (``fonts/``), so a card is the same on every machine with
the same Pillow. Long titles get a smaller size, then wrap, then end with '…': nothing ever
runs off the card. Right-to-left titles (Dari, Pashto, Arabic) are shaped and set right to
left with libraqm; without it, or with a character the fonts lack, the card is refused with
a message rather than drawn wrong.
"""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import PIL
import PIL.Image
import PIL.ImageFont
import PIL.ImageOps
from PIL import features

from generator.render.cache import PictureStore
from generator.render.cardpaint import (
    ACCENT,
    INK,
    MUTED,
    Fonts,
    PhotoSurface,
    PlainSurface,
    Surface,
)

SIZE = (1200, 630)
FONTS = Path(__file__).resolve().parent / "fonts"
BOLD, REGULAR = FONTS / "DejaVuSans-Bold.ttf", FONTS / "DejaVuSans.ttf"
FAMILIES = {  # per weight, the fonts a text may be set in: the first that has every letter
    "bold": (BOLD, FONTS / "NotoSansArabic-Bold.ttf"),
    "regular": (REGULAR, FONTS / "NotoSansArabic-Regular.ttf"),
}
"""DejaVu Sans covers Latin, Greek, Cyrillic and most Arabic-script letters; Noto Sans
Arabic has all of them (Pashto's 'ۍ' too) and is tried first for right-to-left text."""
RECIPE = " ".join(hashlib.sha256(path.read_bytes()).hexdigest()[:16] for path in (
    Path(__file__), Path(__file__).with_name("cardpaint.py"), *FAMILIES["bold"],
    *FAMILIES["regular"])) + f" Pillow {PIL.__version__}"
"""Part of every cache key: a card drawn by other code, fonts or Pillow is drawn anew."""
MARGIN = 72
PHOTO_WIDTH = 480
TITLE_SIZES = (68, 60, 54, 48, 44)


class CardRefused(Exception):  # noqa: N818 - a card cannot be drawn; not a program error
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field  # "title", "dek" or "site": which text to point the writer at
        self.message = message


@dataclass(frozen=True, slots=True)
class CardText:
    title: str
    dek: str  # plain text, no Markdown
    site: str  # shown above the title ('' for none)


def has_raqm() -> bool:
    """libraqm shapes joined scripts and lays out right-to-left text."""
    return bool(features.check("raqm"))


def is_rtl(text: str) -> bool:
    """Right to left when the first letter with a direction is Arabic or Hebrew script."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _leading(font: PIL.ImageFont.FreeTypeFont, normal: int) -> int:
    """Line spacing: a third more for fonts made for Arabic script's tall marks (their
    ascent and descent add up to twice the size), so lines never touch."""
    return round(normal * 1.3) if sum(font.getmetrics()) > 1.5 * font.size else normal


def pick(fonts: Fonts, weight: str, text: str, field: str) -> Path:
    """The font to set ``text`` in, or ``CardRefused`` naming what no font can draw."""
    candidates = FAMILIES[weight][::-1] if is_rtl(text) else FAMILIES[weight]
    gaps = {path: fonts.missing(path, text) for path in candidates}
    best = min(candidates, key=lambda path: len(gaps[path]))
    if gaps[best]:
        names = ", ".join(f"'{c}' (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})"
                          for c in gaps[best][:3])
        tried = ", ".join(path.stem for path in candidates)
        raise CardRefused(field, f"the share card's fonts ({tried}) cannot draw {names}; "
                                 "expected Latin, Greek, Cyrillic or Arabic script (or leave "
                                 "the character out)")
    if not fonts.raqm and any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
        raise CardRefused(field, "is written right to left, and this machine's Pillow has no "
                                 "libraqm to lay it out, so the share card would show it "
                                 "backwards; expected Pillow with libraqm (on Debian: apt-get "
                                 "install libfribidi0; check with PIL.features.check('raqm'))")
    return best


def wrap(text: str, width: float, measure: Callable[[str], float],
         limit: int | None = None) -> list[str]:
    """Greedy line breaking at spaces; a word wider than a line is broken inside. Stops after
    ``limit + 1`` lines (enough to know the text does not fit in ``limit``): a long text costs
    no more than the lines a card can show."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if limit is not None and len(lines) > limit:
            return lines
        candidate = f"{line} {word}" if line else word
        if measure(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while measure(word[:_LONGEST_LINE + 1]) > width and len(word) > 1:
            cut = _widest_prefix(word, width, measure)
            lines.append(word[:cut])
            word = word[cut:]
            if limit is not None and len(lines) > limit:
                return lines
        line = word
    return lines + ([line] if line else [])


_LONGEST_LINE = 400
"""More characters than any line of a card holds at its smallest size."""


def _widest_prefix(word: str, width: float, measure: Callable[[str], float]) -> int:
    """The most characters of ``word`` (at least one) that fit in ``width``, by bisection:
    a prefix is never narrower than a shorter one."""
    low, high = 1, min(len(word), _LONGEST_LINE)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def shorten(lines: Sequence[str], count: int, width: float,
            measure: Callable[[str], float], ellipsis: str = "…") -> list[str]:
    """At most ``count`` lines; if text was left out, the last one ends with '…'."""
    if len(lines) <= count:
        return list(lines)
    kept = list(lines[:count])
    last = kept[-1]
    while last and measure(last + ellipsis) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    kept[-1] = last.rstrip(" ,;:—-،؛") + ellipsis
    return kept


@dataclass
class _Column:
    """Where text goes on the card: set from the right when ``rtl``; each piece of text runs
    in its own direction (a Latin site name on a Dari card still reads left to right)."""

    left: int
    right: int
    rtl: bool
    draw: Surface
    raqm: bool
    text_rtl: bool | None = None  # None: the same as the column's

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def direction(self) -> str | None:
        rtl = self.rtl if self.text_rtl is None else self.text_rtl
        return ("rtl" if rtl else "ltr") if self.raqm else None

    def measure(self, font: PIL.ImageFont.FreeTypeFont) -> Callable[[str], float]:
        direction = self.direction
        return lambda text: font.getlength(text, direction=direction)

    def write(self, lines: Sequence[str], font: PIL.ImageFont.FreeTypeFont, top: int,
              line_height: int, colour: str) -> int:
        """Set lines from ``top``; returns where the next text may start."""
        ascent = font.getmetrics()[0]
        direction = self.direction
        for index, line in enumerate(lines):
            baseline = top + ascent + index * line_height
            x = self.right if self.rtl else self.left
            self.draw.text((x, baseline), line, font, colour,
                           anchor="rs" if self.rtl else "ls", direction=direction)
        return top + len(lines) * line_height


def draw_card(text: CardText, photo: PIL.Image.Image | None,
              focus: tuple[float, float] = (0.5, 0.5), raqm: bool | None = None) -> bytes:
    """The card as PNG bytes (see the module's docstring); ``CardRefused`` if it cannot be."""
    fonts = Fonts(has_raqm() if raqm is None else raqm)
    title_path = pick(fonts, "bold", text.title, "title")
    dek_path = pick(fonts, "regular", text.dek, "dek")
    site_path = pick(fonts, "bold", text.site.upper(), "site")
    width, height = SIZE
    surface: Surface = PlainSurface(SIZE) if photo is None else PhotoSurface(SIZE)
    rtl = is_rtl(text.title)
    left, right = MARGIN, width - MARGIN
    if photo is not None:
        panel = PIL.ImageOps.fit(photo.convert("RGBA"), (PHOTO_WIDTH, height),
                                 PIL.Image.Resampling.LANCZOS, centering=focus)
        x = 0 if rtl else width - PHOTO_WIDTH
        surface.paste(panel, (x, 0))
        left, right = (PHOTO_WIDTH + MARGIN, right) if rtl else (left, x - MARGIN)
    bar_left = PHOTO_WIDTH if photo is not None and rtl else 0
    bar_right = width - PHOTO_WIDTH if photo is not None and not rtl else width
    surface.rectangle((bar_left, 0, bar_right - 1, 11), ACCENT)
    column = _Column(left, right, rtl, surface, fonts.raqm)
    top = 64
    if text.site:
        site_font = fonts.get(site_path, 26)
        site_column = _Column(left, right, rtl, surface, fonts.raqm, is_rtl(text.site))
        measure = site_column.measure(site_font)
        site_line = shorten(wrap(text.site.upper(), column.width, measure, 1), 1, column.width,
                            measure, fonts.ellipsis(site_path))
        top = site_column.write(site_line, site_font, top, _leading(site_font, 34),
                                ACCENT) + 26
    foot = height - 40  # no web address: sharing shows it, and a card must not depend on it
    dek_font = fonts.get(dek_path, 28)
    dek_line = _leading(dek_font, 38)
    room = foot - 24 - top - (dek_line + 18 if text.dek else 0)
    for size in TITLE_SIZES:  # the largest size at which the whole title fits
        title_font = fonts.get(title_path, size)
        line_height = _leading(title_font, round(size * 1.16))
        lines = wrap(text.title, column.width, column.measure(title_font),
                     max(1, room // line_height))
        if len(lines) * line_height <= room:
            break
    lines = shorten(lines, max(1, room // line_height), column.width,
                    column.measure(title_font), fonts.ellipsis(title_path))
    dek_column = _Column(left, right, rtl, surface, fonts.raqm, is_rtl(text.dek))
    measure = dek_column.measure(dek_font)
    below = foot - 24 - top - len(lines) * line_height - 18
    dek_lines = shorten(wrap(text.dek, column.width, measure, max(0, below // dek_line)),
                        max(0, below // dek_line),
                        column.width, measure, fonts.ellipsis(dek_path))
    spare = below - len(dek_lines) * dek_line
    top += spare // 3  # a short text sits a little above the middle, not at the top
    top = column.write(lines, title_font, top, line_height, INK) + 18
    dek_column.write(dek_lines, dek_font, top, dek_line, MUTED)
    return surface.png()



def share_card(text: CardText, photo: bytes | None, focus: tuple[float, float] | None,
               store: PictureStore) -> bytes:
    """``draw_card``, kept by the hash of everything that shapes the card."""
    raqm = has_raqm()
    key_parts = [RECIPE, str(raqm), json.dumps([text.title, text.dek, text.site, focus]),
                 hashlib.sha256(photo or b"").hexdigest()]
    key = hashlib.sha256("\n".join(key_parts).encode()).hexdigest()
    kept = store.get(key)
    if kept is not None:
        return kept
    picture = PIL.Image.open(io.BytesIO(photo)) if photo is not None else None
    card = draw_card(text, picture, focus or (0.5, 0.5), raqm)
    store.put(key, card)
    return card
