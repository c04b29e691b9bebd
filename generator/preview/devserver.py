"""The live preview's web side, and the only module that knows livereload and Tornado.

livereload serves the files, injects its script before ``</head>`` and holds the browsers'
websockets. It does not decide when to reload: its own watcher polls every 800 ms and drops
reloads within 3 s of each other, so it is switched off, and ``reload()`` is called once,
after a new site is completely in place (see shared notes on livereload 2.7.1).
"""

from __future__ import annotations

import asyncio
import errno
import logging
import mimetypes
import re
import signal
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, TypeVar

from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from tornado import web
from tornado.ioloop import IOLoop

from generator.preview.livehttp import (
    LOG,
    PreviewApplicationServer,
    one_line,
    preview_policy,
    script_hash,
)

T = TypeVar("T")

_FINGERPRINTED = re.compile(r"\.[0-9a-f]{10}\.[A-Za-z0-9]+$")
"""Names with a content hash ('style.25dc03c403.css'), which a newer site may not have."""
_CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


@dataclass
class PreviewState:
    """What the handlers serve: the site folder, where it is mounted, the last build error."""

    root: Path
    base_path: str = "/"
    errors: tuple[str, ...] = ()
    title: str = "Build failed"
    script_hash: str = "sha256-"  # of livereload's injected snippet, once it is known
    spare: Path | None = None  # the previous site, whose fingerprinted files stay reachable


class _NoPolling(Watcher):
    """livereload's watcher, never started: file events come from our own watcher."""

    def start(self, callback: Callable[[], None]) -> bool:
        return True

    def examine(self) -> tuple[None, None]:
        return None, None


def error_panel(state: PreviewState) -> str:
    """The panel every open page shows while the last build failed; all text escaped."""
    if not state.errors:
        return ""
    items = "".join(f'<li style="margin:0 0 .35em">{escape(line)}</li>' for line in state.errors)
    return (
        '<div id="explainer-build-error" role="alert" style="position:fixed;z-index:2147483647;'
        "left:0;right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;padding:14px 18px 10px;"
        "background:#fff4f4;color:#4d0000;border-top:5px solid #b3001b;"
        "box-shadow:0 -6px 24px rgba(0,0,0,.25);font:14px/1.45 ui-monospace,SFMono-Regular,"
        'Menlo,Consolas,monospace;text-align:left">'
        f'<p style="margin:0 0 .6em;font:700 15px/1.4 system-ui,sans-serif">{escape(state.title)}'
        " — you are seeing the last good build. Fix the problems below and save; this panel "
        "goes away by itself.</p>"
        f'<ol style="margin:0;padding-left:1.6em;white-space:pre-wrap;overflow-wrap:anywhere">'
        f"{items}</ol></div>"
    )


def _fallback_page(title: str) -> str:
    """A page with a <head>, so livereload injects its script and it reloads too."""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
            '</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f'<body style="font:16px/1.5 system-ui,sans-serif;margin:2rem"><h1>{escape(title)}'
            "</h1></body></html>")


def _make_handler(state: PreviewState) -> type[StaticFileHandler]:
    class SiteHandler(StaticFileHandler):
        """Serves the site at its base path; HTML passes through here for the error panel."""

        def set_extra_headers(self, path: str) -> None:
            self.set_header("Cache-Control", "no-store")

        def _relative(self, path: str) -> str | None:
            """The file path inside the site for a URL path, or None when outside the mount."""
            full = "/" + path
            if state.base_path == "/":
                return path
            if full.startswith(state.base_path):
                return full[len(state.base_path):]
            return None

        def _html_file(self, rel: str) -> Path | None:
            root = state.root.resolve()
            try:
                target = (state.root / rel).resolve()
            except RuntimeError:  # Python 3.11 reports a symlink loop this way
                raise OSError(errno.ELOOP, "a symbolic link loop") from None
            if not target.is_relative_to(root):
                raise web.HTTPError(403)
            if target.is_dir():
                if rel and not rel.endswith("/"):
                    return None  # Tornado redirects '/dir' to '/dir/'
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                return target
            return None

        def _send_html(self, html: str, include_body: bool = True) -> None:
            html = _CSP_META.sub(
                f'<meta http-equiv="Content-Security-Policy" '
                f'content="{preview_policy(state.script_hash)}">', html)
            panel = error_panel(state)
            if panel:
                html = html.replace("</body>", panel + "</body>", 1) if "</body>" in html \
                    else html + panel
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            if include_body:
                self.finish(html.encode("utf-8"))
            else:
                self.finish()

        async def get(self, path: str, include_body: bool = True) -> None:
            try:
                await self._get(path, include_body)
            except OSError as exc:  # a name too long, a symlink loop: not a page of the site
                LOG.warning("refused GET %s: %s (404)", one_line("/" + path, 80),
                            exc.strerror or exc)
                raise web.HTTPError(404) from None

        def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
            """One line in the terminal, never a traceback, for whatever a client sends."""
            if isinstance(value, web.HTTPError):
                return
            LOG.warning("error answering %s %s: %s", self.request.method,
                        one_line(self.request.uri or "", 80), one_line(repr(value), 120))

        async def _get(self, path: str, include_body: bool) -> None:
            if "\x00" in path:
                raise web.HTTPError(404)
            rel = self._relative(path)
            if rel is None:
                if ("/" + path).rstrip("/") + "/" == state.base_path or path == "":
                    self.redirect(state.base_path)
                    return
                raise web.HTTPError(404)
            html_file = self._html_file(rel)
            if html_file is not None:
                self._send_html(html_file.read_text(encoding="utf-8"), include_body)
                return
            if not state.root.is_dir():  # the very first build failed: show why
                self._send_html(_fallback_page("No site built yet"), include_body)
                return
            previous = self._previous_asset(rel)
            if previous is not None:
                self.set_header("Content-Type", self.get_content_type_for(previous))
                self.set_header("Cache-Control", "no-store")
                self.finish(previous.read_bytes() if include_body else b"")
                return
            await super().get(rel, include_body)

        def _previous_asset(self, rel: str) -> Path | None:
            """A fingerprinted file the last swap removed ('assets/style.<hash>.css'), from
            the previous site (kept as the spare): a page loaded just before a swap still
            gets its stylesheet and pictures."""
            if state.spare is None or not _FINGERPRINTED.search(rel) or \
                    (state.root / rel).exists():
                return None
            root = state.spare.resolve()
            kept = (state.spare / rel).resolve()
            return kept if kept.is_relative_to(root) and kept.is_file() else None

        def get_content_type_for(self, path: Path) -> str:
            return mimetypes.guess_type(path.name)[0] or "application/octet-stream"

        def compute_etag(self) -> str | None:
            return None  # always a fresh 200: the preview must never show a cached page

        def write_error(self, status_code: int, **kwargs: Any) -> None:
            not_found = state.root / "404.html"
            if status_code == 404 and not_found.is_file():
                self._send_html(not_found.read_text(encoding="utf-8"))
                return
            reason = "Not found" if status_code == 404 else "Forbidden" if status_code == 403 \
                else "Error"
            self._send_html(_fallback_page(f"{status_code} {reason}"))

    return SiteHandler


