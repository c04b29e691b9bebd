"""Write sources-index.md: for every source the site cites, where its record lives and where
the research logs quote what was seen on it. Run from the repository root:
``.venv/bin/python docs/research/sources_index.py``."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
HERE = Path(__file__).resolve().parent
LOGS = ("afghanistan-tajikistan-2021-evidence.md", "afghanistan-tajikistan-2021-factcheck.md",
        "us-invasion-afghanistan-2001-evidence.md", "us-withdrawal-afghanistan-2021-evidence.md",
        "charts-and-map-evidence.md")
HEAD = """# Sources index: where each source's evidence is logged

Every source the site cites, with where its record lives (`site-wide` = `content/sources.yaml`,
shared by two or more explainers; otherwise the explainer's own `sources.yaml`), whether the
record carries a web address (only addresses seen in a search result are written), and where
the research logs quote what was seen on it (file:line of the first mention, and how many
more). Made by `sources_index.py` in this folder; run it again after changing sources or logs.

| source | record in | address | evidence logged at |
| --- | --- | --- | --- |
"""


def mentions(lines: list[str], needle: str, by_id: bool) -> list[int]:
    pattern = rf"(?<![\w-]){re.escape(needle)}(?![\w-])" if by_id else re.escape(needle)
    return [number for number, line in enumerate(lines, start=1) if re.search(pattern, line)]


def where_logged(source: dict, logs: dict[str, list[str]]) -> str:
    for needle, by_id, how in ((source["id"], True, ""),
                               (source.get("url") or "", False, " (logged by its address)")):
        found = [f"{name}:{hits[0]}" + (f" (+{len(hits) - 1})" if len(hits) > 1 else "")
                 for name, lines in logs.items() if needle
                 for hits in [mentions(lines, needle, by_id)] if hits]
        if found:
            return "; ".join(found) + how
    return "not logged"


def main() -> None:
    logs = {name: (HERE / name).read_text(encoding="utf-8").splitlines() for name in LOGS}
    files = [("site-wide", CONTENT / "sources.yaml")] + [
        (folder.name, folder / "sources.yaml") for folder in sorted(CONTENT.iterdir())
        if (folder / "sources.yaml").exists()]
    rows = []
    for where, path in files:
        for source in yaml.safe_load(path.read_text(encoding="utf-8")):
            address = "yes" if source.get("url") else "no (cited without address)"
            rows.append(f"| `{source['id']}` | {where} | {address} | "
                        f"{where_logged(source, logs)} |\n")
    (HERE / "sources-index.md").write_text(HEAD + "".join(rows), encoding="utf-8")


if __name__ == "__main__":
    main()
