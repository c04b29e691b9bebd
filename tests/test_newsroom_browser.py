"""Topic, author and explainer pages with bylines, corrections, drafts and related
explainers, in a real browser: axe-core finds nothing in light and dark, on a phone and a
wide screen, and nothing is wider than a phone."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from generator.dates import PartialDate
from generator.pipeline import Project, build

from chromium import AXE, SCREENSHOTS, Chromium, axe_violations, browser_tests_mark
from conftest import FIXTURES, TEMPLATES
from realsite import PROJECT

pytestmark = browser_tests_mark()
PAGES = ("index.html", "topics/borders/index.html", "authors/test-writer/index.html",
         "alpha/index.html", "gamma-draft/index.html")
REAL_PAGES = ("topics/afghanistan/index.html", "authors/explainers-desk/index.html")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("newsroom")
    shutil.copytree(FIXTURES / "newsroom", root / "project")
    drafts = root / "drafts"
    build(Project(root / "project" / "content", TEMPLATES, drafts,
                  today=PartialDate(2026, 12, 2), drafts=True))
    real = root / "real"
    build(Project(PROJECT / "content", PROJECT / "templates", real))
    return drafts, real


def urls(sites: tuple[Path, Path]) -> list[str]:
    drafts, real = sites
    return [(drafts / p).as_uri() for p in PAGES] + [(real / p).as_uri() for p in REAL_PAGES]


@pytest.mark.skipif(not AXE.is_file() and os.environ.get("CI") != "true",
                    reason=f"axe-core not installed ({AXE}); run "
                           "'npm install --prefix .tools axe-core@4' as .ci/run does")
@pytest.mark.parametrize(("width", "scheme"), [(375, "light"), (375, "dark"),
                                               (1280, "light"), (1280, "dark")])
def test_axe_core_finds_no_violations(sites: tuple[Path, Path], width: int, scheme: str):
    assert AXE.is_file(), f"CI=true but axe-core is missing: {AXE}"
    with Chromium(width=width, height=900) as browser:
        browser.emulate_media(prefers_color_scheme=scheme)
        for url in urls(sites):
            browser.navigate(url)
            result = axe_violations(browser)
            assert result == [], f"{url} at {width}px, {scheme}: {json.dumps(result, indent=1)}"
        browser.navigate((sites[0] / "alpha" / "index.html").as_uri())
        browser.screenshot(SCREENSHOTS / f"newsroom-alpha-{width}-{scheme}.png")


def test_nothing_is_wider_than_a_phone_and_the_draft_banner_shows(sites: tuple[Path, Path]):
    with Chromium(width=320, height=800) as browser:
        for url in urls(sites):
            browser.navigate(url)
            assert browser.evaluate("document.documentElement.scrollWidth") <= 320, url
        browser.navigate((sites[0] / "gamma-draft" / "index.html").as_uri())
        assert browser.evaluate("document.querySelector('.draft-banner').checkVisibility()")
        top = browser.evaluate("document.querySelector('.draft-banner')"
                               ".getBoundingClientRect().top")
        assert isinstance(top, (int, float)) and top < 200  # the first thing under the header
