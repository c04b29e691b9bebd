"""Inputs that once hung a build (seconds to minutes of CPU, far below the file size limit)
now cost about what a build of the plain fixture costs; ``benchmarks/pathological.py``
prints the same cases' costs."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from pathological import CASES, run_case

BOUND = 2.0
"""CPU seconds: the issue's target for any input up to the size limit, on the team's machine."""
TIMES_PLAIN = 8
"""On a slower machine, the bound is this many plain builds (a blow-up was 10 to 1,000)."""


@pytest.fixture(scope="module")
def bound(tmp_path_factory: pytest.TempPathFactory) -> float:
    """The larger of ``BOUND`` and ``TIMES_PLAIN`` builds of the untouched fixture, measured
    here, so a slow or busy CI machine does not fail a case that is not pathological."""
    plain = [run_case(None, tmp_path_factory.mktemp("plain") / "project")[0] for _ in range(3)]
    return max(BOUND, TIMES_PLAIN * statistics.median(plain))


@pytest.mark.parametrize("name", list(CASES))
def test_pathological_input_is_bounded(name: str, tmp_path: Path, bound: float):
    seconds, code, err = run_case(name, tmp_path / "project")
    assert code in (0, 1), err
    assert "Traceback" not in err
    if code:
        assert err.splitlines()[-1].startswith("failed:")
        assert all(line.startswith("/") and line.count(":") >= 2
                   for line in err.splitlines()[:-1]), err[:500]
    assert seconds < bound, f"{name}: {seconds:.2f} s of CPU (bound {bound:.2f} s)"
