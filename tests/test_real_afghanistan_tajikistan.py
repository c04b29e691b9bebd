"""The Afghanistan-Tajikistan explainer: its sections, facts, notes and sources."""

from __future__ import annotations

import re
from html import unescape

import pytest

from generator.check import parse_page
from generator.model import Explainer
from generator.pipeline import BuildResult
from generator.records import Era, Event, Quote, Source

from realsite import PROJECT, build_real_site, by_slug

SLUG = "afghanistan-tajikistan-2021"
SEED = PROJECT / "seeds" / "000_996fc131aa7bae96.txt"


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
                  "glossary", "quotes", "sources"):
        assert f'id="{ident}"' in page, ident
    facts = parse_page(page)
    assert {"toc-title", "sources-title"} <= facts.ids
    for list_class in ("figure-grid", "events", "entity-list", "source-list"):
        assert re.search(rf'class="{list_class}">\s*<(li|div)', page), list_class


def test_timeline_keeps_to_2021_and_leaves_the_war_to_the_other_explainers(
        explainer: Explainer, page: str):
    eras = [era.id for era in explainer.of(Era)]
    assert eras == ["withdrawal", "after-the-report"]
    dates = [event.date.iso() for event in explainer.of(Event)]
    assert all(d.startswith("2021-") for d in dates), dates
    assert dates == sorted(dates, key=lambda d: [int(p) for p in d.split("-")])
    assert dates[0] == "2021-05-01" and dates[-1] == "2021-08-30"
    for iso in ("2021-05-01", "2021-06-22", "2021-07-05", "2021-08-15"):
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


CONTAINER = re.compile(r"^::: ?\w*(?: .*)?$")


def demarked_lines(markdown: str) -> list[str]:
    """The article as a reader of the original saw it, one line per paragraph: the notes
    gone, the highlighted words unwrapped, headings, bylines and container lines stripped."""
    text = re.sub(r"\{>>.*?<<\}", "", markdown, flags=re.S)
    text = text.replace("{==", "").replace("==}", "")
    lines = []
    for line in text.splitlines():
        if CONTAINER.match(line.strip()):
            continue
        line = re.sub(r"^#+ ", "", line)
        line = re.sub(r"(?<!\w)\*([^*\n]+)\*(?!\w)", r"\1", line)
        lines.append(line.strip())
    return [line for line in lines if line]


def test_article_is_the_seed_word_for_word_line_for_line(explainer: Explainer):
    """Every line of the seed, in order, nothing dropped or added: repeated captions and page
    leftovers included (they carry notes saying what they are)."""
    seed = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    article = demarked_lines(explainer.article.text)
    for number, (ours, theirs) in enumerate(zip(article, seed, strict=False), start=1):
        assert ours == theirs, f"line {number} differs:\n ours: {ours!r}\n seed: {theirs!r}"
    assert len(article) == len(seed), f"{len(article)} lines, the seed has {len(seed)}"


def test_page_leftovers_and_repeated_captions_are_kept_and_flagged(page: str):
    report = section(page, "report")
    for kept in ("Click here to see BBC Interactive", "Posted on", "25-year-old Zara from Kabul"):
        flagged = re.search(r'<mark class="ed-flag" id="flag-\d+">([^<]*)</mark>',
                            report[report.index(kept) - 60:])
        assert flagged and flagged[1] == kept, kept
    caption = "Afghan Army soldiers have machine guns at a checkpoint outside Kabul"
    assert text_of(report).count(caption.split(" machine guns")[1]) == 2


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


def test_every_quotation_is_marked_as_a_translation(explainer: Explainer, page: str):
    quotes = explainer.of(Quote)
    assert len(quotes) >= 4 and all(q.translated for q in quotes)
    assert text_of(section(page, "quotes")).count("As translated (not the speaker’s own words)") \
        == len(quotes)
    reuters = "The Taliban cut off all the roads and these people had nowhere to go"
    assert reuters in text_of(section(page, "report"))  # the BBC's own words, in the note


def test_the_corrected_notes_and_terms(page: str):
    report = text_of(section(page, "report"))
    assert "BBC OS" in report and "could not recover the programme" not in report
    assert "Turkey denied it" in report
    glossary = text_of(section(page, "glossary"))
    assert "Tactical retreat" in glossary and "Tactical withdrawal" not in glossary
    assert "1,360" not in text_of(page) and "1,300 to 1,357 km" in text_of(page)


def test_links_to_the_war_and_the_withdrawal(page: str):
    background = section(page, "background")
    for slug in ("us-invasion-afghanistan-2001", "us-withdrawal-afghanistan-2021"):
        assert f'href="../{slug}/index.html"' in background, slug


def test_its_corrections_and_updates_are_dated_and_listed(explainer: Explainer, page: str):
    """Changes made to the page since it was published (the git history of content/ has
    them); the editorial notes on the report are not among them."""
    updates = explainer.meta.updates
    assert {u.kind for u in updates} == {"correction", "clarification"}
    assert all(explainer.published.sort_key < u.date.sort_key for u in updates)
    assert explainer.last_changed == max((u.date for u in updates), key=lambda d: d.sort_key)
    log = section(page, "corrections-and-updates")
    assert "Tactical retreat" in log and "Tactical withdrawal" in log
    assert re.search(r'Updated <time datetime="[0-9-]+">[^<]+</time>: <a href="#corrections-'
                     r'and-updates">correction</a>', page)
