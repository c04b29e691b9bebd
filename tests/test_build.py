import shutil

import pytest

from generator.check import check_files
from generator.errors import BuildFailed
from generator.pipeline import build, make_site

from conftest import tree_bytes


def test_minimal_site_builds_every_page(minimal_project):
    report = build(minimal_project)
    files = tree_bytes(minimal_project.out_dir)
    assert report.explainers == 1
    assert report.pages == 6  # with a topic page for each of its two tags
    assert {"index.html", "404.html", "sample-explainer/index.html", "search/index.html",
            "topics/sample/index.html", "topics/testing/index.html",
            "pagefind/pagefind.js"} <= set(files)
    assert any(p.startswith("assets/style.") and p.endswith(".css") for p in files)
    page = files["sample-explainer/index.html"].decode()
    for section in ("key-figures", "the-report", "timeline", "background", "people", "places",
                    "glossary", "sources"):
        assert f'id="{section}"' in page


def test_two_builds_are_byte_identical(minimal_project, tmp_path):
    build(minimal_project)
    first = tree_bytes(minimal_project.out_dir)
    shutil.rmtree(minimal_project.out_dir)
    build(minimal_project)
    assert tree_bytes(minimal_project.out_dir) == first


def test_built_pages_are_well_formed_and_every_link_resolves(minimal_project):
    result = make_site(minimal_project)
    report = check_files(result.files, "site", result.site.config.base_url)
    assert report.problems == ()
    assert report.external_links == ("https://example.org/sample-report",)


def test_dates_are_shown_with_their_precision(minimal_project):
    page = make_site(minimal_project).files["sample-explainer/index.html"].decode()
    assert '<time datetime="2001">2001</time>' in page
    assert '<time datetime="2023-11">November 2023</time>' in page
    assert '<time datetime="2024-03-04">4 March 2024</time>' in page
    assert page.index("The earliest event") < page.index("An earlier event")


def test_failed_build_leaves_existing_output_untouched(minimal_project):
    build(minimal_project)
    before = tree_bytes(minimal_project.out_dir)
    sources = minimal_project.content_dir / "sample-explainer" / "sources.yaml"
    sources.write_text(sources.read_text().replace("date: 2024-03-05", "date: 2024-13-05"))
    with pytest.raises(BuildFailed):
        build(minimal_project)
    assert tree_bytes(minimal_project.out_dir) == before
