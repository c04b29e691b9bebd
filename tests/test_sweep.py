"""The cache folder is swept: it does not grow by every edit forever, a sweep never costs
a build more than time, and it never pulls a file from under another process."""

from __future__ import annotations

import dataclasses
import fcntl
import io
import json
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

import generator.memo
import generator.pipeline
import generator.sweep
from generator.jobs import Worker
from generator.pipeline import Project, make_site
from generator.pool import POOL_THRESHOLD
from generator.preview.worker import WorkerProcess, run_worker
from generator.render.markup import MarkdownConverter
from generator.sweep import (
    CacheInUseError,
    count_entries,
    hold,
    last_kept,
    name_in_store,
    remove,
    sweep,
    write_record,
)

from conftest import pool_sized_project, run_cli, tree_bytes

HOUR_NS = 3600 * 10**9


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return pool_sized_project(tmp_path)


def store_files(root: Path) -> dict[str, int]:
    """Every entry and blob, with its modification time."""
    return {path.as_posix(): path.stat().st_mtime_ns
            for kind in ("entries", "blobs") for path in (root / kind).rglob("*")
            if path.is_file()}


def age(root: Path) -> None:
    """Everything in the store an hour older: as if the builds so far were long ago."""
    for path, mtime in store_files(root).items():
        os.utime(path, ns=(mtime - HOUR_NS, mtime - HOUR_NS))


