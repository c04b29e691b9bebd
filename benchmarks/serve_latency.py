"""Edit-to-reload latency of ``explainer serve``: median and worst of 10 edits.

Starts the real preview in a subprocess on loopback, connects as a livereload browser,
edits an article, and times from the save to the reload message (which is sent only after
the new site is in place), then checks the page already has the edit. Run:

    python benchmarks/serve_latency.py            # the real explainer and a 200-explainer site
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO / "tests"), str(HERE)]

from serve_support import LiveReloadClient, http_get, serving, touch_edit  # noqa: E402
from synthetic import make_site  # noqa: E402

EDITS = 10


def measure(project: Path, article: Path, page: str) -> list[float]:
    original = article.read_text(encoding="utf-8")
    timings = []
    with serving(project) as server:
        client = LiveReloadClient(server.port)
        try:
            for number in range(EDITS + 1):
                marker = f"Latency probe {number}."
                time.sleep(0.3)  # let the previous reload settle, as a writer would
                started = time.perf_counter()
                touch_edit(article, original + f"\n{marker}\n")
                client.wait_reload(timeout=30)
                elapsed = time.perf_counter() - started
                if marker not in http_get(server.url(page))[1]:
                    raise AssertionError(f"reload came before the edit was served: {marker}")
                if number:  # the first edit warms the build process's caches
                    timings.append(elapsed)
        finally:
            client.close()
            article.write_text(original, encoding="utf-8")
    return timings


def report(name: str, timings: list[float]) -> None:
    print(f"{name}: median {statistics.median(timings) * 1000:.0f} ms, "
          f"worst {max(timings) * 1000:.0f} ms over {len(timings)} edits")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="explainer-bench-") as temp:
        real = Path(temp) / "real"
        real.mkdir()
        for folder in ("content", "templates", "seeds"):
            shutil.copytree(REPO / folder, real / folder)
        slug = "afghanistan-tajikistan-2021"
        report("real explainer", measure(real, real / "content" / slug / "article.md",
                                         f"{slug}/index.html"))
        synthetic = make_site(Path(temp) / "synthetic", 200)
        slug = "synthetic-100"
        report("200-explainer site", measure(
            synthetic, synthetic / "content" / slug / "article.md", f"{slug}/index.html"))


if __name__ == "__main__":
    main()
