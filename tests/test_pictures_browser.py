"""The pictures fixture in headless Chromium: the browser picks the WebP of the right width
for the screen, every picture decodes, nothing overflows, in light, dark and print."""

from __future__ import annotations

import shutil
import time

import pytest

from generator.pipeline import Project, build

from chromium import SCREENSHOTS, Chromium, browser_tests_mark
from conftest import FIXTURES, TEMPLATES

SLUG = "pictures-explainer"
pytestmark = browser_tests_mark()


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("pictures") / "project"
    shutil.copytree(FIXTURES / "minimal", root)
    shutil.copytree(FIXTURES / SLUG, root / "content" / SLUG)
    build(Project(root / "content", TEMPLATES, root / "site"))
    return (root / "site" / SLUG / "index.html").as_uri()


def loaded_pictures(browser: Chromium) -> list[list[object]]:
    """[currentSrc, naturalWidth, shown width] of every picture, once all have loaded."""
    browser.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy ones load now
    deadline = time.monotonic() + 10
    while not browser.evaluate("[...document.images].every(i => i.complete)"):
        assert time.monotonic() < deadline, "pictures did not load"
        time.sleep(0.05)
    return browser.evaluate(  # type: ignore[return-value]
        "[...document.images].map(i => [i.currentSrc, i.naturalWidth, i.clientWidth])")


@pytest.mark.parametrize(("width", "chosen"), [(320, 480), (1280, 960)])
def test_the_browser_chooses_the_webp_that_fits_the_screen(page_url: str, width: int,
                                                           chosen: int):
    with Chromium(width=width, height=900) as browser:
        browser.navigate(page_url)
        overflow = browser.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow == 0, f"horizontal scrolling at {width}px"
        pictures = loaded_pictures(browser)
        assert len(pictures) == 2
        for source, natural, shown in pictures:  # naturalWidth is scaled to the sizes width
            assert str(source).endswith(".webp") and f"-{chosen}." in str(source), source
            assert natural == shown and 0 < int(str(shown)) <= width
        browser.evaluate("window.scrollTo(0, 0)")
        browser.screenshot(SCREENSHOTS / f"pictures-{width}.png")


def test_pictures_in_dark_mode_and_on_paper(page_url: str):
    with Chromium(width=1280, height=900) as browser:
        browser.emulate_media(prefers_color_scheme="dark")
        browser.navigate(page_url)
        loaded_pictures(browser)
        caption = browser.evaluate(
            "getComputedStyle(document.querySelector('.image-caption')).color")
        assert caption == "rgb(235, 231, 223)"  # the dark theme's text colour
        browser.evaluate("window.scrollTo(0, 0)")
        browser.screenshot(SCREENSHOTS / "pictures-dark.png", full_page=False)
        browser.call("Emulation.setEmulatedMedia", media="print")
        assert browser.evaluate(
            "getComputedStyle(document.querySelector('figure.image')).breakInside") == "avoid"


def test_the_home_page_shows_the_lead_picture_beside_its_teaser(page_url: str):
    home = page_url.replace(f"/{SLUG}/index.html", "/index.html")
    with Chromium(width=1280, height=900) as browser:
        browser.navigate(home)
        ((source, natural, shown),) = loaded_pictures(browser)
        assert f"{SLUG}/images/street-" in str(source) and int(str(shown)) == 176  # 11rem
        assert str(source).endswith(".webp") and natural == shown
        browser.screenshot(SCREENSHOTS / "pictures-home.png", full_page=False)
