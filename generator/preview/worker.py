"""A warm build process for the live preview, and the client that talks to it.

The preview keeps one of these running so a rebuild costs a build, not an interpreter start
and a fresh import; when the generator's own code changes the process is replaced, so the
new code takes effect without restarting ``serve``. It speaks JSON lines on stdin/stdout:
each request asks for a build, which is written through the same write path as
``explainer build``; each reply says how it went, problems as data.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import subprocess
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from generator.errors import BuildFailed, Diagnostic
from generator.memo import Memo
from generator.pipeline import Project, make_site, write_site
from generator.pool import tuned_collector

PROGRESS_EVERY_SECONDS = 2.0  # a long first build reports how far it got this often


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one rebuild did: the new site is in place, or problems (or a crash) to show."""

    ok: bool
    seconds: float
    rebuilt: tuple[str, ...] = ()
    explainers: int = 0
    pages: int = 0
    diagnostics: tuple[Diagnostic, ...] = ()  # errors and warnings
    crash: tuple[str, ...] = ()  # the lines of a crash report
    base_path: str | None = None  # where the site sits on its host, from site.yaml

    @property
    def crashed(self) -> bool:
        return bool(self.crash)


def handle_request(project: Project, memo: Memo, request: dict[str, Any]) -> dict[str, Any]:
    """One build, written into place; content problems become a reply, not an exception."""
    started = time.perf_counter()
    try:
        result = make_site(project, strict=bool(request.get("strict")), memo=memo,
                           changed=[Path(p) for p in request.get("changed", [])])
        write_site(result.files.sources(), project.out_dir)
        reply: dict[str, Any] = {
            "ok": True, "rebuilt": list(result.rebuilt),
            "explainers": len(result.site.explainers), "pages": result.pages,
            "base_path": result.site.config.base_path,
            "diagnostics": [w.to_data() for w in result.warnings],
        }
    except BuildFailed as failed:
        reply = {"ok": False, "diagnostics": [d.to_data() for d in failed.diagnostics]}
    reply["seconds"] = time.perf_counter() - started
    return reply


def _progress_reporter(replies: IO[str]) -> Callable[[int, int], None]:
    """A line on the reply stream now and then while a long build runs."""
    last = [time.monotonic()]

    def report(done: int, total: int) -> None:
        if time.monotonic() - last[0] >= PROGRESS_EVERY_SECONDS and done < total:
            last[0] = time.monotonic()
            replies.write(json.dumps({"progress": [done, total]}) + "\n")
            replies.flush()

    return report


def run_worker(project: Project, requests: Iterable[str], replies: IO[str]) -> None:
    """Answer build requests until stdin closes (the preview ended or died) or Ctrl-C, which
    a terminal sends to every process of the preview at once; either way the session is
    kept for the next process and the cache swept."""
    memo = Memo(project.cache_dir, jobs=project.jobs, session=True)
    memo.progress = _progress_reporter(replies)
    try:
        for line in requests:
            if not line.strip():
                continue
            try:
                with tuned_collector():
                    reply = handle_request(project, memo, json.loads(line))
            except Exception:  # a bug in the generator: report it, and start clean next time
                memo.close()
                memo = Memo(project.cache_dir, jobs=project.jobs, session=True)
                memo.progress = _progress_reporter(replies)
                reply = {"ok": False, "seconds": 0.0,
                         "crash": traceback.format_exc().rstrip().split("\n")}
            replies.write(json.dumps(reply) + "\n")
            replies.flush()
            memo.tidy()  # while the browser reloads: a long session would fill the disk
    except KeyboardInterrupt:
        pass  # what an interrupted build finished is in the memo; the rest is not
    memo.save()  # the next preview or build starts from where this one ended
    memo.tidy()
    memo.close()


def worker_main(project: Project) -> int:
    """Entry point of ``python -m generator worker``: stdout is reserved for replies.

    The preview leaves out the search index: Pagefind takes seconds on a large site, and
    the preview's promise is a reload within a fraction of one (``explainer build`` makes
    the index)."""
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout = sys.stderr  # a stray print must not corrupt the protocol
    run_worker(dataclasses.replace(project, search_index=False), sys.stdin, replies)
    return 0


class WorkerProcess:
    """The preview's handle on the build process: start, ask, restart, stop."""

    def __init__(self, project: Project, python: str = sys.executable) -> None:
        self.project = project
        self.python = python
        self._process: subprocess.Popen[str] | None = None
        self._stderr_tail: deque[str] = deque(maxlen=40)

    def _command(self) -> list[str]:
        """The whole project travels to the build process, so it builds what build would."""
        project = self.project
        return [self.python, "-m", "generator", "worker",
                "--content", str(project.content_dir),
                "--templates", str(project.templates_dir),
                "--out", str(project.out_dir), "--jobs", str(project.jobs),
                *(["--no-cache"] if project.cache_dir is None else []),
                *(["--base-url", project.base_url] if project.base_url else []),
                *(["--today", project.today.iso()] if project.today else []),
                *(["--drafts"] if project.drafts else []),
                *([] if project.check_links else ["--no-check"])]

    def start(self) -> None:
        self._stderr_tail.clear()
        environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")  # no .pyc churn to watch
        self._process = subprocess.Popen(
            self._command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=environment,
            cwd=Path.cwd())
        stderr = self._process.stderr
        assert stderr is not None
        threading.Thread(target=self._drain, args=(stderr,), daemon=True).start()

    def _drain(self, stream: IO[str]) -> None:
        with contextlib.suppress(ValueError, OSError):  # the stream closes when we stop
            for line in stream:
                self._stderr_tail.append(line.rstrip("\n"))

    def build(self, changed: list[str], strict: bool = False,
              progress: Callable[[int, int], None] | None = None) -> Outcome:
        """Ask for one build and wait for it, however long it takes (``progress`` hears how
        far it got); restarts a process that died."""
        if self._process is None or self._process.poll() is not None:
            self.start()
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        started = time.perf_counter()
        try:
            process.stdin.write(json.dumps({"changed": changed, "strict": strict}) + "\n")
            process.stdin.flush()
            line = self._read_reply(process, progress)
        except BrokenPipeError as exc:
            return self._crashed(started, str(exc))
        if not line:
            return self._crashed(started, "the build process stopped")
        reply = json.loads(line)
        return Outcome(ok=reply["ok"], seconds=reply["seconds"],
                       rebuilt=tuple(reply.get("rebuilt", ())),
                       explainers=reply.get("explainers", 0), pages=reply.get("pages", 0),
                       diagnostics=tuple(Diagnostic.from_data(d)
                                         for d in reply.get("diagnostics", ())),
                       crash=tuple(reply.get("crash", ())), base_path=reply.get("base_path"))

    def _read_reply(self, process: subprocess.Popen[str],
                    progress: Callable[[int, int], None] | None) -> str:
        """The reply line, or '' if the process ended; progress lines are passed on."""
        stdout = process.stdout
        assert stdout is not None
        while True:
            line = stdout.readline()
            if not line.startswith('{"progress"'):
                return line
            if progress is not None:
                done, total = json.loads(line)["progress"]
                progress(done, total)

    def _crashed(self, started: float, why: str) -> Outcome:
        self.stop()
        time.sleep(0.05)  # let the stderr reader catch the last lines
        tail = tuple(self._stderr_tail) or ("(no output)",)
        return Outcome(ok=False, seconds=time.perf_counter() - started,
                       crash=(f"the build process failed: {why}", *tail))

    def restart(self) -> None:
        self.stop()
        self.start()

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
