"""``explainer serve`` end to end, without a browser: real process, real websocket."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import time
import urllib.request
from pathlib import Path

import pytest
from PIL import Image

from conftest import FIXTURES, REPO, TEMPLATES, run_cli
from imagemaker import picture
from serve_support import (
    LiveReloadClient,
    ServeProcess,
    free_port,
    http_get,
    minimal_copy,
    raw_get,
    serving,
    touch_edit,
    worker_pids,
)

ARTICLE = "content/sample-explainer/article.md"
PAGE = "sample-explainer/index.html"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return minimal_copy(tmp_path)


def set_article(project: Path, words: str) -> None:
    touch_edit(project / ARTICLE, f"## Sample headline\n\n{words} [@sample-report].\n\n"
                                  "Background: [@sample-history].\n")


def test_every_reload_comes_after_the_new_page_is_in_place(project: Path):
    with serving(project) as server:
        status, page = http_get(server.url(PAGE))
        assert status == 200 and "livereload.js" in page
        client = LiveReloadClient(server.port)
        try:
            for number in range(1, 6):
                set_article(project, f"Edit number {number} is here")
                assert client.wait_reload()["path"] == "*"
                status, page = http_get(server.url(PAGE))
                assert f"Edit number {number} is here" in page, f"stale page after edit {number}"
        finally:
            client.close()
        time.sleep(0.3)
        settled = len(server.rebuild_lines())
        time.sleep(1)
        assert len(server.rebuild_lines()) == settled  # writing site/ never triggers a rebuild


def test_editors_that_save_by_renaming_a_temp_file_are_seen(project: Path):
    with serving(project) as server:
        client = LiveReloadClient(server.port)
        try:
            article = project / ARTICLE
            temp = article.with_name(".article.md.swp")
            temp.write_text("## Sample headline\n\nSaved the vim way [@sample-report].\n\n"
                            "Background: [@sample-history].\n")
            temp.replace(article)
            client.wait_reload()
            assert "Saved the vim way" in http_get(server.url(PAGE))[1]
        finally:
            client.close()


def test_a_search_and_replace_over_many_files_is_one_or_two_rebuilds(project: Path):
    content = project / "content"
    for number in range(9):
        shutil.copytree(content / "sample-explainer", content / f"copy-{number}")
    with serving(project) as server:
        client = LiveReloadClient(server.port)
        try:
            before = len(server.rebuild_lines())
            edited = 0
            for path in sorted(content.rglob("*.yaml")) + sorted(content.rglob("*.md")):
                text = path.read_text()
                if "Sample" in text:
                    touch_edit(path, text.replace("Sample", "Example"))
                    edited += 1
            assert edited >= 50
            assert 1 <= client.reloads_within(4) <= 2
        finally:
            client.close()
        time.sleep(0.5)
        assert 1 <= len(server.rebuild_lines()) - before <= 2, server.output
        assert "Example News" in http_get(server.url("copy-8/index.html"))[1]


def test_a_burst_of_saves_is_coalesced_and_ends_on_the_last_edit(project: Path):
    with serving(project) as server:
        client = LiveReloadClient(server.port)
        try:
            before = len(server.rebuild_lines())
            for number in range(20):
                set_article(project, f"Burst edit {number}")
            reloads = client.reloads_within(3)
        finally:
            client.close()
        time.sleep(0.5)  # the last terminal line may still be on its way
        rebuilds = len(server.rebuild_lines()) - before
        assert 1 <= rebuilds <= 2, server.output
        assert 1 <= reloads <= 2
        assert "Burst edit 19" in http_get(server.url(PAGE))[1]


def test_broken_content_keeps_the_last_good_site_and_shows_the_errors(project: Path):
    timeline = project / "content/sample-explainer/timeline.yaml"
    good = timeline.read_text()
    with serving(project) as server:
        client = LiveReloadClient(server.port)
        try:
            touch_edit(timeline, good.replace("title: Before", 'title: "Before <b>'))
            client.wait_reload()
            status, page = http_get(server.url(PAGE))
            assert status == 200
            assert "The sample happens" in page  # the last good build is still served
            assert 'id="explainer-build-error"' in page
            assert "content/sample-explainer/timeline.yaml:3:12: unclosed quote" in page
            assert "<b>" not in page.split('id="explainer-build-error"')[1]  # escaped
            server.wait_output("build failed with 1 error")
            server.wait_output("timeline.yaml:3:12: unclosed quote")
            touch_edit(timeline, good)
            client.wait_reload()
            assert 'id="explainer-build-error"' not in http_get(server.url(PAGE))[1]
        finally:
            client.close()


def test_template_and_config_changes_are_picked_up(project: Path):
    with serving(project) as server:
        client = LiveReloadClient(server.port)
        try:
            sources = project / "templates/partials/sources.html"
            touch_edit(sources, sources.read_text().replace("Numbers in square brackets",
                                                            "Our numbers"))
            client.wait_reload()
            assert "Our numbers" in http_get(server.url(PAGE))[1]
            config = project / "content/site.yaml"
            touch_edit(config, config.read_text().replace("Test Explainers", "Renamed Site"))
            client.wait_reload()
            assert "Renamed Site" in http_get(server.url())[1]
        finally:
            client.close()


def test_a_changed_picture_is_rebuilt_and_its_new_variants_served(project: Path):
    shutil.copytree(FIXTURES / "pictures-explainer", project / "content/pictures-explainer")
    drawing = project / "content/pictures-explainer/images/drawing.png"
    page_path = "pictures-explainer/index.html"
    variant = re.compile(r'src="(images/drawing-(\d+)\.[0-9a-f]{10}\.png)"')
    with serving(project) as server:
        client = LiveReloadClient(server.port)
        try:
            old = variant.search(http_get(server.url(page_path))[1])
            assert old is not None and old[2] == "960"
            before = drawing.stat().st_mtime_ns
            drawing.write_bytes(picture("png", 700, 400, metadata=False))
            os.utime(drawing, ns=(before + 1_000_000, before + 1_000_000))
            client.wait_reload()
            new = variant.search(http_get(server.url(page_path))[1])
            assert new is not None and new[2] == "700"
            with urllib.request.urlopen(server.url(f"pictures-explainer/{new[1]}")) as reply:
                assert reply.headers["Content-Type"] == "image/png"
                assert Image.open(io.BytesIO(reply.read())).size == (700, 400)
            # a page loaded before the swap still gets its picture, for one generation
            assert http_get(server.url(f"pictures-explainer/{old[1]}"))[0] == 200
            assert not (project / "site" / "pictures-explainer" / old[1]).exists()
            server.wait_output("pictures-explainer/images/drawing.png changed: rebuilt "
                               "pictures-explainer")
            drawing.write_bytes(picture("png", 600, 400, metadata=False))
            os.utime(drawing, ns=(before + 2_000_000, before + 2_000_000))
            client.wait_reload()
            assert variant.search(http_get(server.url(page_path))[1])[2] == "600"
            assert http_get(server.url(f"pictures-explainer/{old[1]}"))[0] == 404  # and gone
        finally:
            client.close()


def test_unknown_paths_get_the_sites_404_page_and_escapes_are_refused(project: Path):
    secret = project.parent / "secret.txt"
    secret.write_text("do not serve")
    with serving(project) as server:
        status, page = http_get(server.url("no/such/page/"))
        assert status == 404
        assert "Page not found" in page and "livereload.js" in page
        assert http_get(f"http://127.0.0.1:{server.port}/")[0] == 200  # redirected to /news/
        (project / "site" / "link.txt").symlink_to(secret)
        for target in ("/news/../../secret.txt", "/news/%2e%2e/%2e%2e/secret.txt",
                       "/news/..%2f..%2fsecret.txt", "/news/%2e%2e%2fsecret.txt",
                       "/news/link.txt", "/news/..%5c..%5csecret.txt", "/news/%00",
                       "/../../etc/passwd", "//etc/passwd"):
            assert raw_get(server.port, target) in (403, 404), target


def test_a_taken_port_with_strict_port_exits_2(project: Path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        server = ServeProcess(project, port)
        code = server.process.wait(timeout=30)
        server.stop()
    assert code == 2
    assert f"port {port} on 127.0.0.1 is already in use" in server.output


def test_a_taken_port_without_strict_port_moves_on(project: Path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        server = ServeProcess(project, port, strict=False)
        try:
            server.wait_ready()
            line = next(line for line in server.lines if line.startswith("serving http"))
            used = int(line.split(":")[2].split("/")[0])
            assert used != port
            assert f"port {port} is in use; using {used}" in server.output
            assert http_get(f"http://127.0.0.1:{used}/news/")[0] == 200
        finally:
            server.stop()


def test_ctrl_c_stops_everything_and_leaves_no_temp_folders(project: Path):
    server = ServeProcess(project, free_port())
    server.wait_ready()
    assert worker_pids(project)
    set_article(project, "One more edit")
    time.sleep(0.3)
    assert server.stop(signal.SIGINT) == 0
    assert server.output.rstrip().endswith("stopped")
    deadline = time.monotonic() + 5
    while worker_pids(project) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert worker_pids(project) == []
    # only the spare stays: the next build or preview brings it up to date
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] in ([], [
        ".site.spare"])


def test_generator_code_changes_apply_live_and_a_crash_never_stops_the_server(project: Path):
    shutil.copytree(REPO / "generator", project / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    markup = project / "generator" / "render" / "extension.py"
    good = markup.read_text()
    with serving(project) as server:
        client = LiveReloadClient(server.port)
        try:
            touch_edit(markup, good.replace(
                '    return f\'<sup class="cite">[{", ".join(links)}]</sup>\'',
                "    raise RuntimeError('deliberate failure for the test')"))
            client.wait_reload(timeout=30)
            status, page = http_get(server.url(PAGE))
            assert status == 200 and "The sample happens" in page
            assert "Internal error in the generator" in page
            assert "RuntimeError: deliberate failure for the test" in page
            server.wait_output("generator crashed")
            touch_edit(markup, good.replace('<sup class="cite">[', '<sup class="cite">[§'))
            client.wait_reload(timeout=30)
            status, page = http_get(server.url(PAGE))
            assert "Internal error" not in page
            assert '<sup class="cite">[§<a' in page  # the new code is running
        finally:
            client.close()


def test_binding_beyond_loopback_is_warned_about():
    from generator.preview.serve import network_warning

    assert network_warning("127.0.0.1") is None
    assert network_warning("localhost") is None
    assert "reachable from other machines" in (network_warning("0.0.0.0") or "")


def test_serve_refuses_a_folder_that_build_refuses_and_the_file_survives(project: Path):
    """One write path: the preview never replaces what explainer build would refuse to."""
    site = project / "site"
    site.mkdir()
    (site / "precious.txt").write_text("a writer's own file")
    built = run_cli("build", cwd=project)
    assert built.code == 1
    refusal = next(line for line in built.err.splitlines() if "refusing" in line)
    server = ServeProcess(project, free_port())
    try:
        assert server.process.wait(timeout=30) == 1
    finally:
        server.stop()
    assert refusal in server.output.splitlines()
    assert [p.name for p in site.iterdir()] == ["precious.txt"]
    assert (site / "precious.txt").read_text() == "a writer's own file"
    assert not list(project.glob(".site.*"))


def test_the_preview_shows_drafts_marked_unless_asked_not_to(tmp_path: Path):
    root = tmp_path / "newsroom"
    shutil.copytree(FIXTURES / "newsroom", root)
    shutil.copytree(TEMPLATES, root / "templates")
    with serving(root, "--today", "2026-12-02") as server:
        status, page = http_get(server.url("gamma-draft/index.html"))
        assert status == 200 and 'class="draft-banner"' in page
        assert '<meta name="robots" content="noindex">' in page
        client = LiveReloadClient(server.port)
        try:  # publishing the draft: its page, topic and author pages follow
            draft = root / "content" / "gamma-draft" / "explainer.yaml"
            touch_edit(draft, draft.read_text().replace("draft: true\n", ""))
            client.wait_reload()
            status, page = http_get(server.url("gamma-draft/index.html"))
            assert status == 200 and "draft-banner" not in page
            assert "Draft" not in http_get(server.url("topics/borders/index.html"))[1]
        finally:
            client.close()
    with serving(root, "--today", "2026-12-02", "--no-drafts") as server:
        assert http_get(server.url("delta-scheduled/index.html"))[0] == 404
        assert "Delta" not in http_get(server.url("index.html"))[1]
