"""The preview's HTTP server: livereload's handlers and injected script, on a Tornado server
that stays polite under abuse.

livereload's own ``Server.application`` listens with Tornado's defaults: idle connections
are kept for an hour, there is no cap on open connections (so a flood of idle sockets runs
the process out of file descriptors), and a websocket message that is not JSON raises a
traceback. This builds the same application (pinned livereload 2.7.1) with: a cap on open
connections (answered with 503 beyond it), idle connections closed after a few seconds, and
malformed websocket messages ignored with one line in the terminal.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
from typing import Any

from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.iostream import IOStream, StreamClosedError

MAX_CONNECTIONS = 512
"""Open connections at once; well below the usual limit of 1,024 open files."""
IDLE_SECONDS = 10.0
"""A connection that sends nothing for this long is closed."""
LOG = logging.getLogger("explainer.preview")
_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
         b"Retry-After: 1\r\nConnection: close\r\nContent-Length: 40\r\n\r\n"
         b"Too many connections; try again shortly\n")


def one_line(text: str, limit: int = 120) -> str:
    """Client-supplied text, safe for one terminal line."""
    flat = "".join(c if c.isprintable() else "?" for c in text)
    return flat if len(flat) <= limit else flat[:limit] + "…"


def preview_policy(script_hash: str) -> str:
    """The preview's Content-Security-Policy: the site's own script files and livereload's one
    injected snippet, named by its hash; never 'unsafe-inline' for scripts, so a payload that
    got into a page still cannot run while it is previewed."""
    return ("default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
            f"script-src 'self' '{script_hash}'; connect-src 'self' ws: wss:; base-uri 'none'; "
            "form-action 'none'; object-src 'none'")


def script_hash(snippet: bytes) -> str:
    """'sha256-…' of an inline '<script>…</script>' snippet's text, as CSP names it."""
    body = snippet.decode("utf-8").split(">", 1)[1].rsplit("</script>", 1)[0]
    return "sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()


class SafeReloadHandler(LiveReloadHandler):
    """livereload's websocket, ignoring messages that are not its protocol's JSON."""

    def on_message(self, message: str | bytes) -> None:
        try:
            parsed = json.loads(message)
        except (ValueError, UnicodeDecodeError):
            parsed = None
        if not isinstance(parsed, dict) or not isinstance(parsed.get("command"), str):
            LOG.warning("ignored a websocket message that is not livereload's JSON: %s",
                        one_line(repr(message), 60))
            return
        super().on_message(message)


class CappedHTTPServer(HTTPServer):
    """Refuses connections beyond ``MAX_CONNECTIONS`` with a 503 instead of falling over."""

    def initialize(self, *args: Any, **kwargs: Any) -> None:  # Tornado's constructor hook
        super().initialize(*args, **kwargs)
        self._streams: set[IOStream] = set()
        self._refused = 0

    def handle_stream(self, stream: IOStream, address: tuple[str, int]) -> None:
        self._streams = {s for s in self._streams if not s.closed()}
        if len(self._streams) >= MAX_CONNECTIONS:
            self._refused += 1
            if self._refused in (1, 100, 1000, 10000):
                LOG.warning("%d open connections: refused %d with 503 until some close",
                            MAX_CONNECTIONS, self._refused)
            with contextlib.suppress(StreamClosedError):
                stream.write(_BUSY).add_done_callback(lambda _done: stream.close())
            return
        self._refused = 0
        self._streams.add(stream)
        super().handle_stream(stream, address)


class PreviewApplicationServer(Server):
    """livereload's server with the application built here; see the module's docstring."""

    def __init__(self, watcher: Any, on_script: Any) -> None:
        super().__init__(watcher=watcher)
        self._on_script = on_script

    def application(self, port: int, host: str, liveport: int | None = None,
                    debug: bool | None = None, live_css: bool = True) -> None:
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        script = (b'<script type="text/javascript">(function(){'
                  b'var s=document.createElement("script");'
                  b"var port=(window.location.port || (window.location.protocol == 'https:' "
                  b"? 443: 80));"
                  b's.src="//"+window.location.hostname+":"+port'
                  b'+ "/livereload.js?port=" + port;'
                  b"document.head.appendChild(s);"
                  b"})();</script>")
        self._on_script(script)

        class Transform(LiveScriptInjector):
            pass

        Transform.script = script
        handlers: list[Any] = [
            (r"/livereload", SafeReloadHandler), (r"/forcereload", ForceReloadHandler),
            (r"/livereload.js", LiveReloadJSHandler),
            (r"/(.*)", self.SFH, {"path": self.root or ".",
                                  "default_filename": self.default_filename})]
        app = web.Application(handlers=handlers, transforms=[Transform])
        server = CappedHTTPServer(app, idle_connection_timeout=IDLE_SECONDS,
                                  body_timeout=IDLE_SECONDS)
        server.listen(port, address=host)
