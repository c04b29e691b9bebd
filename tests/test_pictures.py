"""Pictures: a fixture explainer with two pictures builds into responsive, metadata-free,
fingerprinted variants, the same bytes every time, and a rebuild encodes nothing again."""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

import generator.render.images as images_module
from generator.errors import BuildFailed
from generator.pipeline import Project, build, make_site
from generator.render.images import WIDTHS, Processed, decode, process

from conftest import FIXTURES, TEMPLATES, run_cli, tree_bytes
from imagemaker import METADATA_MARKERS, SECRET, picture

SLUG = "pictures-explainer"
PICTURES = FIXTURES / SLUG
VARIANT = re.compile(r"(?P<stem>[a-z0-9-]+)-(?P<width>\d+)\.(?P<hash>[0-9a-f]{10})\."
                     r"(?P<ext>webp|jpg|png)")


@pytest.fixture
def project(minimal_project: Project) -> Project:
    shutil.copytree(PICTURES, minimal_project.content_dir / SLUG)
    return minimal_project


def variants(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path.startswith(f"{SLUG}/images/")}


def test_the_fixture_pictures_carry_what_must_not_be_published():
    """The test below can only fail if its input has GPS, EXIF and the rest to leak."""
    street = (PICTURES / "images/street.jpg").read_bytes()
    with Image.open(io.BytesIO(street)) as image:
        exif = image.getexif()
        assert exif.get_ifd(0x8825)[2] == (34.0, 31.0, 12.34)  # GPS latitude
        assert exif[0x0112] == 6  # stored on its side
        assert image.size == (1333, 2000)
        assert {"icc_profile", "comment", "xmp"} <= set(image.info)
    drawing = (PICTURES / "images/drawing.png").read_bytes()
    with Image.open(io.BytesIO(drawing)) as image:
        assert image.getexif().get_ifd(0x8825)
        assert SECRET in image.info["Comment"]
        assert "icc_profile" in image.info


