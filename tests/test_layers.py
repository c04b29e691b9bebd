"""The architecture, enforced: stages never reach up or sideways, modules stay small.

Layers, bottom to top (a module may import its own unit, and units of lower layers as
allowed below):

- foundation, in this order (each may import only those before it): errors, dates, rules,
  textscan,
  raw, fields, values, records, model, geo;
- stages: load, validate, render, check, write (foundation only; never each other);
- orchestration, in this order: store, sweep, jobs, pool, indexer, memo, pipeline (stages and
  foundation);
- applications: preview, publish, scaffold (orchestration and foundation; never each other, never a
  stage directly);
- interface, in this order: options, messages, cli, __main__ (anything below).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
FOUNDATION = ("__init__", "errors", "dates", "rules", "textscan", "raw", "fields", "values",
              "records", "model",
              "geo")
STAGES = ("load", "validate", "render", "check", "write")
ORCHESTRATION = ("store", "sweep", "jobs", "pool", "indexer", "memo", "pipeline")
APPLICATIONS = ("preview", "publish", "scaffold")
INTERFACE = ("options", "messages", "cli", "__main__")
LAYERS = (FOUNDATION, STAGES, ORCHESTRATION, APPLICATIONS, INTERFACE)
ORDERED = (FOUNDATION, ORCHESTRATION, INTERFACE)  # within these, a unit may import earlier ones
MAX_LINES = 300


def layer_of(unit: str) -> int:
    return next(index for index, layer in enumerate(LAYERS) if unit in layer)


def allowed(source: str, target: str) -> bool:
    """May code in unit ``source`` import unit ``target``?"""
    if source == target:
        return True
    here, there = layer_of(source), layer_of(target)
    if here == there:
        layer = LAYERS[here]
        return layer in ORDERED and layer.index(target) < layer.index(source)
    if there > here:
        return False  # upward
    if LAYERS[here] is INTERFACE or LAYERS[there] is FOUNDATION:
        return True
    return there == here - 1  # no skipping past the layer just below


def unit_of(module: Path) -> str:
    parts = module.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imports(module: Path) -> list[tuple[str, int]]:
    """Package units a module imports, with the line, including imports inside functions."""
    found = []
    for node in ast.walk(ast.parse(module.read_text(), str(module))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if (parts[0] == "generator" and len(parts) > 1 and (PACKAGE / parts[1]).exists()) or \
                    (parts[0] == "generator" and len(parts) > 1 and \
                    (PACKAGE / f"{parts[1]}.py").exists()):
                found.append((parts[1], node.lineno))
    return found


def violations() -> list[str]:
    found = []
    for module in sorted(PACKAGE.rglob("*.py")):
        source = unit_of(module)
        for target, line in imports(module):
            if not allowed(source, target):
                found.append(f"{module.relative_to(PACKAGE.parent)}:{line}: {source} imports "
                             f"{target}")
    return sorted(set(found))


def test_every_module_belongs_to_a_layer():
    units = {unit_of(m) for m in PACKAGE.rglob("*.py")}
    assert units <= {unit for layer in LAYERS for unit in layer}, units


def test_no_module_imports_upward_or_sideways():
    assert violations() == []


@pytest.mark.parametrize(("source", "target", "expected"), [
    ("render", "load", False),  # sideways between stages
    ("validate", "pipeline", False),  # upward
    ("raw", "model", False),  # upward inside the foundation
    ("model", "records", True),
    ("preview", "write", False),  # an application skipping the pipeline
    ("preview", "publish", False),
    ("preview", "pipeline", True),
    ("memo", "pipeline", False),
    ("pipeline", "memo", True),
    ("cli", "render", True),
])
def test_the_rule_itself(source: str, target: str, expected: bool):
    assert allowed(source, target) is expected


def test_modules_stay_small():
    long = {m.relative_to(PACKAGE).as_posix(): n for m in PACKAGE.rglob("*.py")
            if (n := len(m.read_text().splitlines())) > MAX_LINES}
    assert long == {}
