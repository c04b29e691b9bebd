"""Share cards: every page has one, a real 1200 x 630 PNG named by all its metadata; cards are
the same bytes every build; long titles stay on the card; right-to-left titles are set right
to left, or refused with a located message where Pillow cannot."""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFont

import generator.render.cards as cards
from generator.errors import BuildFailed
from generator.pipeline import Project, make_site
from generator.render.cardpaint import BACKGROUND
from generator.render.cards import BOLD, MARGIN, PHOTO_WIDTH, CardRefused, CardText, draw_card

from conftest import FIXTURES, SECOND_EXPLAINER, share_cards, write_files
from imagemaker import METADATA_MARKERS, picture, scene

BASE_URL = "https://example.org/news/"
DARI = "چرا بیش از هزار سرباز افغان به تاجیکستان فرار کردند"  # "Why more than 1,000 Afghan
# soldiers fled to Tajikistan", in Dari
needs_raqm = pytest.mark.skipif(  # under CI=true a missing libraqm fails, like Chromium
    not cards.has_raqm() and os.environ.get("CI") != "true",
    reason="Pillow has no libraqm here (Debian: apt-get install libfribidi0)")


@pytest.fixture
def project(minimal_project: Project) -> Project:
    shutil.copytree(FIXTURES / "pictures-explainer", minimal_project.content_dir /
                    "pictures-explainer")
    shutil.copytree(SECOND_EXPLAINER, minimal_project.content_dir / "second-explainer")
    return minimal_project


def card_of(files: dict[str, bytes], page: str) -> Image.Image:
    html = files[page].decode()
    url = html.split('<meta property="og:image" content="')[1].split('"')[0]
    return Image.open(io.BytesIO(files[url.removeprefix(BASE_URL)]))


