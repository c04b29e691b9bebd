import re

from generator.dates import PartialDate
from generator.errors import SourceLocation
from generator.raw import Prose
from generator.records import Source
from generator.render.finish import backlinks_token, finish
from generator.render.markup import MarkdownConverter, ProseRenderer, number_notes
from generator.render.typography import curly_quotes_html


def source(ident: str) -> Source:
    return Source(id=ident, title=f"Title <{ident}>", publisher="Pub",
                  date=PartialDate(2021, 7, 5), url=None, author=None, note=None)


def prose(text: str) -> Prose:
    return Prose(text=text, location=SourceLocation("a.md", 1, 1))


def renderer(raw_html: bool = False) -> ProseRenderer:
    return ProseRenderer((source("bbc"), source("reuters")), MarkdownConverter(raw_html))


def test_citations_become_numbered_links_named_for_screen_readers():
    html = finish(renderer().inline(prose("Said so [@bbc; @reuters].")))
    assert html == (
        'Said so\u00a0<sup class="cite">[<a href="#source-bbc" id="cite-bbc-1" '
        'aria-label="Source 1: Pub, 5 July 2021" '
        'title="Source 1: Pub, 5 July 2021 – Title &lt;bbc&gt;">1</a>, '
        '<a href="#source-reuters" id="cite-reuters-1" aria-label="Source 2: Pub, 5 July 2021" '
        'title="Source 2: Pub, 5 July 2021 – Title &lt;reuters&gt;">2</a>]</sup>.')


def test_every_citation_gets_its_own_id_and_each_source_links_back_to_all_of_them():
    page = renderer()
    once = str(page.block(prose("A [@bbc]. B [@bbc; @reuters].")))
    # the same converted fragment shown twice on a page (a kept fragment, reused)
    html = finish(once + once + f"<li>{backlinks_token('bbc')}</li>"
                  f"<li>{backlinks_token('reuters')}</li><li>{backlinks_token('x')}</li>")
    ids = re.findall(r'id="(cite-[a-z-]+-\d+)"', html)
    assert ids == ["cite-bbc-1", "cite-bbc-2", "cite-reuters-1", "cite-bbc-3", "cite-bbc-4",
                   "cite-reuters-2"]
    bbc, reuters, uncited = re.findall(r"<li>(.*?)</li>", html)
    assert re.findall(r'href="#(cite-[a-z]+-\d)"', bbc) == [f"cite-bbc-{n}" for n in range(1, 5)]
    assert ">a</a> " in bbc and ">d</a></span>" in bbc
    assert 'href="#cite-reuters-1"' in reuters and 'href="#cite-reuters-2"' in reuters
    assert uncited == ""
    assert "\x00" not in html


def test_editorial_notes_follow_their_paragraph_and_are_numbered_across_the_page():
    page = renderer()
    second = page.inline(prose("B {==Zafra==}{>>Zara.<<}"))
    first = page.block(prose("A {==Kavlov==}{>>Most likely *Kabulov* [@bbc].<<} said so."))
    # the page shows ``first`` above ``second``, though the template rendered it later
    first, second = number_notes(first + "\x01" + second).split("\x01")
    assert first.startswith(
        '<div class="ed-para">\n<p>A <span class="ed"><mark class="ed-flag" id="flag-1">Kavlov'
        '</mark><sup class="ed-ref"><a aria-label="Editor’s note 1" href="#note-1" '
        'id="note-ref-1">1</a></sup></span> said so.</p>\n<div class="ed-notes">\n'
        '<p class="ed-note" id="note-1" role="note"><span class="ed-note-label">'
        "Editor’s note 1:</span> Most likely <em>Kabulov</em> <sup class=\"cite\">")
    assert first.endswith('<a aria-label="Back to note 1’s words" class="ed-back" '
                          'href="#note-ref-1">↩</a></p>\n</div>\n</div>')
    assert '<mark class="ed-flag" id="flag-2">Zafra</mark>' in second
    assert second.index('id="note-2"') > second.index("Zafra")


def test_a_note_never_splits_its_sentence_in_lists_boxes_and_captions():
    html = renderer().block(prose(
        "- one {==a==}{>>n1<<} and more\n- two\n\n::: box\nIn {==b==}{>>n2<<} a box.\n:::\n\n"
        '::: picture "x"\nCaption {==c==}{>>n3<<} here.\n:::\n'))
    html = number_notes(html)
    assert re.search(r'<li>one .*? and more<div class="ed-notes">.*?n1.*?</div>\n</li>', html,
                     re.S)
    assert re.search(r'<div class="ed-para">\n<p>In .*? a box\.</p>\n<div class="ed-notes">'
                     r".*?n2", html, re.S)
    assert re.search(r'<figcaption>\n<div class="ed-para">\n<p>Caption .*? here\.</p>', html)


def test_picture_and_box_containers():
    html = renderer().block(prose('::: picture "What it showed"\nThe caption.\n:::\n\n'
                                  "::: box\n### Analysis\n\nText.\n:::\n\nAfter.\n"))
    assert html == (
        '<figure class="picture">\n<p class="picture-missing">Picture not reproduced: '
        '<span class="picture-alt">What it showed</span></p>\n<figcaption>\n<p>The caption.</p>\n'
        '</figcaption>\n</figure>\n<aside class="box">\n<h4 id="analysis">Analysis</h4>\n'
        "<p>Text.</p>\n</aside>\n<p>After.</p>")


