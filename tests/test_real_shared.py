"""The three Afghanistan explainers as one site: each links to the other two, and the people,
places, terms and sources they share are written once and shown on every page that names
them."""

from __future__ import annotations

import re

import pytest
import yaml

from generator.pipeline import BuildResult
from generator.records import Person, Place, Source, Term

from realsite import PROJECT, build_real_site, by_slug

SLUGS = ("afghanistan-tajikistan-2021", "us-invasion-afghanistan-2001",
         "us-withdrawal-afghanistan-2021")
# content/<file>: the record class, its anchor on the page, the fields that name it
SHARED = {"people.yaml": (Person, "person", ("name", "report_spelling")),
          "places.yaml": (Place, "place", ("name", "report_spelling")),
          "glossary.yaml": (Term, "term", ("term",))}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_real_site(tmp_path_factory.mktemp("real") / "site")


def page(result: BuildResult, slug: str) -> str:
    return result.files[f"{slug}/index.html"].decode()


def shared_records(file: str) -> list[dict]:
    return yaml.safe_load((PROJECT / "content" / file).read_text(encoding="utf-8"))


def own_words(slug: str) -> str:
    """Everything the explainer's own files say, YAML comments and source titles left out."""
    folder = PROJECT / "content" / slug
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())
             if path.suffix in (".md", ".yaml")
             and path.name not in ("explainer.yaml", "sources.yaml")]
    return re.sub(r"(?m)^\s*#.*$", "", "\n".join(texts))


def pattern(name: str, either_case: bool) -> str:
    first = f"[{name[0].upper()}{name[0].lower()}]" if either_case else re.escape(name[0])
    return rf"(?<!\w){first}{re.escape(name[1:])}(?!\w)"


def known_names(slug: str) -> list[str]:
    """Every name the page or the site knows: the shared files' and the explainer's own."""
    folders = (PROJECT / "content", PROJECT / "content" / slug)
    return [record[field] for folder in folders for file, (_k, _a, fields) in SHARED.items()
            if (folder / file).is_file()
            for record in yaml.safe_load((folder / file).read_text(encoding="utf-8")) or ()
            for field in fields if record.get(field)]


def names(words: str, name: str, either_case: bool, known: tuple[str, ...] = ()) -> bool:
    """As the build matches: whole words; a glossary term's first letter in either case;
    not only inside a longer known name ("Hamid Karzai International Airport")."""
    for longer in sorted((n for n in known if len(n) > len(name)
                          and name.casefold() in n.casefold()), key=len, reverse=True):
        words = re.sub(pattern(longer, False), "\0", words)
    return re.search(pattern(name, either_case), words) is not None


def test_each_explainer_links_to_the_other_two(result: BuildResult):
    for slug in SLUGS:
        html = page(result, slug)
        for other in SLUGS:
            if other != slug:
                assert f'href="../{other}/index.html"' in html, f"{slug} does not link {other}"


def test_shared_entries_are_shown_on_every_page_that_names_them(result: BuildResult):
    for slug in SLUGS:
        html, words, explainer = page(result, slug), own_words(slug), by_slug(result, slug)
        known = tuple(known_names(slug))
        for file, (kind, anchor, fields) in SHARED.items():
            ids = {getattr(r, "term", None) or r.name: r.id for r in explainer.of(kind)}
            for record in shared_records(file):
                spellings = [record[f] for f in fields if record.get(f)]
                if any(names(words, spelling, kind is Term, known) for spelling in spellings):
                    ident = record.get("id") or ids.get(record["term"])
                    assert ident and f'id="{anchor}-{ident}"' in html, \
                        f"{slug} names {spellings[0]!r} but does not show it"


def test_the_report_page_shows_the_shared_people_its_text_names(result: BuildResult):
    html = page(result, SLUGS[0])
    for ident in ("ashraf-ghani", "hamid-karzai", "joe-biden", "osama-bin-laden",
                  "zalmay-khalilzad", "alice-wells"):
        assert f'id="person-{ident}"' in html, ident
    for ident in ("kabul", "mazar-i-sharif", "kunduz", "tajikistan"):
        assert f'id="place-{ident}"' in html, ident
    assert 'id="person-george-w-bush"' not in html  # named only by the 2001 explainer


def test_a_name_inside_a_longer_name_is_not_a_mention(result: BuildResult):
    """The withdrawal explainer names Hamid Karzai only inside "Hamid Karzai International
    Airport" (one of its places): the airport is shown, the man is not."""
    html, words = page(result, SLUGS[2]), own_words(SLUGS[2])
    assert "Hamid Karzai International Airport" in words
    assert not names(words, "Hamid Karzai", False, tuple(known_names(SLUGS[2])))
    assert 'id="person-hamid-karzai"' not in html


def test_every_shared_entry_serves_at_least_two_explainers(result: BuildResult):
    """Written once because two explainers need it: shown on two pages at least."""
    pages = [page(result, slug) for slug in SLUGS]
    for file, (kind, anchor, _fields) in SHARED.items():
        shown = {r.id for slug in SLUGS for r in by_slug(result, slug).of(kind)}
        for record in shared_records(file):
            ident = record.get("id") or next(
                r.id for slug in SLUGS for r in by_slug(result, slug).of(kind)
                if r.term == record["term"])
            assert ident in shown, ident
            on = sum(f'id="{anchor}-{ident}"' in html for html in pages)
            assert on >= 2, f"{file}: {ident} is shown on {on} page(s)"
    for record in shared_records("sources.yaml"):
        on = sum(f'id="source-{record["id"]}"' in html for html in pages)
        assert on >= 2, f"sources.yaml: {record['id']} is listed on {on} page(s)"


def test_a_shared_source_is_the_same_record_on_every_page(result: BuildResult):
    shared = {r["id"] for r in shared_records("sources.yaml")}
    seen: dict[str, Source] = {}
    for slug in SLUGS:
        for source in by_slug(result, slug).of(Source):
            if source.id in shared:
                assert seen.setdefault(source.id, source) == source, source.id
    for slug in SLUGS:
        local = yaml.safe_load((PROJECT / "content" / slug / "sources.yaml").read_text())
        assert not shared & {r["id"] for r in local}, slug
