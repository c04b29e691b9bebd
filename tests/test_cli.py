from conftest import REPO, run_cli, tree_bytes


def test_build_prints_one_summary_line_and_exits_zero(minimal_project):
    result = run_cli("build", "--content", str(minimal_project.content_dir),
                     "--out", str(minimal_project.out_dir))
    assert result.code == 0, result.err
    assert result.err == ""
    lines = result.out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("built 1 explainer, 3 pages, 10 files written to ")


def test_check_writes_nothing(minimal_project):
    result = run_cli("check", "--content", str(minimal_project.content_dir),
                     "--out", str(minimal_project.out_dir))
    assert result.code == 0, result.err
    assert "nothing written" in result.out
    assert not minimal_project.out_dir.exists()


def test_problems_exit_one_without_traceback_and_leave_site_alone(minimal_project):
    run_cli("build", "--content", str(minimal_project.content_dir),
            "--out", str(minimal_project.out_dir))
    before = tree_bytes(minimal_project.out_dir)
    (minimal_project.content_dir / "sample-explainer" / "people.yaml").write_text(
        "- id: x\n  name: [unclosed\n")
    result = run_cli("build", "--content", str(minimal_project.content_dir),
                     "--out", str(minimal_project.out_dir))
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.splitlines()[0].startswith(
        f"{minimal_project.content_dir.as_posix()}/sample-explainer/people.yaml:")
    assert result.err.splitlines()[-1] == (
        f"failed: 1 error; {minimal_project.out_dir.as_posix()}/ was left unchanged")
    assert tree_bytes(minimal_project.out_dir) == before


def test_usage_errors_exit_two():
    assert run_cli("build", "--nonsense").code == 2
    assert run_cli().code == 2


def test_console_script_is_declared():
    assert 'explainer = "generator.cli:main"' in (REPO / "pyproject.toml").read_text()
