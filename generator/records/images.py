"""Pictures of an explainer, in its ``images/`` folder."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator import fields as read
from generator.fields import column
from generator.raw import Prose, YamlNode
from generator.records.base import Record, kind
from generator.rules import IMAGE_FOLDER


def _focus(node: YamlNode, _reading: read.Reading | None = None) -> tuple[float, float]:
    """Where a picture's subject is, kept in view when it is cropped: two percentages,
    across and down ('50% 30%'), returned as fractions (0.5, 0.3)."""
    value = read.text(node)
    found = re.fullmatch(r"(\d{1,3}(?:\.\d+)?)%\s+(\d{1,3}(?:\.\d+)?)%", value)
    if found is None or max(float(found[1]), float(found[2])) > 100:
        raise read.Invalid(f"cannot read '{value}'; expected two percentages from 0% to 100%, "
                      "across and down, such as '50% 30%'", node.location)
    return float(found[1]) / 100, float(found[2]) / 100


@kind(name="image", plural="images", file="images.yaml", anchor="image")
@dataclass(frozen=True, slots=True, kw_only=True)
class Image(Record):
    """A picture in the explainer's images/ folder, placed with '::: image <id>' or chosen
    as the lead image. ``own``: the newsroom made it, so ``credit`` and ``licence`` may be
    left out; anyone else's picture needs both. ``focus``: what stays in view when the
    picture is cropped (the share card)."""

    id: str = column(read.identifier)
    file: str = column(read.image_file(IMAGE_FOLDER))
    alt: str = column(read.text)
    caption: Prose | None = column(read.inline, required=False)
    credit: str | None = column(read.text, required=False)
    licence: str | None = column(read.text, required=False)
    own: bool = column(read.boolean, required=False, default=False)
    focus: tuple[float, float] | None = column(_focus, required=False)
