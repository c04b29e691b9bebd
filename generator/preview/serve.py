"""``explainer serve``: build, serve, watch, rebuild, swap, reload, in that order, always.

The browser is told to reload only after a new site is completely in place (or after a
failed build has been recorded, so the error panel appears); a failed build never touches
the site being served.
"""

from __future__ import annotations

import asyncio
import errno
import threading
import time
import webbrowser
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import generator
from generator.errors import BuildFailed
from generator.pipeline import Project, check_output_folder, remove_leftovers, spare_of
from generator.preview.devserver import PreviewServer, PreviewState, port_in_use
from generator.preview.watch import Watcher, make_ignore
from generator.preview.worker import Outcome, WorkerProcess

PORT_ATTEMPTS = 20
SETTLE_SECONDS = 0.1  # quiet required before the follow-up build of a burst
EXIT_PROBLEMS = 1
EXIT_PORT_IN_USE = 2


class PortInUse(Exception):  # noqa: N818 - a situation to report, not a program error
    pass


@dataclass(frozen=True, slots=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    strict_port: bool = False
    open_browser: bool = False
    poll: bool = False
    strict: bool = False  # warnings fail a rebuild, as with build --strict


def choose_port(host: str, port: int, strict: bool) -> int:
    """The requested port, or with ``strict`` False the next free one after it."""
    candidates = [port] if strict else range(port, port + PORT_ATTEMPTS)
    for candidate in candidates:
        if not port_in_use(host, candidate):
            return candidate
    if strict:
        raise PortInUse(f"port {port} on {host} is already in use; stop the other server, "
                        "choose another port with --port, or drop --strict-port")
    raise PortInUse(f"ports {port} to {port + PORT_ATTEMPTS - 1} on {host} are all in use; choose "
                    "another with --port")


def network_warning(host: str) -> str | None:
    """Binding beyond loopback publishes unpublished work: say so, every time."""
    if host in ("127.0.0.1", "localhost", "::1") or host.startswith("127."):
        return None
    return (f"warning: serving on {host}: the preview (including unpublished drafts) is "
            "reachable from other machines on your network")


def describe_changes(paths: Sequence[Path]) -> str:
    """'timeline.yaml changed' / 'article.md and 3 more changed' for the terminal line."""
    if not paths:
        return "start"
    names = []
    for path in paths:
        try:
            names.append(path.resolve().relative_to(Path.cwd()).as_posix())
        except ValueError:
            names.append(path.as_posix())
    shown = ", ".join(names[:2])
    more = f" and {len(names) - 2} more" if len(names) > 2 else ""
    return f"{shown}{more} changed"


class Preview:
    """One running preview: the warm build process, the web server and the watcher."""

    def __init__(self, project: Project, options: ServeOptions, out: TextIO) -> None:
        self.project = project
        self.options = options
        self.out = out
        self.state = PreviewState(root=project.out_dir.resolve(),
                                  spare=spare_of(project.out_dir.resolve()))
        self.worker = WorkerProcess(project)
        self.server = PreviewServer(self.state)
        self.package_dir = Path(generator.__file__).resolve().parent
        self.pending: list[Path] = []
        self.building = False
        self.last_change = 0.0
        self.last_build_end = 0.0
        self.watcher = Watcher(
            [project.content_dir, project.templates_dir, project.content_dir.parent / "seeds",
             self.package_dir],
            make_ignore(project.out_dir), self._on_batch, poll=options.poll)

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def _on_batch(self, paths: list[Path]) -> None:
        """Watcher thread: hand the batch to the server's thread."""
        self.server.call_soon(self._queue, paths)

    def _queue(self, paths: list[Path]) -> None:
        self.pending.extend(p for p in paths if p not in self.pending)
        self.last_change = time.monotonic()
        if not self.building:
            self.building = True
            self.server.spawn(self._rebuild_while_pending)

    async def _rebuild_while_pending(self) -> None:
        """One build at a time; saves made during a build are coalesced into one more.

        A build that starts right after another waits until the saves have stopped for a
        moment, so a burst that outlasts one build (a long checkout, a slow machine) still
        ends in one more build, not one per batch the watcher happened to report.
        """
        try:
            while self.pending:
                # Saves that follow a build closely are the tail of a burst: wait them out.
                if time.monotonic() - self.last_build_end < SETTLE_SECONDS:
                    while (quiet := time.monotonic() - self.last_change) < SETTLE_SECONDS:
                        await asyncio.sleep(SETTLE_SECONDS - quiet)
                batch, self.pending = self.pending, []
                code_changed = any(p.resolve().is_relative_to(self.package_dir) for p in batch)
                outcome = await self.server.in_thread(self._build, batch, code_changed)
                self.last_build_end = time.monotonic()
                self._apply(outcome, batch, superseded=bool(self.pending))
        finally:
            self.building = False

    def _build(self, batch: list[Path], code_changed: bool) -> Outcome:
        """Executor thread: the generator's own code changed -> a fresh process runs it."""
        if code_changed:
            self.worker.restart()
        return self.worker.build([str(p) for p in batch], strict=self.options.strict)

    def _apply(self, outcome: Outcome, batch: Sequence[Path], superseded: bool = False) -> None:
        """Server thread: the new site is in place (or the error recorded): reload browsers.

        A failed build that newer saves have already superseded is not shown: it is most
        likely a file caught half-written, and the next build will tell.
        """
        stamp = time.strftime("%H:%M:%S")
        what = describe_changes(batch)
        if superseded and not outcome.ok:
            self.say(f"[{stamp}] {what}: build failed; newer changes are being built")
            return
        lines = [str(d) for d in outcome.diagnostics] + list(outcome.crash)
        if outcome.ok:
            if outcome.base_path:
                self.state.base_path = outcome.base_path
            self.state.errors = ()
            rebuilt = ", ".join(outcome.rebuilt) if 0 < len(outcome.rebuilt) <= 3 else \
                f"{len(outcome.rebuilt)} explainers" if outcome.rebuilt else "site pages"
            self.say(f"[{stamp}] {what}: rebuilt {rebuilt} in {outcome.seconds:.2f} s")
        else:
            self.state.title = "Internal error in the generator" if outcome.crashed \
                else "Build failed"
            self.state.errors = tuple(lines)
            errors = sum(1 for d in outcome.diagnostics if d.is_error)
            problems = (f"{errors} error{'s' if errors != 1 else ''}" if errors else
                        "warnings (--strict)")
            kind = "generator crashed" if outcome.crashed else f"build failed with {problems}"
            self.say(f"[{stamp}] {what}: {kind} in {outcome.seconds:.2f} s; still serving "
                     "the last good build")
        for line in lines:
            self.say(f"  {line}")
        self.server.reload()

    def _first_build_progress(self, done: int, total: int) -> None:
        self.say(f"first build: {done} of {total} explainers done…")

    def run(self) -> int:
        host = self.options.host
        try:  # the same refusal as explainer build, before anything is served or written
            check_output_folder(self.project.out_dir)
        except BuildFailed as refused:
            for diagnostic in refused.diagnostics:
                self.say(str(diagnostic))
            self.say(f"explainer serve: stopped; {self.project.out_dir.as_posix()}/ was left "
                     "unchanged")
            return EXIT_PROBLEMS
        try:
            port = choose_port(host, self.options.port, self.options.strict_port)
        except PortInUse as problem:
            self.say(f"explainer serve: {problem}")
            return EXIT_PORT_IN_USE
        try:
            self.server.listen(host, port)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            self.say(f"explainer serve: port {port} on {host} was taken just now; try again "
                     "or choose another with --port")
            return EXIT_PORT_IN_USE
        # Watch before the first build, so nothing saved during it goes unnoticed.
        self.watcher.start()
        self.worker.start()
        self._apply(self.worker.build([], strict=self.options.strict,
                                      progress=self._first_build_progress), [])
        if port != self.options.port:
            self.say(f"port {self.options.port} is in use; using {port}")
        warning = network_warning(host)
        if warning:
            self.say(warning)
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        url = f"http://{shown_host}:{port}{self.state.base_path}"
        self.say(f"serving {url} — watching for changes; press Ctrl-C to stop")
        if self.options.open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        try:
            self.server.run()
        finally:
            self.shutdown()
        return 0

    def shutdown(self) -> None:
        """Stop everything we started and leave no staging folders behind."""
        self.watcher.stop()
        self.worker.stop()
        self.server.close()
        remove_leftovers(self.project.out_dir)
        self.say("stopped")


def serve(project: Project, options: ServeOptions, out: TextIO) -> int:
    return Preview(project, options, out).run()
