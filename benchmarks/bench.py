"""Speed and memory figures for spes-report (prints them; asserts nothing).

    python benchmarks/bench.py            # or: make bench

1. `spes-report build` on the sample against `python -c "import openpyxl,
   xlsxwriter, click, jinja2"` (target: ratio at most 1.35);
2. `spes-report --help` against `python -c "import click"` (target: at most 1.5);
   each the median of 7 runs, the two commands run side by side in turn;
3. a build with generated missions (250, 500, 1,000): time and peak memory
   (target for 1,000: under 6 s and under 200 MiB, both growing linearly).
"""

from __future__ import annotations

import compileall
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "input.xlsx"
RUNS = 7


def command() -> list[str]:
    script = Path(sys.executable).with_name("spes-report")
    return [str(script)] if script.exists() else [sys.executable, "-m", "spes_report"]


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def side_by_side(ours: list[str], baseline: list[str], cwd: Path) -> tuple[float, float]:
    ours_times, base_times = [], []
    for _ in range(RUNS):
        base_times.append(timed(baseline, cwd))
        ours_times.append(timed(ours, cwd))
    return statistics.median(ours_times), statistics.median(base_times)


def startup_figures() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shutil.copy(SAMPLE, work / "input.xlsx")
        build = [*command(), "build", "input.xlsx", "--output-dir", "out"]
        imports = [sys.executable, "-c", "import openpyxl, xlsxwriter, click, jinja2"]
        ours, base = side_by_side(build, imports, work)
        print(f"build on the sample      {ours:6.3f} s   imports alone {base:6.3f} s   "
              f"ratio {ours / base:4.2f} (target <= 1.35)")
        ours, base = side_by_side([*command(), "--help"], [sys.executable, "-c", "import click"],
                                  work)
        print(f"spes-report --help       {ours:6.3f} s   import click  {base:6.3f} s   "
              f"ratio {ours / base:4.2f} (target <= 1.50)")


def generated_build(missions: int) -> None:
    """Run in a child process so that its peak memory is its own."""
    from spes_report import Milestone, Mission, Notes
    from spes_report.model import Plan
    from spes_report.pipeline import build
    from spes_report.writers.template import write_template

    milestones = (
        Milestone(date(2020, 5, 11), 0.75), Milestone(date(2020, 6, 1), 0.85),
        Milestone(date(2020, 7, 1), 0.90), Milestone(date(2020, 9, 1), 1.0),
    )
    plan = Plan("SPES", "", (), tuple(
        Mission(n, f"Mission générée numéro {n}", "Objectif " * 10, "Description " * 20,
                milestones)
        for n in range(1, missions + 1)
    ))
    rates = {}
    for n in range(1, missions + 1):
        rates[(n, date(2020, 5, 11))] = (n % 90) / 100
        rates[(n, date(2020, 6, 1))] = (n % 90 + 5) / 100
    notes = {n: Notes("Commentaire " * 8, "Attention " * 5, "Étape " * 5)
             for n in range(1, missions + 1)}
    import openpyxl  # noqa: F401  (loaded before the baseline is read)
    import xlsxwriter  # noqa: F401

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        write_template(work / "input.xlsx", plan, committee_date=date(2020, 6, 1),
                       rates=rates, notes=notes)
        baseline = current_rss_mib()
        start = time.perf_counter()
        result = build(work / "input.xlsx", work / "out", plan=plan)
        elapsed = time.perf_counter() - start
        size = result.workbook.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"{missions:5d} missions   build {elapsed:5.2f} s   peak {peak:6.1f} MiB "
          f"(build's own {peak - baseline:6.1f} MiB over {baseline:5.1f} MiB of interpreter "
          f"and libraries)   workbook {size / 1024:5.0f} KiB")


def current_rss_mib() -> float:
    """Resident memory now (Linux), to tell the build's own peak from the imports'."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        generated_build(int(sys.argv[2]))
        return
    # Measure the package as installed: compiled, like the libraries it is compared with
    # (an editable install is not compiled by pip; `make` compiles it too).
    compileall.compile_dir(ROOT / "spes_report", quiet=1)
    print(f"spes-report benchmarks (median of {RUNS} runs; Python {sys.version.split()[0]})")
    startup_figures()
    print("generated missions (load + build + write; peak = whole process)")
    for count in (250, 500, 1000):
        subprocess.run([sys.executable, __file__, "--child", str(count)], check=True)


if __name__ == "__main__":
    main()
