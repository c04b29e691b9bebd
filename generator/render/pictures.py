"""An explainer's pictures on its pages: the processed files, what ``partials/image.html``
needs to show one, the share card, and the images that metadata and JSON-LD point to."""

from __future__ import annotations

import hashlib
import io
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import PIL.Image
from markupsafe import Markup

from generator.errors import Diagnostic, SourceLocation, error
from generator.model import Explainer, Listing, PictureFile, PictureFiles, SiteConfig
from generator.records import Image
from generator.render.assets import Assets
from generator.render.cache import PictureStore
from generator.render.cards import CardRefused, CardText, share_card
from generator.render.images import Encoded, Processed, Refused, processed
from generator.render.markup import ProseRenderer
from generator.render.templates import RenderProblems
from generator.rules import slugify

COLUMN = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
"""The article column: full width on phones, 42rem from there (style.css's --measure)."""
TEASER = "(min-width: 30rem) 11rem, calc(100vw - 2rem)"
CARD_WIDTH, CARD_HEIGHT = 1200, 630

Url = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Shown:
    """One processed picture and where its files go in the site."""

    processed: Processed
    folder: str  # "<slug>/images" or "images"
    stem: str  # from the file's name: 'Kabul airport.jpg' -> 'kabul-airport'

    def path(self, variant: Encoded) -> str:
        return f"{self.folder}/{variant.name(self.stem)}"

    @property
    def files(self) -> dict[str, bytes]:
        return {self.path(v): v.data for v in self.processed.variants}

    @property
    def largest(self) -> Encoded:
        """The widest fallback file: for JSON-LD, the share card and the logo."""
        return self.processed.of_type(self.processed.fallback_type)[-1]

    def json_ld(self, base_url: str) -> dict[str, object]:
        """The widest file as a schema.org ImageObject."""
        largest = self.largest
        return {"@type": "ImageObject", "url": base_url + self.path(largest),
                "width": largest.width, "height": largest.height}

    def srcset(self, media_type: str, url: Url) -> str:
        return ", ".join(f"{url(self.path(v))} {v.width}w"
                         for v in self.processed.of_type(media_type))


@dataclass(frozen=True, slots=True)
class PictureView:
    """What ``partials/image.html`` shows: a <picture> with its caption and credit."""

    webp_srcset: str
    srcset: str
    src: str
    sizes: str
    width: int
    height: int
    alt: str
    caption: Markup | None
    credit: str | None
    loading: str  # "lazy" below the fold, "eager" for a lead picture
    css_class: str


def show(shown: Shown, image: Image, url: Url, *, sizes: str, lazy: bool,
         caption: Markup | None, css_class: str = "image", credit: bool = True,
         publisher: str = "") -> PictureView:
    """A picture as one page shows it; its links relative to that page (``url``)."""
    fallback = shown.processed.fallback_type
    middle = min(shown.processed.of_type(fallback), key=lambda v: abs(v.width - 960))
    who = image.credit or (publisher if image.own else None)
    line = ", ".join(part for part in (who, image.licence) if part) if credit else ""
    return PictureView(shown.srcset("image/webp", url), shown.srcset(fallback, url),
                       url(shown.path(middle)), sizes, middle.width, middle.height, image.alt,
                       caption, line or None, "lazy" if lazy else "eager", css_class)


def process_pictures(explainer: Explainer, store: PictureStore
                     ) -> tuple[dict[str, Shown], list[Diagnostic]]:
    """Every picture described in the explainer, processed; problems name the file."""
    shown: dict[str, Shown] = {}
    problems: list[Diagnostic] = []
    for file, data in sorted(explainer.image_files.items()):
        try:
            result = processed(data, store)
        except Refused as refused:
            problems.append(error(SourceLocation(f"{explainer.folder}/{file}"), str(refused)))
            continue
        shown[file] = Shown(result, f"{explainer.slug}/images", stem_of(file))
    return shown, problems


def stem_of(file: str) -> str:
    """Output files are named after the picture's file: 'images/Kabul 1.jpg' -> 'kabul-1'."""
    return slugify(file.rsplit("/", 1)[-1].rsplit(".", 1)[0])


@dataclass(frozen=True, slots=True)
class ShareCard:
    """The card's file and what the page's metadata says about it."""

    path: str
    url: str  # absolute: share metadata is read by other sites
    alt: str
    data: bytes
    width: int = CARD_WIDTH
    height: int = CARD_HEIGHT
    media_type: str = "image/png"

    def json_ld(self) -> dict[str, object]:
        return {"@type": "ImageObject", "url": self.url, "width": self.width,
                "height": self.height}


def make_card(text: CardText, lead: tuple[Shown, Image] | None, folder: str,
              config: SiteConfig, store: PictureStore) -> ShareCard:
    """The share card of a page (``CardRefused`` if its text cannot be drawn)."""
    photo = lead[0].largest.data if lead else None
    focus = lead[1].focus if lead else None
    data = share_card(text, photo, focus, store)
    name = f"share-card.{hashlib.sha256(data).hexdigest()[:10]}.png"
    path = f"{folder}/{name}" if folder else name
    alt = f"{text.site + ': ' if text.site else ''}{text.title}"
    if lead:
        alt += f". Picture: {lead[1].alt}"
    return ShareCard(path, config.base_url + path, alt, data)


def card_problem(refused: CardRefused, explainer: Explainer | None,
                 config_path: str) -> Diagnostic:
    """Where to send the writer when a card cannot be drawn: the text that stopped it."""
    if explainer is None or refused.field == "site":
        name = "description" if explainer is None and refused.field == "dek" else "title"
        return error(SourceLocation(config_path), f"site: {name}: {refused.message}")
    if refused.field == "dek":
        return error(explainer.summary.location, f"explainer: summary: {refused.message}")
    return error(SourceLocation(f"{explainer.folder}/explainer.yaml"),
                 f"explainer: title: {refused.message}")


