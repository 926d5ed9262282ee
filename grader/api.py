"""The grader's operations as a Python API; the command line only parses and prints.

- :func:`check`: a student's self-check of one submission on the public cases.
- :func:`grade`: an instructor grading a class folder; writes every report.
- :func:`build_key` / :func:`key_problems`: build and verify the answer key.

Flow of one submission: specs and answer key (loaded once per run) → inputs
(generated once per run) → :class:`grader.sandbox.WorkerPool` (isolated run) →
:func:`grader.checks.judge` (compare, score) → results → reports.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import threading
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

from grader import answer_key, mnist
from grader.checks import judge
from grader.inputs import CaseInputs, materialize
from grader.results import CaseResult, ClassResult, ExerciseResult, SubmissionResult
from grader.spec import DEFAULT_ASSIGNMENTS, Case, Exercise, MnistRun, SpecError, load_all
from grader.submission import (Submission, SubmissionError, defined_names, discover_class, load,
                               module_for, prepare)


class UsageError(Exception):
    """A bad command line, path or configuration (not a student's fault)."""


@dataclass
class Plan:
    """Everything that is the same for every student of a run: computed once."""

    specs: list[Exercise]
    keys: dict[str, answer_key.AnswerKey]
    inputs: dict[str, CaseInputs]          # "ex02/case" -> inputs
    visibility: str                        # "public" (self-check) | "all" (instructor)
    time_limit: Optional[float]
    device: str

    def cases(self, spec: Exercise) -> list[Case]:
        return [c for c in spec.cases if self.visibility == "all" or c.visibility == "public"]


def resolve_device(device: str) -> str:
    if device not in ("cpu", "cuda", "auto"):
        raise UsageError(f"--device must be cpu, cuda or auto, not {device!r}")
    if device == "cpu":
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if device == "cuda":
        raise UsageError("--device cuda: no CUDA GPU is visible here (torch.cuda.is_available() is False); "
                         "use --device cpu or auto")
    return "cpu"


def make_plan(*, assignments: Path = DEFAULT_ASSIGNMENTS, exercises: Optional[list[str]] = None,
              visibility: str = "public", time_limit: Optional[float] = None, device: str = "cpu",
              mnist_dir: Optional[Path] = None) -> Plan:
    try:
        specs = load_all(Path(assignments), exercises)
        keys = {s.exercise: answer_key.AnswerKey(s, Path(assignments)) for s in specs}
    except (SpecError, answer_key.KeyError_) as exc:
        raise UsageError(str(exc)) from None
    if time_limit is not None and time_limit <= 0:
        raise UsageError("--time-limit must be a positive number of seconds")
    plan = Plan(specs, keys, {}, visibility, time_limit, resolve_device(device))
    for spec in specs:
        for case in plan.cases(spec):
            if isinstance(case.run, MnistRun):
                try:
                    folder = mnist.resolve_dir(mnist_dir)
                    plan.inputs[f"{spec.exercise}/{case.id}"] = materialize(case, folder)
                except mnist.MnistMissing as exc:
                    raise UsageError(f"ex09 needs MNIST: {exc} (or leave ex09 out with --exercise)") from None
            else:
                plan.inputs[f"{spec.exercise}/{case.id}"] = materialize(case)
    return plan


def _job(plan: Plan, sub: Submission, workdir: Path):
    from grader.sandbox import CaseJob, Job

    present = [s.exercise for s in plan.specs if (s.exercise in sub.sources or "__notebook__" in sub.sources)
               and s.exercise not in sub.problems]
    sources = prepare(sub, workdir, present)
    cases, aliases, first_of = [], {}, {}
    for spec in plan.specs:
        if spec.exercise not in present:
            continue
        for case in plan.cases(spec):
            cid = f"{spec.exercise}/{case.id}"
            same = (spec.exercise, case.run_key)
            if same in first_of:    # e.g. a loss history and its loss_falls check: train once, judge twice
                aliases[cid] = first_of[same]
                continue
            first_of[same] = cid
            limit = plan.time_limit or spec.time_limit_of(case)
            cases.append(CaseJob(id=cid, module=module_for(sub, spec.exercise),
                                 run=case.run.model_dump(mode="json", by_alias=True),
                                 inputs=plan.inputs[cid].sandbox, time_limit=limit))
    import_limit = max((s.import_time_limit for s in plan.specs), default=60.0)
    job = Job(student=sub.student, sources=sources, cases=tuple(cases), import_time_limit=import_limit)
    return job, aliases


def assemble(plan: Plan, sub: Submission, outcomes: list, wall: float, pool,
             aliases: Optional[dict[str, str]] = None) -> SubmissionResult:
    """Judge every case from the sandbox's outcomes: the grader's own process, plain data only."""
    from grader.sandbox.model import Outcome
    from grader.wire import RaisedError

    by_id = {o.id: o for o in outcomes if o.phase == "case"}
    for alias, original in (aliases or {}).items():
        if original in by_id:
            by_id[alias] = by_id[original]
    imports = {o.id: o for o in outcomes if o.phase == "import"}
    exercises = []
    for spec in plan.specs:
        key = plan.keys[spec.exercise]
        notebook = sub.sources.get("__notebook__")
        source = notebook.name if notebook is not None else f"{spec.exercise}.py"
        note = ""
        imp = imports.get(module_for(sub, spec.exercise))
        if spec.exercise in sub.problems:
            note = sub.problems[spec.exercise]
        elif spec.exercise not in sub.sources and "__notebook__" not in sub.sources:
            note = f"{spec.exercise}.py was not handed in"
        elif imp is not None and imp.status != "ok":
            note = f"{source} could not be imported: " + (
                f"{imp.error.type_name}: {imp.error.message}" if imp.error else imp.detail)
        results: list[CaseResult] = []
        for case in plan.cases(spec):
            cid = f"{spec.exercise}/{case.id}"
            outcome = by_id.get(cid)
            if outcome is None and spec.exercise in sub.problems:
                outcome = Outcome(cid, "case", "raised", error=RaisedError("ImportFailed", sub.problems[spec.exercise]))
            elif outcome is None:
                outcome = Outcome(cid, "case", "raised", error=RaisedError("MissingFile", f"no file {spec.exercise}.py"))
            result = judge(spec, case, outcome, key.expected(case.id) if outcome.status == "ok" else None,
                           key.mistakes(case.id) if outcome.status == "ok" else {},
                           plan.inputs[cid].private, plan.inputs[cid].sandbox, source)
            if aliases and cid in aliases:   # judged on another case's run: its compute is counted there
                result = dataclasses.replace(result, execution_time=0.0,
                                             details={**result.details, "shared_run": aliases[cid]})
            results.append(result)
        exercises.append(ExerciseResult(spec.exercise, spec.title.en, tuple(results), note, spec.title.ko))
    return SubmissionResult(student=sub.student, exercises=tuple(exercises),
                            mode="check" if plan.visibility == "public" else "grade",
                            execution_time=round(wall, 3), device=plan.device,
                            protections=dict(getattr(pool, "protections", {})),
                            warnings=tuple(getattr(pool, "warnings", [])) + sub.notes)


def _grade_all(plan: Plan, subs: list[Submission], pool, progress: Optional[Callable] = None,
               errors: Optional[list[str]] = None) -> Iterable[SubmissionResult]:
    work = Path(tempfile.mkdtemp(prefix="grader-work-"))
    try:
        jobs = {}
        for i, sub in enumerate(subs):
            job, aliases = _job(plan, sub, work / f"s{i}")
            jobs[id(job)] = (sub, job, aliases)
        for job, outcomes in pool.map([j for _, j, _ in jobs.values()]):
            sub, _, aliases = jobs[id(job)]
            try:
                result = assemble(plan, sub, outcomes, sum(o.wall for o in outcomes), pool, aliases)
            except Exception as exc:   # a grader bug on one student must not lose the others
                if errors is None:
                    raise
                errors.append(f"{sub.student}: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")
                continue
            if progress:
                progress(result)
            yield result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _notebook_exercises(sub: Submission, assignments: Path) -> Optional[list[str]]:
    """A self-check of a notebook covers the exercises whose names it defines (all if it does not parse)."""
    names = defined_names(sub.notebook_code)
    if names is None:
        return None
    try:
        specs = load_all(Path(assignments))
    except SpecError as exc:
        raise UsageError(str(exc)) from None
    return [s.exercise for s in specs if names & set(s.names)]


@contextlib.contextmanager
def _warm_pool(workers: int, device: str, sandbox: str, many: bool = True):
    """A worker pool whose workers start in the background while the caller prepares.

    ``many``: several submissions will share each worker, so pre-importing pyplot pays off.
    """
    from grader.sandbox import SandboxError, WorkerPool

    try:
        pool = WorkerPool(workers=workers, device=device, sandbox=sandbox, warm_pyplot=many)
    except SandboxError as exc:
        raise UsageError(f"--sandbox {sandbox}: {exc}") from None
    starter = threading.Thread(target=pool.start, name="warm-workers", daemon=True)
    starter.start()
    try:
        yield pool
    finally:
        starter.join()
        pool.close()


def check(path: Path, *, exercise: Optional[str] = None, assignments: Path = DEFAULT_ASSIGNMENTS,
          time_limit: Optional[float] = None, device: str = "cpu", sandbox: str = "auto",
          mnist_dir: Optional[Path] = None, include_hidden: bool = False) -> SubmissionResult:
    """Self-check one submission (public cases only unless ``include_hidden``)."""
    try:
        sub = load(Path(path), exercise=exercise)
    except SubmissionError as exc:
        raise UsageError(str(exc)) from None
    if exercise:
        wanted = [exercise]
    elif "__notebook__" in sub.sources:
        wanted = _notebook_exercises(sub, assignments)
    else:
        wanted = sorted(sub.sources)
    if not wanted:
        raise UsageError(f"{path}: no exNN.py files found (or a notebook defining none of the homework's names); "
                         "name files ex01.py … ex14.py")
    device = resolve_device(device)
    with _warm_pool(1, device, sandbox, many=False) as pool:   # the worker starts while the plan is made
        plan = make_plan(assignments=assignments, exercises=wanted, visibility="all" if include_hidden else "public",
                         time_limit=time_limit, device=device, mnist_dir=mnist_dir)
        return next(iter(_grade_all(plan, [sub], pool))).redacted()


def grade(submissions: Path, out: Path, *, workers: Optional[int] = None, exercises: Optional[list[str]] = None,
          assignments: Path = DEFAULT_ASSIGNMENTS, time_limit: Optional[float] = None, device: str = "auto",
          sandbox: str = "auto", mnist_dir: Optional[Path] = None, lang: str = "en",
          progress: Optional[Callable[[SubmissionResult], None]] = None, html: bool = True) -> ClassResult:
    """Grade every submission of a class folder and write all reports into ``out``."""
    from grader import report

    try:
        subs = discover_class(Path(submissions))
    except SubmissionError as exc:
        raise UsageError(str(exc)) from None
    out = Path(out)
    if out.resolve() == Path(submissions).resolve() or Path(submissions).resolve() in out.resolve().parents:
        raise UsageError("--out must not be inside the submissions folder")
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    device = resolve_device(device)
    start = time.perf_counter()
    results: list[SubmissionResult] = []
    out.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with _warm_pool(min(workers, len(subs)), device, sandbox) as pool:
        plan = make_plan(assignments=assignments, exercises=exercises, visibility="all", time_limit=time_limit,
                         device=device, mnist_dir=mnist_dir)
        for result in _grade_all(plan, subs, pool, progress, errors):
            report.write_student(result, out, lang=lang, html=html)   # each result is safe on disk at once
            results.append(result)
        warnings = tuple(pool.warnings)
    order = {s.student: i for i, s in enumerate(subs)}
    results.sort(key=lambda r: order[r.student])
    klass = ClassResult(tuple(results), round(time.perf_counter() - start, 3), workers, warnings, tuple(errors))
    report.write_class(klass, out, lang=lang, html=html)
    return klass


def build_key(assignments: Path = DEFAULT_ASSIGNMENTS, exercises: Optional[list[str]] = None) -> list[Path]:
    try:
        specs = load_all(Path(assignments), exercises)
    except SpecError as exc:
        raise UsageError(str(exc)) from None
    return [answer_key.write(spec, Path(assignments)) for spec in specs]


def key_problems(assignments: Path = DEFAULT_ASSIGNMENTS) -> list[str]:
    """Why the stored key is stale, per exercise (empty when it is current)."""
    try:
        specs = load_all(Path(assignments))
    except SpecError as exc:
        raise UsageError(str(exc)) from None
    return [r for r in (answer_key.stale_reason(s, Path(assignments)) for s in specs) if r]
