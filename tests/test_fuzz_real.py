"""Fuzzing the real explainer: its own files, mutated the way hostile or careless input
arrives (typos, truncation, pasted markup, encoded script links, control characters,
pathological runs). Whatever comes in, a build answers with exit code 0 or 1, no traceback,
located messages and bounded CPU.

CI runs a short profile (a few dozen builds, well under a minute); run the long one with
``HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_fuzz_real.py`` (1,500 builds).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main

from conftest import TEMPLATES
from realsite import PROJECT

SLUG = "afghanistan-tajikistan-2021"
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
CPU_BOUND = 10.0  # seconds for one whole build of the real explainer, mutated
SNIPPETS = (
    "[x](jav&#x61;script:alert(1))", "[x](javascript&colon;alert(1))", "[x](java\tscript:1)",
    "<svg/onload=alert(1)>", "<script/x>alert(1)</script>", '<img src=x alt=">" onerror=1>',
    "[" * 3000, "![" * 1500, "{==" * 1000, "`a" * 1000, "[x](" * 800, " " * 20000,
    "> " * 2000, "[@" * 1000, "\x07", "\x00", "\x1b[31m", "\ufeff", "&#0;", "'", '"', ": ",
    "- ", "{", "}", "*a", "\n\n\n\n", "#", "::: box\n", ":::", "[@nonexistent-source]",
    "{==x==}{>>y<<}", "\t", "\r", "\u202e", "\U0001f600", "é", "[" * 80 + "]" * 80,
)


@st.composite
def mutation(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(("snippet", "delete", "byte", "truncate", "repeat")))
        if action == "snippet":
            data[at:at] = draw(st.sampled_from(SNIPPETS)).encode("utf-8")
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif action == "byte":
            data[at:at] = bytes([draw(st.integers(0, 255))])
        elif action == "truncate":
            del data[at:]
        else:
            data[at:at] = bytes(data[at:at + draw(st.integers(1, 200))]) * 20
    return bytes(data)


@pytest.fixture(scope="module")
def real_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real explainer alone, with the shared files, seeds and templates it needs."""
    root = tmp_path_factory.mktemp("real") / "project"
    content = root / "content"
    content.mkdir(parents=True)
    for entry in (PROJECT / "content").iterdir():
        if entry.is_file():
            shutil.copy2(entry, content / entry.name)
    shutil.copytree(PROJECT / "content" / SLUG, content / SLUG)
    shutil.copytree(PROJECT / "seeds", root / "seeds")
    shutil.copytree(TEMPLATES, root / "templates")
    return root


FILES = sorted(p.name for p in (PROJECT / "content" / SLUG).iterdir() if p.is_file())
LOCATED = re.compile(r"^(?:\S[^:]*):(?:\d+:\d+:|\d+:|) ?\S")


@settings(max_examples=1500 if LONG else 24, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(name=st.sampled_from(FILES), data=st.data())
def test_mutated_real_explainer_builds_or_says_where(real_project: Path, name: str,
                                                     data: st.DataObject):
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "project"
        shutil.copytree(real_project, root)
        target = root / "content" / SLUG / name
        target.write_bytes(data.draw(mutation(target.read_bytes()), label="mutated"))
        err = io.StringIO()
        started = time.process_time()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["build", "--content", str(root / "content"), "--templates",
                         str(root / "templates"), "--out", str(root / "site"), "--no-cache"])
        seconds = time.process_time() - started
    output = err.getvalue()
    assert code in (0, 1), output
    assert "Traceback" not in output and "internal error" not in output, output[-2000:]
    assert seconds < CPU_BOUND, f"{name}: {seconds:.1f} s of CPU"
    lines = output.splitlines()
    if code == 1:
        assert lines[-1].startswith("failed:"), output[-2000:]
        for line in lines[:-1]:
            if line.startswith("  "):
                continue  # a continuation (a list of known names)
            assert LOCATED.match(line) and line.startswith(str(root)), line