def port_in_use(host: str, port: int) -> bool:
    """Bind the way Tornado will, so 'free' means Tornado can have it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
            raise
    return False


class PreviewServer:
    """HTTP, livereload's websocket and script, on one port; runs on the current thread."""

    def __init__(self, state: PreviewState) -> None:
        self.state = state
        # livereload keeps its browsers in class attributes: start from a clean slate.
        LiveReloadHandler.waiters = set()
        LiveReloadHandler._last_reload_time = None
        logging.getLogger("tornado.access").setLevel(logging.ERROR)  # 404s are not news
        self._server = PreviewApplicationServer(_NoPolling(), self._note_script)
        LiveReloadHandler.watcher = self._server.watcher
        self._server.SFH = _make_handler(state)
        self._server.root = str(state.root)
        self._server.default_filename = "index.html"
        self._loop: IOLoop | None = None

    def _note_script(self, snippet: bytes) -> None:
        self.state.script_hash = script_hash(snippet)

    def listen(self, host: str, port: int) -> None:
        """Start listening (raises OSError with EADDRINUSE when the port is taken)."""
        self._loop = IOLoop.current()
        self._server.application(port, host, live_css=False)

    def reload(self) -> None:
        """Tell every open page to reload: called only once a new site is in place."""
        if LiveReloadHandler.waiters:
            LiveReloadHandler.reload_waiters("*")

    def call_soon(self, callback: Callable[..., object], *args: object) -> None:
        """Run ``callback`` on the server's thread; safe to call from any thread."""
        assert self._loop is not None
        self._loop.add_callback(callback, *args)

    def in_thread(self, function: Callable[..., T], *args: object) -> Awaitable[T]:
        assert self._loop is not None
        return self._loop.run_in_executor(None, function, *args)

    def spawn(self, coroutine: Callable[[], Awaitable[None]]) -> None:
        assert self._loop is not None
        self._loop.spawn_callback(coroutine)

    def run(self) -> None:
        """Serve until ``stop()`` or SIGINT/SIGTERM (Ctrl-C ends the preview cleanly)."""
        assert self._loop is not None
        loop = self._loop.asyncio_loop  # type: ignore[attr-defined]
        signals: tuple[signal.Signals, ...] = (signal.SIGINT, signal.SIGTERM)
        try:
            # asyncio's handlers wake the loop even when another thread got the signal
            for number in signals:
                loop.add_signal_handler(number, self.stop)
        except (NotImplementedError, RuntimeError):  # Windows
            signals = ()
        try:
            self._loop.start()
        finally:
            for number in signals:
                loop.remove_signal_handler(number)

    def stop(self) -> None:
        """Stop the loop; safe from signal handlers and other threads."""
        if self._loop is not None:
            self._loop.add_callback(self._loop.stop)

    def close(self) -> None:
        if self._loop is not None:
            for task in asyncio.all_tasks(self._loop.asyncio_loop):  # type: ignore[attr-defined]
                task.cancel()
            self._loop.close(all_fds=True)
            self._loop = None