def test_two_pictures_become_responsive_metadata_free_fingerprinted_variants(project: Project):
    files = variants(make_site(project).files)
    widths: dict[tuple[str, str], list[int]] = {}
    for path, data in sorted(files.items()):
        name = VARIANT.fullmatch(path.rsplit("/", 1)[1])
        assert name, path
        assert name["hash"] == hashlib.sha256(data).hexdigest()[:10]
        for marker in METADATA_MARKERS:
            assert marker not in data, (path, marker)
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[name["ext"]]
            assert image.width == int(name["width"])
            assert not image.getexif(), path  # no EXIF at all, so no GPS
            assert not {"exif", "xmp", "icc_profile", "comment", "Comment",
                        "XML:com.adobe.xmp"} & set(image.info), (path, image.info)
            if name["stem"] == "street":
                assert abs(image.height - image.width * 1333 / 2000) <= 1  # upright
                red = image.convert("RGB").getpixel((image.width // 40, image.height // 20))
                assert red[0] > 150 and red[1] < 90, red  # the red sign is top left
        widths.setdefault((name["stem"], name["ext"]), []).append(image.width)
    assert {key: sorted(found) for key, found in widths.items()} == {
        ("street", "webp"): [480, 960, 1600], ("street", "jpg"): [480, 960, 1600],
        ("drawing", "webp"): [480, 960, 1200], ("drawing", "png"): [480, 960, 1200],
    }  # never wider than the original (the drawing is 1200 px wide)


def test_pages_offer_every_variant_with_sizes_and_dimensions(project: Project):
    files = make_site(project).files
    page = files[f"{SLUG}/index.html"].decode()
    lead = page.split('<figure class="image lead-image">')[1].split("</figure>")[0]
    assert page.index("lead-image") < page.index('<nav class="toc"')  # under the dek
    assert 'loading="eager"' in lead and 'fetchpriority="high"' in lead
    assert "Picture: Jane Doe / Sample Agency, CC BY 4.0" in lead
    placed = page.split('<div class="article-text">')[1].split("</div>")[0]
    assert placed.count("<figure") == 1 and 'loading="lazy"' in placed
    assert "The same scene, drawn by the newsroom." in placed
    for img in re.findall(r"<img [^>]*>", page):
        assert 'decoding="async"' in img and 'sizes="' in img
        width, height = (int(n) for n in re.search(r'width="(\d+)" height="(\d+)"',
                                                    img).groups())
        src = re.search(r'src="([^"]+)"', img)[1]
        with Image.open(io.BytesIO(files[f"{SLUG}/{src}"])) as image:
            assert image.size == (width, height)
    for srcset in re.findall(r'srcset="([^"]+)"', page):
        for candidate in srcset.split(", "):
            url, width = candidate.split()
            with Image.open(io.BytesIO(files[f"{SLUG}/{url}"])) as image:
                assert f"{image.width}w" == width
    home = files["index.html"].decode()
    assert f'srcset="{SLUG}/images/street-480.' in home  # the lead picture on the home page


def test_identical_input_gives_identical_bytes(project: Project, tmp_path: Path):
    first = make_site(project).files
    again = make_site(replace(project, cache_dir=tmp_path / "cache")).files
    assert first == again
    data = (PICTURES / "images/street.jpg").read_bytes()
    assert process(data).to_bytes() == process(data).to_bytes()
    assert Processed.from_bytes(process(data).to_bytes()) == process(data)


def counting_encodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    encoded: list[str] = []
    real = images_module._encode

    def encode(image: Image.Image, media_type: str, lossless: bool) -> images_module.Encoded:
        encoded.append(f"{media_type} {image.width}")
        return real(image, media_type, lossless)

    monkeypatch.setattr(images_module, "_encode", encode)
    return encoded


def test_a_rebuild_encodes_nothing_again_and_a_changed_picture_only_itself(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    encoded = counting_encodes(monkeypatch)
    cached = replace(project, cache_dir=tmp_path / "cache")
    first = make_site(cached).files
    assert len(encoded) == 12  # 2 pictures x 3 widths x 2 formats, each once per build
    assert list((tmp_path / "cache").glob("pictures/*/*"))
    encoded.clear()
    assert make_site(cached).files == first
    assert encoded == []
    street = project.content_dir / SLUG / "images/street.jpg"
    street.write_bytes(picture("jpeg", 1000, 600))
    changed = make_site(cached).files
    assert sorted(encoded) == sorted(f"{kind} {width}" for kind in ("image/jpeg", "image/webp")
                                     for width in (480, 960, 1000))
    assert {p for p in changed if "drawing" in p} == {p for p in first if "drawing" in p}


def test_without_a_cache_folder_pictures_are_processed_once_per_build(
        project: Project, monkeypatch: pytest.MonkeyPatch):
    encoded = counting_encodes(monkeypatch)
    make_site(project)
    assert len(encoded) == 12  # the home page's lead picture is not encoded a second time
    make_site(project)
    assert len(encoded) == 24


def test_a_damaged_cache_entry_is_made_again(project: Project, tmp_path: Path):
    cached = replace(project, cache_dir=tmp_path / "cache")
    first = make_site(cached).files
    for entry in (tmp_path / "cache").glob("pictures/*/*"):
        entry.write_bytes(entry.read_bytes()[:100])
    assert make_site(cached).files == first


def test_the_command_line_keeps_its_cache_beside_content(project: Project):
    result = run_cli("build", "--content", str(project.content_dir), "--templates",
                     str(TEMPLATES), "--out", str(project.out_dir))
    assert result.code == 0, result.err
    assert list((project.content_dir.parent / ".explainer-cache" / "pictures").glob("*/*"))


def test_facts_json_describes_each_picture(project: Project):
    facts = json.loads(make_site(project).files[f"{SLUG}/facts.json"])
    assert [i["id"] for i in facts["images"]] == ["street", "drawing"]
    street = facts["images"][0]
    assert street["credit"] == "Jane Doe / Sample Agency" and street["focus"] == [0.7, 0.3]
    assert facts["explainer"]["lead_image"] == "street"


def test_a_failed_picture_leaves_the_site_as_it_was(project: Project):
    build(project)
    before = tree_bytes(project.out_dir)
    (project.content_dir / SLUG / "images/drawing.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    with pytest.raises(BuildFailed, match=r"drawing\.png: is not a picture"):
        build(project)
    assert tree_bytes(project.out_dir) == before


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P", "CMYK", "L", "I;16"])
def test_every_pixel_format_becomes_srgb_or_srgb_with_alpha(mode: str):
    image = Image.new("RGB", (700, 500), (200, 40, 30)).convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, "PNG" if mode != "CMYK" else "JPEG")
    result = process(buffer.getvalue())
    assert [v.width for v in result.variants] == [480, 480, 700, 700]
    for variant in result.variants:
        with Image.open(io.BytesIO(variant.data)) as made:
            assert made.mode in ("RGB", "RGBA")


def test_widths_are_the_configured_ones_and_never_enlarge():
    assert WIDTHS == (480, 960, 1600)
    small = process(picture("jpeg", 300, 200))
    assert {(v.width, v.height) for v in small.variants} == {(300, 200)}
    upright, kind = decode(picture("jpeg", 640, 480, orientation=6))
    assert (upright.size, kind) == ((640, 480), "JPEG")


def test_the_lead_picture_is_on_the_home_page_and_on_each_topic_page(project: Project):
    """Listing pages sit at different depths: each picture address must resolve from its
    own page, and the built-site check (which follows src and srcset) would fail if not."""
    files = make_site(project).files
    for page in ("index.html", "topics/pictures/index.html", "topics/testing/index.html"):
        html = files[page].decode()
        sources = re.findall(r'<img src="([^"]+)"', html)
        assert len(sources) == 1, page
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), sources[0]))
        assert resolved.startswith(f"{SLUG}/images/street-") and resolved in files, page
