"""A newsroom's site: bylines, corrections, drafts, scheduled pages and topics agree on every
page that lists them, in the feed, the sitemap and the JSON-LD.

The fixture (tests/fixtures/newsroom) has two published explainers (alpha, with two
authors and a correction; beta, related to alpha and to a draft), a draft (gamma-draft)
and one scheduled for 2030 (delta-scheduled), all built as on 2 December 2026.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from generator.cli import main
from generator.dates import PartialDate
from generator.memo import Memo
from generator.pipeline import BuildResult, Project, make_site

from conftest import FIXTURES, TEMPLATES

TODAY = PartialDate(2026, 12, 2)
BASE_URL = "https://example.org/news/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PUBLISHED = ("beta", "alpha")  # newest first
HELD = ("gamma-draft", "delta-scheduled")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    shutil.copytree(FIXTURES / "newsroom", tmp_path / "project")
    root = tmp_path / "project"
    return Project(root / "content", TEMPLATES, root / "site", today=TODAY)


@pytest.fixture
def built(project: Project) -> BuildResult:
    return make_site(project)


def page(result: BuildResult, path: str) -> str:
    return result.files[path].decode()


def explainer_links(html: str) -> list[str]:
    """The explainers a listing page links to, in order, by slug."""
    return re.findall(r'<h[23]><a href="(?:\.\./)*([a-z0-9-]+)/index\.html">', html)


def sitemap_locations(result: BuildResult) -> dict[str, str]:
    sitemap = ET.fromstring(result.files["sitemap.xml"])
    return {u.findtext(f"{SITEMAP}loc") or "": u.findtext(f"{SITEMAP}lastmod") or ""
            for u in sitemap.findall(f"{SITEMAP}url")}


def feed_entries(result: BuildResult) -> list[ET.Element]:
    return ET.fromstring(result.files["feed.xml"]).findall(f"{ATOM}entry")


def json_ld(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found[1])  # type: ignore[no-any-return]


def test_home_topics_authors_feed_and_sitemap_agree(built: BuildResult):
    home = page(built, "index.html")
    assert explainer_links(home) == list(PUBLISHED)
    locations = sitemap_locations(built)
    entries = [e.findtext(f"{ATOM}id") for e in feed_entries(built)]
    for slug in explainer_links(home):
        assert f"{BASE_URL}{slug}/" in locations
        assert f"{BASE_URL}{slug}/" in entries
    topics = {"borders": ["beta", "alpha"], "testing": ["alpha"]}
    for topic, slugs in topics.items():
        assert f'href="topics/{topic}/index.html"' in home
        html = page(built, f"topics/{topic}/index.html")
        assert explainer_links(html) == slugs
        assert f'<link rel="canonical" href="{BASE_URL}topics/{topic}/">' in html
        assert f"{BASE_URL}topics/{topic}/" in locations
    authors = {"test-desk": ["alpha"], "test-writer": ["beta", "alpha"]}
    for author, slugs in authors.items():
        html = page(built, f"authors/{author}/index.html")
        assert explainer_links(html) == slugs
        assert f'<link rel="canonical" href="{BASE_URL}authors/{author}/">' in html
        assert f"{BASE_URL}authors/{author}/" in locations
    # an author of nothing published gets no page, and is nowhere
    assert not any(p.startswith("authors/nobody-yet/") for p in built.files)
    assert len(locations) == 1 + len(PUBLISHED) + len(topics) + len(authors)


def test_drafts_and_scheduled_explainers_are_nowhere_in_a_published_build(
        built: BuildResult):
    assert [e.slug for e in built.site.explainers] == list(PUBLISHED)
    for path in built.files:
        assert not path.startswith(HELD), path
        if path.endswith((".html", ".xml", ".json", ".txt")):
            text = built.files[path].decode()
            for slug in HELD:
                assert slug not in text, (path, slug)
    assert "Gamma, not finished" not in page(built, "beta/index.html")  # not even related
    assert sorted(built.notes) == [
        "note: " + str(built_folder(built, "delta-scheduled")) + "/explainer.yaml: scheduled "
        "for 2030-01-01, after today (2026-12-02): left out of the site; build --drafts to "
        "preview it",
        "note: " + str(built_folder(built, "gamma-draft")) + "/explainer.yaml: a draft "
        "(draft: true): left out of the site; build --drafts to preview it"]
    for slug in PUBLISHED:
        assert 'name="robots"' not in page(built, f"{slug}/index.html")
        assert "draft-banner" not in page(built, f"{slug}/index.html")


def built_folder(result: BuildResult, slug: str) -> str:
    return result.records[PUBLISHED[0]]().folder.rsplit("/", 1)[0] + "/" + slug


def test_with_drafts_they_are_shown_marked_and_not_indexed(project: Project):
    result = make_site(replace(project, drafts=True))
    home = page(result, "index.html")
    assert explainer_links(home) == ["delta-scheduled", "gamma-draft", "beta", "alpha"]
    for slug in HELD:
        html = page(result, f"{slug}/index.html")
        assert '<meta name="robots" content="noindex">' in html
        assert '<p class="draft-banner" role="note"><strong>Draft' in html
        assert f"{BASE_URL}{slug}/" not in sitemap_locations(result)
        assert all(slug not in (e.findtext(f"{ATOM}id") or "") for e in feed_entries(result))
    assert "Not published yet" in page(result, "delta-scheduled/index.html")
    assert "Draft</strong> · " in home.replace("\n", "").replace("    ", "")
    assert explainer_links(page(result, "authors/nobody-yet/index.html")) == ["gamma-draft"]
    assert "../gamma-draft/index.html" in page(result, "beta/index.html")  # related: shown
    assert all(n.endswith("shown as a draft, marked and noindex") for n in result.notes)


def test_today_is_passed_in_and_decides_what_is_scheduled(project: Project):
    later = make_site(replace(project, today=PartialDate(2030, 1, 1)))
    assert [e.slug for e in later.site.explainers] == ["delta-scheduled", *PUBLISHED]
    assert "robots" not in page(later, "delta-scheduled/index.html")


def test_byline_updates_and_dates_agree_on_page_feed_sitemap_and_json_ld(built: BuildResult):
    html = page(built, "alpha/index.html")
    assert ('<p class="byline">By <a href="../authors/test-desk/index.html" rel="author">Test '
            'desk</a> and <a href="../authors/test-writer/index.html" rel="author">Test '
            'Writer</a></p>') in html
    assert re.search(r'Updated <time datetime="2024-03-10">10 March 2024</time>: <a href="'
                     r'#corrections-and-updates">correction</a>', html)
    section = html[html.index('id="corrections-and-updates"'):]
    assert section.index("10 March 2024") < section.index("7 March 2024")  # newest first
    assert '<a href="#corrections-and-updates">Corrections and updates</a>' in html
    data = json_ld(html)
    assert data["dateModified"] == "2024-03-10"
    assert data["author"] == [
        {"@type": "Organization", "name": "Test desk", "url": f"{BASE_URL}authors/test-desk/"},
        {"@type": "Person", "name": "Test Writer",
         "url": "https://example.org/people/test-writer"}]
    assert sitemap_locations(built)[f"{BASE_URL}alpha/"] == "2024-03-10"
    entry = next(e for e in feed_entries(built) if e.findtext(f"{ATOM}id") == f"{BASE_URL}alpha/")
    assert entry.findtext(f"{ATOM}updated") == "2024-03-10T00:00:00Z"
    assert [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")] == [
        "Test desk", "Test Writer"]
    # beta: no updates log; its 'updated' field still sets the dates
    beta = page(built, "beta/index.html")
    assert 'Updated <time datetime="2024-04-03">3 April 2024</time>\n' in beta
    assert "corrections-and-updates" not in beta
    assert sitemap_locations(built)[f"{BASE_URL}beta/"] == "2024-04-03"


def test_facts_json_carries_authors_and_updates(built: BuildResult):
    facts = json.loads(built.files["alpha/facts.json"])
    assert [a["id"] for a in facts["authors"]] == ["test-desk", "test-writer"]
    assert facts["explainer"]["authors"] == ["test-desk", "test-writer"]
    assert [(u["date"]["iso"], u["kind"]) for u in facts["explainer"]["updates"]] == [
        ("2024-03-10", "correction"), ("2024-03-07", "clarification")]
    assert facts["explainer"]["updates"][0]["text"]["markdown"].endswith("[@alpha-report].")


def test_related_explainers_from_the_list_or_from_shared_topics(built: BuildResult):
    def related(slug: str) -> list[str]:
        html = page(built, f"{slug}/index.html")
        block = html[html.index('<aside class="related"'):html.index("</aside>")]
        return re.findall(r'href="\.\./([a-z0-9-]+)/index\.html"', block)

    assert related("beta") == ["alpha"]  # its related: list, without the draft
    assert related("alpha") == ["beta"]  # shares the topic Borders
    assert "<!-- related explainers -->" not in page(built, "alpha/index.html")


def test_incremental_rebuilds_keep_site_wide_pages_right(project: Project):
    memo = Memo(session=True)
    make_site(project, memo=memo)
    explainer = project.content_dir / "alpha" / "explainer.yaml"
    explainer.write_text(explainer.read_text().replace("Alpha at the border", "Alpha, renamed")
                         .replace("tags: [Borders, Testing]", "tags: [Testing, Rivers]"))
    kept = make_site(project, memo=memo, changed=[explainer])
    assert kept.files == make_site(project).files
    assert "Alpha, renamed" in page(kept, "beta/index.html")  # its related block follows
    assert "topics/rivers/index.html" in kept.files
    assert explainer_links(page(kept, "topics/borders/index.html")) == ["beta"]
    draft = project.content_dir / "gamma-draft" / "explainer.yaml"
    draft.write_text(draft.read_text().replace("draft: true\n", ""))
    published = make_site(project, memo=memo, changed=[draft])
    assert published.files == make_site(project).files
    assert "gamma-draft/index.html" in published.files
    assert f"{BASE_URL}gamma-draft/" in sitemap_locations(published)


def test_parallel_and_cached_builds_are_byte_identical(project: Project, tmp_path: Path):
    one = make_site(project)
    parallel = make_site(replace(project, jobs=2, cache_dir=tmp_path / "cache"))
    cached = make_site(replace(project, jobs=2, cache_dir=tmp_path / "cache"))
    assert dict(one.files) == dict(parallel.files) == dict(cached.files)


def test_check_and_build_say_what_was_left_out(project: Project,
                                               capsys: pytest.CaptureFixture[str]):
    common = ["--content", str(project.content_dir), "--templates", str(TEMPLATES),
              "--today", "2026-12-02"]
    assert main(["check", *common]) == 0
    err = capsys.readouterr().err
    assert err.count("note: ") == 2 and "gamma-draft/explainer.yaml: a draft" in err
    assert main(["build", *common, "--out", str(project.out_dir), "--drafts"]) == 0
    assert "shown as a draft" in capsys.readouterr().err
    assert (project.out_dir / "gamma-draft" / "index.html").is_file()
