"""Adding an explainer, as the README says, must leave every real-content test green."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SECOND_EXPLAINER

REAL_CONTENT_TESTS = sorted(p.name for p in Path(__file__).parent.glob("test_real_*.py"))


def test_real_content_tests_pass_with_a_second_explainer(tmp_path: Path):
    project = tmp_path / "project"
    for part in ("content", "templates", "seeds"):
        shutil.copytree(REPO / part, project / part)
    shutil.copytree(SECOND_EXPLAINER, project / "content" / "second-explainer")
    environment = dict(os.environ, EXPLAINER_PROJECT=str(project))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           *REAL_CONTENT_TESTS], cwd=Path(__file__).parent, env=environment,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " skipped" not in done.stdout