def test_headings_sit_below_the_page_section_and_get_prefixed_ids():
    html = renderer().block(prose("## The report\n\n### Part two\n"), anchor_prefix="article-")
    assert html == ('<h3 id="article-the-report">The report</h3>\n'
                    '<h4 id="article-part-two">Part two</h4>')


def test_raw_html_is_escaped_by_default():
    html = renderer().block(prose("Hi <script>alert(1)</script> <b>x</b>"))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html


def test_raw_html_passes_when_allowed():
    assert "<b>x</b>" in renderer(raw_html=True).block(prose("Hi <b>x</b>"))


def test_script_links_never_reach_the_page_and_external_links_cannot_reach_back():
    html = renderer().block(prose("[a](javascript:alert(1)) [b](https://example.org) [c](#x)"))
    assert "javascript" not in html
    assert '<a href="https://example.org" rel="noopener noreferrer">b</a>' in html
    assert '<a href="#x">c</a>' in html


def test_plain_text_drops_citations_and_keeps_flagged_words():
    text = renderer().plain(prose("The *dek* [@bbc] with {==words==}{>>note<<} & more."))
    assert text == "The dek with words & more."


def test_notes_are_numbered_in_reading_order_even_inside_containers():
    html = number_notes(renderer().block(
        prose("::: box\nA {==one==}{>>n1<<}\n:::\n\nB {==two==}{>>n2<<}\n")))
    assert html.index('id="flag-1">one') < html.index('id="flag-2">two')


def test_plain_text_shortcut_gives_what_markdown_gives():
    samples = ["Ghani left the country.", "About 1,600 soldiers (by 23 July).",
               "He said: “sit and talk as soon as possible”.", "20 years later",
               "2021. The year", "1. A list", "- a list", "# heading", "> quote",
               "It's \"quoted\"", "Tajik–Afghan border, 1,357 km", "x  y", "a: b; c = d"]
    page = renderer()
    for text in samples:
        fast = page.inline(prose(text))
        slow = page.converter.convert(text)
        if slow.startswith("<p>") and slow.endswith("</p>") and slow.count("<p>") == 1:
            slow = slow[3:-4]
        assert fast == curly_quotes_html(slow), text


def test_the_shortcut_for_cited_sentences_gives_what_markdown_gives():
    samples = ["Said so [@bbc].", "[@bbc] first.", "Two [@bbc; @reuters] and [@reuters].",
               "Ends with a citation [@reuters]", "A - dash [@bbc] - and 1. numbers [@bbc]",
               "Not *plain* [@bbc].", "A [link](https://x.org) [@bbc].", "x [@bbc] y & z"]
    page = renderer()
    for text in samples:
        fast = page.inline(prose(text))
        slow = page.converter.convert(text)
        assert slow.startswith("<p>") and slow.endswith("</p>")
        assert fast == curly_quotes_html(slow[3:-4]), text


def test_text_from_yaml_gets_curly_quotes_but_markup_keeps_its_own():
    page = renderer()
    assert page.inline(prose("It's \"quoted\" ('so') [@bbc].")).startswith(
        "It\u2019s \u201cquoted\u201d (\u2018so\u2019) <sup class=\"cite\">[<a href=")
    linked = page.inline(prose("See [the 'list'](https://example.org/a'b) *now*."))
    assert 'href="https://example.org/a\'b"' in linked or "a&#x27;b" in linked
    assert "the \u2018list\u2019" in linked


def test_the_first_mention_of_a_name_links_to_its_entry_but_never_inside_original_words():
    names = {"Kabul": "place-kabul", "Zamir Kavlov": "person-zamir-kabulov",
             "Zamir Kabulov": "person-zamir-kabulov", "Taliban": "term-taliban"}
    page = ProseRenderer((source("bbc"),), MarkdownConverter(False), None, names)
    first = page.block(prose("{==Zamir Kavlov==}{>>Zamir Kabulov, in Kabul.<<} said the "
                             "Taliban [@bbc].\n\n## In Kabul\n\nKabul again."), "article-")
    later = page.block(prose("The Taliban and [Kabul](#x)."), "background-a-")
    html = finish(str(first) + str(later), set(names.values()))
    assert '<mark class="ed-flag" id="flag-1">Zamir Kavlov</mark>' in html
    assert html.count('class="entity-link"') == 3
    assert '<a class="entity-link" href="#person-zamir-kabulov">Zamir Kabulov</a>, in ' \
           '<a class="entity-link" href="#place-kabul">Kabul</a>' in html
    assert 'the <a class="entity-link" href="#term-taliban">Taliban</a>' in html
    assert '<h3 id="article-in-kabul">In Kabul</h3>' in html and "<p>Kabul again.</p>" in html
    assert "The Taliban and" in html and "\x00" not in html
    yaml_field = finish(str(page.inline(prose("Kabul fell."))), set(names.values()))
    assert yaml_field == "Kabul fell."  # short YAML fields are not the reading text
