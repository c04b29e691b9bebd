"""The catalogue of bad input: each folder under tests/cases/ breaks the minimal site once.

A case folder holds ``files/`` (copied over a fresh copy of the minimal fixture and the real
templates), optionally ``delete.txt`` (paths to remove), ``links.txt`` (symbolic links to
make), ``grow.txt`` (files to pad to a size), ``pictures.txt`` (picture files to make, each
with a recipe of ``tests/imagemaker.py``, so no binary file needs reviewing) and ``args.txt``
(extra CLI arguments), and ``expected.txt``: exactly what ``explainer build`` must print on
stderr.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main

from conftest import FIXTURES, TEMPLATES, tree_bytes
from imagemaker import make as make_picture

CASES = Path(__file__).resolve().parent / "cases"


def prepare(case: Path, root: Path) -> None:
    shutil.copytree(FIXTURES / "minimal", root)
    shutil.copytree(TEMPLATES, root / "templates")
    assert main(["build", "--content", str(root / "content"), "--templates",
                 str(root / "templates"), "--out", str(root / "site")]) == 0
    if (case / "files").is_dir():
        shutil.copytree(case / "files", root, dirs_exist_ok=True)
    if (case / "delete.txt").is_file():
        for line in (case / "delete.txt").read_text().split():
            target = root / line
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()
    if (case / "pictures.txt").is_file():  # "path recipe": e.g. "…/photo.jpg jpeg 640x480"
        for line in (case / "pictures.txt").read_text().splitlines():
            name, recipe = line.split(maxsplit=1)
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(make_picture(recipe))
    if (case / "links.txt").is_file():  # "link target": a symbolic link to make
        for line in (case / "links.txt").read_text().splitlines():
            link, target = line.split()
            (root / link).symlink_to(target)
    if (case / "grow.txt").is_file():  # "path bytes": pad a file to a size (huge files)
        for line in (case / "grow.txt").read_text().splitlines():
            name, size = line.split()
            path = root / name
            with path.open("ab") as handle:
                handle.write(b"x" * (int(size) - path.stat().st_size))


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_bad_input_case(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                        request: pytest.FixtureRequest) -> None:
    folder = CASES / case
    root = tmp_path / "project"
    prepare(folder, root)
    before = tree_bytes(root / "site")
    capsys.readouterr()
    args = (folder / "args.txt").read_text().split() if (folder / "args.txt").exists() else []
    code = main(["build", "--content", str(root / "content"), "--templates",
                 str(root / "templates"), "--out", str(root / "site"), *args])
    captured = capsys.readouterr()
    actual = captured.err.replace(f"{root.as_posix()}/", "")
    expected_file = folder / "expected.txt"
    if request.config.getoption("--update-expected"):
        expected_file.write_text(actual)
    expected = expected_file.read_text()
    assert actual == expected
    assert "Traceback" not in captured.err + captured.out
    assert code == (1 if expected.splitlines()[-1].startswith("failed:") else 0)
    if code:
        assert tree_bytes(root / "site") == before, "a failed build changed the output folder"
