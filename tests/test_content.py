"""The real explainer: built from content/ and checked for its sections, facts and sources."""

from __future__ import annotations

import itertools
import re
from html import unescape
from pathlib import Path

import pytest

from generator.build import BuildResult, Project, render_project
from generator.sitecheck import check_site, parse_page

from conftest import REPO, TEMPLATES

SLUG = "afghanistan-tajikistan-2021"
SEED = REPO / "seeds" / "000_996fc131aa7bae96.txt"
SHARED_SEED = REPO.parent / "shared" / "seeds" / SEED.name
DEBRIS = ("Click here to see BBC Interactive", "Posted on")


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("real") / "site"
    return render_project(Project(REPO / "content", TEMPLATES, out), strict=True)


@pytest.fixture(scope="module")
def page(result: BuildResult) -> str:
    return result.files[f"{SLUG}/index.html"].decode()


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(page: str, ident: str) -> str:
    start = page.index(f'<section class="{ident}" id="') if f'<section class="{ident}"' in page \
        else page.index(f'id="{ident}"')
    return page[start:page.index("</section>", start)]


def test_builds_strictly_without_warnings(result: BuildResult):
    assert result.warnings == ()
    assert [e.slug for e in result.site.explainers] == [SLUG]


def test_every_section_is_present_and_not_empty(page: str):
    for ident in ("key-figures", "the-report", "timeline", "background", "people", "places",
                  "glossary", "sources"):
        assert f'id="{ident}"' in page, ident
    facts = parse_page(page)
    assert {"toc-title", "sources-title"} <= facts.ids
    for list_class in ("figure-grid", "events", "entity-list", "source-list"):
        assert re.search(rf'class="{list_class}">\s*<(li|div)', page), list_class


def test_site_is_well_formed_and_every_link_and_citation_resolves(result: BuildResult):
    report = check_site(result.files, "site", result.site.config.base_url)
    assert report.problems == ()
    assert report.external_links  # sources with URLs are listed, not fetched


def test_timeline_spans_the_war_in_five_eras(result: BuildResult, page: str):
    explainer = result.site.explainers[0]
    assert len(explainer.eras) == 5
    assert len(explainer.events) >= 25
    dates = [event.date.iso() for event in explainer.events]
    assert dates[0] == "2001-09-11" and dates[-1] == "2021-08-30"
    assert dates == sorted(dates, key=lambda d: [int(p) for p in d.split("-")])
    for iso in ("2001-10-07", "2020-02-29", "2021-04-14", "2021-07-05", "2021-08-15"):
        assert f'<time datetime="{iso}">' in page, iso


def test_the_story_itself_is_highlighted_once(result: BuildResult, page: str):
    highlighted = [e for e in result.site.explainers[0].events if e.highlight]
    assert [(e.date.iso(), e.highlight) for e in highlighted] == [("2021-07-05", "This story")]
    assert page.count('class="event highlight"') == 1


def test_key_figures_keep_the_reports_own_words(page: str):
    figures = text_of(section(page, "figures"))
    for wording in ("More than 1,000", "about 1,600", "about one-third of the country"):
        assert wording in figures, wording
    assert "1,037" in figures  # the Tajik border guard's own count, from outside the report


def test_every_record_cites_a_source(result: BuildResult):
    explainer = result.site.explainers[0]
    records = [*explainer.events, *explainer.figures, *explainer.people, *explainer.places,
               *explainer.glossary]
    assert all(record.sources for record in records)
    cited_in_prose = set(re.findall(r"@([a-z0-9-]+)", explainer.article.text))
    assert cited_in_prose <= {source.id for source in explainer.sources}


def test_seed_is_kept_verbatim_in_the_repository():
    if SHARED_SEED.exists():
        assert SEED.read_bytes() == SHARED_SEED.read_bytes()
    assert SEED.read_text(encoding="utf-8").startswith("Soldiers flee to Tajikistan")


def demarked_article(result: BuildResult) -> str:
    """The article as a reader of the original would see it: our markup gone, notes gone."""
    text = result.site.explainers[0].article.text
    text = re.sub(r"\{>>.*?<<\}", "", text, flags=re.S)
    text = text.replace("{==", "").replace("==}", "")
    text = re.sub(r'^::: ?\w*(?: "(.*)")?$', r"\1", text, flags=re.M)
    text = re.sub(r"^#+ ", "", text, flags=re.M)
    text = re.sub(r"(?<!\w)\*([^*\n]+)\*(?!\w)", r"\1", text)
    return text


def test_article_keeps_every_line_of_the_seed_and_drops_only_the_debris(result: BuildResult,
                                                                        page: str):
    article = demarked_article(result)
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line in DEBRIS:
            continue
        assert line in article, f"seed line missing or altered: {line[:60]!r}"
    for debris in DEBRIS:
        assert debris not in page


def test_article_flags_the_garbles_with_notes(page: str):
    report = section(page, "report")
    for garbled in ("Badakhshan and Tajikistan, which border Tajikistan", "Zamir Kavlov",
                    "Mr Zafra", "World Service Radio BBCOS.",
                    "seeking evacuation from Pakistan and Uzbekistan"):
        flagged = re.search(r'<mark class="ed-flag" id="flag-\d+">([^<]*)</mark>',
                            report[report.index(garbled) - 60:])
        assert flagged and garbled in flagged[1], garbled
    assert report.count('role="note"') >= 15


def test_people_places_and_terms_from_the_article_are_explained(page: str):
    people = text_of(section(page, "people"))
    for name in ("Ashraf Ghani", "Zabihullah Atiq", "Suhail Shaheen", "Lyse Doucet",
                 "Zamir Kabulov", "Hamid Karzai", "Joe Biden", "Osama bin Laden"):
        assert name in people, name
    places = text_of(section(page, "places"))
    for name in ("Badakhshan", "Takhar", "Mazar-i-Sharif", "Kabul", "Tajikistan"):
        assert name in places, name
    glossary = text_of(section(page, "glossary"))
    for term in ("Taliban", "al-Qaeda", "NATO"):
        assert term.lower() in glossary.lower(), term


def test_home_page_lists_the_explainer(result: BuildResult):
    home = result.files["index.html"].decode()
    assert f'href="{SLUG}/index.html"' in home
    assert "Why more than 1,000 Afghan soldiers fled into Tajikistan" in unescape(home)


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


def test_text_colours_have_enough_contrast():
    """WCAG AA (4.5:1) for the stylesheet's text colours on its backgrounds, light and dark."""
    css = (TEMPLATES / "assets" / "style.css").read_text()
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
