"""The real Afghanistan-Tajikistan page read as a reader reads it, in headless Chromium: notes
never split a sentence, the report comes early on a phone, citations work both ways, and
axe-core finds nothing, from a 320 px phone to a 1920 px screen and on paper.
"""

from __future__ import annotations

import json
import os

import pytest

from generator.pipeline import Project, build

from chromium import AXE, SCREENSHOTS, Chromium, axe_violations, browser_tests_mark
from realsite import PROJECT

SLUG = "afghanistan-tajikistan-2021"
pytestmark = browser_tests_mark()
WIDTHS = (320, 375, 768, 1280, 1920)
WIDE = 1200  # from here on, notes sit in the margin and the contents stay in view


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("reading") / "site"
    build(Project(PROJECT / "content", PROJECT / "templates", out))
    return (out / SLUG / "index.html").as_uri()


NOTE_PLACES = """(() => {
  const out = [];
  for (const block of document.querySelectorAll('.ed-notes')) {
    const host = block.parentElement.classList.contains('ed-para')
      ? block.previousElementSibling : block.parentElement;
    const hostBox = host.getBoundingClientRect();
    const lines = [...host.getClientRects()];
    const after = [];  // text of the same paragraph that comes after the note block
    const walker = document.createTreeWalker(host, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (block.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING
          && !block.contains(node) && node.textContent.trim()) after.push(node.textContent);
    }
    let above = null;  // the bottom of the note before, in the same block
    for (const note of block.querySelectorAll('.ed-note')) {
      const id = note.id.replace('note-', '');
      const flag = document.getElementById('flag-' + id);
      const flagBox = flag.getClientRects()[0];
      const box = note.getBoundingClientRect();
      const words = [];
      const range = document.createRange();
      range.selectNodeContents(host);
      if (host.contains(block)) range.setEndBefore(block);
      for (const r of range.getClientRects()) words.push([r.top, r.bottom, r.left, r.right]);
      out.push({id, top: box.top, left: box.left, right: box.right, bottom: box.bottom,
        hostTop: hostBox.top, hostBottom: hostBox.bottom, hostRight: hostBox.right,
        flagTop: flagBox.top, lineHeight: parseFloat(getComputedStyle(host).lineHeight),
        words, after, inParagraph: !!note.parentElement.closest('p'), above,
        shown: note.checkVisibility()});
      above = box.bottom;
    }
  }
  return out;
})()"""


def _note_places(browser: Chromium) -> list[dict]:
    places = browser.evaluate(NOTE_PLACES)
    assert isinstance(places, list)
    return places


def _check_notes_follow_their_sentence(places: list[dict], where: str) -> None:
    assert len(places) >= 20, f"{where}: expected the report's notes, found {len(places)}"
    for note in places:
        label = f"{where}: note {note['id']}"
        assert note["shown"], f"{label} is not shown"
        assert not note["inParagraph"], f"{label} is inside a paragraph"
        assert not note["after"], f"{label}: its paragraph goes on after it: {note['after']}"
        for top, bottom, left, right in note["words"]:  # no line of its text beside or under it
            overlaps = top < note["bottom"] - 1 and bottom > note["top"] + 1 \
                and left < note["right"] - 1 and right > note["left"] + 1
            assert not overlaps, f"{label} covers a line of its paragraph"


@pytest.mark.parametrize("width", WIDTHS)
def test_no_note_ever_splits_its_sentence(page_url: str, width: int):
    with Chromium(width=width, height=900) as browser:
        browser.navigate(page_url)
        places = _note_places(browser)
        _check_notes_follow_their_sentence(places, f"{width}px")
        for note in places:
            if width >= WIDE:  # in the margin, level with its paragraph, near its words
                assert note["left"] >= note["hostRight"], f"note {note['id']} not in the margin"
                assert note["top"] >= note["hostTop"] - 1, f"note {note['id']} above its paragraph"
                # never more than a line below its words, unless it must make room for the
                # note before it, of the same paragraph: then it follows that note closely
                stacked = note["above"] is not None and note["top"] <= note["above"] + 16
                assert note["top"] <= note["flagTop"] + note["lineHeight"] or stacked, \
                    f"{width}px: note {note['id']} is {note['top'] - note['flagTop']:.0f}px " \
                    f"below its words (more than a line, {note['lineHeight']}px)"
            else:  # after the paragraph's last line
                assert note["top"] >= note["hostBottom"] - 1, f"note {note['id']} not after"
        overflow = browser.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow == 0, f"horizontal scrolling at {width}px ({overflow}px too wide)"
        browser.evaluate("document.getElementById('the-report')"
                         ".scrollIntoView({behavior: 'instant'})")
        browser.screenshot(SCREENSHOTS / f"reading-report-{width}.png", full_page=False)


def test_on_paper_notes_follow_their_paragraph_and_sources_print_their_address(page_url: str):
    with Chromium(width=800, height=1100) as browser:
        browser.call("Emulation.setEmulatedMedia", media="print")
        browser.navigate(page_url)
        places = _note_places(browser)
        _check_notes_follow_their_sentence(places, "print")
        for note in places:
            assert note["top"] >= note["hostBottom"] - 1, f"print: note {note['id']} not after"
        urls = browser.evaluate("""[...document.querySelectorAll('.source-list li')]
          .filter((li) => li.querySelector('a.source-link'))
          .map((li) => [li.querySelector('a.source-link').href,
                        li.querySelector('.source-url') && li.querySelector('.source-url')
                          .checkVisibility()
                          ? new URL(li.querySelector('.source-url').innerText).href : ''])""")
        assert urls and all(href == shown for href, shown in urls), "addresses not printed"
        hidden = browser.evaluate("""['.toc', '.site-footer', '.back-to-contents']
          .map((s) => [s, [...document.querySelectorAll(s)].some((e) => e.checkVisibility())])""")
        assert not [s for s, shown in hidden if shown], hidden
        pdf = browser.call("Page.printToPDF", preferCSSPageSize=True)
        assert pdf["data"]


