"""Faults around the input and the output folder: each one clear message (the path, what is
wrong, what to do), exit code 1, no traceback, nothing left behind. The tests run as root in
CI, where permissions do not stop anything, so refusals are simulated where needed."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from generator.cli import main

from conftest import FIXTURES, TEMPLATES, tree_bytes


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    shutil.copytree(TEMPLATES, project / "templates")
    assert build(project) == 0
    return project


def build(project: Path, out: Path | None = None) -> int:
    return main(["build", "--content", str(project / "content"), "--templates",
                 str(project / "templates"), "--out", str(out or project / "site")])


def lines(capsys: pytest.CaptureFixture[str], project: Path) -> list[str]:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return captured.err.replace(f"{project.as_posix()}/", "").splitlines()


def test_a_fifo_as_a_content_file_is_refused_by_type_not_read(root: Path, capsys):
    background = root / "content" / "sample-explainer" / "background.md"
    background.unlink()
    os.mkfifo(background)
    before = tree_bytes(root / "site")
    capsys.readouterr()
    assert build(root) == 1  # and not a build blocked forever on the pipe
    assert lines(capsys, root) == [
        "content/sample-explainer/background.md:1:1: is a named pipe (FIFO), not a regular "
        "file; expected a text file", "failed: 1 error; site/ was left unchanged"]
    assert tree_bytes(root / "site") == before


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_as_a_content_file_is_refused_before_reading(root: Path, capsys):
    article = root / "content" / "sample-explainer" / "article.md"
    article.unlink()
    os.mknod(article, stat.S_IFCHR | 0o644, os.makedev(1, 5))  # /dev/zero's numbers
    capsys.readouterr()
    assert build(root) == 1
    assert lines(capsys, root)[0] == ("content/sample-explainer/article.md:1:1: is a device, "
                                      "not a regular file; expected a text file")


def test_an_output_parent_that_is_a_file(root: Path, capsys):
    (root / "afile").write_text("not a folder")
    capsys.readouterr()
    assert build(root, root / "afile" / "site") == 1
    assert lines(capsys, root) == [
        "afile: is a file, so the output folder afile/site/ cannot be made inside it; "
        "expected a folder (choose another --out)",
        "failed: 1 error; afile/site/ was left unchanged"]
    assert (root / "afile").read_text() == "not a folder"


@pytest.mark.parametrize("reason", ["Permission denied", "Read-only file system",
                                    "No space left on device"])
def test_an_output_parent_that_cannot_be_written(root: Path, capsys, monkeypatch, reason):
    target = root / "out" / "site"
    real_mkdir = Path.mkdir

    def refuse(self: Path, *args, **kwargs):
        if self == target.parent:
            raise OSError(13, reason, str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    capsys.readouterr()
    assert build(root, target) == 1
    assert lines(capsys, root) == [
        f"out: cannot write here: {reason}; expected a folder you may write to with room "
        "left (check its permissions and free space, or choose another --out); the previous "
        "site was left unchanged", "failed: 1 error; out/site/ was left unchanged"]
    assert not (root / "out").exists()


@pytest.mark.parametrize("folder", ["content", "content/sample-explainer"])
def test_an_unreadable_folder_is_a_located_message(root: Path, capsys, monkeypatch,
                                                   folder: str):
    blocked = root / folder
    real_iterdir = Path.iterdir

    def refuse(self: Path):
        if self == blocked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    real_scandir = os.scandir

    def refuse_scan(path="."):
        if Path(path) == blocked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "iterdir", refuse)
    monkeypatch.setattr(os, "scandir", refuse_scan)
    before = tree_bytes(root / "site")
    capsys.readouterr()
    assert build(root) == 1
    found = lines(capsys, root)
    assert f"{folder}: folder cannot be read: Permission denied; expected a folder you may " \
           "read (check its permissions)" in found
    assert found[-1].startswith("failed:")
    assert tree_bytes(root / "site") == before


@pytest.mark.parametrize("name", ["templates/assets/style.css", "templates/explainer.html"])
def test_an_unreadable_template_or_stylesheet_is_one_message(root: Path, capsys, monkeypatch,
                                                             name: str):
    blocked = root / name
    assert blocked.exists(), name
    real_open = Path.open
    real_read_bytes = Path.read_bytes

    def refuse_open(self: Path, *args, **kwargs):
        if self == blocked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    def refuse_read(self: Path):
        if self == blocked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "open", refuse_open)
    monkeypatch.setattr(Path, "read_bytes", refuse_read)
    real_os_open = os.open

    def refuse_os_open(path, *args, **kwargs):
        if Path(path) == blocked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_os_open)
    real_builtin_open = open

    def refuse_builtin_open(path, *args, **kwargs):
        if isinstance(path, (str, Path)) and Path(path) == blocked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_builtin_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refuse_builtin_open)
    before = tree_bytes(root / "site")
    capsys.readouterr()
    assert build(root) == 1
    found = lines(capsys, root)
    assert len(found) == 2 and name in found[0] and "Permission denied" in found[0], found
    assert found[-1].startswith("failed:")
    assert tree_bytes(root / "site") == before