def sweep_next(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The next build that writes something sweeps, however little the store grew."""
    write_record(store, 0)
    monkeypatch.setattr(generator.sweep, "MIN_ENTRIES", 0)


def edit_and_build(project: Project, number: int, jobs: int = 2) -> dict[str, bytes]:
    article = project.content_dir / "copy-0" / "article.md"
    article.write_text(article.read_text() + f"\nEdit number {number}.\n")
    return dict(make_site(dataclasses.replace(project, jobs=jobs)).files)


def clean_build(project: Project) -> dict[str, bytes]:
    return dict(make_site(dataclasses.replace(project, cache_dir=None, jobs=1)).files)


def test_a_grown_store_is_swept_back_to_what_the_next_builds_use(
        project: Project, monkeypatch: pytest.MonkeyPatch):
    assert project.cache_dir is not None
    store = project.cache_dir
    monkeypatch.setattr(generator.sweep, "MIN_ENTRIES", 10**6)  # no sweep while it grows
    make_site(project)
    assert last_kept(store) == count_entries(store)  # a first build only counts
    age(store)
    after_first = store_files(store)
    for number in range(4):
        edit_and_build(project, number)
        age(store)
    grown = store_files(store)
    assert len(grown) > len(after_first) + 8  # every edit left new entries and blobs
    sweep_next(store, monkeypatch)
    files = edit_and_build(project, 4)
    swept = store_files(store)
    assert len(swept) <= len(after_first) + 4, "what the edits replaced is gone"
    assert last_kept(store) == count_entries(store)
    assert files == clean_build(project)
    # What is left is what the next builds use: one with nothing changed runs no job, the
    # next edit of an article's body finds the listing pages and compiled templates kept...
    monkeypatch.setattr(generator.sweep, "MIN_ENTRIES", 10**6)
    assert make_site(project).rebuilt == ()
    listings: list[str] = []
    original_pages, original_blocks = Worker.site_pages, generator.memo.related_blocks
    monkeypatch.setattr(Worker, "site_pages", lambda self, *args: (
        listings.append("pages"), original_pages(self, *args))[1])
    monkeypatch.setattr(generator.memo, "related_blocks", lambda *args: (
        listings.append("related"), original_blocks(*args))[1])
    compile_template = jinja2.Environment.compile  # the templates' code is kept too
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, *args, **named: (
        listings.append("compiled"), compile_template(self, *args, **named))[1])
    files = edit_and_build(project, 5, jobs=1)
    assert listings == []
    assert files == clean_build(project)
    # ...and a template edit renders every explainer again from its kept Markdown.
    sources = project.templates_dir / "partials" / "sources.html"
    sources.write_text(sources.read_text().replace("Numbers in square", "The numbers"))
    reference = clean_build(project)
    conversions: list[str] = []
    original = MarkdownConverter.convert
    monkeypatch.setattr(MarkdownConverter, "convert",
                        lambda self, text: (conversions.append(text), original(self, text))[1])
    assert dict(make_site(dataclasses.replace(project, jobs=1)).files) == reference
    assert conversions == []


def test_no_sweep_while_another_process_uses_the_store(project: Project,
                                                      monkeypatch: pytest.MonkeyPatch):
    """A lock taken through another open file is what another process's build holds."""
    assert project.cache_dir is not None
    store = project.cache_dir
    make_site(project)
    edit_and_build(project, 0)
    age(store)
    before = store_files(store)
    sweep_next(store, monkeypatch)
    other = hold(store)
    assert other is not None
    try:
        edit_and_build(project, 1)
        after = store_files(store)
        assert set(before) <= set(after), "nothing was removed while the store was in use"
        assert last_kept(store) == 0
    finally:
        os.close(other)
    edit_and_build(project, 2)
    assert not set(before) <= set(store_files(store))  # swept once it was free
    assert (last_kept(store) or 0) > 0


def test_a_sweep_keeps_live_and_recent_files_and_removes_the_rest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Live files are known by their names in the store: a build given the folder's
    absolute path and one given a relative path mean the same files."""
    store = tmp_path / "store"
    now = time.time_ns()
    made = {}
    for name, live, old in [("live-old", True, True), ("dead-old", False, True),
                            ("dead-new", False, False), (".tmp-1-1", False, True)]:
        for kind in ("entries", "blobs"):
            path = store / kind / "ab" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x" * 10)
            if old:
                os.utime(path, ns=(now - HOUR_NS, now - HOUR_NS))
            made[str(path)] = live
    monkeypatch.chdir(tmp_path)
    lock = hold(Path("store"))
    assert lock is not None
    try:
        result = sweep(Path("store"), lock, {name_in_store(p) for p, live in made.items()
                                             if live}, now - 10**9)
    finally:
        os.close(lock)
    assert result is not None and result.removed == 4 and result.removed_bytes == 40
    left = {Path(p).name for p in store_files(store)}
    assert left == {"live-old", "dead-new"}
    assert result.kept_entries == last_kept(store) == 2


def test_a_store_never_swept_or_with_a_damaged_record_starts_counting_afresh(tmp_path: Path):
    store = tmp_path / "store"
    store.mkdir()
    (store / "swept").write_text("{not json")
    assert last_kept(store) is None
    assert not generator.sweep.due(store, 1000)  # taken as where the store starts from
    assert last_kept(store) == 1000
    assert not generator.sweep.due(store, 2 * 1000 + generator.sweep.MIN_ENTRIES)
    assert generator.sweep.due(store, 2 * 1000 + generator.sweep.MIN_ENTRIES + 1)


def saved(article: Path, number: int) -> str:
    """A writer's save, and the request the preview sends for it."""
    article.write_text(article.read_text() + f"\nEdit number {number}.\n")
    return json.dumps({"changed": [str(article)]}) + "\n"


def run_preview(project: Project, requests: Iterator[str]) -> None:
    """The preview's build process, fed ``requests``; every build must succeed."""
    replies = io.StringIO()
    run_worker(project, requests, replies)
    assert all(json.loads(line)["ok"] for line in replies.getvalue().splitlines())


def first_build_and_three_saves(project: Project, seen: dict[str, int]) -> Iterator[str]:
    """The preview's first requests; ``seen`` gets the store as the first build left it."""
    assert project.cache_dir is not None
    yield json.dumps({"changed": []}) + "\n"
    seen.update(store_files(project.cache_dir))
    for number in range(3):
        yield saved(project.content_dir / "copy-0" / "article.md", number)


def test_the_preview_sweeps_when_it_stops(project: Project, monkeypatch: pytest.MonkeyPatch):
    """The session's leftovers go when it ends, and the next process starts warm from what
    it kept."""
    assert project.cache_dir is not None
    store = project.cache_dir
    monkeypatch.setattr(generator.sweep, "MIN_ENTRIES", 10**6)
    seen: dict[str, int] = {}
    grown: dict[str, int] = {}

    def requests() -> Iterator[str]:
        yield from first_build_and_three_saves(project, seen)
        grown.update(store_files(store))
        age(store)
        sweep_next(store, monkeypatch)  # the preview stops now

    run_preview(dataclasses.replace(project, jobs=1), requests())
    assert (last_kept(store) or 0) > 0
    left = store_files(store)
    assert len(grown) > len(seen) + 3 * 2  # each edit left new pages and entries...
    assert len(left) <= len(seen) + 8, "...which are gone but for what the preview kept"
    assert not set(grown) - set(seen) <= set(left)
    monkeypatch.setattr(generator.sweep, "MIN_ENTRIES", 10**6)
    built = make_site(project)
    assert built.rebuilt == ()
    assert dict(built.files) == clean_build(project)


def test_clean_refuses_while_a_build_or_preview_uses_the_cache(project: Project):
    """``explainer clean`` under a running preview would take the files it serves from."""
    store = project.content_dir.parent / ".explainer-cache"
    make_site(dataclasses.replace(project, cache_dir=store))
    other = hold(store)
    assert other is not None
    try:
        refused = run_cli("clean", "--content", str(project.content_dir))
        assert refused.code == 1
        assert "in use by a build or preview" in refused.err
        assert (store / "entries").is_dir()
    finally:
        os.close(other)
    cleaned = run_cli("clean", "--content", str(project.content_dir))
    assert cleaned.code == 0 and "removed" in cleaned.out
    assert not store.exists()


def test_ctrl_c_reaches_the_build_process_but_it_still_keeps_the_session(project: Project):
    """A terminal's Ctrl-C goes to every process of the preview at once: its build process
    ends, but not before it has kept the session for the next process."""
    store = project.content_dir.parent / ".explainer-cache"  # where the CLI keeps it
    worker = WorkerProcess(dataclasses.replace(project, jobs=2, cache_dir=store))
    worker.start()
    process = worker._process
    assert process is not None
    try:
        assert worker.build([]).ok
        before = count_entries(store)
        os.kill(process.pid, signal.SIGINT)  # what the terminal sends it, idle between builds
        process.wait(timeout=30)
    finally:
        worker.stop()
    assert process.returncode == 0, "the build process died of Ctrl-C"
    assert count_entries(store) > before  # it kept the session for the next process


def test_the_preview_sweeps_between_saves_and_goes_on(project: Project,
                                                     monkeypatch: pytest.MonkeyPatch):
    """A day in the preview can be hundreds of saves: the session sweeps once the store has
    grown enough, and the next save still builds what a clean build gives."""
    assert project.cache_dir is not None
    store = project.cache_dir
    monkeypatch.setattr(generator.sweep, "MIN_ENTRIES", 10**6)
    article = project.content_dir / "copy-0" / "article.md"
    seen: dict[str, int] = {}
    after_sweep: dict[str, int] = {}

    def requests() -> Iterator[str]:
        yield from first_build_and_three_saves(project, seen)
        age(store)
        sweep_next(store, monkeypatch)
        yield saved(article, 3)
        after_sweep.update(store_files(store))  # the preview has answered, then swept
        monkeypatch.setattr(generator.sweep, "MIN_ENTRIES", 10**6)
        yield saved(article, 4)

    run_preview(dataclasses.replace(project, jobs=2), requests())
    assert len(after_sweep) <= len(seen) + 8
    assert (project.out_dir / "copy-0" / "index.html").read_bytes() == \
        clean_build(project)["copy-0/index.html"]
    built = make_site(project)
    assert built.rebuilt == ()
    assert dict(built.files) == clean_build(project)


def test_a_build_that_waited_for_clean_locks_the_new_cache_not_the_removed_one(tmp_path: Path):
    """``explainer clean`` holds the lock while it removes the folder; a build that waited
    for it must then hold the lock file of the cache it makes anew, or a later sweep by a
    third process would not see it."""
    store = tmp_path / "store"
    store.mkdir()
    cleaning = os.open(store / "lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(cleaning, fcntl.LOCK_EX)
    got: list[int | None] = []
    waiting = threading.Thread(target=lambda: got.append(hold(store)))
    waiting.start()
    time.sleep(0.2)  # the build waits for the lock
    shutil.rmtree(store)
    fcntl.flock(cleaning, fcntl.LOCK_UN)
    os.close(cleaning)
    waiting.join(timeout=10)
    handle = got[0]
    assert handle is not None
    try:
        assert os.fstat(handle).st_ino == (store / "lock").stat().st_ino
    finally:
        os.close(handle)


def test_a_sweep_between_failed_saves_keeps_what_the_preview_holds_in_memory(
        project: Project, monkeypatch: pytest.MonkeyPatch):
    """A save that changes a listing but fails the check leaves new listing and patched
    pages in the preview's memory, not in a built site; a sweep on the next failed save must
    keep them, for the save that fixes the page builds from them."""
    assert project.cache_dir is not None
    store = project.cache_dir
    monkeypatch.setattr(generator.sweep, "MIN_ENTRIES", 10**6)
    listing = project.content_dir / "copy-0" / "explainer.yaml"
    article = project.content_dir / "copy-1" / "article.md"
    broken = "\nSee [gone](/no-such-page/).\n"

    def request(*changed: Path) -> str:
        return json.dumps({"changed": [str(path) for path in changed]}) + "\n"

    def requests() -> Iterator[str]:
        yield request()
        listing.write_text(listing.read_text().replace("title: A sample explainer",
                                                       "title: Renamed"))
        article.write_text(article.read_text() + broken)
        yield request(listing, article)  # fails the check
        age(store)
        sweep_next(store, monkeypatch)
        yield saved(article, 1)  # fails again, then sweeps
        monkeypatch.setattr(generator.sweep, "MIN_ENTRIES", 10**6)
        article.write_text(article.read_text().replace(broken, "\n"))
        yield request(article)

    replies = io.StringIO()
    run_worker(dataclasses.replace(project, jobs=1, search_index=False), requests(), replies)
    answers = [json.loads(line) for line in replies.getvalue().splitlines()]
    assert [answer["ok"] for answer in answers] == [True, False, False, True], answers[-1]
    assert (last_kept(store) or 0) > 0  # it did sweep
    assert tree_bytes(project.out_dir) == clean_build(dataclasses.replace(
        project, search_index=False))


def test_a_new_preview_checks_the_outcomes_it_starts_from(project: Project, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch):
    """The last outcomes kept on disk may name an explainer a later build did not have (a
    branch without it), whose pages that build's sweep removed: a preview starting from them
    must see that, not trust them."""
    assert project.cache_dir is not None
    store = project.cache_dir
    monkeypatch.setattr(generator.sweep, "MIN_ENTRIES", 10**6)
    make_site(project)
    time.sleep(1.5)  # older than the next build's start (``age`` would also fail their stamps)
    away, folder = tmp_path / "away", project.content_dir / f"copy-{POOL_THRESHOLD}"
    shutil.move(folder, away)
    sweep_next(store, monkeypatch)
    make_site(project)  # swept: that explainer's pages were neither used nor referred to
    assert (last_kept(store) or 0) > 0
    monkeypatch.setattr(generator.sweep, "MIN_ENTRIES", 10**6)
    shutil.move(away, folder)
    preview = dataclasses.replace(project, jobs=1, search_index=False)
    run_preview(preview, iter([json.dumps({"changed": []}) + "\n"]))
    assert tree_bytes(project.out_dir) == clean_build(preview)


def test_a_build_holds_the_cache_until_its_site_is_written(project: Project,
                                                           monkeypatch: pytest.MonkeyPatch):
    """The site is hard-linked from the cache's files after the build: another process must
    not be able to sweep them meanwhile."""
    assert project.cache_dir is not None
    store = project.cache_dir
    held_while_writing: list[bool] = []
    write_site = generator.pipeline.write_site

    def writing(*args: object) -> int:
        other = os.open(store / "lock", os.O_RDWR)
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held_while_writing.append(False)
        except OSError:
            held_while_writing.append(True)
        finally:
            os.close(other)
        return write_site(*args)

    monkeypatch.setattr(generator.pipeline, "write_site", writing)
    generator.pipeline.build(project)
    assert held_while_writing == [True]


def test_one_process_at_a_time_tries_to_sweep_or_clean(tmp_path: Path):
    """Trying to make the shared lock exclusive drops it for a moment, even on failure: a
    second sweeper must not try at the same time, nor ``clean`` remove the cache."""
    store = tmp_path / "store"
    dead = store / "entries" / "ab" / "dead"
    dead.parent.mkdir(parents=True)
    dead.write_bytes(b"old")
    os.utime(dead, ns=(time.time_ns() - HOUR_NS, time.time_ns() - HOUR_NS))
    mine = hold(store)
    assert mine is not None
    sweeping = os.open(store / "sweeping", os.O_RDWR | os.O_CREAT)
    fcntl.flock(sweeping, fcntl.LOCK_EX)  # another process is sweeping
    try:
        assert sweep(store, mine, set(), time.time_ns()) is None
        assert dead.exists()
        probe = os.open(store / "lock", os.O_RDWR)
        with pytest.raises(OSError):  # my shared lock is still there
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(probe)
        os.close(mine)
        with pytest.raises(CacheInUseError):
            remove(store)
    finally:
        os.close(sweeping)
    assert remove(store) and not store.exists()
