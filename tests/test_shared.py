"""Site-wide people, places, terms and sources: written once, shown where an explainer uses
them (by id or by name), never on pages that do not."""

from __future__ import annotations

import shutil

import pytest

from generator.pipeline import BuildFailed, Project, make_site

from conftest import SECOND_EXPLAINER, write_files

SHARED = {
    "people.yaml": """
        - id: hamid-karzai
          name: Hamid Karzai
          role: Leader of Afghanistan, 2001–2014
          text: Sworn in on 22 December 2001 [@shared-report].
          sources: [shared-report]
        - id: nobody-mentions-me
          name: Unmentioned Person
          role: Nobody names them
          text: Cited from a source no page needs [@orphan-source].
          sources: [orphan-source]
    """,
    "glossary.yaml": """
        - term: Loya jirga
          definition: A grand assembly [@shared-report].
          sources: [shared-report]
    """,
    "sources.yaml": """
        - id: shared-report
          title: A report both pages cite
          publisher: Shared News
          date: 2021-07-05
        - id: orphan-source
          title: A source only the unmentioned person cites
          publisher: Shared News
          date: 2020
    """,
}


@pytest.fixture
def project(minimal_project: Project) -> Project:
    shutil.copytree(SECOND_EXPLAINER, minimal_project.content_dir / "second-explainer")
    write_files(minimal_project.content_dir, SHARED)
    article = minimal_project.content_dir / "sample-explainer" / "article.md"
    article.write_text(article.read_text().replace(
        "The end.", "Hamid Karzai called a loya jirga. The end."))
    return minimal_project


def test_a_page_shows_the_shared_entries_it_names_with_their_sources(project: Project):
    result = make_site(project)
    page = result.files["sample-explainer/index.html"].decode()
    assert "Sworn in on 22 December 2001" in page
    assert "A report both pages cite" in page
    assert "Unmentioned Person" not in page and "A source only the unmentioned" not in page
    sample = result.explainer("sample-explainer")
    assert [p.id for p in sample.records["people"]][-1] == "hamid-karzai"
    # a term's first letter may be either case ("Loya jirga" is named by "a loya jirga")
    assert "loya-jirga" in {t.id for t in sample.records["glossary"]}


def test_a_page_that_never_names_a_shared_entry_does_not_show_it(project: Project):
    result = make_site(project)
    second = result.files["second-explainer/index.html"].decode()
    assert "Hamid Karzai" not in second and "A report both pages cite" not in second


def test_names_match_as_whole_words_only(project: Project):
    article = project.content_dir / "second-explainer" / "article.md"
    article.write_text(article.read_text() + "\nThe Hamid Karzaiist movement.\n")
    second = make_site(project).files["second-explainer/index.html"].decode()
    assert "Sworn in on 22 December 2001" not in second


def test_an_explainer_may_not_redefine_a_shared_id(project: Project):
    people = project.content_dir / "sample-explainer" / "people.yaml"
    people.write_text(people.read_text() + (
        "- id: hamid-karzai\n  name: Hamid Karzai\n  role: Again\n  text: A second text.\n"
        "  sources: [sample-report]\n"))
    with pytest.raises(BuildFailed) as failed:
        make_site(project)
    messages = [str(p) for p in failed.value.diagnostics]
    assert any("people.yaml:7:3: person 'hamid-karzai' is already written for the whole "
               "site at " in m and "content/people.yaml:1:3" in m for m in messages), messages


def test_a_source_title_is_not_the_pages_own_words(project: Project):
    sources = project.content_dir / "second-explainer" / "sources.yaml"
    sources.write_text(sources.read_text().replace("title: ", "title: Hamid Karzai, ", 1))
    second = make_site(project).files["second-explainer/index.html"].decode()
    assert "Hamid Karzai, " in second and "Sworn in on 22 December 2001" not in second


def test_a_name_inside_a_longer_known_name_is_not_a_mention(project: Project):
    """"Hamid Karzai International Airport" names the airport (a place the page knows),
    not the man: his entry and its sources stay off the page until he is named himself."""
    folder = project.content_dir / "second-explainer"
    (folder / "places.yaml").write_text(
        "- id: kabul-airport\n  name: Hamid Karzai International Airport\n"
        "  text: Kabul's airport [@second-report].\n  sources: [second-report]\n")
    article = folder / "article.md"
    article.write_text(article.read_text() + "\nThey flew out of Hamid Karzai International "
                                             "Airport [@second-report].\n")
    second = make_site(project).files["second-explainer/index.html"].decode()
    assert "Hamid Karzai International Airport" in second
    assert "Sworn in on 22 December 2001" not in second
    article.write_text(article.read_text() + "\nHamid Karzai had left long before.\n")
    second = make_site(project).files["second-explainer/index.html"].decode()
    assert "Sworn in on 22 December 2001" in second and "A report both pages cite" in second
