"""Publishing: the built site works under any sub-path, carries feeds and data, and deploys."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from generator.check import is_external, parse_page
from generator.pipeline import Project, build, make_site
from generator.records import KINDS, Era, Event, Source

from conftest import (
    FIXTURES,
    SECOND_EXPLAINER,
    TEMPLATES,
    QuietHandler,
    run_cli,
    static_host,
    tree_bytes,
    write_files,
)

SUBPATH = "/news/explainers/"
BASE_URL = f"https://example.org{SUBPATH}"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


SLUG = "sample-explainer"


def site_project(tmp_path: Path, base_url: str | None = BASE_URL, out: str = "site") -> Project:
    """The minimal fixture site with a second explainer: what every publishing test reads."""
    root = tmp_path / "fixture"
    if not root.exists():
        shutil.copytree(FIXTURES / "minimal", root)
        shutil.copytree(SECOND_EXPLAINER, root / "content" / "second-explainer")
    return Project(root / "content", TEMPLATES, tmp_path / out, base_url=base_url)




class SubPathHandler(QuietHandler):
    """A static host with the site mounted at SUBPATH and its 404.html for anything else."""

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(SUBPATH):
            return str(Path(self.directory) / "__nothing_here__")
        return str(Path(self.directory) / path[len(SUBPATH):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def host(tmp_path: Path):
    build(site_project(tmp_path))
    with static_host(tmp_path / "site", SubPathHandler) as address:
        yield address


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as failed:
        return failed.code, failed.read(), failed.headers.get("Content-Type", "")


def crawl(start: str) -> dict[str, int]:
    """Every URL reachable from ``start`` on the same host, with its status."""
    seen: dict[str, int] = {}
    queue = [start]
    origin = urlsplit(start).netloc
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        status, body, kind = fetch(url)
        seen[url] = status
        if "html" in kind:
            for link, _line, _column in parse_page(body.decode()).links:
                if is_external(link):
                    continue
                target = urljoin(url, link).split("#")[0]
                if urlsplit(target).netloc == origin and target not in seen:
                    queue.append(target)
    return seen


def test_site_under_a_sub_path_has_no_broken_links(host: str):
    statuses = crawl(f"{host}{SUBPATH}")
    assert len(statuses) >= 8  # home, explainer, feed, data, CSS, icon, 404 page links…
    assert {url: s for url, s in statuses.items() if s != 200} == {}
    assert any(url.endswith(".css") for url in statuses)


def test_the_404_page_works_at_any_depth(host: str):
    status, body, _ = fetch(f"{host}{SUBPATH}a/deeply/nested/missing/page/")
    assert status == 404 and b"Page not found" in body
    statuses = crawl(f"{host}{SUBPATH}a/deeply/nested/missing/page/")
    broken = {url: s for url, s in statuses.items() if s != 200 and "missing/page" not in url}
    assert broken == {}


def test_only_absolute_places_use_the_base_url(tmp_path: Path):
    first = make_site(site_project(tmp_path, "https://a.example/")).files
    second = make_site(site_project(tmp_path, "https://b.example/sub/path/")).files
    assert set(first) == set(second)
    differing = set()
    for path, content in first.items():
        moved = content.replace(b"https://a.example/", b"https://b.example/sub/path/")
        if path == "404.html":
            moved = moved.replace(b'="/', b'="/sub/path/')
        assert moved == second[path], path
        if content != second[path]:
            differing.add(path)
    assert "feed.xml" in differing and "sitemap.xml" in differing
    page = second[f"{SLUG}/index.html"].decode()
    assert f'<link rel="canonical" href="https://b.example/sub/path/{SLUG}/">' in page


def test_feed_sitemap_and_robots_follow_their_formats(tmp_path: Path):
    files = make_site(site_project(tmp_path)).files
    feed = ET.fromstring(files["feed.xml"])
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author/" + ATOM + "name"):
        element = feed.find(f"{ATOM}{required}")
        assert element is not None and (element.text or "").strip(), required
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == BASE_URL + "feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for required in ("id", "title", "updated", "published", "summary"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
    # newest first: the second explainer was published in May, the sample one updated in March
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2024-05-02T00:00:00Z", "2024-03-06T00:00:00Z"]
    assert [e.find(f"{ATOM}link[@rel='alternate']").get("href") for e in entries] == [
        BASE_URL + "second-explainer/", BASE_URL + f"{SLUG}/"]
    assert feed.findtext(f"{ATOM}updated") == "2024-05-02T00:00:00Z"
    sitemap = ET.fromstring(files["sitemap.xml"])
    assert sitemap.tag == f"{SITEMAP}urlset"
    urls = sitemap.findall(f"{SITEMAP}url")
    assert [(u.findtext(f"{SITEMAP}loc"), u.findtext(f"{SITEMAP}lastmod")) for u in urls] == [
        (BASE_URL, "2024-05-02"), (BASE_URL + "second-explainer/", "2024-05-02"),
        (BASE_URL + f"{SLUG}/", "2024-03-06"),
        # then each topic page, last changed when its newest explainer did
        (BASE_URL + "topics/sample/", "2024-03-06"), (BASE_URL + "topics/testing/", "2024-05-02")]
    assert f"Sitemap: {BASE_URL}sitemap.xml" in files["robots.txt"].decode()


def test_share_metadata_and_news_article_json_ld(tmp_path: Path):
    result = make_site(site_project(tmp_path))
    page = result.files[f"{SLUG}/index.html"].decode()
    url = BASE_URL + f"{SLUG}/"
    for meta in (f'<meta property="og:url" content="{url}">',
                 '<meta property="og:type" content="article">',
                 '<meta name="twitter:card" content="summary_large_image">',
                 '<meta property="og:title" content="A sample explainer'):
        assert meta in page, meta
    script = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(script)
    explainer = result.explainer(SLUG)
    assert data["@type"] == "NewsArticle" and data["headline"] == explainer.title
    assert (data["datePublished"], data["dateModified"]) == ("2024-03-05", "2024-03-06")
    assert data["publisher"]["name"] == result.site.config.publisher
    sources = explainer.of(Source)
    assert len(data["citation"]) == len(sources)
    assert data["citation"][0]["publisher"]["name"] == sources[0].publisher


def test_facts_json_round_trips_the_content(tmp_path: Path):
    result = make_site(site_project(tmp_path))
    explainer = result.explainer(SLUG)
    facts = json.loads(result.files[f"{SLUG}/facts.json"])
    assert facts["format"] == "explainer-facts/2"
    assert facts["explainer"]["slug"] == SLUG and facts["explainer"]["title"] == explainer.title
    for kind in KINDS:
        records = explainer.records[kind.plural]
        assert [r["id"] for r in facts[kind.plural]] == [r.id for r in records], kind.plural
    assert [(e["id"], e["date"]["iso"], e["sources"]) for e in facts["events"]] == \
        [(e.id, e.date.iso(), list(e.sources)) for e in explainer.of(Event)]
    assert [(s["number"], s["id"], s["url"]) for s in facts["sources"]] == \
        [(n, s.id, s.url) for n, s in enumerate(explainer.of(Source), 1)]
    cited = {i for record in facts["events"] + facts["figures"] for i in record["sources"]}
    assert cited <= {s["id"] for s in facts["sources"]}


def test_every_declared_field_of_every_record_reaches_facts_json(tmp_path: Path):
    """facts.json is derived from the record declarations: no field can be left behind."""
    result = make_site(site_project(tmp_path))
    for listing in result.site.explainers:
        explainer = result.explainer(listing.slug)
        facts = json.loads(result.files[f"{explainer.slug}/facts.json"])
        for kind in KINDS:
            fields = {f.name for f in dataclasses.fields(kind.record)}
            for exported in facts[kind.plural]:
                assert fields <= set(exported), (kind.plural, fields - set(exported))
        meta = {f.name for f in dataclasses.fields(explainer.meta)}
        assert meta <= set(facts["explainer"])


def test_timeline_json_has_what_timelinejs_requires(tmp_path: Path):
    result = make_site(site_project(tmp_path))
    timeline = json.loads(result.files[f"{SLUG}/timeline.json"])
    explainer = result.explainer(SLUG)
    assert timeline["title"]["text"]["headline"]
    assert len(timeline["events"]) == len(explainer.of(Event))
    for event, model in zip(timeline["events"], explainer.of(Event), strict=True):
        assert isinstance(event["start_date"]["year"], int)
        assert event["start_date"].get("month") == model.date.month
        assert event["text"]["headline"] and event["text"]["text"].startswith("<p>")
        assert event["unique_id"] == model.id
    assert [era["text"]["headline"] for era in timeline["eras"]] == \
        [era.title for era in explainer.of(Era)]
    page = result.files[f"{SLUG}/index.html"].decode()
    assert 'href="facts.json"' in page and 'href="timeline.json"' in page


def test_a_broken_link_and_a_missing_anchor_fail_the_check(minimal_project: Project):
    article = minimal_project.content_dir / "sample-explainer" / "article.md"
    article.write_text(article.read_text() + "\nSee [the other one](../nowhere/index.html) "
                                             "and [this part](#no-such-part).\n")
    out = minimal_project.out_dir.as_posix()
    result = run_cli("check", "--content", str(minimal_project.content_dir), "--out", out)
    assert result.code == 1
    lines = result.err.splitlines()
    assert any(line.startswith(f"{out}/sample-explainer/index.html:") and
               line.endswith("broken link '../nowhere/index.html': no file 'nowhere/index.html' "
                             "in the site") for line in lines), result.err
    assert any(line.startswith(f"{out}/sample-explainer/index.html:") and
               line.endswith("broken link '#no-such-part': no id 'no-such-part' in "
                             "'sample-explainer/index.html'") for line in lines), result.err
    assert run_cli("build", "--content", str(minimal_project.content_dir), "--out",
                   out).code == 1
    assert run_cli("build", "--no-check", "--content", str(minimal_project.content_dir),
                   "--out", out).code == 0


def test_check_counts_external_links_by_host_and_lists_them_on_request(
        minimal_project: Project):
    result = run_cli("check", "--content", str(minimal_project.content_dir))
    assert result.code == 0
    assert "https://example.org/sample-report" not in result.out
    assert ("1 external link on 1 host, not fetched (no network): example.org 1; "
            "--list-external lists them all") in " ".join(result.out.split())
    listed = run_cli("check", "--list-external", "--content", str(minimal_project.content_dir))
    assert listed.code == 0
    assert "  https://example.org/sample-report" in listed.out
    assert "1 external link listed above, not fetched (no network)" in listed.out


def test_stale_files_disappear_and_a_failed_write_keeps_the_old_site(
        minimal_project: Project, monkeypatch: pytest.MonkeyPatch):
    build(minimal_project)
    (minimal_project.out_dir / "stale.html").write_text("old")
    build(minimal_project)
    assert not (minimal_project.out_dir / "stale.html").exists()
    before = tree_bytes(minimal_project.out_dir)
    written = []
    original = os.link

    def fail_midway(source: object, target: object) -> None:
        written.append(target)
        if len(written) >= 2:  # the first file is placed, then the disk is full
            raise OSError(28, "No space left on device")
        original(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "link", fail_midway)
    article = minimal_project.content_dir / "sample-explainer" / "article.md"
    article.write_text(article.read_text().replace("The end.", "A new ending."))
    with pytest.raises(Exception, match="No space left on device"):
        build(minimal_project)
    monkeypatch.undo()
    assert tree_bytes(minimal_project.out_dir) == before


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


REAL_URL = "https://newsroom.github.io/explainers/"  # publish refuses the fixture's example


def test_publish_commits_exactly_the_site_to_a_branch(tmp_path: Path):
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    repo = newsroom_repo(tmp_path)
    git("remote", "add", "origin", str(remote), cwd=repo)
    (repo / "notes.txt").write_text("uncommitted work")
    head = git("rev-parse", "HEAD", cwd=repo)

    first = run_cli("publish", "--push", "--base-url", REAL_URL, cwd=repo)
    assert first.code == 0, first.err
    assert "published site/ to branch gh-pages" in first.out and "pushed gh-pages" in first.out
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).splitlines()
    assert sorted(files) == sorted([*tree_bytes(repo / "site"), ".nojekyll"])
    assert git("show", "gh-pages:index.html", cwd=remote) == \
        (repo / "site" / "index.html").read_text().rstrip("\n")
    assert git("rev-parse", "--abbrev-ref", "HEAD", cwd=repo) == "main"
    assert git("rev-parse", "HEAD", cwd=repo) == head
    assert git("status", "--porcelain", cwd=repo) == "?? notes.txt"

    commits = git("rev-list", "--count", "gh-pages", cwd=repo)
    second = run_cli("publish", "--push", "--base-url", REAL_URL, cwd=repo)
    assert second.code == 0, second.err
    assert "already holds this site; no new commit" in second.out
    assert git("rev-list", "--count", "gh-pages", cwd=repo) == commits


def newsroom_repo(tmp_path: Path) -> Path:
    """A committed project in a temporary git repository, on branch main."""
    repo = tmp_path / "newsroom"
    shutil.copytree(FIXTURES / "minimal", repo)
    shutil.copytree(TEMPLATES, repo / "templates")
    write_files(repo, {".gitignore": "/site/\n/.explainer-cache/\n"})
    git("init", "--quiet", "-b", "main", cwd=repo)
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "add", "-A", cwd=repo)
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "content",
        cwd=repo)
    return repo


@pytest.mark.parametrize(("branch", "why"), [
    ("main", "'main' is the branch checked out here"),
    ("HEAD", "'HEAD' is a name git keeps for its own references"),
    ("a..b", "'a..b' contains '..'"), ("-f", "'-f' starts with '-'"),
    ("source", "branch 'source' holds the project's source (content, seeds, templates)"),
])
def test_publish_refuses_branches_it_would_misread_or_overwrite(tmp_path: Path, branch: str,
                                                                why: str):
    repo = newsroom_repo(tmp_path)
    git("branch", "source", cwd=repo)
    refs = git("for-each-ref", cwd=repo)
    done = run_cli("publish", f"--branch={branch}", "--base-url", REAL_URL, cwd=repo)
    assert done.code == 1 and "Traceback" not in done.err
    assert why in done.err, done.err
    assert done.err.splitlines()[-1] == (f"failed: could not publish to branch {branch}; "
                                         "nothing was committed")
    assert git("for-each-ref", cwd=repo) == refs  # no branch made, none moved


def test_publish_refuses_uncommitted_sources_unless_allowed_and_says_so(tmp_path: Path):
    repo = newsroom_repo(tmp_path)
    article = repo / "content" / "sample-explainer" / "article.md"
    article.write_text(article.read_text() + "\nAn unreviewed sentence.\n")
    (repo / "notes.txt").write_text("not part of the site: no reason to refuse")
    refused = run_cli("publish", "--base-url", REAL_URL, cwd=repo)
    assert refused.code == 1 and "Traceback" not in refused.err
    assert refused.err.startswith("content/sample-explainer/article.md: uncommitted changes "
                                  "in what the site is built from")
    assert "--allow-dirty" in refused.err
    assert "gh-pages" not in git("branch", "--list", cwd=repo)
    allowed = run_cli("publish", "--allow-dirty", "--base-url", REAL_URL, cwd=repo)
    assert allowed.code == 0, allowed.err
    head = git("rev-parse", "--short", "HEAD", cwd=repo)
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=repo) == \
        f"Publish site built from {head} with uncommitted changes (--allow-dirty)"


def test_publish_refuses_the_example_base_url_unless_overridden(tmp_path: Path):
    repo = newsroom_repo(tmp_path)  # the fixture's site.yaml says https://example.org/news/
    refused = run_cli("publish", cwd=repo)
    assert refused.code == 1 and "Traceback" not in refused.err
    assert "base_url 'https://example.org/news/' is an example address" in refused.err
    assert "gh-pages" not in git("branch", "--list", cwd=repo)
    published = run_cli("publish", "--base-url", REAL_URL, cwd=repo)
    assert published.code == 0, published.err
    head = git("rev-parse", "--short", "HEAD", cwd=repo)
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=repo) == \
        f"Publish site built from {head}"
