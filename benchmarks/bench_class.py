"""Benchmark: grade a generated class with warm workers vs a fresh interpreter per submission.

Usage::

    .venv/bin/python benchmarks/bench_class.py [--students 40] [--workers 2] [--mnist 2]

Generates N students (a mix of correct and buggy submissions) for the cheap exercises
(ex01, ex02, ex10–ex14, where grading cost is nearly all overhead) and grades them, in
the same run and side by side:

- **warm**: ``grader.api.grade`` (warm sandboxed workers that fork per submission);
- **fresh**: the nbgrader / ``otter run`` model: one new Python per submission that
  imports numpy and torch and runs the same harness (no sandbox, which only flatters it).

For each it prints throughput (students per minute), the grader's overhead per student
(worker-seconds minus the students' own compute time, divided by N), the marginal cost
of one more student (from a half-size run), and the peak memory of the whole process
tree. ``--training`` adds ex04–ex08 and ``--mnist K`` grades K students on ex09 alone.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from grader import api, wire  # noqa: E402
from grader.submission import discover_class  # noqa: E402

CHEAP = ["ex01", "ex02", "ex10", "ex11", "ex12", "ex13", "ex14"]
TRAINING = ["ex04", "ex05", "ex06", "ex07", "ex08"]
SEED = REPO / "examples" / "class" / "seed_student"


# ---------------------------------------------------------------- the class
def make_class(folder: Path, n: int, exercises: list[str]) -> None:
    """Every third student hands in the seed's buggy files where there are any; the rest are correct."""
    for i in range(n):
        student = folder / f"student{i:03d}"
        student.mkdir(parents=True)
        for ex in exercises:
            source = SEED / f"{ex}.py" if i % 3 == 2 and (SEED / f"{ex}.py").exists() else REPO / "reference" / f"{ex}.py"
            shutil.copy(source, student / f"{ex}.py")


# ---------------------------------------------------------------- memory of a process tree
class TreeMemory:
    """Samples the summed RSS of this process and all its descendants (bubblewrap children included)."""

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        root = os.getpid()
        while not self._stop.is_set():
            parents, rss = {}, {}
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    with open(f"/proc/{pid}/stat") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    parents[int(pid)] = int(fields[1])
                    rss[int(pid)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
                except (OSError, IndexError, ValueError):
                    continue
            tree, frontier = {root}, [root]
            while frontier:
                p = frontier.pop()
                kids = [c for c, pp in parents.items() if pp == p and c not in tree]
                tree.update(kids)
                frontier += kids
            self.peak = max(self.peak, sum(rss.get(p, 0) for p in tree))
            self._stop.wait(self.interval)


# ---------------------------------------------------------------- the two ways
def run_warm(folder: Path, out: Path, workers: int, exercises: list[str]) -> dict:
    with TreeMemory() as mem:
        start = time.perf_counter()
        klass = api.grade(folder, out, workers=workers, exercises=exercises, html=False, device="cpu")
        wall = time.perf_counter() - start
    compute = sum(c.execution_time for s in klass.submissions for c in s.cases)
    return {"wall": wall, "compute": compute, "n": len(klass.submissions), "peak": mem.peak,
            "score": sum(s.score for s in klass.submissions)}


FRESH_CHILD = r"""
import sys, json
import numpy, torch, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot
from grader import harness, wire
job = wire.decode_frame(sys.stdin.buffer.read(), tensors=True)
harness.run_job(job, sys.stdout.buffer)
"""


def run_fresh(folder: Path, workers: int, exercises: list[str]) -> dict:
    """One new interpreter per submission, ``workers`` at a time (what per-submission containers do)."""
    plan = api.make_plan(exercises=exercises, visibility="all", device="cpu")
    subs = discover_class(folder)

    def one(sub) -> float:
        cases = [{"id": f"{s.exercise}/{c.id}", "module": s.exercise,
                  "run": c.run.model_dump(mode="json", by_alias=True),
                  "inputs": plan.inputs[f"{s.exercise}/{c.id}"].sandbox}
                 for s in plan.specs if s.exercise in sub.sources for c in plan.cases(s)]
        job = {"src_dir": str(folder / sub.student), "device": "cpu",
               "modules": {ex: str(p) for ex, p in sub.sources.items()}, "cases": cases}
        env = {**os.environ, "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "PYTHONPATH": str(REPO)}
        proc = subprocess.run([sys.executable, "-c", FRESH_CHILD], input=wire.encode(job), capture_output=True,
                              env=env, timeout=600)
        events, stream = [], __import__("io").BytesIO(proc.stdout)
        while True:
            try:
                events.append(wire.read_frame(stream, 1 << 30))
            except EOFError:
                break
            except wire.WireError:
                break
        return sum(e.get("time", 0.0) for e in events if e.get("ev") == "end" and e.get("phase") == "case")

    with TreeMemory() as mem:
        start = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            compute = sum(pool.map(one, subs))
        wall = time.perf_counter() - start
    return {"wall": wall, "compute": compute, "n": len(subs), "peak": mem.peak}


# ---------------------------------------------------------------- report
def figures(r: dict, workers: int) -> dict:
    return {"students/min": 60 * r["n"] / r["wall"],
            "overhead s/student": (r["wall"] * workers - r["compute"]) / r["n"],
            "compute s/student": r["compute"] / r["n"], "peak MB": r["peak"] / 2**20, "wall s": r["wall"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--training", action="store_true", help="also grade ex04–ex08")
    ap.add_argument("--mnist", type=int, default=0, help="also grade this many students on ex09 alone")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    exercises = CHEAP + (TRAINING if args.training else [])
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    results = {}
    try:
        full, half = tmp / "full", tmp / "half"
        make_class(full, args.students, exercises)
        make_class(half, max(1, args.students // 2), exercises)
        warm_half = run_warm(half, tmp / "out-half", args.workers, exercises)
        warm = run_warm(full, tmp / "out-full", args.workers, exercises)
        fresh_half = run_fresh(half, args.workers, exercises)
        fresh = run_fresh(full, args.workers, exercises)
        for name, r, h in (("warm workers (ours)", warm, warm_half), ("fresh interpreter", fresh, fresh_half)):
            f = figures(r, args.workers)
            extra = r["n"] - h["n"]
            f["marginal worker-s/student"] = ((r["wall"] - h["wall"]) * args.workers
                                              - (r["compute"] - h["compute"])) / extra if extra else float("nan")
            results[name] = f
        if args.mnist:
            mn = tmp / "mnist"
            for i in range(args.mnist):
                (mn / f"student{i}").mkdir(parents=True)
                shutil.copy(REPO / "reference" / "ex09.py", mn / f"student{i}" / "ex09.py")
            r = run_warm(mn, tmp / "out-mnist", args.workers, ["ex09"])
            results["ex09 (warm workers)"] = figures(r, args.workers)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.students} students, exercises {' '.join(exercises)}, {args.workers} workers, "
          f"{os.cpu_count()} cores")
    cols = ["students/min", "overhead s/student", "marginal worker-s/student", "compute s/student", "peak MB",
            "wall s"]
    print(f"{'':22s}" + "".join(f"{c:>27s}" for c in cols))
    for name, f in results.items():
        print(f"{name:22s}" + "".join(f"{f.get(c, float('nan')):27.3f}" for c in cols))
    if "fresh interpreter" in results:
        w, b = results["warm workers (ours)"], results["fresh interpreter"]
        print(f"overhead ratio fresh/warm: {b['overhead s/student'] / w['overhead s/student']:.1f}x; "
              f"marginal ratio: {b['marginal worker-s/student'] / max(w['marginal worker-s/student'], 1e-9):.1f}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
