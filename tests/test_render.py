import posixpath
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.errors import BuildFailed
from generator.pipeline import Project, make_site
from generator.render import relative_url
from generator.render.assets import hashed_name

from conftest import TEMPLATES


@pytest.mark.parametrize(("page", "target", "link"), [
    ("index.html", "slug/index.html", "slug/index.html"),
    ("slug/index.html", "index.html", "../index.html"),
    ("slug/index.html", "assets/style.abc.css", "../assets/style.abc.css"),
    ("slug/index.html", "slug/index.html#sources", "index.html#sources"),
    ("a/b/c.html", "a/x.html", "../x.html"),
])
def test_relative_urls(page, target, link):
    assert relative_url(page, target) == link


def test_asset_names_carry_a_content_hash():
    assert hashed_name("style.css", b"body{}") == "style.7c98040a54.css"
    assert hashed_name("style.css", b"body{}") != hashed_name("style.css", b"body{ }")


def copy_templates(minimal_project, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    return minimal_project.__class__(minimal_project.content_dir, templates,
                                     minimal_project.out_dir)


def test_template_syntax_error_is_located(minimal_project, tmp_path):
    project = copy_templates(minimal_project, tmp_path)
    page = project.templates_dir / "partials" / "glossary.html"
    text = page.read_text()
    line = text[:text.index("{% endfor %}")].count("\n") + 1
    page.write_text(text.replace("{% endfor %}", "{% endfo %}"))
    with pytest.raises(BuildFailed) as failed:
        make_site(project)
    assert [str(d) for d in failed.value.diagnostics] == [
        f"{page.as_posix()}:{line}: template syntax error: Encountered unknown tag 'endfo'. Jinja "
        "was looking for the following tags: 'endfor' or 'else'. The innermost block that "
        "needs to be closed is 'for'."]


def test_undefined_variable_is_located_in_the_template(minimal_project, tmp_path):
    project = copy_templates(minimal_project, tmp_path)
    page = project.templates_dir / "partials" / "figure-cards.html"
    lines = page.read_text().split("\n")
    number = next(i for i, line in enumerate(lines) if "figure.value" in line) + 1
    lines[number - 1] = lines[number - 1].replace("figure.value", "figure.valeu")
    page.write_text("\n".join(lines))
    with pytest.raises(BuildFailed) as failed:
        make_site(project)
    assert [str(d) for d in failed.value.diagnostics] == [
        f"{page.as_posix()}:{number}: undefined in template: "
        "'generator.records.facts.Figure object' has no attribute 'valeu'"]


def test_missing_templates_folder(minimal_project, tmp_path):
    project = minimal_project.__class__(minimal_project.content_dir, tmp_path / "nope",
                                        minimal_project.out_dir)
    with pytest.raises(BuildFailed) as failed:
        make_site(project)
    assert [str(d) for d in failed.value.diagnostics] == [
        f"{(tmp_path / 'nope').as_posix()}: templates folder not found; expected home.html, "
        "explainer.html, 404.html, feed.xml, sitemap.xml, robots.txt"]


def test_quotes_are_shown_with_speaker_and_translated_ones_say_so(minimal_project: Project):
    result = make_site(minimal_project)
    page = result.files["sample-explainer/index.html"].decode()
    quotes = page[page.index('<section class="quotes"'):]
    quotes = quotes[:quotes.index("</section>")]
    assert '<li class="quote translated" id="quote-jane-on-the-sample">' in quotes
    assert "As translated (not the speaker’s own words)" in quotes
    assert '<a href="#person-jane-doe">Jane Doe</a>' in quotes
    assert "The original report’s wording: “It went better than we expected, the sample.”" \
        in quotes
    assert '<li><a href="#quotes">Quotes</a>' in page  # in the contents too


def test_editorial_notes_are_numbered_in_page_order(minimal_project: Project):
    """Key figures sit above the report: a note there is note 1, whatever the render order."""
    figures = minimal_project.content_dir / "sample-explainer" / "figures.yaml"
    figures.write_text(figures.read_text().replace(
        "note: Organisers said 120; police said about 100.",
        "note: Organisers said {==120==}{>>A round number.<<}; police said about 100."))
    page = make_site(minimal_project).files["sample-explainer/index.html"].decode()
    assert page.index('id="flag-1">120') < page.index('id="flag-2">sampel')
    assert "Editor's note 3" not in page


_SEGMENTS = st.sampled_from(["a", "b", "slug", "index.html", ".", "..", "", "x.y", "ä"])


@given(st.lists(_SEGMENTS, min_size=1, max_size=5), st.lists(_SEGMENTS, min_size=1, max_size=5),
       st.booleans())
def test_relative_urls_agree_with_relpath(page: list[str], target: list[str], folder: bool):
    """The fast path gives what posixpath.relpath gives, for plain and odd paths alike."""
    page_path, target_path = "/".join(page), "/".join(target) + ("/" if folder else "")
    start = posixpath.dirname(page_path) or "."
    if not target_path.strip("/") or target_path.startswith("/") or start.startswith("/"):
        return  # relpath's errors and absolute paths: pages never link that way
    expected = posixpath.relpath(target_path, start)
    if target_path.endswith("/") and not expected.endswith("/"):
        expected += "/"
    assert relative_url(page_path, target_path) == expected
