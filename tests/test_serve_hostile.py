"""The preview under a hostile or clumsy client: answered with 4xx or ignored, one line in the
terminal, never a traceback; a flood of idle sockets degrades politely and recovers; a
payload that got into a page cannot run there (the policy allows only the reload script).
Everything talks to 127.0.0.1 only, and every process started here is stopped."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import time
from pathlib import Path

import pytest

from serve_support import (
    LiveReloadClient,
    http_get,
    minimal_copy,
    raw_get,
    serving,
    touch_edit,
)
from wsclient import WebSocket


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return minimal_copy(tmp_path)


def test_the_preview_policy_allows_only_its_own_reload_script(project: Path):
    with serving(project) as server:
        status, page = http_get(server.url())
    assert status == 200
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)[1]
    script_src = re.search(r"script-src ([^;]*)", policy)[1]
    assert "unsafe-inline" not in policy.split("style-src")[0] + script_src
    snippet = re.search(r'<script type="text/javascript">(.*?)</script>', page, re.S)[1]
    digest = base64.b64encode(hashlib.sha256(snippet.encode()).digest()).decode()
    assert script_src.split() == ["'self'", f"'sha256-{digest}'"]


def test_long_segments_and_symlink_loops_are_4xx_with_one_line(project: Path):
    with serving(project) as server:
        site = project / "site"
        (site / "loop-a").symlink_to("loop-b")
        (site / "loop-b").symlink_to("loop-a")
        targets = ["/news/" + "a" * 300, "/news/" + "a" * 300 + "/index.html",
                   "/news/sample-explainer/" + "b" * 256 + ".html", "/news/loop-a",
                   "/news/loop-a/index.html", "/news/" + "c/" * 2000]
        for target in targets:
            assert 400 <= raw_get(server.port, target) < 500, target[:40]
        assert http_get(server.url())[0] == 200
        time.sleep(0.2)
    assert "Traceback" not in server.output
    refused = [line for line in server.lines if line.startswith("refused GET")]
    assert refused and all(len(line) < 200 for line in refused)


def test_malformed_websocket_frames_are_ignored(project: Path):
    with serving(project) as server:
        ws = WebSocket(f"ws://127.0.0.1:{server.port}/livereload", timeout=10)
        for junk in ("not json{", "[1, 2]", '"text"', "{}", '{"command": 5}', "\u00e9" * 5000):
            ws.send(junk)
        ws.send(json.dumps({"command": "hello",
                            "protocols": ["http://livereload.com/protocols/official-7"]}))
        assert json.loads(ws.receive())["command"] == "hello"  # the connection survived
        ws.close()
        time.sleep(0.2)
    assert "Traceback" not in server.output
    ignored = [line for line in server.lines if line.startswith("ignored a websocket message")]
    assert len(ignored) == 6 and all(len(line) < 200 for line in ignored)


def test_a_flood_of_idle_connections_degrades_politely_and_recovers(project: Path):
    with serving(project) as server:
        idle = [socket.create_connection(("127.0.0.1", server.port), timeout=10)
                for _ in range(600)]  # beyond the cap of 512
        try:
            started = time.monotonic()
            status, _page = http_get(server.url(), timeout=10)
            assert status in (200, 503)  # refused politely, never a hang
            assert time.monotonic() - started < 5
        finally:
            for sock in idle:
                sock.close()
        deadline = time.monotonic() + 10
        while http_get(server.url(), timeout=10)[0] != 200:
            assert time.monotonic() < deadline, "the preview did not recover"
            time.sleep(0.1)
    assert "Traceback" not in server.output
    assert sum("open connections" in line for line in server.lines) <= 4


def test_an_idle_connection_is_closed_after_its_timeout(project: Path):
    from generator.preview.livehttp import IDLE_SECONDS
    with serving(project) as server:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=IDLE_SECONDS + 10)
        started = time.monotonic()
        assert sock.recv(10) == b""  # the server hung up on a client that said nothing
        assert IDLE_SECONDS - 1 < time.monotonic() - started < IDLE_SECONDS + 5
        sock.close()


def test_a_page_loaded_before_a_swap_still_gets_its_stylesheet(project: Path):
    """The storm case: a page from the previous build links 'style.<old hash>.css', which the
    swap just replaced; the preview serves it from the previous site for one generation."""
    with serving(project) as server:
        page = http_get(server.url("sample-explainer/index.html"))[1]
        old = re.search(r'href="(\.\./assets/style\.[0-9a-f]{10}\.css)"', page)[1]
        client = LiveReloadClient(server.port)
        stylesheet = project / "templates" / "assets" / "style.css"
        touch_edit(stylesheet, stylesheet.read_text() + "\n/* a new rule */\n")
        client.wait_reload()
        client.close()
        new_page = http_get(server.url("sample-explainer/index.html"))[1]
        new = re.search(r'href="(\.\./assets/style\.[0-9a-f]{10}\.css)"', new_page)[1]
        assert new != old
        old_status, old_body = http_get(server.url("sample-explainer/" + old))
        new_status, new_body = http_get(server.url("sample-explainer/" + new))
        assert (old_status, new_status) == (200, 200)
        assert "a new rule" in new_body and "a new rule" not in old_body
        assert http_get(server.url("assets/style.0000000000.css"))[0] == 404
    assert "Traceback" not in server.output
