"""A small headless-Chromium driver over the DevTools protocol, standard library only.

Used by the browser tests and by ``python tests/chromium.py URL OUT.png`` for a quick look.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from wsclient import WebSocket

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--hide-scrollbars", "--mute-audio", "--disable-extensions",
)


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Chromium:
    """One headless browser with one page; always use as a context manager."""

    def __init__(self, width: int = 1280, height: int = 900) -> None:
        binary = find_chromium()
        if binary is None:
            raise RuntimeError("Chromium not found")
        self.profile = tempfile.mkdtemp(prefix="explainer-chromium-")
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-port=0",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.next_id = 0
        self.events: list[dict] = []
        try:
            self.ws = WebSocket(self._page_socket_url())
            self.call("Page.enable")
            self.call("Runtime.enable")
            self.resize(width, height)
        except BaseException:
            self.close()
            raise

    def _page_socket_url(self) -> str:
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if port_file.exists() and port_file.read_text().strip():
                port = port_file.read_text().split()[0]
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list",
                                            timeout=10) as response:
                    targets = json.load(response)
                pages = [t for t in targets if t.get("type") == "page"]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.05)
        raise TimeoutError("Chromium did not open its DevTools port")

    def call(self, method: str, **params: object) -> dict:
        self.next_id += 1
        request_id = self.next_id
        self.ws.send(json.dumps({"id": request_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.receive())
            if message.get("id") == request_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_event(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        self.ws.sock.settimeout(timeout)
        while time.monotonic() < deadline:
            for index, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(index)
            self.events.append(json.loads(self.ws.receive()))
        raise TimeoutError(method)

    def resize(self, width: int, height: int) -> None:
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=width < 600)

    def navigate(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> object:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise RuntimeError(details.get("exception", {}).get("description", str(details)))
        return result["result"].get("value")

    def emulate_media(self, **features: str) -> None:
        self.call("Emulation.setEmulatedMedia",
                  features=[{"name": k.replace("_", "-"), "value": v}
                            for k, v in features.items()])

    def screenshot(self, path: Path, full_page: bool = True) -> None:
        params: dict[str, object] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"],
                              "height": min(size["height"], 16000), "scale": 1}
        data = self.call("Page.captureScreenshot", **params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        ws = getattr(self, "ws", None)
        if ws is not None:
            with contextlib.suppress(OSError, ConnectionError, RuntimeError):
                self.call("Browser.close")
            ws.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


if __name__ == "__main__":  # python tests/chromium.py URL OUT.png [WIDTH] [dark|print]
    url, out = sys.argv[1], Path(sys.argv[2])
    width = int(sys.argv[3]) if len(sys.argv) > 3 else 1280
    with Chromium(width=width, height=900) as browser:
        if len(sys.argv) > 4 and sys.argv[4] == "dark":
            browser.emulate_media(prefers_color_scheme="dark")
        if len(sys.argv) > 4 and sys.argv[4] == "print":
            browser.call("Emulation.setEmulatedMedia", media="print")
        browser.navigate(url)
        print("scrollWidth", browser.evaluate("document.documentElement.scrollWidth"),
              "innerWidth", browser.evaluate("window.innerWidth"))
        browser.screenshot(out)


def browser_tests_mark() -> pytest.MarkDecorator:
    """Skip with a reason where Chromium is absent, but fail under CI=true: CI must run them."""
    if find_chromium() is None:
        if os.environ.get("CI") == "true":
            raise RuntimeError("CI=true but Chromium is not installed: browser tests must run "
                               "in CI (apt-get install chromium)")
        return pytest.mark.skip(reason="Chromium not installed (apt-get install chromium); "
                                       "browser tests skipped")
    return pytest.mark.browser


AXE = Path(os.environ.get("AXE_CORE", Path(__file__).resolve().parent.parent /
                          ".tools/node_modules/axe-core/axe.min.js"))


def axe_violations(browser: Chromium) -> object:
    """axe-core's violations on the page shown: [id, impact, count, first targets] each."""
    browser.evaluate(AXE.read_text(encoding="utf-8"))
    return browser.evaluate(
        "axe.run(document, {resultTypes: ['violations']})"
        ".then((r) => r.violations.map((v) => [v.id, v.impact, v.nodes.length,"
        " v.nodes.slice(0, 3).map((n) => n.target.join(' '))]))")


SCREENSHOTS = Path(os.environ.get("EXPLAINER_SCREENSHOTS",
                                  Path(__file__).resolve().parent / "screenshots"))
