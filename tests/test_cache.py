"""Parallel and cached builds give exactly what a one-process clean build gives.

Every kind of input that shapes an explainer's pages is changed once, and the cached build
must follow; a damaged cache is ignored and rebuilt, never trusted and never a crash.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

import generator.memo
import generator.pipeline
import generator.pool
from generator.pipeline import Project, make_site
from generator.pool import POOL_THRESHOLD
from generator.render.markup import MarkdownConverter
from generator.store import RACY_SECONDS, FileDigests, Store, TemplateCodeCache, code_digest

from conftest import pool_sized_project, run_cli


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """``pool_sized_project``, with a shared person and source."""
    project = pool_sized_project(tmp_path)
    content = project.content_dir
    (content / "people.yaml").write_text(
        "- id: shared-person\n  name: Shared Person\n  role: Editor\n"
        "  text: Written once for the whole site.\n  sources: [shared-source]\n")
    (content / "sources.yaml").write_text(
        "- id: shared-source\n  title: A shared source\n  publisher: Shared\n  date: 2020\n")
    return project


def clean_build(project: Project) -> dict[str, bytes]:
    """The reference: one process, nothing kept."""
    result = make_site(dataclasses.replace(project, cache_dir=None, jobs=1))
    return dict(result.files)


def cached_build(project: Project, jobs: int = 2) -> dict[str, bytes]:
    return dict(make_site(dataclasses.replace(project, jobs=jobs)).files)


def test_parallel_and_cached_builds_equal_a_clean_one_process_build(project: Project):
    reference = clean_build(project)
    assert cached_build(project, jobs=2) == reference  # cold, on two processes
    assert cached_build(project, jobs=2) == reference  # warm: everything from the store
    assert cached_build(project, jobs=1) == reference
    assert make_site(dataclasses.replace(project, jobs=2)).rebuilt == ()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new))


def quote_the_shared_person(project: Project) -> None:
    quotes = project.content_dir / "copy-0" / "quotes.yaml"
    edit(quotes, "speaker: jane-doe", "speaker: shared-person")


CHANGES: dict[str, Callable[[Project], None]] = {
    "an explainer's file": lambda p: edit(
        p.content_dir / "copy-1" / "article.md", "The end.", "A new end."),
    "a template": lambda p: edit(
        p.templates_dir / "partials" / "sources.html", "Numbers in square", "The numbers"),
    "a template's asset": lambda p: (p.templates_dir / "assets" / "style.css").write_text(
        "body { color: black }\n"),
    "site.yaml": lambda p: edit(p.content_dir / "site.yaml", "Test Explainers", "Renamed"),
    "a shared fact file": lambda p: (quote_the_shared_person(p), edit(
        p.content_dir / "people.yaml", "Shared Person", "Renamed Person")),
    "a seed": lambda p: (p.content_dir.parent / "seeds" / "sample.txt").unlink(),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_input_is_never_served_from_the_cache(project: Project, change: str):
    cached_build(project)
    CHANGES[change](project)
    try:
        reference = clean_build(project)
    except generator.pipeline.BuildFailed as failed:  # the seed is gone: both must fail
        with pytest.raises(generator.pipeline.BuildFailed) as cached:
            cached_build(project)
        assert cached.value.diagnostics == failed.diagnostics
        return
    assert cached_build(project) == reference


def test_new_generator_code_or_dependencies_invalidate_everything(
        project: Project, monkeypatch: pytest.MonkeyPatch):
    cached_build(project)
    monkeypatch.setattr(generator.memo, "code_digest", lambda: "another release")
    result = make_site(dataclasses.replace(project, jobs=1))
    assert len(result.rebuilt) == POOL_THRESHOLD + 2  # every explainer again
    before = code_digest()
    monkeypatch.setattr("generator.store.metadata.version", lambda name: "99.0")
    assert code_digest() != before


def damage(cache: Path, how: str) -> None:
    files = sorted(p for p in cache.rglob("*") if p.is_file())
    entries = [p for p in files if "entries" in p.parts]
    blobs = [p for p in files if "blobs" in p.parts]
    if how == "truncated entries":
        for path in entries:
            path.write_bytes(path.read_bytes()[:40])
    elif how == "garbled entries":
        for path in entries:
            data = bytearray(path.read_bytes())
            data[len(data) // 2] ^= 0xFF
            path.write_bytes(bytes(data))
    elif how == "missing blobs":
        for path in blobs:
            path.unlink()
    elif how == "a blob changed in place":  # e.g. someone edited a hard-linked site file
        for path in blobs:
            with path.open("ab") as handle:
                handle.write(b"<!-- edited -->")
    elif how == "garbage files":
        for path in entries[:3]:
            path.write_bytes(b"\x80\x04not a pickle at all")


@pytest.mark.parametrize("how", ["truncated entries", "garbled entries", "missing blobs",
                                 "a blob changed in place", "garbage files"])
def test_a_damaged_cache_is_ignored_and_rebuilt(project: Project, how: str):
    reference = clean_build(project)
    cached_build(project)
    assert project.cache_dir is not None
    damage(project.cache_dir, how)
    assert cached_build(project) == reference
    assert cached_build(project) == reference  # and the rebuilt entries are good


def test_a_damaged_page_entry_never_breaks_a_link_into_that_page(project: Project):
    """A kept explainer's page ids stay in the store; when that entry is damaged, a link
    from another page to one of its ids must still resolve (the ids are read from the page
    itself), not fail the build as a broken link."""
    assert project.cache_dir is not None
    article = project.content_dir / "copy-0" / "article.md"
    article.write_text(article.read_text() + "\nSee [the other one](../copy-1/#main).\n")
    cached_build(project)
    damaged = 0
    for path in (project.cache_dir / "entries").rglob("*"):
        data = path.read_bytes() if path.is_file() else b""
        if b"generator.jobs" in data and b"Rendered" in data:
            path.write_bytes(data[: len(data) // 2])
            damaged += 1
    assert damaged >= POOL_THRESHOLD
    article.write_text(article.read_text() + "\nOne more sentence.\n")  # copy-1 is kept
    assert cached_build(project) == clean_build(project)


def test_a_failed_build_keeps_what_it_made(project: Project, monkeypatch: pytest.MonkeyPatch):
    """Every explainer's outcome is kept even when another one fails the build, so fixing
    that one runs one job, not all of them again."""
    article = project.content_dir / "copy-0" / "article.md"
    good = article.read_text()
    article.write_text(good + "\nA citation of [@no-such-source].\n")
    with pytest.raises(generator.pipeline.BuildFailed):
        make_site(dataclasses.replace(project, jobs=1))
    jobs: list[int] = []
    run = generator.pool.JobRunner.run
    monkeypatch.setattr(generator.pool.JobRunner, "run",
                        lambda self, setup, tasks, progress=None: (
                            jobs.append(len(tasks)), run(self, setup, tasks, progress))[1])
    article.write_text(good)
    assert cached_build(project, jobs=1) == clean_build(project)
    assert jobs[0] == 1


def test_one_whole_build_is_kept_per_way_of_building(project: Project,
                                                     monkeypatch: pytest.MonkeyPatch):
    """The entry a build with nothing changed reads (megabytes for a big site) is replaced
    by each build, not added to the cache; each way of building keeps its own."""
    assert project.cache_dir is not None
    article = project.content_dir / "copy-0" / "article.md"
    drafts = dataclasses.replace(project, drafts=True)
    for number in range(3):
        article.write_text(article.read_text() + f"\nEdit number {number}.\n")
        cached_build(project, jobs=1)
    cached_build(drafts, jobs=1)
    kept = [path for path in (project.cache_dir / "entries").rglob("*")
            if path.is_file() and b"KeptBuild" in path.read_bytes()]
    assert len(kept) == 2
    references = clean_build(project), clean_build(drafts)
    looked: list[str] = []
    outcomes = generator.memo.Memo.outcomes
    monkeypatch.setattr(generator.memo.Memo, "outcomes", lambda self, setup, tasks: (
        looked.append("outcomes"), outcomes(self, setup, tasks))[1])
    assert (cached_build(project, jobs=1), cached_build(drafts, jobs=1)) == references
    assert looked == []  # both read their kept build: nothing else was looked at


def test_no_cache_keeps_nothing_and_clean_removes_the_cache(project: Project):
    root = project.content_dir.parent
    args = ("--content", str(project.content_dir), "--templates", str(project.templates_dir),
            "--out", str(project.out_dir))
    assert run_cli("build", "--no-cache", *args).code == 0
    assert not (root / ".explainer-cache").exists()
    assert run_cli("build", "--jobs", "2", *args).code == 0
    assert (root / ".explainer-cache").is_dir()
    cleaned = run_cli("clean", "--content", str(project.content_dir))
    assert cleaned.code == 0 and "removed" in cleaned.out
    assert not (root / ".explainer-cache").exists()
    assert run_cli("build", "--jobs", "0", *args).code == 2


def test_a_file_is_read_again_while_its_stamp_cannot_be_trusted(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch):
    """The racy-git rule: a digest taken right after a change may miss a second change in
    the same clock tick, so such a file is read again until its stamp is old enough."""
    path = tmp_path / "article.md"
    path.write_text("first")
    digests = FileDigests()
    reads = []
    original = hashlib.sha256
    monkeypatch.setattr("generator.store.hashlib.sha256",
                        lambda data=b"": (reads.append(data), original(data))[1])
    first = digests.of(str(path))
    assert digests.of(str(path)) == first and len(reads) == 2  # just changed: read again
    stamp, _taken, value = digests.known[str(path)]
    digests.known[str(path)] = (stamp, time.time() + 2 * RACY_SECONDS, value)
    assert digests.of(str(path)) == first and len(reads) == 2  # settled: its stamp is enough
    path.write_text("other")  # same size, but the change time moves
    assert digests.of(str(path)) != first and len(reads) == 3


def test_a_template_edit_re_renders_without_running_markdown_again(
        project: Project, monkeypatch: pytest.MonkeyPatch):
    cached_build(project, jobs=1)
    conversions: list[str] = []
    original = MarkdownConverter.convert
    monkeypatch.setattr(MarkdownConverter, "convert",
                        lambda self, text: (conversions.append(text), original(self, text))[1])
    for change in ("a template", "a template's asset"):
        CHANGES[change](project)
        reference = clean_build(project)
        assert conversions  # a clean build converts every text...
        conversions.clear()
        assert cached_build(project, jobs=1) == reference
        assert conversions == []  # ...a cached one, after a template edit, none


def test_entries_of_another_version_are_never_read(tmp_path: Path):
    """A new release must not unpickle what an older one kept (its classes have changed)."""
    old, new = Store(tmp_path, "release 1"), Store(tmp_path, "release 2")
    old.put("key", {"shape": "old"})
    assert old.get("key") == {"shape": "old"}
    assert new.get("key") is None
    blob = old.put_blob(b"same bytes")
    assert new.put_blob(b"same bytes") == blob  # output files are shared by every version


def test_compiled_templates_are_kept_but_never_trusted_blindly(tmp_path: Path):
    """Each process reuses templates compiled by an earlier one; an edited template or a
    damaged entry (even one whose checksum holds) is compiled again."""
    cache = TemplateCodeCache(Store(tmp_path, "release 1"))
    sources = {"page.html": "Hello {{ name }}"}

    def render(name: str) -> str:
        env = jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=cache)
        return env.get_template("page.html").render(name=name)

    assert render("a") == "Hello a"
    bucket = cache.get_bucket(jinja2.Environment(), "page.html", None, sources["page.html"])
    assert bucket.code is not None  # kept by the first environment
    cache.store.put(cache.key_of(bucket), b"j2 not compiled code")
    assert render("b") == "Hello b"
    sources["page.html"] = "Goodbye {{ name }}"
    assert render("c") == "Goodbye c"


def test_a_build_with_the_search_index_then_one_without_each_get_their_own_search_page(
        project: Project):
    """``explainer build`` makes the search index, the preview leaves it out: the preview's
    first build after a build must not take the search page that links to the index."""
    with_index = cached_build(project)
    without = dataclasses.replace(project, search_index=False)
    assert "pagefind/pagefind-entry.json" in with_index
    assert cached_build(without) == dict(
        make_site(dataclasses.replace(without, cache_dir=None, jobs=1)).files)
    assert cached_build(project) == with_index
