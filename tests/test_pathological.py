"""Inputs that once hung a build (seconds to minutes of CPU, far below the file size limit)
now cost well under 2 s each; ``benchmarks/pathological.py`` prints the same cases' costs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from pathological import CASES, run_case

BOUND = 2.0  # CPU seconds; the target for any input up to the size limit


@pytest.mark.parametrize("name", list(CASES))
def test_pathological_input_is_bounded(name: str, tmp_path: Path):
    seconds, code, err = run_case(name, tmp_path / "project")
    assert code in (0, 1), err
    assert "Traceback" not in err
    if code:
        assert err.splitlines()[-1].startswith("failed:")
        assert all(line.startswith("/") and line.count(":") >= 2
                   for line in err.splitlines()[:-1]), err[:500]
    assert seconds < BOUND, f"{name}: {seconds:.2f} s of CPU"
