"""The real explainer page in headless Chromium: it fits every screen, works from disk, in
dark mode, in print and by keyboard. Screenshots go to tests/screenshots/ (or
$EXPLAINER_SCREENSHOTS) for a person to look at.
"""

from __future__ import annotations

import itertools

import pytest

from generator.pipeline import Project, build

from chromium import SCREENSHOTS, Chromium, browser_tests_mark
from realsite import PROJECT

SLUG = "afghanistan-tajikistan-2021"
pytestmark = browser_tests_mark()


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("browser") / "site"
    build(Project(PROJECT / "content", PROJECT / "templates", out))
    return (out / SLUG / "index.html").as_uri()


VISIBLE = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) return false;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
    && style.display !== 'none';
}"""


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_page_fits_the_screen_and_shows_timeline_and_figures(page_url: str, width: int):
    with Chromium(width=width, height=900) as browser:
        browser.navigate(page_url)
        assert browser.evaluate("document.readyState") == "complete"
        overflow = browser.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow == 0, f"horizontal scrolling at {width}px ({overflow}px too wide)"
        for selector in ("#timeline .event", "#key-figures .figure-card", ".ed-note",
                         "#sources li"):
            assert browser.evaluate(f"({VISIBLE})({selector!r})"), selector
        assert browser.evaluate(
            "getComputedStyle(document.querySelector('.figure-card')).borderTopWidth") == "4px", \
            "the stylesheet did not load"
        browser.screenshot(SCREENSHOTS / f"explainer-{width}.png")


def test_opened_from_disk_every_page_has_its_styles_and_working_links(page_url: str):
    home = page_url.replace("/afghanistan-tajikistan-2021/index.html", "/index.html")
    with Chromium(width=1280, height=900) as browser:
        browser.navigate(home)
        assert browser.evaluate(
            "getComputedStyle(document.querySelector('.site-name')).textTransform") == \
            "uppercase", "the stylesheet did not load from disk"
        href = browser.evaluate(
            f"document.querySelector('.explainer-teaser a[href$=\"{SLUG}/index.html\"]').href")
        assert href == page_url
        browser.navigate(href)
        assert browser.evaluate("document.querySelector('h1').innerText").startswith("Why more")
        browser.screenshot(SCREENSHOTS / "home-1280.png", full_page=False)


def test_dark_mode_and_print_styles_apply(page_url: str):
    with Chromium(width=1280, height=900) as browser:
        browser.emulate_media(prefers_color_scheme="dark")
        browser.navigate(page_url)
        background = browser.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(21, 21, 21)"
        browser.screenshot(SCREENSHOTS / "explainer-dark.png", full_page=False)
        browser.call("Emulation.setEmulatedMedia", media="print")
        assert browser.evaluate("getComputedStyle(document.querySelector('.toc')).display") == \
            "none"
        assert browser.evaluate("getComputedStyle(document.body).backgroundColor") == \
            "rgb(255, 255, 255)"


def test_skip_link_is_first_and_reaches_the_content_by_keyboard(page_url: str):
    with Chromium(width=1280, height=900) as browser:
        browser.navigate(page_url)
        browser.call("Input.dispatchKeyEvent", type="keyDown", key="Tab", code="Tab",
                     windowsVirtualKeyCode=9)
        browser.call("Input.dispatchKeyEvent", type="keyUp", key="Tab", code="Tab",
                     windowsVirtualKeyCode=9)
        assert browser.evaluate("document.activeElement.className") == "skip-link"
        assert browser.evaluate(
            "document.activeElement.getBoundingClientRect().top >= 0"), "skip link stays hidden"




MAP_DRAWN = """(variant) => {
  const svg = document.querySelector(`#map-border-crossings svg.map-${variant}`);
  if (getComputedStyle(svg).display === 'none') return null;
  const view = svg.viewBox.baseVal;
  const texts = [...svg.querySelectorAll('text')].map((t) => {
    const b = t.getBBox();
    return [t.textContent, b.x, b.y, b.x + b.width, b.y + b.height];
  });
  const markers = [...svg.querySelectorAll('circle')].map(
    (c) => [c.cx.baseVal.value, c.cy.baseVal.value, c.r.baseVal.value]);
  const place = svg.querySelector('.map-label-place');
  const pixels = parseFloat(getComputedStyle(place).fontSize) * svg.getScreenCTM().a;
  return {width: view.width, height: view.height, texts, markers, pixels};
}"""


@pytest.mark.parametrize(("width", "variant"), [(320, "narrow"), (375, "narrow"),
                                                (1280, "wide")])
def test_map_labels_never_overlap_as_the_browser_draws_them(page_url: str, width: int,
                                                            variant: str):
    """Measured in the browser with its real fonts, not with the layout's estimates."""
    with Chromium(width=width, height=900) as browser:
        browser.navigate(page_url)
        drawn = browser.evaluate(f"({MAP_DRAWN})({variant!r})")
        assert drawn is not None, f"the {variant} map is not the one shown at {width}px"
        texts = drawn["texts"]
        for name, x0, y0, x1, y1 in texts:
            assert x0 >= 0 and x1 <= drawn["width"] and y0 >= 0 and y1 <= drawn["height"], name
            for cx, cy, r in drawn["markers"]:
                assert x1 <= cx - r or x0 >= cx + r or y1 <= cy - r or y0 >= cy + r, name
        for a, b in itertools.combinations(texts, 2):
            apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert apart, (a[0], b[0])
        assert drawn["pixels"] >= 9, f"labels {drawn['pixels']:.1f}px on screen at {width}px"
        browser.evaluate("document.getElementById('map-border-crossings').scrollIntoView()")
        browser.screenshot(SCREENSHOTS / f"map-{width}.png", full_page=False)


def test_every_explainer_with_its_charts_fits_a_320px_phone(page_url: str):
    """The charts draw with percentages across and pixels down: nothing may overflow."""
    site = page_url.rsplit("/", 2)[0]
    slugs = [p.name for p in (PROJECT / "content").iterdir() if p.is_dir()]
    with Chromium(width=320, height=800) as browser:
        for slug in sorted(slugs):
            browser.navigate(f"{site}/{slug}/index.html")
            overflow = browser.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow == 0, f"{slug}: {overflow}px too wide at 320px"
            for svg in browser.evaluate("[...document.querySelectorAll('svg.chart-svg')]"
                                        ".map((s) => s.getBoundingClientRect().width)"):
                assert 0 < svg <= 320
