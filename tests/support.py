"""Test helpers: judge TRUSTED code (reference solutions and their known mistakes) in-process.

Student code never runs like this; the product always goes through grader.sandbox.
These helpers let tests of comparison, scoring and reports run fast and without
a sandbox, on outputs that crossed the same data-only encoding the sandbox uses.
"""
from __future__ import annotations

import importlib
import types
from typing import Any

from grader import answer_key, harness, wire
from grader.api import Plan, assemble, make_plan
from grader.sandbox.model import Outcome
from grader.submission import Submission


def variant(exercise: str, **overrides: Any) -> types.ModuleType:
    """The reference module of ``exercise`` with some names replaced."""
    return answer_key.variant_module(importlib.import_module(f"reference.{exercise}"), overrides)


def mistake(exercise: str, mistake_id: str) -> types.ModuleType:
    overrides = importlib.import_module("reference.mistakes").VARIANTS[exercise][mistake_id]
    return variant(exercise, **overrides)


def inline_outcomes(plan: Plan, modules: dict[str, types.ModuleType]) -> list[Outcome]:
    outcomes = []
    for spec in plan.specs:
        module = modules.get(spec.exercise)
        if module is None:
            continue
        for case in plan.cases(spec):
            cid = f"{spec.exercise}/{case.id}"
            harness._reset_state()
            ok, value, elapsed, warned = harness._timed(
                lambda: harness.KINDS[case.run.kind](module, case.run.model_dump(mode="json", by_alias=True),
                                                     answer_key.sandbox_view(plan.inputs[cid].sandbox), "cpu"))
            if ok:
                outcomes.append(Outcome(cid, "case", "ok", answer_key.roundtrip(value), time=elapsed,
                                              warnings=tuple(warned)))
            else:
                outcomes.append(Outcome(cid, "case", "raised", error=harness.describe_exception(value, "/"),
                                              time=elapsed, warnings=tuple(warned)))
    return outcomes


def judge_inline(modules: dict[str, types.ModuleType], *, exercises: list[str] | None = None,
                 visibility: str = "all", student: str = "inline", plan: Plan | None = None):
    """A SubmissionResult for trusted modules, judged exactly as a sandboxed run would be."""
    plan = plan or make_plan(exercises=exercises or sorted(modules), visibility=visibility)
    sub = Submission(student, {ex: None for ex in modules}, ())
    return assemble(plan, sub, inline_outcomes(plan, modules), 0.0, None)
