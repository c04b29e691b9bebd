"""A memo kept alive between edits must produce exactly what a fresh full build does."""

from __future__ import annotations

import os
import shutil

import pytest

from generator.errors import BuildFailed
from generator.memo import Memo
from generator.pipeline import Project, make_site


@pytest.fixture
def project(minimal_project: Project) -> Project:
    content = minimal_project.content_dir
    shutil.copytree(content / "sample-explainer", content / "second-sample")
    return minimal_project


def assert_same_as_full_build(memo: Memo, project: Project, **kwargs) -> tuple:
    kept = make_site(project, memo=memo, **kwargs)
    fresh = make_site(project)
    assert kept.files == fresh.files
    return kept.rebuilt


def edit(path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new))


def test_one_explainer_changed_rebuilds_only_that_explainer(project: Project):
    memo = Memo()
    assert assert_same_as_full_build(memo, project) == ("sample-explainer", "second-sample")
    assert assert_same_as_full_build(memo, project) == ()
    edit(project.content_dir / "second-sample" / "explainer.yaml", "A sample explainer",
         "A second explainer")
    assert assert_same_as_full_build(memo, project) == ("second-sample",)


def test_template_and_config_changes_rebuild_everything(project: Project, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(project.templates_dir, templates)
    project = Project(project.content_dir, templates, project.out_dir)
    memo = Memo()
    make_site(project, memo=memo)
    edit(templates / "partials" / "sources.html", "Numbers in square brackets", "Our numbers")
    kept = make_site(project, memo=memo)
    assert "Our numbers" in kept.files["second-sample/index.html"].decode()
    assert kept.files == make_site(project).files
    edit(project.content_dir / "site.yaml", "Test Explainers", "Renamed Explainers")
    assert assert_same_as_full_build(memo, project) == ("sample-explainer", "second-sample")


def test_added_removed_and_broken_explainers(project: Project):
    memo = Memo()
    make_site(project, memo=memo)
    shutil.copytree(project.content_dir / "sample-explainer", project.content_dir / "third")
    assert assert_same_as_full_build(memo, project) == ("third",)
    shutil.rmtree(project.content_dir / "sample-explainer")
    assert assert_same_as_full_build(memo, project) == ()
    timeline = project.content_dir / "third" / "timeline.yaml"
    good = timeline.read_text()
    timeline.write_text(good.replace("era: during", "era: durin"))
    with pytest.raises(BuildFailed):
        make_site(project, memo=memo)
    timeline.write_text(good)
    assert assert_same_as_full_build(memo, project) == ()  # as it was: kept from before


def test_a_change_the_clock_cannot_see_is_caught(project: Project):
    """Same size, modification time set back: the change time still moves, so the file is
    read again; and a watcher's report makes sure of it."""
    path = project.content_dir / "sample-explainer" / "glossary.yaml"
    memo = Memo()
    make_site(project, memo=memo)
    for old, new, changed in (("small", "tiny!", []), ("tiny!", "small", [path])):
        before = path.stat()
        edit(path, old, new)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        kept = make_site(project, memo=memo, changed=changed)
        assert f"A {new} part" in kept.files["sample-explainer/index.html"].decode()


def test_a_preview_session_on_two_cores_matches_full_builds(project: Project, tmp_path):
    """The preview's memo trusts the watcher, keeps every result in memory, reuses an
    unchanged explainer's related block and renders listing pages on a worker: after each
    kind of save its site is still exactly a fresh build's."""
    templates = tmp_path / "templates"
    shutil.copytree(project.templates_dir, templates)
    project = Project(project.content_dir, templates, project.out_dir)
    content = project.content_dir
    for number in range(4):  # enough explainers for the worker processes to be used
        shutil.copytree(content / "sample-explainer", content / f"copy-{number}")
    memo = Memo(jobs=2, session=True)
    try:
        assert len(assert_same_as_full_build(memo, project)) == 6
        saves = [
            (content / "copy-1" / "article.md", "The end.", "A new end."),
            (content / "copy-2" / "explainer.yaml", "A sample explainer", "Renamed"),
            (templates / "partials" / "sources.html", "Numbers in square", "The numbers"),
        ]
        for path, old, new in saves:
            assert old in path.read_text(), (path, old)
            edit(path, old, new)
            assert_same_as_full_build(memo, project, changed=[path])
        shutil.rmtree(content / "copy-3")
        assert assert_same_as_full_build(memo, project, changed=[content / "copy-3"]) == ()
        kept = make_site(project, memo=memo, changed=[])
        assert "Renamed" in kept.files["copy-0/index.html"].decode()  # its related block
    finally:
        memo.close()
