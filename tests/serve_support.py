"""Run ``explainer serve`` in a subprocess on loopback and talk to it like a browser would."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from wsclient import WebSocket


def minimal_copy(tmp_path: Path) -> Path:
    """A copy of the minimal fixture with the real templates, to serve."""
    from conftest import FIXTURES, TEMPLATES
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", root)
    shutil.copytree(TEMPLATES, root / "templates")
    return root


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(url: str, timeout: float = 10) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def raw_get(port: int, target: str) -> int:
    """Send a request line exactly as given (no client-side normalisation of '..')."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                     .encode())
        status_line = sock.recv(200).split(b"\r\n", 1)[0].decode()
    return int(status_line.split()[1])


def touch_edit(path: Path, text: str) -> None:
    """Write like an editor does, and make sure the change is newer than anything before."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns <= before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


class LiveReloadClient:
    """Speaks livereload's protocol (official-7) the way livereload.js does."""

    def __init__(self, port: int) -> None:
        self.ws = WebSocket(f"ws://127.0.0.1:{port}/livereload", timeout=30)
        self.ws.send(json.dumps({"command": "hello",
                                 "protocols": ["http://livereload.com/protocols/official-7"]}))
        assert json.loads(self.ws.receive())["command"] == "hello"
        self.ws.send(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/",
                                 "plugins": {}}))

    def wait_reload(self, timeout: float = 15) -> dict:
        self.ws.sock.settimeout(timeout)
        while True:
            message = json.loads(self.ws.receive())
            if message.get("command") == "reload":
                return message

    def reloads_within(self, seconds: float) -> int:
        """Count reload messages arriving in the next ``seconds``."""
        count = 0
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.ws.sock.settimeout(left)
            try:
                if json.loads(self.ws.receive()).get("command") == "reload":
                    count += 1
            except TimeoutError:
                break
        return count

    def close(self) -> None:
        self.ws.close()


class ServeProcess:
    """``python -m generator serve`` with its output collected; always stopped on exit."""

    def __init__(self, project: Path, port: int, *extra: str, strict: bool = True) -> None:
        self.project = project
        self.port = port
        self.lines: list[str] = []
        environment = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--port", str(port),
             *(["--strict-port"] if strict else []), *extra],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=environment)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    @property
    def base_path(self) -> str:
        """Where the preview mounts the site, from its 'serving http://…' line."""
        line = next(line for line in self.lines if line.startswith("serving http"))
        url = line.split()[1]
        return "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{self.base_path}{path}"

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited early:\n{self.output}")
            if any(line.startswith("serving http") for line in self.lines):
                return
            time.sleep(0.05)
        raise TimeoutError(f"serve did not start:\n{self.output}")

    def wait_output(self, text: str, timeout: float = 10) -> None:
        """The terminal line is printed just before the reload; our reader may lag behind."""
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared in:\n{self.output}")
            time.sleep(0.02)

    def rebuild_lines(self) -> list[str]:
        return [line for line in self.lines if line.startswith("[")]

    def stop(self, sig: int = signal.SIGINT) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._reader.join(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode


def worker_pids(project: Path) -> list[int]:
    """Build processes still running for this project (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            command = (entry / "cmdline").read_bytes().split(b"\0")
            if b"worker" in command and (entry / "cwd").resolve() == project.resolve():
                found.append(int(entry.name))
    return found


@contextlib.contextmanager
def serving(project: Path, *extra: str, ready_within: float = 30) -> Iterator[ServeProcess]:
    server = ServeProcess(project, free_port(), *extra)
    try:
        server.wait_ready(ready_within)
        yield server
    finally:
        server.stop()
