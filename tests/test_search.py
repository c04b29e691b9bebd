"""Search across explainers: a Pagefind index built with the site, and a search page that
works with the site's own script under any sub-path, and without it points to the list."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from test_publishing import SUBPATH, SubPathHandler, site_project

import generator.pipeline as pipeline
import generator.render.search as search
from generator.errors import BuildFailed, SourceLocation
from generator.pipeline import Project, build, make_site
from generator.render.search import BUNDLE, SEARCH_PAGE, _check_counted

from chromium import Chromium, browser_tests_mark
from conftest import TEMPLATES, static_host, tree_bytes


def test_the_index_is_built_with_the_site_and_covers_every_explainer(tmp_path: Path):
    files = make_site(site_project(tmp_path)).files
    entry = json.loads(files[f"{BUNDLE}/pagefind-entry.json"])
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == 2
    assert f"{BUNDLE}/pagefind.js" in files and SEARCH_PAGE in files
    assert not any("pagefind-ui" in path or "highlight" in path for path in files), \
        "Pagefind's own widgets are left out; the page has its own script"


def indexed_texts(files: dict[str, bytes]) -> list[str]:
    """The text Pagefind kept of each page: its fragments are gzipped JSON after a tag."""
    texts = []
    for path, content in files.items():
        if path.startswith(f"{BUNDLE}/fragment/"):
            data = gzip.decompress(content)
            texts.append(json.loads(data[data.index(b"{"):])["content"])
    return texts


def test_the_index_holds_what_readers_read_not_addresses_or_navigation(tmp_path: Path):
    files = make_site(site_project(tmp_path)).files
    page = files["sample-explainer/index.html"].decode()
    hidden = re.findall(r'<span class="source-url">([^<]+)</span>', page)
    assert hidden and "Back to contents" in page and "↩" in page
    text = next(t for t in indexed_texts(files) if "A sample explainer." in t)
    title = re.search(r'<a class="source-link"[^>]*><cite>([^<]+)</cite>', page)[1]
    assert title in text, "a source's title is what a reader may search for"
    assert not [url for url in hidden if url in text], "addresses are shown only in print"
    assert "Back to contents" not in text and "↩" not in text and "as JSON" not in text


def test_two_builds_give_byte_identical_indexes(tmp_path: Path):
    project = site_project(tmp_path)
    build(project)
    first = tree_bytes(project.out_dir)
    shutil.rmtree(project.out_dir)
    build(project)
    assert tree_bytes(project.out_dir) == first
    assert any(path.startswith(f"{BUNDLE}/fragment/") for path in first)


def test_the_search_page_allows_only_its_own_scripts(tmp_path: Path):
    page = make_site(site_project(tmp_path)).files[SEARCH_PAGE].decode()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)[1]
    assert "script-src 'self'; connect-src 'self'; worker-src 'self';" in policy
    assert "unsafe" not in policy and "default-src 'none'" in policy
    scripts = re.findall(r"<script[^>]*>", page)
    assert len(scripts) == 1
    assert re.fullmatch(r'<script type="module" src="\.\./assets/search\.[0-9a-f]{10}\.js">',
                        scripts[0])
    assert '<link rel="modulepreload" href="../pagefind/pagefind.js"' in page
    assert "Every explainer is listed here" in page, "without JavaScript, a way on"


def test_the_link_check_covers_the_index(tmp_path: Path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    search = templates / "search.html"
    search.write_text(search.read_text().replace("pagefind/pagefind.js", "pagefind/nope.js"))
    project = site_project(tmp_path)
    with pytest.raises(BuildFailed) as failed:
        make_site(Project(project.content_dir, templates, project.out_dir))
    assert "broken link '../pagefind/nope.js'" in str(failed.value)


def test_an_explainer_page_left_out_of_the_index_fails_the_build():
    entry = {"languages": {"en": {"page_count": 1}}}
    files = {f"{BUNDLE}/pagefind-entry.json": json.dumps(entry).encode()}
    problems = _check_counted(files, 2, SourceLocation(SEARCH_PAGE))
    assert [str(p) for p in problems] == [
        "search/index.html: search: 1 of 2 explainer pages were indexed; expected each to "
        "carry data-pagefind-body on its main element"]


def test_a_site_without_a_search_page_builds_no_index(tmp_path: Path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "search.html").unlink()
    project = site_project(tmp_path)
    files = make_site(Project(project.content_dir, templates, project.out_dir)).files
    assert not any(path.startswith(("pagefind/", "search/")) for path in files)
    assert 'class="site-search"' not in files["index.html"].decode()


def in_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The fixture site with a third explainer, its index in parts of one page or two:
    'second-explainer' lands in part 3, the other two in the first part."""
    project = site_project(tmp_path)
    shutil.copytree(project.content_dir / "sample-explainer",
                    project.content_dir / "third-explainer")
    monkeypatch.setattr(search, "PART_SIZE", 1)
    return project