def test_a_phone_reader_reaches_the_report_within_three_screens(page_url: str):
    screen = 812
    with Chromium(width=375, height=screen) as browser:
        browser.navigate(page_url)
        top = browser.evaluate("""(() => {
          const first = [...document.querySelectorAll('.article-text p')]
            .find((p) => !p.closest('figure, .ed-notes'));
          return first.getBoundingClientRect().top + scrollY; })()""")
        assert top < 3 * screen, f"the report starts {top / screen:.1f} screens down"
        assert browser.evaluate("document.querySelector('.key-points li').innerText.length") > 20
        browser.screenshot(SCREENSHOTS / "reading-first-screens-375.png", full_page=False)


def test_citations_are_named_and_every_source_links_back_to_them(page_url: str):
    with Chromium(width=1280, height=900) as browser:
        browser.navigate(page_url)
        citations = browser.evaluate("""[...document.querySelectorAll('.cite a')]
          .filter((a) => a.checkVisibility())  // the phone's map is hidden on a wide screen
          .map((a) => [a.id, a.getAttribute('href'), a.getAttribute('aria-label')])""")
        assert len(citations) > 100
        every_id = browser.evaluate("[...document.querySelectorAll('.cite a')].map((a) => a.id)")
        assert len(set(every_id)) == len(every_id), "citation ids repeat"
        for ident, href, label in citations:
            source = href.removeprefix("#source-")
            assert ident.startswith(f"cite-{source}-"), ident
            assert label and label.startswith("Source ") and ", " in label, (ident, label)
        names = _accessible_link_names(browser)
        assert sum(1 for n in names if n.startswith("Source ")) == len(citations)
        back = browser.evaluate("""[...document.querySelectorAll('.source-list > li')]
          .map((li) => [li.id, [...li.querySelectorAll('.backlinks a')]
                                  .map((a) => a.getAttribute('href').slice(1))])""")
        reached = set()
        for source_id, links in back:
            for target in links:
                assert target in every_id, f"{source_id}: back-link to missing {target}"
                assert target.startswith(f"cite-{source_id.removeprefix('source-')}-")
                reached.add(target)
        assert reached == set(every_id), "citations no source links back to"
        source_id, links = next((s, links) for s, links in back if len(links) > 2)
        browser.evaluate(f"document.querySelector('#{source_id} .backlinks a:nth-of-type(3)')"
                         ".focus()")
        for kind in ("keyDown", "keyUp"):
            browser.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter",
                         windowsVirtualKeyCode=13, **({"text": "\r"} if kind == "keyDown"
                                                      else {}))
        browser.evaluate("new Promise((done) => setTimeout(done, 300))")
        assert browser.evaluate("document.activeElement.id") == links[2], \
            "focus did not return to the citation"


def _accessible_link_names(browser: Chromium) -> list[str]:
    tree = browser.call("Accessibility.getFullAXTree")["nodes"]
    return [node.get("name", {}).get("value", "") for node in tree
            if node.get("role", {}).get("value") == "link"]


@pytest.mark.skipif(not AXE.is_file() and os.environ.get("CI") != "true",
                    reason=f"axe-core not installed ({AXE}); run "
                           "'npm install --prefix .tools axe-core@4' as .ci/run does")
@pytest.mark.parametrize(("width", "scheme"), [(375, "light"), (375, "dark"),
                                               (1280, "light"), (1280, "dark")])
def test_axe_core_finds_no_violations(page_url: str, width: int, scheme: str):
    assert AXE.is_file(), f"CI=true but axe-core is missing: {AXE}"
    home = page_url.replace(f"/{SLUG}/index.html", "/index.html")
    with Chromium(width=width, height=900) as browser:
        browser.emulate_media(prefers_color_scheme=scheme)
        for url in (page_url, home):
            browser.navigate(url)
            result = axe_violations(browser)
            assert result == [], f"{url} at {width}px, {scheme}: {json.dumps(result, indent=1)}"
        browser.navigate(page_url)
        browser.screenshot(SCREENSHOTS / f"reading-top-{width}-{scheme}.png", full_page=False)


def test_on_a_phone_reference_lists_fold_and_a_citation_opens_its_source(page_url: str):
    folds = "[...document.querySelectorAll('.ref-fold')]"
    with Chromium(width=375, height=812) as browser:
        browser.navigate(page_url)
        assert browser.evaluate(f"{folds}.length") == 5  # people, places, terms, quotes, sources
        assert browser.evaluate(f"{folds}.every((d) => !d.open && "
                                "!d.querySelector('li, dt').checkVisibility())")
        target = browser.evaluate("document.querySelector('.article-text sup.cite a')"
                                  ".getAttribute('href')")
        browser.evaluate(f"document.querySelector('a[href=\"{target}\"]').click()")
        browser.evaluate("new Promise((done) => setTimeout(done, 1500))")  # smooth scrolling
        box = browser.evaluate(f"document.querySelector('{target}').getBoundingClientRect()"
                               ".toJSON()")
        assert browser.evaluate(f"document.querySelector('{target}').checkVisibility()")
        assert 0 <= box["top"] < 812, f"{target} is not in view after its citation: {box}"
    with Chromium(width=1280, height=900) as browser:
        browser.navigate(page_url)
        assert browser.evaluate(f"{folds}.every((d) => d.querySelector('li, dt')"
                                ".checkVisibility())"), "open on wide screens"
