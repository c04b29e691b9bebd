"""Hostile input: nothing a writer types reaches a reader's browser as script."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.errors import BuildFailed
from generator.load import list_seed_files
from generator.pipeline import Project, build, make_site

from chromium import Chromium, find_chromium
from conftest import FIXTURES, TEMPLATES, static_host, write_files

PAYLOAD = "<script>window.__xss=1</script>\"'><img src=x onerror=\"window.__xss=2\">"
QUOTED = PAYLOAD.replace('"', '\\"')
SHORT = "\"><svg onload=window.__xss=4>"  # short enough to be a map's label


def hostile_site(root: Path) -> Project:
    """The payload in every text field of every file, and in the Markdown."""
    p = f'"{QUOTED}"'
    write_files(root / "content", {
        "site.yaml": f"title: {p}\ndescription: {p}\nlanguage: en\n"
                     f"base_url: https://example.org/x/\npublisher: {p}\n",
        "evil/explainer.yaml": f"title: {p}\nsummary: {p}\npublished: 2024-01-02\n"
                               f"article_intro: {p}\ntags: [{p}]\n",
        "evil/article.md": f"## Head {PAYLOAD}\n\n{PAYLOAD} [@s]\n\n"
                           f"{{=={PAYLOAD}==}}{{>>{PAYLOAD}<<}}\n\n"
                           f'::: picture "{PAYLOAD.replace(chr(34), "")}"\n{PAYLOAD}\n:::\n',
        "evil/background.md": f"## Section {PAYLOAD}\n\n{PAYLOAD} [@s]\n",
        "evil/timeline.yaml": f"eras:\n  - id: e\n    title: {p}\nevents:\n  - id: x\n"
                              f"    date: 2001\n    era: e\n    title: {p}\n    text: {p}\n"
                              f"    sources: [s]\n    highlight: {p}\n",
        "evil/figures.yaml": f"- id: f\n  value: {p}\n  label: {p}\n  as_of: 2001\n"
                             f"  note: {p}\n  sources: [s]\n",
        "evil/people.yaml": f"- id: p\n  name: {p}\n  role: {p}\n  text: {p}\n"
                            f"  sources: [s]\n  report_spelling: {p}\n",
        "evil/places.yaml": f"- id: q\n  name: {p}\n  text: {p}\n  sources: [s]\n"
                            f"- id: r\n  name: r\n  text: {p}\n  sources: [s]\n"
                            "  lat: 36.5\n  lon: 68.2\n  coordinates_sources: [s]\n",
        "evil/charts.yaml": f"- id: c\n  title: {p}\n  kind: line\n  unit: {p}\n"
                            f"  category: {p}\n  note: {p}\n  sources: [s]\n  as_of: 2001\n"
                            f"  series:\n    - name: {p}\n      points:\n"
                            f"        - {{date: 2001, value: 1, wording: {p}, note: {p}}}\n",
        "evil/maps.yaml": f"- id: m\n  title: {p}\n  note: {p}\n  highlight: [AF-KDZ]\n"
                          f"  places:\n    - place: r\n      name: '{SHORT}'\n"
                          f"      label: '{SHORT}'\n      note: {p}\n",
        "evil/glossary.yaml": f"- term: {p}\n  definition: {p}\n  sources: [s]\n",
        "evil/sources.yaml": f"- id: s\n  title: {p}\n  publisher: {p}\n  date: 2001\n"
                             f"  author: {p}\n  note: {p}\n"
                             f"  url: 'https://example.org/\"><script>window.__xss=3</script>'\n",
    })
    return Project(root / "content", TEMPLATES, root / "site")


def test_the_payload_never_reaches_a_page_unescaped(tmp_path: Path):
    result = make_site(hostile_site(tmp_path))
    assert result.warnings  # raw HTML in Markdown is shown as text, and the writer is told
    for path, content in result.files.items():
        if not path.endswith((".html", ".xml", ".txt")):
            continue
        text = content.decode()
        assert "<script>window" not in text, path
        assert not re.search(r"<img[^>]*\sonerror=", text), path
        scripts = re.findall(r"<script\b[^>]*>", text)
        if path == "search/index.html":  # its own script, from the site's assets
            assert len(scripts) == 1 and 'src="../assets/search.' in scripts[0]
            continue
        assert scripts in ([], ['<script type="application/ld+json">']), path
        assert "<svg onload" not in text, path


def test_timeline_json_escapes_every_text_including_the_era_title(tmp_path: Path):
    """TimelineJS inserts these strings as HTML: the era title in each event's 'group' and
    in 'eras' must arrive escaped like every other text."""
    import json
    timeline = json.loads(make_site(hostile_site(tmp_path)).files["evil/timeline.json"])
    groups = [event["group"] for event in timeline["events"]]
    headlines = [era["text"]["headline"] for era in timeline["eras"]]
    assert groups and headlines
    for text in groups + headlines:
        assert "<" not in text and "&lt;script&gt;" in text, text


def test_json_ld_cannot_be_closed_from_inside(tmp_path: Path):
    page = make_site(hostile_site(tmp_path)).files["evil/index.html"].decode()
    block = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in block and ">" not in block


@pytest.mark.skipif(find_chromium() is None, reason="Chromium not installed")
def test_a_real_browser_runs_none_of_it(tmp_path: Path):
    project = hostile_site(tmp_path)
    build(project)
    with Chromium(width=1000, height=800) as browser:
        for page in ("index.html", "evil/index.html"):
            browser.navigate((project.out_dir / page).as_uri())
            assert browser.evaluate("typeof window.__xss") == "undefined", page
        with static_host(project.out_dir) as address:  # search runs only over http(s)
            browser.navigate(f"{address}/search/index.html?q=window")
            status = browser.evaluate(STATUS)
            assert "explainer matches" in status and browser.evaluate(
                "document.querySelectorAll('.search-excerpt mark').length") > 0
            assert browser.evaluate("typeof window.__xss") == "undefined"


STATUS = """new Promise((done) => {
  const look = (tries) => {
    const text = document.getElementById('search-status').textContent;
    if (text || !tries) done(text); else setTimeout(() => look(tries - 1), 50);
  };
  look(300);
})"""


def test_pages_forbid_script_by_content_security_policy(minimal_project: Project):
    """No page may run a script, except the search page its own (tests/test_search.py)."""
    for path, content in make_site(minimal_project).files.items():
        if path.endswith(".html"):
            text = content.decode()
            policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text)
            assert policy, path
            assert "default-src 'none'" in policy[1] and "unsafe" not in policy[1]
            if path == "search/index.html":
                assert "script-src 'self';" in policy[1]
            else:
                assert "script-src" not in policy[1]


def test_links_out_of_the_templates_folder_are_refused(minimal_project: Project,
                                                       tmp_path: Path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    outside = tmp_path / "outside.html"
    outside.write_text("<p>not ours</p>")
    (templates / "partials" / "glossary.html").unlink()
    (templates / "partials" / "glossary.html").symlink_to(outside)
    (templates / "assets" / "stolen.css").symlink_to(outside)
    project = Project(minimal_project.content_dir, templates, minimal_project.out_dir)
    with pytest.raises(BuildFailed) as failed:
        make_site(project)
    messages = [str(d) for d in failed.value.diagnostics]
    assert f"{(templates / 'assets' / 'stolen.css').as_posix()}: is a link to a file outside " \
           f"{templates.as_posix()}/; expected a real file" in messages


def test_seed_links_out_of_the_seeds_folder_are_not_seeds(tmp_path: Path):
    shutil.copytree(FIXTURES / "minimal", tmp_path / "p")
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    (tmp_path / "p" / "seeds" / "leak.txt").symlink_to(secret)
    assert list_seed_files(tmp_path / "p") == frozenset({"seeds/sample.txt"})


RAW_HTML_PAYLOADS = (
    "<svg/onload=window.__xss=1>", "<script/x>window.__xss=2</script>",
    '<iframe/srcdoc="<script>parent.__xss=3</script>"></iframe>',
    "<details/open/ontoggle=window.__xss=4>x</details>",
    '<a HREF="jav&#x61;script:window.__xss=5">upper</a>',
    '<img src="x.png" alt=">" onerror=window.__xss=6>',
    "<svg><animate onbegin=window.__xss=7 attributeName=x dur=1s></svg>",
    "<style/x>body{display:none}</style>", '<a href="java\nscript:window.__xss=8">nl</a>',
    '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=9>',
    '<form action="javascript:window.__xss=10"><button>go</button></form>',
)


def test_the_sanitiser_removes_what_validation_would_refuse():
    """Behind validation, the renderer's allow-list sanitiser (nh3) is the guarantee: even
    text that never went through validation keeps only harmless elements and attributes."""
    from generator.render.markup import MarkdownConverter
    converter = MarkdownConverter(allow_raw_html=True)
    html = converter.convert("<b title='ok'>kept</b>\n\n" + "\n\n".join(RAW_HTML_PAYLOADS))
    for tag, attributes in parsed_tags(html):
        assert tag not in ("svg", "script", "iframe", "details", "style", "animate", "form",
                           "math", "img"), (tag, html)
        for name, value in attributes:
            assert not name.startswith("on"), (tag, name, html)
            assert "script" not in (value or "").lower(), (tag, name, html)
    assert '<b title="ok">kept</b>' in html


def parsed_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """The elements a browser would make of ``html`` (text that looks like a tag is text)."""
    from html.parser import HTMLParser
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(html)
    return found
