from hypothesis import given
from hypothesis import strategies as st

from generator.textscan import positions
from generator.validate.prose import check_prose, text_locator


def check(text: str, *, block: bool = True, containers: bool = True, raw_html: bool = False):
    report = check_prose(text, text_locator("a.md", text), block=block,
                         allow_containers=containers, allow_raw_html=raw_html)
    return report, [str(p) for p in report.problems]


def test_citations_are_found_with_their_positions():
    report, problems = check("One [@bbc-2021].\nTwo [@a; @b-c] end.\n")
    assert problems == []
    found = [(c.source_id, c.location.line, c.location.column) for c in report.citations]
    assert found == [("bbc-2021", 1, 6), ("a", 2, 6), ("b-c", 2, 10)]


def test_citations_in_code_are_not_citations():
    report, problems = check("Use `[@id]` to cite.\n\n```\n[@also-not]\n```\n")
    assert (report.citations, problems) == ((), [])


def test_malformed_and_unclosed_citations():
    _, problems = check("Bad [@Upper_Case] and [@a, @b] and [@open\n")
    assert problems == [
        "a.md:1:36: citation '[@' is never closed; expected [@source-id]",
        "a.md:1:5: malformed citation '[@Upper_Case]'; expected [@source-id] or "
        "[@first-id; @second-id] (ids in lowercase with hyphens)",
        "a.md:1:23: malformed citation '[@a, @b]'; expected [@source-id] or "
        "[@first-id; @second-id] (ids in lowercase with hyphens)",
    ]


def test_editorial_notes_and_their_citations():
    report, problems = check("The {==Kavlov==}{>>Kabulov [@tass].<<} said.\n")
    assert problems == []
    assert [c.source_id for c in report.citations] == ["tass"]


def test_broken_editorial_notes_are_reported_once_per_paragraph():
    report, _ = check("A {==flag without note==} here.\n\nB {==x==}{>><<} and {++ins++}.\n")
    problems = [str(p) for p in sorted(report.problems, key=lambda p: p.location)]
    assert problems == [
        "a.md:1:3: broken editorial note at '{=='; expected {==original words==}{>>the note<<} "
        "within one paragraph",
        "a.md:3:13: editorial note with empty note; expected {==original words==}{>>the note<<}",
        "a.md:3:21: unsupported CriticMarkup '{++'; only highlight-and-comment notes "
        "{==original words==}{>>the note<<} are used",
    ]


def test_a_note_cannot_span_paragraphs():
    _, problems = check("A {==one\n\ntwo==}{>>note<<}\n")
    assert problems[0].startswith("a.md:1:3: broken editorial note at '{=='")


def test_containers_must_be_known_and_closed():
    _, problems = check('::: pictur "x"\ntext\n:::\n\n::: box\nunclosed\n')
    assert problems == [
        "a.md:1:1: unknown container 'pictur'; did you mean 'picture'? "
        "(known: picture, box, image, chart, map)",
        "a.md:5:1: container is never closed; expected a line with ':::' after its content",
    ]


def test_containers_are_refused_in_yaml_text():
    _, problems = check("::: box\nx\n:::\n", block=False, containers=False)
    assert problems[0] == ("a.md:1:1: containers (':::') are not allowed here; expected them "
                           "only in article.md or background.md")


def test_heading_rules():
    _, problems = check("# Title\n\n## Part\n\n#### Skipped\n")
    assert problems == [
        "a.md:1:1: a '#' heading; expected '##' for a section (the page already has the "
        "explainer's title)",
        "a.md:5:1: warning: heading level skipped (#### after ##); expected ###",
    ]


def test_script_links_are_errors_and_images_need_alt_text():
    _, problems = check("[x](javascript:alert(1)) ![](https://example.org/pic.png) [ok](https://example.org)\n"
                        "[ref]: vbscript:msgbox\n")
    assert problems == [
        "a.md:1:5: link to 'javascript:alert(1' is not allowed; expected an http(s) or mailto "
        "address, a page of this site or a #anchor",
        "a.md:2:8: link to 'vbscript:msgbox' is not allowed; expected an http(s) or mailto "
        "address, a page of this site or a #anchor",
        "a.md:1:26: warning: image without alt text; expected a description in ![…] for "
        "readers who cannot see it",
    ]


def test_raw_html_is_shown_as_text_unless_allowed_and_scripts_never_are():
    _, shown = check("Some <b>bold</b>.\n")
    assert shown[0] == ("a.md:1:6: warning: raw HTML '<b>' is shown as text; expected "
                        "Markdown (or allow_raw_html: true in site.yaml)")
    _, allowed = check('Some <b>bold</b> <script>x</script> <img src=x onerror="y"> '
                       '<iframe src="https://e.org"></iframe>\n', raw_html=True)
    assert allowed == [
        "a.md:1:18: '<script>' is not allowed in content; expected Markdown or harmless HTML",
        "a.md:1:37: event-handler attributes (on…=) are not allowed in content; expected HTML "
        "without scripts",
        "a.md:1:61: '<iframe>' is not allowed in content; expected Markdown or harmless HTML",
    ]


@given(st.text(alphabet="ab\n\t", max_size=80), st.lists(st.integers(0, 80), max_size=40))
def test_positions_agree_with_counting_newlines(text: str, offsets: list[int]):
    """The first offsets are counted, later ones looked up: both give the same answers."""
    position = positions(text)
    for offset in (min(offset, len(text)) for offset in offsets):
        before = text[:offset]
        assert position(offset) == (before.count("\n") + 1, len(before.rsplit("\n", 1)[-1]) + 1)
