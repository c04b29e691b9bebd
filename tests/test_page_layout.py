"""The explainer page's layout on the fixture: the answer under the dek, lead and more
figures, reading time, contents that fold, links back to contents, time on the timeline."""

from __future__ import annotations

import re

from generator.pipeline import Project, make_site

from conftest import write_files

SLUG = "sample-explainer"
FIGURES = """
- id: people-involved
  value: more than 100
  label: people took part
  as_of: 2024-03-04
  note: Organisers said 120; police said about 100.
  sources: [sample-report]
  from_article: true
- id: second
  value: "2"
  label: second figure
  as_of: 2024-03-04
  sources: [sample-report]
  lead: true
- id: third
  value: "3"
  label: third figure
  as_of: 2024-03-04
  sources: [sample-report]
  featured: true
"""


def page_of(project: Project) -> str:
    return make_site(project).files[f"{SLUG}/index.html"].decode()


def test_the_answer_comes_under_the_dek_with_the_reading_time(minimal_project: Project):
    meta = minimal_project.content_dir / SLUG / "explainer.yaml"
    meta.write_text(meta.read_text() + "key_points:\n  - It's the first point [@sample-report].\n"
                    "  - The second point [@sample-history].\n  - The third point.\n"
                    "    [@sample-report]\n", encoding="utf-8")
    page = page_of(minimal_project)
    dek, points, credits = (page.index('class="dek"'), page.index('class="key-points"'),
                            page.index('class="credits"'))
    assert dek < points < credits < page.index('id="contents"')
    listed = re.findall(r"<li>(.*?)</li>", page[points:credits])
    assert len(listed) == 3 and listed[0].startswith("It\u2019s the first point")
    assert 'href="#source-sample-report"' in listed[0]
    assert re.search(r'<span class="reading-time">\d+ min read</span>', page)


def test_lead_figures_come_before_the_report_and_the_rest_after_it(minimal_project: Project):
    write_files(minimal_project.content_dir / SLUG, {"figures.yaml": FIGURES})
    page = page_of(minimal_project)
    report, more = page.index('id="the-report"'), page.index('id="more-figures"')
    assert report < more
    assert page.index('id="figure-second"') < report and page.index('id="figure-third"') < report
    assert more < page.index('id="figure-people-involved"')
    assert 'class="figure-card featured" id="figure-third"' in page
    assert '<li><a href="#more-figures">More figures</a></li>' in page


def test_without_lead_marks_the_first_figures_lead(minimal_project: Project):
    page = page_of(minimal_project)
    assert page.index('id="figure-people-involved"') < page.index('id="the-report"')
    assert 'id="more-figures"' not in page


def test_contents_fold_on_phones_and_every_section_leads_back(minimal_project: Project):
    page = page_of(minimal_project)
    contents = page[page.index('id="contents"'):page.index("</nav>")]
    assert '<details class="toc-parts">' in contents and "<summary>" in contents
    sections_after_report = page.count('<p class="back-to-contents"><a href="#contents">')
    assert sections_after_report >= 5


def test_the_timeline_shows_years_gaps_and_a_jump_to_the_story(minimal_project: Project):
    page = page_of(minimal_project)
    timeline = page[page.index('id="timeline"'):]
    assert '<p class="timeline-jump"><a href="#event-sample-event">' in timeline
    years = re.findall(r'<p class="rail-year" aria-hidden="true">(\d{4})</p>', timeline)
    assert years == ["2001", "2023", "2024"]
    assert '<p class="rail-gap long">22 years later</p>' in timeline
    assert '<details class="era-events"><summary>2 events, 2001\u20132023</summary>' in timeline
    story_era = timeline[timeline.index('id="era-during"'):]
    assert "era-events" not in story_era.split("</section>")[0]
