from generator.dates import PartialDate
from generator.errors import SourceLocation
from generator.raw import Prose
from generator.records import Source
from generator.render.markup import MarkdownConverter, ProseRenderer, number_notes


def source(ident: str) -> Source:
    return Source(id=ident, title=f"Title <{ident}>", publisher="Pub",
                  date=PartialDate(2021, 7, 5), url=None, author=None, note=None)


def prose(text: str) -> Prose:
    return Prose(text=text, location=SourceLocation("a.md", 1, 1))


def renderer(raw_html: bool = False) -> ProseRenderer:
    return ProseRenderer((source("bbc"), source("reuters")), MarkdownConverter(raw_html))


def test_citations_become_numbered_links_to_the_source_list():
    html = renderer().inline(prose("Said so [@bbc; @reuters]."))
    assert html == (
        'Said so <sup class="cite">[<a href="#source-bbc" title="Source 1: Pub, Title &lt;bbc&gt;">'
        '1</a>, <a href="#source-reuters" title="Source 2: Pub, Title &lt;reuters&gt;">2</a>]'
        '</sup>.')


def test_editorial_notes_keep_the_words_and_number_notes_across_the_page():
    page = renderer()
    second = page.inline(prose("B {==Zafra==}{>>Zara.<<}"))
    first = page.block(prose("A {==Kavlov==}{>>Most likely *Kabulov* [@bbc].<<} said."))
    # the page shows ``first`` above ``second``, though the template rendered it later
    first, second = number_notes(first + "\x01" + second).split("\x01")
    assert '<mark class="ed-flag" id="flag-1">Kavlov</mark>' in first
    assert ('<span class="ed-note" id="note-1" role="note"><span class="ed-note-label">'
            "Editor's note 1:</span> Most likely <em>Kabulov</em> <sup class=\"cite\">") in first
    assert '<mark class="ed-flag" id="flag-2">Zafra</mark>' in second


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
        assert fast == slow, text


def test_the_shortcut_for_cited_sentences_gives_what_markdown_gives():
    samples = ["Said so [@bbc].", "[@bbc] first.", "Two [@bbc; @reuters] and [@reuters].",
               "Ends with a citation [@reuters]", "A - dash [@bbc] - and 1. numbers [@bbc]",
               "Not *plain* [@bbc].", "A [link](https://x.org) [@bbc].", "x [@bbc] y & z"]
    page = renderer()
    for text in samples:
        fast = page.inline(prose(text))
        slow = page.converter.convert(text)
        assert slow.startswith("<p>") and slow.endswith("</p>")
        assert fast == slow[3:-4], text
