"""Faults: killed builds, full disks, builds racing each other and the live preview."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import Project, build

from conftest import FIXTURES, REPO, TEMPLATES, tree_bytes
from serve_support import http_get, serving, touch_edit

sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import make_site


def build_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--content", str(root / "content"),
            "--templates", str(root / "templates"), "--out", str(root / "site")]


def staging_folders(root: Path) -> list[Path]:
    """Folders a build writes into before the swap (the kept spare is not one of them)."""
    return [p for p in root.iterdir() if p.name.startswith(".site.")
            and p.name != ".site.spare"]


def test_a_build_killed_while_writing_leaves_the_previous_site_complete(tmp_path: Path):
    root = make_site(tmp_path / "big", 120)
    assert subprocess.run(build_command(root), capture_output=True).returncode == 0
    before = tree_bytes(root / "site")
    for folder in (root / "content").iterdir():
        if folder.is_dir():
            article = folder / "article.md"
            article.write_text(article.read_text() + "\nA new paragraph.\n")
    process = subprocess.Popen(build_command(root), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not staging_folders(root) and time.monotonic() < deadline:
        time.sleep(0.001)
    assert staging_folders(root), "the build never started writing"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert tree_bytes(root / "site") == before  # the old site, whole
    done = subprocess.run(build_command(root), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert staging_folders(root) == []  # the next build cleaned up after the killed one
    assert b"A new paragraph." in (root / "site" / "synthetic-000" / "index.html").read_bytes()


@pytest.mark.parametrize(("code", "reason"), [(errno.ENOSPC, "No space left on device"),
                                              (errno.EACCES, "Permission denied")])
@pytest.mark.parametrize("search", [False, True])
def test_a_full_disk_or_unwritable_output_gives_one_clear_message(
        minimal_project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], code: int, reason: str, search: bool):
    """Without a search page the output folder is the first thing written; with one, the
    pages Pagefind indexes are written to a temporary folder first."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    if not search:
        (templates / "search.html").unlink()
    build(Project(minimal_project.content_dir, templates, minimal_project.out_dir))
    before = tree_bytes(minimal_project.out_dir)

    def refuse(*_args: object) -> None:
        raise OSError(code, reason)

    if search:  # a new page to index: Pagefind's copy of the pages is written first
        article = minimal_project.content_dir / "sample-explainer" / "article.md"
        article.write_text(article.read_text() + "\nA new sentence to index.\n")
        monkeypatch.setattr(Path, "write_bytes", refuse)
    else:
        monkeypatch.setattr(os, "link", refuse)
    status = main(["build", "--content", str(minimal_project.content_dir), "--templates",
                   str(templates), "--out", str(minimal_project.out_dir)])
    monkeypatch.undo()
    err = capsys.readouterr().err
    out = minimal_project.out_dir.as_posix()
    assert status == 1
    first = (f"search/index.html: search: cannot write the pages to index in "
             f"{tempfile.gettempdir()}: {reason}; expected room in the temporary folder "
             "($TMPDIR)") if search else \
        f"{out}: cannot write the site: {reason}; the previous site was left unchanged"
    assert err.splitlines() == [first, f"failed: 1 error; {out}/ was left unchanged"]
    assert tree_bytes(minimal_project.out_dir) == before


def two_versions(tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """One project, and the complete sites its two versions of content produce."""
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "minimal", root)
    shutil.copytree(TEMPLATES, root / "templates")
    sites = []
    for title in ("Version A", "Version B"):
        config = root / "content" / "site.yaml"
        config.write_text(config.read_text().replace("Test Explainers", title)
                          .replace("Version A", title))
        build(Project(root / "content", root / "templates", tmp_path / f"{title}"))
        sites.append(tree_bytes(tmp_path / title))
    return root, sites[0], sites[1]


def test_builds_started_at_once_never_mix_their_output(tmp_path: Path):
    root, version_a, version_b = two_versions(tmp_path)
    config = root / "content" / "site.yaml"
    for _round in range(4):
        processes = []
        for title in ("Version A", "Version B", "Version A", "Version B"):
            config.write_text(config.read_text().replace("Version A", title)
                              .replace("Version B", title))
            processes.append(subprocess.Popen(build_command(root), stdout=subprocess.DEVNULL,
                                              stderr=subprocess.PIPE))
        for process in processes:
            _out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
        assert tree_bytes(root / "site") in (version_a, version_b)
        assert staging_folders(root) == []


def test_build_and_serve_side_by_side(tmp_path: Path):
    root, _version_a, _version_b = two_versions(tmp_path)
    article = root / "content" / "sample-explainer" / "article.md"
    with serving(root) as server:
        for number in range(5):
            touch_edit(article, article.read_text().replace("The end", f"The end {number}")
                       .replace(f"The end {number - 1}", f"The end {number}"))
            done = subprocess.run(build_command(root), capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
            status, page = http_get(server.url("sample-explainer/index.html"))
            assert status == 200 and "<html" in page
        time.sleep(1)
        fresh = tmp_path / "fresh"
        build(Project(root / "content", root / "templates", fresh))
        assert tree_bytes(root / "site") == tree_bytes(fresh)
    assert staging_folders(root) == []
    assert {p.name for p in root.iterdir() if p.name.startswith(".site")} <= {".site.spare"}
    assert os.path.isdir(root / "site")
