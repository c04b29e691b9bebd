"""``explainer new``: a new explainer that builds at once, its seed kept word for word, and
refusals that write nothing."""

from __future__ import annotations

import html
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.rules import ID_RULE
from generator.scaffold import Refused, plan_explainer
from generator.scaffold.seed import seed_markdown

from conftest import FIXTURES, REPO, TEMPLATES, run_cli, tree_bytes

SEED = "seeds/000_996fc131aa7bae96.txt"
SEED_TEXT = (REPO / SEED).read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the minimal fixture project with the real seed in its seeds/."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", root)
    shutil.copy(REPO / SEED, root / SEED)
    return root


def words(text: str) -> list[str]:
    return re.findall(r"\w+", html.unescape(text).lower())


def test_every_line_of_the_seed_survives_word_for_word_and_in_order():
    markdown = seed_markdown(SEED_TEXT).markdown
    out = words(markdown)
    position = 0
    for line in SEED_TEXT.splitlines():
        wanted = words(line)
        if not wanted:
            continue
        found = next((i for i in range(position, len(out) - len(wanted) + 1)
                      if out[i:i + len(wanted)] == wanted), None)
        assert found is not None, f"seed line lost or reordered: {line!r}"
        position = found + len(wanted)


def test_the_seed_becomes_headline_paragraphs_pictures_and_flagged_leftovers():
    article = seed_markdown(SEED_TEXT)
    assert article.headline == "Soldiers flee to Tajikistan after the Taliban clash"
    blocks = article.markdown.split("\n\n")
    assert blocks[0] == "## Soldiers flee to Tajikistan after the Taliban clash"
    caption = "Afghan Army soldiers have machine guns at a checkpoint outside Kabul"
    assert blocks[1] == f"::: picture\n{caption}"
    assert blocks[2].startswith(f"{{=={caption}==}}{{>>The same caption again")
    assert blocks[2].endswith("<<}\n:::")
    zara = article.markdown.index("::: picture\n{==25-year-old Zara from Kabul==}{>>Probably "
                                  "the caption of a picture")
    assert article.markdown.index("\n\nMr Zafra said the people of Kabul", zara) > zara
    assert blocks[-2].startswith("{==Click here to see BBC Interactive==}{>>A leftover of "
                                 "the web page, not part of the report")
    assert blocks[-1].startswith("{==Posted on==}{>>A leftover of the web page")
    assert (article.pictures, article.leftovers) == (2, 2)
    # the report's own short lines stay paragraphs: a subheading and a byline
    assert "\n\nMilitary morale declines as violence spreads\n\n" in article.markdown
    assert "\n\nKawoon Khamoosh, BBC News\n\n" in article.markdown


def test_page_leftovers_and_image_labels_are_flagged_not_dropped():
    article = seed_markdown("A headline\n\nImage source, Getty Images\n\n"
                            "Image caption, Soldiers at the border\n\nThe report's text.\n\n"
                            "Published on 5 July\n")
    assert article.markdown.split("\n\n")[1:] == [
        "{==Image source, Getty Images==}{>>A leftover of the web page, not part of the "
        "report: the credit of a picture that is not reproduced here.<<}",
        "::: picture\n{==Image caption,==}{>>A leftover of the web page, not part of the "
        "report: the label of a picture's caption.<<} Soldiers at the border\n:::",
        "The report's text.",
        "{==Published on 5 July==}{>>A leftover of the web page, not part of the report: a "
        "date label of the site that carried the text.<<}\n",
    ]


def test_sentences_that_start_like_leftovers_stay_text_and_repeated_leftovers_stay_twice():
    article = seed_markdown("A headline\n\nPublished reports say 12 people died.\n\n"
                            "Copyright lawyers disagree.\n\nPosted on\n\nPosted on\n\n"
                            "Updated 5 July 2021\n")
    blocks = article.markdown.split("\n\n")
    assert blocks[1:3] == ["Published reports say 12 people died.", "Copyright lawyers disagree."]
    assert [b.split("==}")[0] for b in blocks[3:]] == ["{==Posted on", "{==Posted on",
                                                        "{==Updated 5 July 2021"]
    assert article.leftovers == 3


NASTY = ("A *starred* headline [@x]\n\n# Not a heading\n\n1. not a list\n\n- nor this\n\n"
         "> nor a quote\n\n::: box\n\nA {==flag==}{>>note<<} and [@cite] and [link](x.html)\n\n"
         "Tags <b>bold</b> & entities &amp; `code` _under_ back\\slash\n\n====\n")


def test_markdown_characters_in_a_seed_are_shown_as_written(project: Path):
    (project / "seeds" / "nasty.txt").write_text(NASTY, encoding="utf-8")
    made = run_cli("new", "nasty", "--from", "seeds/nasty.txt", cwd=project)
    assert made.code == 0, made.err
    built = run_cli("build", "--templates", str(TEMPLATES), cwd=project)
    assert built.code == 0, built.err
    page = (project / "site" / "nasty" / "index.html").read_text(encoding="utf-8")
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    for line in NASTY.splitlines()[2:]:
        assert " ".join(line.split()) in text, line
    assert "<p>1. not a list</p>" in page and "<p>- nor this</p>" in page
    assert "<p># Not a heading</p>" in page and "<blockquote" not in page