def logo_object(config: SiteConfig, assets: Mapping[str, str],
                asset_files: Mapping[str, bytes], store: PictureStore
                ) -> tuple[dict[str, object] | None, dict[str, bytes]]:
    """The publisher's logo for JSON-LD: site.yaml's, else the templates' assets/logo.png."""
    if config.logo is not None and config.logo_data is not None:
        shown = Shown(processed(config.logo_data, store), "images", stem_of(config.logo))
        return shown.json_ld(config.base_url), {shown.path(shown.largest): shown.largest.data}
    path = assets.get("logo.png")
    if path is None:
        return None, {}
    with PIL.Image.open(io.BytesIO(asset_files[path])) as logo:
        width, height = logo.size
    return ({"@type": "ImageObject", "url": config.base_url + path, "width": width,
             "height": height}, {})


@dataclass(frozen=True, slots=True)
class ExplainerPictures:
    """What an explainer's page needs of its pictures, and the files they add to the site."""

    lead: Markup | None  # the lead picture's <figure>, under the dek
    card: ShareCard
    json_ld_images: list[dict[str, object]]
    logo: dict[str, object] | None
    files: dict[str, bytes]


def explainer_pictures(explainer: Explainer, config: SiteConfig, store: PictureStore,
                       prose: ProseRenderer, picture: Callable[[PictureView], Markup], url: Url,
                       assets: Assets) -> ExplainerPictures:
    """Process the explainer's pictures, hand each placed one to ``prose`` and draw the share
    card; ``RenderProblems`` with every picture or card problem found."""
    shown, problems = process_pictures(explainer, store)
    files: dict[str, bytes] = {}
    for result in shown.values():
        files.update(result.files)
    lead_image = explainer.lead_image
    lead = None
    if not problems:
        for image in explainer.of(Image):
            caption = prose.inline(image.caption) if image.caption else None
            view = show(shown[image.file], image, url, sizes=COLUMN, lazy=True,
                        caption=caption, publisher=config.publisher)
            prose.place("image", image.id, picture(view))
            if image is lead_image:
                lead = picture(replace(view, loading="eager", css_class="image lead-image"))
    text = CardText(explainer.title, prose.plain(explainer.summary), config.title)
    card = None
    try:
        pair = (shown[lead_image.file], lead_image) if lead_image and not problems else None
        card = make_card(text, pair, explainer.slug, config, store)
    except CardRefused as refused:
        site_yaml = f"{posixpath.dirname(explainer.folder)}/site.yaml"
        problems.append(card_problem(refused, explainer, site_yaml))
    if problems or card is None:
        raise RenderProblems(problems)
    files[card.path] = card.data
    images = [card.json_ld()]
    if lead_image is not None:
        images.append(shown[lead_image.file].json_ld(config.base_url))
    try:
        logo, _files = logo_object(config, assets.urls, assets.files, store)
    except Refused:
        logo = None  # reported once, with the site's pages
    return ExplainerPictures(lead, card, images, logo, files)


def lead_files(explainer: Explainer, store: PictureStore) -> PictureFiles | None:
    """The lead picture's processed files, for the pages that list the explainer (processed
    once: ``store`` keeps what its page already made)."""
    image = explainer.lead_image
    if image is None or image.file not in explainer.image_files:
        return None
    try:
        made = processed(explainer.image_files[image.file], store)
    except Refused:
        return None  # reported with the explainer's page
    shown = Shown(made, f"{explainer.slug}/images", stem_of(image.file))
    return PictureFiles(tuple(PictureFile(shown.path(v), v.width, v.height, v.media_type)
                              for v in made.variants), image.alt)


def teaser_view(lead: PictureFiles, url: Url, *, lazy: bool) -> PictureView:
    """A listed explainer's lead picture, small, without caption or credit."""
    def srcset(media_type: str) -> str:
        return ", ".join(f"{url(f.path)} {f.width}w" for f in lead.of_type(media_type))

    fallback = lead.fallback_type
    middle = min(lead.of_type(fallback), key=lambda f: abs(f.width - 960))
    return PictureView(srcset("image/webp"), srcset(fallback), url(middle.path), TEASER,
                       middle.width, middle.height, lead.alt, None, None,
                       "lazy" if lazy else "eager", "image teaser-image")


def site_pictures(listings: tuple[Listing, ...], config: SiteConfig, store: PictureStore,
                  picture: Callable[[PictureView], Markup], url: Url, assets: Assets,
                  config_path: str) -> tuple[dict[str, Markup], ShareCard, dict[str, bytes]]:
    """The home page's lead pictures (by slug), its share card and the logo's file."""
    teasers: dict[str, Markup] = {}
    for listing in listings:
        if listing.lead is not None:
            teasers[listing.slug] = picture(teaser_view(listing.lead, url, lazy=bool(teasers)))
    problems: list[Diagnostic] = []
    files: dict[str, bytes] = {}
    try:
        _logo, files = logo_object(config, assets.urls, assets.files, store)
    except Refused as refused:
        where = posixpath.join(posixpath.dirname(config_path), config.logo or "")
        problems.append(error(SourceLocation(where), str(refused)))
    card = None
    try:
        card = make_card(CardText(config.title, config.description, ""),
                         None, "", config, store)
    except CardRefused as refused:
        problems.append(card_problem(refused, None, config_path))
    if problems or card is None:
        raise RenderProblems(problems)
    files[card.path] = card.data
    return teasers, card, files
