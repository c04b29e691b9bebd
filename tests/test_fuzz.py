"""Property-based fuzzing: whatever a person types, the tool answers with located problems.

A short profile runs in CI; run the long one on demand with
``HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import os
import shutil
import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.dates import PartialDate
from generator.errors import BuildFailed, SourceLocation
from generator.load import load_explainer
from generator.load.yamlparse import parse_yaml
from generator.pipeline import Project, make_site
from generator.raw import Prose
from generator.records import Source
from generator.render.markup import MarkdownConverter, ProseRenderer
from generator.validate import DEFAULT_CONFIG, Context, validate_explainer
from generator.validate.prose import check_prose, text_locator

from conftest import FIXTURES, TEMPLATES

settings.register_profile("ci", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SAMPLE = FIXTURES / "minimal" / "content" / "sample-explainer"
YAML_FILES = sorted(p.name for p in SAMPLE.glob("*.yaml"))
MARKDOWNISH = string.ascii_letters + string.digits + " \n\t#*_[]()@{}=<>>!:;,.-+'\"`~|\\/"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_any_text_parses_to_nodes_or_located_problems(text: str):
    node, problems = parse_yaml("f.yaml", text)
    assert node is not None or problems
    for problem in problems:
        assert problem.location.path == "f.yaml" and problem.location.line >= 1


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """A real file with a few bytes inserted, deleted or replaced: typos at deadline."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(("insert", "delete", "replace")))
        byte = draw(st.sampled_from(list(b":-[]{}'\"#&*!|>\n\t @,0123456789abcz\xe9\xff")))
        if action == "insert":
            data.insert(position, byte)
        elif data and position < len(data):
            if action == "delete":
                del data[position]
            else:
                data[position] = byte
    return bytes(data)


@given(st.sampled_from([*YAML_FILES, "article.md", "background.md"]), st.data())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_mutated_content_gives_diagnostics_never_exceptions(name: str, data: st.DataObject):
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        shutil.copytree(FIXTURES / "minimal", root / "p")
        target = root / "p" / "content" / "sample-explainer" / name
        target.write_bytes(data.draw(mutated(target.read_bytes())))
        raw, _problems = load_explainer(target.parent, root / "p" / "content")
        validate_explainer(raw, Context(DEFAULT_CONFIG, frozenset({"seeds/sample.txt"})))
        try:
            result = make_site(Project(root / "p" / "content", TEMPLATES,
                                            root / "p" / "site"))
        except BuildFailed as failed:
            assert failed.diagnostics
            assert all(d.location.path for d in failed.diagnostics)
        else:
            assert result.files


SOURCES = (Source(id="a", title="A", publisher="P", date=PartialDate(2020),
                  url=None, author=None, note=None),)


@given(st.text(alphabet=MARKDOWNISH, max_size=300))
def test_any_markdown_is_checked_and_what_passes_renders(text: str):
    report = check_prose(text, text_locator("a.md", text), block=True, allow_containers=True,
                         allow_raw_html=False)
    if any(p.is_error for p in report.problems):
        return
    if any(c.source_id != "a" for c in report.citations):
        return
    html = ProseRenderer(SOURCES, MarkdownConverter(allow_raw_html=False)).block(
        Prose(text=text, location=SourceLocation("a.md", 1, 1)))
    assert "<script" not in html.lower()


words = st.text(alphabet=string.ascii_letters + " ,.'", min_size=1, max_size=40).map(
    lambda s: s.strip() or "text")


@st.composite
def explainer_files(draw: st.DrawFn) -> dict[str, str]:
    """A valid explainer of random shape."""
    source_ids = [f"s{i}" for i in range(draw(st.integers(1, 4)))]
    sources = "".join(f"- id: {i}\n  title: \"{draw(words)}\"\n  publisher: \"{draw(words)}\"\n"
                      f"  date: {draw(st.integers(1900, 2030))}\n" for i in source_ids)
    dates = st.dates().map(lambda d: d.isoformat())
    events = "".join(
        f"  - id: e{n}\n    date: {draw(dates)}\n    era: era\n    title: \"{draw(words)}\"\n"
        f"    text: \"{draw(words)}\"\n    sources: [{draw(st.sampled_from(source_ids))}]\n"
        for n in range(draw(st.integers(1, 6))))
    cited = " ".join(f"[@{i}]" for i in source_ids)
    return {
        "explainer.yaml": f"title: \"{draw(words)}\"\nsummary: \"{draw(words)}\"\n"
                          f"published: {draw(dates)}\n",
        "article.md": f"## {draw(words)}\n\n{draw(words)} {cited}\n",
        "sources.yaml": sources,
        "timeline.yaml": f"eras:\n  - id: era\n    title: \"{draw(words)}\"\nevents:\n{events}",
    }


@given(explainer_files())
def test_every_valid_generated_explainer_builds(files: dict[str, str]):
    with tempfile.TemporaryDirectory() as temp:
        content = Path(temp) / "content"
        (content / "generated").mkdir(parents=True)
        (content / "site.yaml").write_text("title: T\ndescription: D\nlanguage: en\n"
                                           "base_url: https://example.org/\n")
        for name, text in files.items():
            (content / "generated" / name).write_text(text)
        result = make_site(Project(content, TEMPLATES, Path(temp) / "site"), strict=True)
        assert "generated/index.html" in result.files
