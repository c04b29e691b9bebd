"""The Afghanistan-Tajikistan explainer: its sections, facts, notes and sources."""

from __future__ import annotations

import re
from html import unescape

import pytest

from generator.check import parse_page
from generator.model import Explainer
from generator.pipeline import BuildResult
from generator.records import Era, Event, Source

from realsite import PROJECT, build_real_site, by_slug

SLUG = "afghanistan-tajikistan-2021"
SEED = PROJECT / "seeds" / "000_996fc131aa7bae96.txt"
DEBRIS = ("Click here to see BBC Interactive", "Posted on")


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_real_site(tmp_path_factory.mktemp("real") / "site")


@pytest.fixture(scope="module")
def explainer(result: BuildResult) -> Explainer:
    return by_slug(result, SLUG)


@pytest.fixture(scope="module")
def page(result: BuildResult) -> str:
    return result.files[f"{SLUG}/index.html"].decode()


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(page: str, ident: str) -> str:
    start = page.index(f'<section class="{ident}" id="') if f'<section class="{ident}"' in page \
        else page.index(f'id="{ident}"')
    return page[start:page.index("</section>", start)]


def test_every_section_is_present_and_not_empty(page: str):
    for ident in ("key-figures", "the-report", "timeline", "background", "people", "places",
                  "glossary", "sources"):
        assert f'id="{ident}"' in page, ident
    facts = parse_page(page)
    assert {"toc-title", "sources-title"} <= facts.ids
    for list_class in ("figure-grid", "events", "entity-list", "source-list"):
        assert re.search(rf'class="{list_class}">\s*<(li|div)', page), list_class


def test_timeline_spans_the_war_in_five_eras(explainer: Explainer, page: str):
    assert len(explainer.of(Era)) == 5
    assert len(explainer.of(Event)) >= 25
    dates = [event.date.iso() for event in explainer.of(Event)]
    assert dates[0] == "2001-09-11" and dates[-1] == "2021-08-30"
    assert dates == sorted(dates, key=lambda d: [int(p) for p in d.split("-")])
    for iso in ("2001-10-07", "2020-02-29", "2021-04-14", "2021-07-05", "2021-08-15"):
        assert f'<time datetime="{iso}">' in page, iso


def test_the_story_itself_is_highlighted_once(explainer: Explainer, page: str):
    highlighted = [e for e in explainer.of(Event) if e.highlight]
    assert [(e.date.iso(), e.highlight) for e in highlighted] == [("2021-07-05", "This story")]
    assert page.count('class="event highlight"') == 1


def test_key_figures_keep_the_reports_own_words(page: str):
    figures = text_of(section(page, "figures")) + text_of(section(page, "figures more-figures"))
    for wording in ("More than 1,000", "about 1,600", "about one-third of the country"):
        assert wording in figures, wording
    assert "1,037" in figures  # the Tajik border guard's own count, from outside the report


def test_the_article_cites_only_listed_sources(explainer: Explainer):
    cited_in_prose = set(re.findall(r"@([a-z0-9-]+)", explainer.article.text))
    assert cited_in_prose <= {source.id for source in explainer.of(Source)}


def test_seed_is_in_the_repository():
    assert SEED.read_text(encoding="utf-8").startswith("Soldiers flee to Tajikistan")


def demarked_article(explainer: Explainer) -> str:
    """The article as a reader of the original would see it: our markup gone, notes gone."""
    text = explainer.article.text
    text = re.sub(r"\{>>.*?<<\}", "", text, flags=re.S)
    text = text.replace("{==", "").replace("==}", "")
    text = re.sub(r'^::: ?\w*(?: "(.*)")?$', r"\1", text, flags=re.M)
    text = re.sub(r"^#+ ", "", text, flags=re.M)
    text = re.sub(r"(?<!\w)\*([^*\n]+)\*(?!\w)", r"\1", text)
    return text


def test_article_keeps_every_line_of_the_seed_and_drops_only_the_debris(explainer: Explainer,
                                                                        page: str):
    article = demarked_article(explainer)
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
