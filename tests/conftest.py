"""Shared fixtures: small sites built from dicts in temp folders, and the CLI as a function."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.pipeline import Project
from generator.pool import POOL_THRESHOLD

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def minimal_project(tmp_path: Path) -> Project:
    """A copy of the minimal fixture site (content/ + seeds/) with the real templates."""
    shutil.copytree(FIXTURES / "minimal", tmp_path / "project")
    root = tmp_path / "project"
    return Project(root / "content", TEMPLATES, root / "site")


def pool_sized_project(tmp_path: Path) -> Project:
    """The minimal site with enough explainers for the worker pool to be used, its own
    templates and seeds, and a cache folder."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", root)
    shutil.copytree(TEMPLATES, root / "templates")
    content = root / "content"
    for number in range(POOL_THRESHOLD + 1):
        shutil.copytree(content / "sample-explainer", content / f"copy-{number}")
    return Project(content, root / "templates", root / "site", cache_dir=root / "cache")


def write_files(root: Path, files: dict[str, str]) -> None:
    for rel_path, text in files.items():
        path = root / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None) -> CliResult:
    """Run ``python -m generator`` as a user would, in a separate process."""
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd or REPO,
                          capture_output=True, text=True, timeout=120)
    return CliResult(done.returncode, done.stdout, done.stderr)


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-expected", action="store_true",
                     help="rewrite tests/cases/*/expected.txt from actual output (then review!)")


SECOND_EXPLAINER = FIXTURES / "second-explainer"


@pytest.fixture
def two_explainers(minimal_project: Project) -> Project:
    """The minimal site with a second, independent explainer beside the first."""
    shutil.copytree(SECOND_EXPLAINER, minimal_project.content_dir / "second-explainer")
    return minimal_project


def share_cards(files: dict[str, bytes], base_url: str) -> dict[str, tuple[int, int]]:
    """Each page's share card, checked against its metadata: page -> the card's size.

    Fails unless the page has og:image (with type, width, height and alt), twitter:image and
    a large-image Twitter card, all naming one PNG of this build, and (on explainer pages)
    the same PNG first in the JSON-LD's image list, with a publisher logo that exists.
    """
    import io
    import json
    import re

    from PIL import Image

    found = {}
    for page, content in sorted(files.items()):
        if not page.endswith(".html") or page == "404.html":
            continue
        html = content.decode()
        meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', html))
        url = meta["og:image"]
        assert url.startswith(base_url) and meta["twitter:image"] == url, page
        assert meta["twitter:card"] == "summary_large_image", page
        assert meta["og:image:type"] == "image/png" and meta["og:image:alt"].strip(), page
        with Image.open(io.BytesIO(files[url.removeprefix(base_url)])) as card:
            assert card.format == "PNG"
            assert card.size == (int(meta["og:image:width"]), int(meta["og:image:height"]))
            found[page] = card.size
        if '<script type="application/ld+json">' in html:
            data = json.loads(html.split('<script type="application/ld+json">')[1]
                              .split("</script>")[0])
            assert data["image"][0]["url"] == url, page
            logo = data["publisher"]["logo"]
            with Image.open(io.BytesIO(files[logo["url"].removeprefix(base_url)])) as image:
                assert image.size == (logo["width"], logo["height"])
    return found


class QuietHandler(SimpleHTTPRequestHandler):
    """A static host for tests: files from one folder, no log lines."""

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_host(folder: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler
                ) -> Iterator[str]:
    """Serve ``folder`` on loopback while the block runs; yields 'http://127.0.0.1:port'."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
