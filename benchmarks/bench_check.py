"""Benchmark: how long a student waits for ``grader check`` of one exercise, next to ``import torch``.

Usage::

    .venv/bin/python benchmarks/bench_check.py [--repeat 5]

Alternates, in one run, a bare ``python -c "import torch"`` with ``grader check`` of single
exercises (a numpy one, a training one, and a file that imports matplotlib.pyplot) and
prints the median wall times and their ratio to the bare import.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

COMMANDS = {
    'python -c "import torch"': [sys.executable, "-c", "import torch"],
    "grader check reference --exercise ex13": [str(BIN / "grader"), "check", "reference", "--exercise", "ex13"],
    "grader check reference --exercise ex04": [str(BIN / "grader"), "check", "reference", "--exercise", "ex04"],
    "grader check seed_student --exercise ex01 (pyplot)": [
        str(BIN / "grader"), "check", "examples/class/seed_student", "--exercise", "ex01"],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.repeat):
        for name, argv in COMMANDS.items():   # interleaved, so drift on a noisy machine hits all alike
            start = time.perf_counter()
            subprocess.run(argv, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times['python -c "import torch"'])
    print(f"{'command':55s} {'median s':>9s} {'x import torch':>15s}")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"{name:55s} {med:9.2f} {med / base:15.2f}")


if __name__ == "__main__":
    main()