def test_new_with_a_seed_builds_at_once_with_todo_warnings_only(project: Path):
    made = run_cli("new", "my-story", "--from", SEED, cwd=project)
    assert made.code == 0, made.err
    assert made.out.splitlines() == [
        "created content/my-story/ ('Soldiers flee to Tajikistan after the Taliban clash'):",
        "  content/my-story/explainer.yaml", "  content/my-story/sources.yaml",
        "  content/my-story/article.md",
        f"article.md is {SEED} as Markdown, word for word: 2 picture captions and 2 page "
        "leftovers flagged in editorial notes",
        "next: fill in the TODOs (explainer check lists each one), then run explainer serve "
        "and open my-story/"]
    folder = project / "content" / "my-story"
    assert f"published: {date.today().isoformat()}\nseed: {SEED}\n" in \
        (folder / "explainer.yaml").read_text()
    assert (folder / "article.md").read_text() == seed_markdown(SEED_TEXT).markdown
    built = run_cli("build", "--templates", str(TEMPLATES), cwd=project)
    assert built.code == 0, built.err
    assert built.err.splitlines() == [
        "content/my-story/explainer.yaml:4:11: warning: left to do: the dek, one or two "
        "sentences: what happened and why it matters.",
        "content/my-story/explainer.yaml:7:69: warning: left to do: say what it is (an "
        "original, a translation) and who published it.",
        "content/my-story/sources.yaml:4:15: warning: left to do: who published the report, "
        "e.g. BBC News"]
    page = (project / "site" / "my-story" / "index.html").read_text(encoding="utf-8")
    assert "Click here to see BBC Interactive" in page
    strict = run_cli("build", "--strict", "--templates", str(TEMPLATES), cwd=project)
    assert strict.code == 1 and "3 warnings (--strict fails on warnings)" in strict.err


def test_new_without_a_seed_builds_too_and_says_what_to_write(project: Path):
    made = run_cli("new", "blank-page", "--title", "A title of our own", cwd=project)
    assert made.code == 0, made.err
    built = run_cli("build", "--templates", str(TEMPLATES), cwd=project)
    assert built.code == 0, built.err
    assert all(": warning: left to do: " in line for line in built.err.splitlines())
    assert "content/blank-page/article.md:1:4: warning: left to do: the headline" in built.err
    assert "A title of our own" in (project / "site" / "blank-page" / "index.html").read_text()


def test_today_is_a_parameter(project: Path):
    new = plan_explainer(project / "content", "later", today=date(2030, 1, 2))
    assert "\npublished: 2030-01-02\n" in new.files["explainer.yaml"]
    assert not (project / "content" / "later").exists()  # planning writes nothing


@pytest.mark.parametrize(("args", "message"), [
    (("sample-explainer",), "content/sample-explainer/ already exists; choose another slug"),
    (("My_Story",), f"'My_Story' is not a valid slug: a slug is the explainer's folder name "
                    f"and web address, made of {ID_RULE}; for example 'my-story'"),
    (("a--b",), "'a--b' is not a valid slug"),
    (("search",), "'search' is the name of a folder of the site's own (assets, authors, pagefind, "
                  "search, topics); choose another slug"),
    (("x", "--from", "content/site.yaml"), "'content/site.yaml' is outside seeds/"),
    (("x", "--from", "seeds/../content/site.yaml"), "is outside seeds/"),
    (("x", "--from", "seeds/missing.txt"), "'seeds/missing.txt' not found; expected a "
                                           "plain-text file in seeds/"),
    (("x", "--from", "seeds/latin1.txt"), "'seeds/latin1.txt' is not valid UTF-8 (byte 0xe9"),
    (("x", "--from", "seeds/escape.txt"), "'seeds/escape.txt' is outside seeds/"),
    (("x", "--title", " "), "--title is empty"),
])
def test_refusals_exit_one_and_write_nothing(project: Path, args: tuple[str, ...],
                                             message: str):
    (project / "seeds" / "latin1.txt").write_bytes("Caf\u00e9 headline\n".encode("latin-1"))
    (project / "seeds" / "escape.txt").symlink_to(project / "content" / "site.yaml")
    before = tree_bytes(project)
    result = run_cli("new", *args, cwd=project)
    assert result.code == 1
    assert result.out == "" and "Traceback" not in result.err
    assert result.err.startswith("explainer new: ") and message in result.err, result.err
    assert result.err.rstrip().endswith("; nothing was written")
    assert tree_bytes(project) == before


def test_refused_plan_raises_without_touching_content(project: Path):
    with pytest.raises(Refused, match="already exists"):
        plan_explainer(project / "content", "sample-explainer", today=date(2026, 1, 1))


def test_serve_shows_a_new_explainer_without_a_restart(project: Path):
    from serve_support import LiveReloadClient, http_get, serving

    shutil.copytree(TEMPLATES, project / "templates")
    with serving(project) as server:
        client = LiveReloadClient(server.port)
        try:
            assert run_cli("new", "my-story", "--from", SEED, cwd=project).code == 0
            client.wait_reload()
        finally:
            client.close()
        status, page = http_get(server.url("my-story/index.html"))
        assert status == 200 and "Click here to see BBC Interactive" in page
        status, home = http_get(server.url())
        assert status == 200 and 'href="my-story/' in home


def test_the_site_folders_new_refuses_are_the_ones_the_renderer_writes():
    from generator.model import Topic
    from generator.render.assets import ASSET_FOLDER
    from generator.render.listings import author_path
    from generator.render.search import BUNDLE, SEARCH_PAGE
    from generator.rules import SITE_FOLDERS

    assert set(SITE_FOLDERS) == {ASSET_FOLDER, BUNDLE, SEARCH_PAGE.split("/")[0],
                                 author_path("x").split("/")[0],
                                 Topic("x", "x").path.split("/")[0]}
