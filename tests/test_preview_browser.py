"""The live preview in headless Chromium: the open page follows edits and shows errors."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from chromium import SCREENSHOTS, Chromium, browser_tests_mark
from conftest import FIXTURES, TEMPLATES
from serve_support import serving, touch_edit

pytestmark = browser_tests_mark()


def wait_for(browser: Chromium, expression: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if browser.evaluate(expression):
                return
        except RuntimeError:
            pass  # the page is reloading
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {expression}")


def test_live_preview_updates_the_open_page_and_shows_errors(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    shutil.copytree(TEMPLATES, project / "templates")
    article = project / "content" / "sample-explainer" / "article.md"
    timeline = project / "content" / "sample-explainer" / "timeline.yaml"
    good_timeline = timeline.read_text()
    with serving(project) as server, Chromium(width=1000, height=800) as browser:
        browser.navigate(server.url("sample-explainer/index.html"))
        wait_for(browser, "window.LiveReload && window.LiveReload.connector._isSocketConnected()")
        browser.evaluate("window.__notReloaded = true")
        touch_edit(article, article.read_text().replace("happened on a Monday",
                                                        "happened on a Tuesday, live"))
        wait_for(browser, "!window.__notReloaded && document.body.innerText.includes("
                          "'happened on a Tuesday, live')")
        browser.screenshot(SCREENSHOTS / "serve-after-edit.png", full_page=False)
        touch_edit(timeline, good_timeline.replace("title: Before", 'title: "Before'))
        wait_for(browser, "document.getElementById('explainer-build-error') !== null")
        panel = browser.evaluate("document.getElementById('explainer-build-error').innerText")
        assert "timeline.yaml:3:12: unclosed quote" in panel
        assert browser.evaluate("document.body.innerText.includes('happened on a Tuesday')")
        browser.screenshot(SCREENSHOTS / "serve-error-panel.png", full_page=False)
        touch_edit(timeline, good_timeline)
        wait_for(browser, "document.getElementById('explainer-build-error') === null && "
                          "document.readyState === 'complete'")