def ink(card: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """Where anything but the background is drawn inside ``box``."""
    region = card.convert("RGB").crop(box)
    background = Image.new("RGB", region.size, BACKGROUND)
    return ImageChops.difference(region, background).getbbox()


def test_every_page_shares_a_real_1200_by_630_png(project: Project):
    files = make_site(project).files
    assert share_cards(files, BASE_URL) == {page: (1200, 630) for page in (
        "index.html", "search/index.html", "pictures-explainer/index.html",
        "sample-explainer/index.html",
        "second-explainer/index.html", "topics/pictures/index.html",
        "topics/sample/index.html", "topics/testing/index.html")}
    assert "og:image" not in files["404.html"].decode()  # a 404 page is not for sharing


def test_cards_are_the_same_bytes_in_every_build(project: Project, tmp_path: Path):
    first = make_site(project).files
    second = make_site(replace(project, cache_dir=tmp_path / "cache")).files
    third = make_site(replace(project, cache_dir=tmp_path / "cache")).files  # from the cache
    cards_of = [{p: d for p, d in files.items() if "share-card" in p}
                for files in (first, second, third)]
    assert len(cards_of[0]) == 4 and cards_of[0] == cards_of[1] == cards_of[2]


def test_the_lead_picture_is_on_the_card_cropped_and_clean(project: Project):
    files = make_site(project).files
    with card_of(files, "pictures-explainer/index.html") as card:
        assert ink(card, (1200 - PHOTO_WIDTH, 0, 1200, 630)) == (0, 0, PHOTO_WIDTH, 630)
        data = io.BytesIO()
        card.save(data, "PNG")
    raw = next(d for p, d in files.items() if p.startswith("pictures-explainer/share-card"))
    assert not [m for m in METADATA_MARKERS if m in raw]
    with card_of(files, "sample-explainer/index.html") as card:  # no lead picture, no photo
        panel = card.convert("RGB").crop((1200 - PHOTO_WIDTH, 12, 1200, 630))
        colours = panel.getcolors(maxcolors=PHOTO_WIDTH * 630)
        assert colours and max(colours)[0] > 0.9 * PHOTO_WIDTH * 618


@pytest.mark.parametrize("photo", [None, scene(1600, 1000)])
def test_long_titles_and_deks_wrap_shrink_and_end_with_an_ellipsis(photo: Image.Image | None):
    text = CardText(" ".join(["Afghanistan's", "extraordinarily", "long", "withdrawal"] * 9) +
                    " Supercalifragilisticexpialidociousandlongerstillwithoutanyspaces" * 2,
                    "Word " * 300, "A site with a long name " * 5)
    card = Image.open(io.BytesIO(draw_card(text, photo)))
    right = 1200 - MARGIN - (PHOTO_WIDTH if photo is not None else 0)
    assert card.size == (1200, 630)
    assert ink(card, (0, 12, MARGIN - 2, 630)) is None  # nothing in the left margin
    assert ink(card, (right + 2, 12, right + MARGIN - 4, 630)) is None  # nor the right
    assert ink(card, (MARGIN, 630 - 24, right, 630)) is None  # nor under the text
    assert ink(card, (MARGIN, 120, right, 500)) is not None  # and the title is there


def test_a_short_title_keeps_the_largest_size():
    short = Image.open(io.BytesIO(draw_card(CardText("Short", "", "Site"), None)))
    long = Image.open(io.BytesIO(draw_card(CardText("Short " * 30, "", "Site"), None)))
    short_box, long_box = ink(short, (MARGIN, 100, 1128, 600)), ink(long, (MARGIN, 100, 1128,
                                                                           600))
    assert short_box and long_box
    letter_height = short_box[3] - short_box[1]
    assert letter_height > 40 and long_box[3] - long_box[1] > 3 * letter_height


@needs_raqm
def test_right_to_left_titles_are_shaped_and_set_from_the_right():
    card = Image.open(io.BytesIO(draw_card(CardText(DARI, "", "Explainers"), None)))
    title = ink(card, (0, 120, 1200, 600))
    assert title is not None
    assert abs(title[2] - (1200 - MARGIN)) <= 6, title  # flush right
    lines = [ink(card, (0, top, 1200, top + 70)) for top in range(120, 600, 70)]
    assert any(line and line[0] > MARGIN + 60 for line in lines)  # a ragged left edge
    shaped = ImageFont.truetype(str(BOLD), 40, layout_engine=ImageFont.Layout.RAQM)
    unshaped = ImageFont.truetype(str(BOLD), 40, layout_engine=ImageFont.Layout.BASIC)
    assert bytes(shaped.getmask("کابل")) != bytes(unshaped.getmask("کابل"))  # joined


@needs_raqm
def test_pashto_is_set_in_the_font_that_has_all_its_letters():
    pashto = "د افغان سرتېرو کورنۍ لا هم انتظار باسي"  # 'ۍ' (U+06CD): not in DejaVu Sans
    assert "ۍ" in pashto
    card = Image.open(io.BytesIO(draw_card(CardText(pashto, pashto, "Explainers"), None)))
    title = ink(card, (0, 120, 1200, 600))
    assert title is not None and abs(title[2] - (1200 - MARGIN)) <= 6
    with pytest.raises(CardRefused, match=r"cannot draw '中' \(U\+4E2D"):
        draw_card(CardText("Kabul 中", "", ""), None)


@needs_raqm
def test_a_right_to_left_card_puts_the_photo_on_the_left():
    card = Image.open(io.BytesIO(draw_card(CardText(DARI, "", ""), scene(1600, 1000))))
    assert ink(card, (0, 0, PHOTO_WIDTH, 630)) == (0, 0, PHOTO_WIDTH, 630)
    assert ink(card, (PHOTO_WIDTH + 2, 12, PHOTO_WIDTH + MARGIN - 4, 630)) is None


def test_without_libraqm_right_to_left_text_is_refused_not_drawn_backwards(
        project: Project, monkeypatch: pytest.MonkeyPatch):
    with pytest.raises(CardRefused, match="right to left"):
        draw_card(CardText(DARI, "", ""), None, raqm=False)
    assert draw_card(CardText("Left to right is fine", "", ""), None, raqm=False)
    monkeypatch.setattr(cards, "has_raqm", lambda: False)
    yaml = project.content_dir / "second-explainer/explainer.yaml"
    yaml.write_text(yaml.read_text().replace("title: A second sample explainer",
                                             f"title: {DARI}"))
    with pytest.raises(BuildFailed) as failed:
        make_site(project)
    assert [str(d) for d in failed.value.diagnostics] == [
        f"{yaml.as_posix()}: explainer: title: is written right to left, and this machine's "
        "Pillow has no libraqm to lay it out, so the share card would show it backwards; "
        "expected Pillow with libraqm (on Debian: apt-get install libfribidi0; check with "
        "PIL.features.check('raqm'))"]


def test_a_character_the_font_lacks_is_refused_and_located_in_the_dek(project: Project):
    yaml = project.content_dir / "second-explainer/explainer.yaml"
    yaml.write_text(yaml.read_text().replace("A second, unrelated story",
                                             "A second story (第二)"))
    with pytest.raises(BuildFailed) as failed:
        make_site(project)
    (problem,) = failed.value.diagnostics
    assert str(problem).startswith(f"{yaml.as_posix()}:2:10: explainer: summary: the share "
                                   "card's fonts (DejaVuSans, NotoSansArabic-Regular) cannot "
                                   "draw '第' (U+7B2C")


def test_the_publisher_logo_comes_from_site_yaml_cleaned(project: Project):
    (project.content_dir / "logo.png").write_bytes(picture("png-alpha", 600, 300))
    site_yaml = project.content_dir / "site.yaml"
    write_files(project.content_dir, {"site.yaml": site_yaml.read_text() + "logo: logo.png\n"})
    files = make_site(project).files
    share_cards(files, BASE_URL)  # checks the logo's file and size too
    logos = [p for p in files if p.startswith("images/logo-")]
    assert logos == [next(p for p in logos if p.endswith(".png"))]
    assert not [m for m in METADATA_MARKERS if m in files[logos[0]]]
    with Image.open(io.BytesIO(files[logos[0]])) as logo:
        assert logo.size == (600, 300) and logo.mode == "RGBA"
