"""Time and memory of the loader on the hostile-input corpus (prints figures; asserts nothing).

    python benchmarks/hostile.py

Each case of tests/support/hostile.py is built once, then loaded in a fresh
process so that its peak memory is its own: the process's peak resident size
(VmHWM, interpreter and libraries included; Linux only), the same for a
process that only imports them, and tracemalloc's peak of Python allocations
during a second, traced load (the time shown is the first, untraced one).
Targets (issue 3): every case under 200 MiB, the whole corpus under 30 s.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

LOAD = """
import json, sys, time, tracemalloc
from pathlib import Path
from spes_report import InputError, load_plan, load_input

def high_water_kib():
    # VmHWM starts afresh at exec (ru_maxrss would carry the parent's peak over).
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0

def load(path):
    try:
        load_input(path, plan)
        return "loaded"
    except InputError as error:
        return error.problems[0].code

plan = load_plan()
import openpyxl, defusedxml, olefile  # imported before measuring, as a real load would
outcome, elapsed, peak = "imports only", 0.0, 0
if len(sys.argv) > 1:
    path = Path(sys.argv[1])
    start = time.perf_counter()
    outcome = load(path)
    elapsed = time.perf_counter() - start
    tracemalloc.start()  # a second load, traced (tracing slows it down)
    load(path)
    peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({"outcome": outcome, "seconds": elapsed, "traced": peak,
                  "rss_kib": high_water_kib()}))
"""


def load_in_fresh_process(path: Path | None) -> dict[str, object]:
    args = [sys.executable, "-c", LOAD] + ([str(path)] if path else [])
    done = subprocess.run(args, capture_output=True, text=True, check=True, cwd=ROOT)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    from support.hostile import corpus

    start = time.perf_counter()
    cases = corpus()
    baseline = load_in_fresh_process(None)
    base_mib = int(str(baseline["rss_kib"])) / 1024
    print(f"interpreter + libraries alone: {base_mib:.0f} MiB resident\n")
    print(f"{'case':28} {'made':>6} {'load':>7} {'traced':>8} {'resident':>9}  outcome")
    worst = 0.0
    load_total = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for case in cases:
            case_folder = Path(folder) / case.name
            case_folder.mkdir()
            made_at = time.perf_counter()
            path = case.make(case_folder)
            made = time.perf_counter() - made_at
            figures = load_in_fresh_process(path)
            seconds = float(str(figures["seconds"]))
            load_total += seconds
            resident = int(str(figures["rss_kib"])) / 1024
            worst = max(worst, resident)
            traced = int(str(figures["traced"])) / 2**20
            print(f"{case.name:28} {made:5.2f}s {seconds * 1000:5.0f}ms {traced:6.1f}MiB "
                  f"{resident:7.0f}MiB  {figures['outcome']}")
    total = time.perf_counter() - start
    print(f"\n{len(cases)} cases: loads {load_total:.2f} s in all; corpus built and loaded in "
          f"{total:.1f} s (target < 30 s, one process per case included)")
    print(f"largest peak resident size {worst:.0f} MiB (target < 200 MiB), of which "
          f"{base_mib:.0f} MiB is the interpreter and libraries")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"this script's own peak (building the files): {own:.0f} MiB")


if __name__ == "__main__":
    main()
