"""The live preview at scale: save-to-reload after an article edit and after a template edit."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "tests"), str(HERE)]

from corpus import lay_out_explainer, pages  # noqa: E402
from serve_support import LiveReloadClient, http_get, serving, touch_edit  # noqa: E402

EDITS = 10


def _edits(server_port: int, path: Path, changes: list[str], check: tuple[str, str] | None,
           server: object) -> list[float]:
    """Seconds from each save to the reload message, after which the page has the edit."""
    client = LiveReloadClient(server_port)
    timings = []
    try:
        for text in changes:
            time.sleep(0.3)  # let the previous reload settle, as a writer would
            started = time.perf_counter()
            touch_edit(path, text)
            client.wait_reload(timeout=300)
            timings.append(time.perf_counter() - started)
            if check is not None:
                page, marker = check
                url = server.url(page)  # type: ignore[attr-defined]
                if marker not in text or marker not in http_get(url)[1]:
                    raise AssertionError("reload came before the edit was served")
    finally:
        client.close()
    return timings


def serve_latency_lines(temp: Path, size: int) -> list[str]:
    project = lay_out_explainer(temp / f"serve-{size}", pages(size))
    slug = f"page-{size // 2:05d}"
    article = project / "content" / slug / "article.md"
    original = article.read_text()
    base = project / "templates" / "base.html"
    template = base.read_text()
    started = time.perf_counter()
    with serving(project, ready_within=600) as server:  # a cold first build of N pages
        first = time.perf_counter() - started
        edits = [original + f"\nLatency probe {n}.\n" for n in range(EDITS + 1)]
        article_times = _edits(server.port, article, edits, None, server)[1:]
        marker = "<!-- template edit -->"
        template_times = _edits(server.port, base, [template.replace(
            "</body>", f"{marker}{n}</body>") for n in range(3)], None, server)
        last = f"page-{size - 1:05d}/index.html"
        if marker not in http_get(server.url(last))[1]:
            raise AssertionError("the template edit did not reach the last page")
    return [
        f"\n### Live preview, N = {size:,}\n",
        f"- first build and serve: {first:.2f} s",
        f"- article edit → reload: median {statistics.median(article_times) * 1000:.0f} ms, "
        f"worst {max(article_times) * 1000:.0f} ms ({len(article_times)} edits)",
        f"- template edit → reload (every page rebuilt): median "
        f"{statistics.median(template_times):.2f} s ({len(template_times)} edits)",
    ]
