"""The real site, whatever explainers content/ holds: it builds strictly and reads well."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from generator.check import check_files
from generator.pipeline import BuildResult
from generator.records import Chart, Place

from conftest import share_cards
from realsite import PROJECT, build_real_site


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_real_site(tmp_path_factory.mktemp("real") / "site")


def test_builds_strictly_without_warnings(result: BuildResult):
    assert result.warnings == ()
    folders = sorted(p.name for p in (PROJECT / "content").iterdir() if p.is_dir())
    assert sorted(e.slug for e in result.site.explainers) == folders


def test_site_is_well_formed_and_every_link_and_citation_resolves(result: BuildResult):
    report = check_files(result.files, "site", result.site.config.base_url)
    assert report.problems == ()


def test_home_page_lists_every_explainer(result: BuildResult):
    home = result.files["index.html"].decode()
    for explainer in result.site.explainers:
        assert f'href="{explainer.slug}/index.html"' in home, explainer.slug


def test_seeds_are_kept_verbatim():
    shared = PROJECT.parent / "shared" / "seeds"
    for seed in sorted((PROJECT / "seeds").iterdir()):
        if (shared / seed.name).exists():
            assert seed.read_bytes() == (shared / seed.name).read_bytes(), seed.name


def test_pages_have_no_machine_paths(result: BuildResult):
    for path, content in result.files.items():
        if path.endswith((".html", ".xml", ".json")):
            assert str(Path.home()) not in content.decode(), path
            assert "/tmp/" not in content.decode(), path


def test_headings_never_skip_a_level(result: BuildResult):
    for path, content in result.files.items():
        if not path.endswith(".html"):
            continue
        levels = [int(level) for level in re.findall(r"<h([1-6])\b", content.decode())]
        assert levels[0] == 1, path
        for previous, level in itertools.pairwise(levels):
            assert level <= previous + 1, f"{path}: h{previous} followed by h{level}"


def test_every_record_cites_a_source(result: BuildResult):
    for listing in result.site.explainers:
        explainer = result.explainer(listing.slug)
        for kind, records in explainer.records.items():
            for record in records:
                sources = getattr(record, "sources", None)
                if isinstance(record, Chart) and not sources:  # then every number cites
                    sources = all(p.sources for s in record.series for p in s.points)
                assert sources is None or sources, f"{explainer.slug}: {kind} {record.id}"


def test_every_number_of_every_chart_and_every_coordinate_is_sourced(result: BuildResult):
    for listing in result.site.explainers:
        explainer = result.explainer(listing.slug)
        for chart in explainer.of(Chart):
            for series in chart.series:
                assert all(p.sources or chart.sources for p in series.points), chart.id
        for place in explainer.of(Place):
            assert (place.lat is None) == (not place.coordinates_sources), place.id


def test_text_colours_have_enough_contrast():
    """WCAG AA (4.5:1) for the stylesheet's text colours on its backgrounds, light and dark."""
    css = (PROJECT / "templates" / "assets" / "style.css").read_text()
    light, dark = css.split("@media (prefers-color-scheme: dark)")[:2]

    def colours(block: str) -> dict[str, str]:
        return dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6});", block))

    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    for scheme in (colours(light), colours(dark)):
        for text in ("text", "muted", "accent", "link", "note-edge"):
            for background in ("bg", "card", "note-bg", "highlight-bg"):
                assert contrast(scheme[text], scheme[background]) >= 4.5, (text, background)
        assert contrast(scheme["mark-text"], scheme["mark-bg"]) >= 4.5


def test_every_page_has_a_1200_by_630_share_card(result: BuildResult):
    sizes = share_cards(result.files, result.site.config.base_url)
    assert set(sizes) == {"index.html", "search/index.html", *(f"{e.slug}/index.html"
                                          for e in result.site.explainers),
                          *(p for p in result.files if p.startswith(("topics/", "authors/"))
                            and p.endswith("/index.html"))}
    assert set(sizes.values()) == {(1200, 630)}


REAL_EXPLAINERS = ("afghanistan-tajikistan-2021", "us-invasion-afghanistan-2001",
                   "us-withdrawal-afghanistan-2021")


def test_the_real_explainers_are_by_the_desk_and_share_topics(result: BuildResult):
    """No person is invented for a byline: the desk that compiles the pages signs them."""
    desk = result.files["authors/explainers-desk/index.html"].decode()
    topics = []
    for slug in REAL_EXPLAINERS:
        listing = next(e for e in result.site.explainers if e.slug == slug)
        assert listing.meta.authors == ("explainers-desk",)
        assert f'href="../../{slug}/index.html"' in desk
        page = result.files[f"{slug}/index.html"].decode()
        assert '<p class="byline">By <a href="../authors/explainers-desk/index.html" ' \
               'rel="author">Explainers desk</a></p>' in page
        assert '"author":[{"@type":"Organization","name":"Explainers desk"' in page
        assert '<aside class="related"' in page
        topics.append({t.slug for t in listing.topics})
    shared = set.intersection(*topics)
    assert {"afghanistan", "taliban"} <= shared
    for topic in shared:
        listed = result.files[f"topics/{topic}/index.html"].decode()
        assert all(f'href="../../{slug}/index.html"' in listed for slug in REAL_EXPLAINERS)
