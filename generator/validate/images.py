"""Pictures: each described one exists and is credited, each file is described, each is shown.

What a picture file contains (is it a complete JPEG?) is found out where it is decoded, in
the render stage; here only names, fields and uses are checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from generator.errors import Diagnostic, SourceLocation, closest_first, error, warning
from generator.model import SiteConfig
from generator.raw import YamlMapping, YamlNode, YamlScalar
from generator.records import Image
from generator.validate.records import Collected


def _at(node: YamlMapping, key: str) -> SourceLocation:
    value = node.get(key)
    return value.location if value is not None else node.location


def _written(node: YamlMapping, key: str) -> str | None:
    value = node.get(key)
    return value.text.strip() if isinstance(value, YamlScalar) else None


def check_images(found: Collected, files: Mapping[str, bytes], present: frozenset[str],
                 folder: str, problems: list[Diagnostic]) -> None:
    """Files named in images.yaml exist (``present``; those that could not be read are
    reported by the loader) and are credited; files nobody describes or shows are reported,
    because a picture published without its credit is a newsroom's mistake."""
    described: set[str] = set()
    for read in found.read:
        if read.kind is not Image.KIND or not isinstance(read.node, YamlMapping):
            continue
        node = read.node
        file = _written(node, "file")
        if file:
            described.add(file)
        if isinstance(read.record, Image) and read.record.file not in present:
            problems.append(error(_at(node, "file"),
                                  f"{read.label}: file '{file}' not found in {folder}/ "
                                  f"{closest_first(file or '', files)}"))
        missing = [repr(name) for name in ("credit", "licence") if node.get(name) is None]
        own = (_written(node, "own") or "false").lower()
        if missing and own in ("false", "no", "off", "n"):  # an unreadable 'own' is reported
            problems.append(error(node.location,
                                  f"{read.label}: missing {' and '.join(missing)}; expected "
                                  "who made the picture and the licence it may be published "
                                  "under, or 'own: true' if the newsroom made it"))
    for name in sorted(set(files) - described):
        problems.append(warning(SourceLocation(f"{folder}/{name}"),
                                "picture not described in images.yaml; expected an entry with "
                                "its file, alt text, credit and licence (or remove the file)"))
    shown = {ref.id for _label, ref in found.refs if ref.kind == "image"}
    for image in found.valid(Image.KIND):
        if image.id not in shown:
            problems.append(warning(found.ids["image", image.id],
                                    f"image '{image.id}' is never shown; expected '::: image "
                                    f"{image.id}' in article.md or background.md, or "
                                    f"'lead_image: {image.id}' in explainer.yaml"))


def check_logo(config: SiteConfig | None, node: YamlNode | None, images: Mapping[str, bytes],
               content: str) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """site.yaml's logo names a picture in content/; the others there are not used."""
    problems: list[Diagnostic] = []
    wanted = config.logo if config is not None else None
    for name in sorted(set(images) - {wanted}):
        problems.append(warning(SourceLocation(f"{content}/{name}"),
                                "picture ignored: only the logo named in site.yaml ('logo: "
                                f"{name}') is read from {content}/; explainers' pictures belong "
                                "in their images/ folder"))
    if config is None or wanted is None:
        return config, problems
    if wanted not in images:
        where = _at(node, "logo") if isinstance(node, YamlMapping) else SourceLocation(content)
        problems.append(error(where, f"site: logo: '{wanted}' not found in "
                                                 f"{content}/ {closest_first(wanted, images)}"))
        return None, problems
    return replace(config, logo_data=images[wanted]), problems
