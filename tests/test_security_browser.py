"""No known payload runs, in headless Chromium: not in the sanitiser's output on a page
without any Content-Security-Policy, and not in ``serve``, whose policy is relaxed for its
reload script (which must still work). Encoded script links, raw-HTML tricks and event
handlers are rendered with ``allow_raw_html: true``, bypassing validation (which refuses
them): the renderer's own guarantee is what is tested."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from test_security import RAW_HTML_PAYLOADS

from generator.render.markup import MarkdownConverter

from chromium import Chromium, browser_tests_mark
from conftest import FIXTURES, TEMPLATES
from serve_support import serving

pytestmark = browser_tests_mark()

MORE_PAYLOADS = (
    "[hex](jav&#x61;script:window.__xss=21)", "[named](javascript&colon;window.__xss=22)",
    "[decimal](&#106;avascript:window.__xss=23)", "[tab](java\tscript:window.__xss=24)",
    "[ref][r]\n\n[r]: &#x6A;avascript:window.__xss=25",
    '<a href="javascript:document.title=\'owned\'">title</a>',
    "<img src=x onerror=\"document.title='owned'\">", "<svg><script>window.__xss=26</script>",
    '<object data="javascript:window.__xss=27"></object>', "<embed src=javascript:alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=28">',
    "<base href=javascript:/>", '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    "<p style=\"background:url(javascript:window.__xss=29)\">s</p>",
)
PROVOKE = """(async () => {
  for (const el of document.querySelectorAll('a, button, details, summary, img, svg, p')) {
    const types = el.tagName === 'A' ? ['mouseover', 'focus'] : ['mouseover', 'focus', 'click'];
    for (const type of types) {
      try { el.dispatchEvent(new MouseEvent(type, {bubbles: true})); } catch (e) {}
    }
    // follow every link that could run something; ordinary ones would only navigate away
    const ordinary = el.tagName === 'A' && ['http:', 'https:', 'file:'].includes(el.protocol);
    try { if (el.tagName === 'A' && !ordinary) el.click(); } catch (e) {}
  }
  await new Promise((done) => setTimeout(done, 400));
  return [typeof window.__xss, document.title];
})()"""


def hostile_html() -> str:
    text = "\n\n".join(RAW_HTML_PAYLOADS + MORE_PAYLOADS)
    return MarkdownConverter(allow_raw_html=True).convert(text)


def test_the_sanitised_payloads_run_nothing_even_without_a_policy(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>unchanged</title>'
                    f"</head><body>{hostile_html()}</body></html>", encoding="utf-8")
    with Chromium(width=900, height=700) as browser:
        browser.navigate(page.as_uri())
        time.sleep(0.3)
        assert browser.evaluate(PROVOKE) == ["undefined", "unchanged"]


def test_no_payload_runs_in_the_preview_and_its_reload_script_still_does(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    shutil.copytree(TEMPLATES, project / "templates")
    config = project / "content" / "site.yaml"
    config.write_text(config.read_text() + "allow_raw_html: true\n")
    with serving(project) as server, Chromium(width=900, height=700) as browser:
        built = project / "site" / "sample-explainer" / "index.html"
        html = built.read_text(encoding="utf-8")
        browser.navigate(server.url("sample-explainer/index.html"))
        title = browser.evaluate("document.title")
        (built.parent / "hostile.html").write_text(
            html.replace("<main", hostile_html() + "<main", 1), encoding="utf-8")
        browser.navigate(server.url("sample-explainer/hostile.html"))
        deadline = time.monotonic() + 20
        while not browser.evaluate("!!(window.LiveReload && "
                                   "window.LiveReload.connector._isSocketConnected())"):
            assert time.monotonic() < deadline, "the reload script did not run under the CSP"
            time.sleep(0.05)
        assert browser.evaluate(PROVOKE) == ["undefined", title]
    assert "Traceback" not in server.output
