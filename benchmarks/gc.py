"""What tuning the garbage collector gains: builds with Python's default thresholds against
the tuned ones (``generator.pool.GC_THRESHOLDS``), on the same corpus in one run.

    python benchmarks/gc.py                       # 1,000 plain and 300 realistic explainers
    python benchmarks/gc.py --plain 5000 --realistic 1000 --repeat 3

Each build is a whole process from an empty output folder and no cache. The untuned run
patches the thresholds back to the interpreter's defaults before the build starts (worker
processes are forked, so they inherit the patch). Prints median wall, CPU and peak RSS.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import Run, median_run, run  # noqa: E402

from corpus import lay_out_explainer, pages  # noqa: E402

BUILD = ("import gc, sys; import generator.pool as pool; from generator.cli import main\n"
         "if sys.argv[1] == 'default': pool.GC_THRESHOLDS = gc.get_threshold()\n"
         "sys.exit(main(['build', '--no-cache']))")


def build(project: Path, collector: str, repeat: int) -> Run:
    runs = []
    for _ in range(repeat):
        shutil.rmtree(project / "site", ignore_errors=True)
        runs.append(run([sys.executable, "-c", BUILD, collector], project))
    return median_run(runs)


def compare(name: str, project: Path, repeat: int) -> list[str]:
    default = build(project, "default", repeat)
    tuned = build(project, "tuned", repeat)
    return [f"| {name}, default (700, 10, 10) | {default.wall:.2f} s | {default.cpu:.2f} s | "
            f"{default.rss_mib:.0f} MiB |",
            f"| {name}, tuned {_thresholds()} | {tuned.wall:.2f} s | {tuned.cpu:.2f} s | "
            f"{tuned.rss_mib:.0f} MiB |",
            f"| gain | {1 - tuned.wall / default.wall:.0%} of wall | "
            f"{1 - tuned.cpu / default.cpu:.0%} of cpu | "
            f"{tuned.rss_mib - default.rss_mib:+.0f} MiB |"]


def _thresholds() -> str:
    sys.path.insert(0, str(HERE.parent))
    from generator.pool import GC_THRESHOLDS

    return "(" + ", ".join(f"{n:,}" for n in GC_THRESHOLDS) + ")"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plain", type=int, default=1000)
    parser.add_argument("--realistic", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines = ["| build | wall | cpu | peak RSS |", "| --- | ---: | ---: | ---: |"]
    with tempfile.TemporaryDirectory(prefix="explainer-gc-") as temp:
        if args.plain:
            plain = lay_out_explainer(Path(temp) / "plain", pages(args.plain))
            lines += compare(f"{args.plain:,} plain", plain, args.repeat)
        if args.realistic:
            real = lay_out_explainer(Path(temp) / "realistic", pages(args.realistic),
                                     realistic=True)
            lines += compare(f"{args.realistic:,} realistic", real, args.repeat)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