def parts_indexed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The index parts the next builds hand to Pagefind, in order."""
    indexed: list[str] = []

    def spy(pages: dict[str, bytes], bundle: str) -> Callable[[], tuple[dict, list]]:
        indexed.append(bundle)
        return search.start_search_index(pages, bundle)

    monkeypatch.setattr(pipeline, "start_search_index", spy)
    return indexed


def test_a_large_sites_index_comes_in_parts_and_an_edit_reindexes_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    project = replace(in_parts(tmp_path, monkeypatch), cache_dir=tmp_path / "cache")
    files = make_site(project).files
    counted = {bundle: sum(language["page_count"] for language in json.loads(
        files[f"{bundle}/pagefind-entry.json"])["languages"].values())
        for bundle in ("pagefind", "pagefind/part-3")}
    assert counted == {"pagefind": 2, "pagefind/part-3": 1}
    engine = sorted(path for path in files if path.rsplit("/", 1)[-1].startswith(
        ("wasm.", "pagefind.js", "pagefind-worker.js")))  # one, for every part
    assert engine and all(path.count("/") == 1 for path in engine), engine
    assert 'data-pagefind-merge="../pagefind/part-3/"' in files[SEARCH_PAGE].decode()
    indexed = parts_indexed(monkeypatch)
    article = project.content_dir / "second-explainer" / "article.md"
    article.write_text(article.read_text() + "\nOne more sentence.\n")
    again = make_site(project).files
    assert indexed == ["pagefind/part-3"]
    assert again[f"{BUNDLE}/pagefind-entry.json"] == files[f"{BUNDLE}/pagefind-entry.json"]


def test_a_new_title_reindexes_its_own_part_not_the_pages_that_link_to_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    project = replace(in_parts(tmp_path, monkeypatch), cache_dir=tmp_path / "cache")
    make_site(project)
    indexed = parts_indexed(monkeypatch)
    meta = project.content_dir / "second-explainer" / "explainer.yaml"
    meta.write_text(re.sub(r"(?m)^title: .*$", "title: A renamed explainer", meta.read_text()))
    files = make_site(project).files
    related = files["sample-explainer/index.html"].decode()
    assert "A renamed explainer</a>" in related, "the sample page links to it as related"
    assert indexed == ["pagefind/part-3"]
    texts = indexed_texts(files)
    assert [t for t in texts if "A renamed explainer" in t] == \
        [t for t in texts if "A second, unrelated story" in t], "found on its own page only"


@pytest.fixture(params=["one index", "in parts"])
def served(tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """The fixture site built and served at SUBPATH on loopback, as a host would; its index
    whole, or in parts the search page merges."""
    build(in_parts(tmp_path, monkeypatch) if request.param == "in parts"
          else site_project(tmp_path))
    with static_host(tmp_path / "site", SubPathHandler) as address:
        yield address + SUBPATH


CSP_WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"""


def type_text(browser: Chromium, text: str) -> None:
    for char in text:
        browser.call("Input.dispatchKeyEvent", type="keyDown", text=char, key=char)
        browser.call("Input.dispatchKeyEvent", type="keyUp", key=char)


RESULTS = """new Promise((done) => {
  const started = Date.now();
  const look = () => {
    const links = [...document.querySelectorAll('.search-result-title')];
    const status = document.getElementById('search-status').textContent;
    if (status || Date.now() - started > 15000)
      done({status, links: links.map((a) => a.href),
            excerpts: [...document.querySelectorAll('.search-excerpt')].map((p) => p.textContent)});
    else setTimeout(look, 50);
  };
  look();
})"""


@browser_tests_mark()
def test_typing_a_query_finds_the_right_explainer_under_a_sub_path(served: str):
    with Chromium(width=1280, height=900) as browser:
        browser.call("Page.addScriptToEvaluateOnNewDocument", source=CSP_WATCH)
        browser.navigate(served + "index.html")
        browser.navigate(browser.evaluate("document.querySelector('.site-search').href"))
        assert browser.evaluate("location.pathname") == f"{SUBPATH}search/index.html"
        assert browser.evaluate("document.getElementById('search-form').hidden") is False
        browser.evaluate("document.getElementById('search-input').focus()")
        type_text(browser, "Tuesday")
        found = browser.evaluate(RESULTS)
        assert found["links"] == [served + "second-explainer/index.html"], found
        assert "1 explainer matches" in found["status"]
        assert "happened on a Tuesday." in found["excerpts"][0], \
            "no space where the index left out the citation number after 'Tuesday'"
        assert browser.evaluate("window.__violations") == [], "the policy blocked nothing"
        browser.evaluate("WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))"
                         ".catch(() => null)")
        assert browser.evaluate("window.__violations.length") == 1, \
            "the page itself may not compile WebAssembly: Pagefind's worker does"
        browser.navigate(found["links"][0])
        assert browser.evaluate("document.querySelector('h1').innerText") == \
            "A second sample explainer"


@browser_tests_mark()
def test_without_javascript_the_search_page_points_to_every_explainer(served: str):
    with Chromium(width=375, height=800) as browser:
        browser.call("Emulation.setScriptExecutionDisabled", value=True)
        browser.navigate(served + "search/index.html")
        assert browser.evaluate("document.getElementById('search-form').hidden") is True
        assert browser.evaluate("document.getElementById('search-fallback').hidden") is False
        links = browser.evaluate("[...document.querySelectorAll('.explainer-teaser a')]"
                                 ".map((a) => a.href)")
        assert {served + "sample-explainer/index.html",
                served + "second-explainer/index.html"} <= set(links)
