from conftest import run_cli, tree_bytes


def test_build_prints_one_summary_line_and_exits_zero(minimal_project):
    result = run_cli("build", "--content", str(minimal_project.content_dir),
                     "--out", str(minimal_project.out_dir))
    assert result.code == 0, result.err
    assert result.err == ""
    lines = result.out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("built 1 explainer, 6 pages, ")  # with its 2 topic pages


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


def test_one_base_url_rule_for_the_command_line_and_site_yaml(minimal_project):
    content = minimal_project.content_dir
    args = ("check", "--content", str(content), "--out", str(minimal_project.out_dir))
    for good in ("http://localhost:8080/preview", "https://example.org/news/"):
        assert run_cli(*args, "--base-url", good).code == 0, good
        site = (content / "site.yaml").read_text()
        (content / "site.yaml").write_text(
            "\n".join(f"base_url: {good}" if line.startswith("base_url") else line
                      for line in site.splitlines()) + "\n")
        assert run_cli(*args).code == 0, good
    for bad in ("example.org/news", "ftp://example.org/", "https://exa mple.org/"):
        from_cli = run_cli(*args, "--base-url", bad)
        assert from_cli.code == 2 and f"'{bad}' is not a web address" in from_cli.err
        (content / "site.yaml").write_text(f"title: T\ndescription: D\nlanguage: en\n"
                                           f"base_url: '{bad}'\n")
        from_yaml = run_cli(*args)
        assert from_yaml.code == 1 and f"'{bad}' is not a web address" in from_yaml.err
