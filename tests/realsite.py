"""The real site in content/, for the tests about real news content.

Tests look their explainer up by slug, so adding explainers never breaks them.
``EXPLAINER_PROJECT`` points the tests at another copy of the project (a test uses it to
prove a second explainer leaves them green).
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.model import Explainer
from generator.pipeline import BuildResult, Project, make_site

from conftest import REPO

PROJECT = Path(os.environ.get("EXPLAINER_PROJECT", REPO))


def build_real_site(out: Path, base_url: str | None = None) -> BuildResult:
    return make_site(Project(PROJECT / "content", PROJECT / "templates", out, base_url=base_url),
                     strict=True)


def by_slug(result: BuildResult, slug: str) -> Explainer:
    assert slug in result.records, f"no explainer '{slug}' in {PROJECT / 'content'}"
    return result.explainer(slug)
