"""Speed and memory figures for spes-report (prints them; asserts nothing).

    python benchmarks/bench.py            # or: make bench

1. `spes-report build` on the sample against `python -c "import openpyxl,
   xlsxwriter, click, jinja2"` (target: ratio at most 1.35);
2. `spes-report --help` against `python -c "import click"` (target: at most 1.5);
   each the median of 7 runs, the two commands run side by side in turn;
3. `spes-report build` as a whole process, with a generated plan.xlsx and a
   filled input (250, 500, 1,000 missions): time and the process's peak memory
   (target for 1,000: under 6 s and under 200 MiB, both growing linearly), and
   reading the generated plan alone (target for 1,000: under 0.5 s);
4. `build --pdf` on the sample: the build, then the PDF step alone (LibreOffice
   started on a fresh profile, the workbook printed, the PDF checked), median of 3
   (skipped when LibreOffice is absent).
"""

from __future__ import annotations

import compileall
import os
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


def generated_files(work: Path, missions: int) -> None:
    """A plan.xlsx of ``missions`` missions and an input with two rates each, in ``work``."""
    from spes_report import Milestone, Mission, Notes
    from spes_report.model import Plan
    from spes_report.writers.plan import write_plan
    from spes_report.writers.template import write_template

    milestones = (
        Milestone(date(2020, 5, 11), 0.75), Milestone(date(2020, 6, 1), 0.85),
        Milestone(date(2020, 7, 1), 0.90), Milestone(date(2020, 9, 1), 1.0),
    )
    plan = Plan("SPES", "Plan généré pour les mesures", tuple(
        Mission(n, f"Mission générée numéro {n}", "Objectif " * 10, "Description " * 20,
                milestones, pilot=f"Pilote {n}", pilot_email=f"pilote.{n}@exemple.gouv.fr")
        for n in range(1, missions + 1)
    ))
    rates = {}
    for n in range(1, missions + 1):
        rates[(n, date(2020, 5, 11))] = (n % 90) / 100
        rates[(n, date(2020, 6, 1))] = (n % 90 + 5) / 100
    notes = {n: Notes("Commentaire " * 8, "Attention " * 5, "Étape " * 5)
             for n in range(1, missions + 1)}
    write_plan(work / "plan.xlsx", plan)
    write_template(work / "input.xlsx", plan, committee_date=date(2020, 6, 1),
                   rates=rates, notes=notes)


def generated_build(missions: int) -> None:
    """Through the real command, in its own process: its time and its peak memory."""
    import openpyxl  # noqa: F401  (a build loads it anyway: time the reading alone)

    from spes_report.plan import read_plan

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        generated_files(work, missions)
        plan_times = []
        for _ in range(3):
            start = time.perf_counter()
            read_plan(work / "plan.xlsx")
            plan_times.append(time.perf_counter() - start)
        plan_time = statistics.median(plan_times)
        times, peak = [], 0.0
        for _ in range(3):
            shutil.rmtree(work / "out", ignore_errors=True)
            start = time.perf_counter()
            child = subprocess.Popen([*command(), "build", "input.xlsx", "--output-dir", "out"],
                                     cwd=work, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            times.append(time.perf_counter() - start)
            if status != 0:
                raise SystemExit(f"build failed with status {status}")
            peak = max(peak, usage.ru_maxrss / 1024)  # KiB on Linux
        size = (work / "out" / "SPES_COPIL_2020-06-01.xlsx").stat().st_size
    print(f"{missions:5d} missions   spes-report build {statistics.median(times):5.2f} s   "
          f"peak {peak:6.1f} MiB   workbook {size / 1024:5.0f} KiB   "
          f"reading plan.xlsx {plan_time:5.2f} s (target for 1,000: <= 0.5 s)")


def pdf_figures() -> None:
    """The sample built, then printed: each step's own time, as build --pdf runs them."""
    from spes_report.pdf import PdfError, Settings, find
    from spes_report.pipeline import build

    try:
        find()
    except PdfError:
        print("PDF step                 skipped: LibreOffice (soffice) absent")
        return
    builds, prints, pages = [], [], 0
    for _ in range(3):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            build(SAMPLE, Path(folder) / "plain", archive=False)
            builds.append(time.perf_counter() - start)
            result = build(SAMPLE, Path(folder) / "printed", archive=False, pdf=Settings())
            if result.pdf is None:
                raise SystemExit(f"the PDF step failed: {result.pdf_error!r}")
            prints.append(result.pdf.seconds)
            pages = result.pdf.pages
    print(f"build on the sample      {statistics.median(builds):6.3f} s (in process)   "
          f"PDF step {statistics.median(prints):6.3f} s ({pages} pages, "
          f"{result.pdf.made_with})")


def main() -> None:
    # Measure the package as installed: compiled, like the libraries it is compared with
    # (an editable install is not compiled by pip; `make` compiles it too).
    compileall.compile_dir(ROOT / "spes_report", quiet=1)
    print(f"spes-report benchmarks (median of {RUNS} runs; Python {sys.version.split()[0]})")
    startup_figures()
    print("generated plan.xlsx and input, `spes-report build` as a whole process "
          "(median of 3; peak = the process)")
    for count in (250, 500, 1000):
        generated_build(count)
    print("build --pdf on the sample (median of 3; the PDF step: LibreOffice from start "
          "to checked PDF)")
    pdf_figures()


if __name__ == "__main__":
    main()
