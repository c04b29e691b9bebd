"""A non-editable install (``pip install .``, as Netlify runs it) gets the whole package:
every subpackage and the map outlines with their origin."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from conftest import REPO


def test_every_subpackage_and_the_map_data_are_installed():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = config["packages"]["find"]["include"]  # what setuptools' find includes
    for package in (REPO / "generator").rglob("__init__.py"):
        name = package.parent.relative_to(REPO).as_posix().replace("/", ".")
        assert any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns), name
    data = config["package-data"]["generator.geo"]
    shipped = {p.relative_to(REPO / "generator" / "geo").as_posix()
               for pattern in data for p in (REPO / "generator" / "geo").glob(pattern)}
    assert shipped == {"data/outlines.json", "data/ORIGIN.md"}
    assert Path(REPO / "generator" / "geo" / "data" / "outlines.json").stat().st_size < 100_000
