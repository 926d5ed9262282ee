"""Gradescope's autograder ``results.json``: score, execution_time, tests[] with visibility."""
from __future__ import annotations

from typing import Any

from grader.results import CaseResult, SubmissionResult

VISIBILITY = {"public": "visible", "hidden": "hidden"}


def case_output(case: CaseResult, lang: str = "en") -> str:
    lines = [case.message]
    for hint in case.hints:
        lines.append(f"Hint: {hint.en}" if lang == "en" else f"힌트: {hint.ko}")
        if lang == "en":
            lines.append(f"힌트: {hint.ko}")
    if case.stdout.strip():
        lines.append("--- printed output (last part) ---\n" + case.stdout[-1000:])
    return "\n".join(lines)


def to_results(result: SubmissionResult) -> dict[str, Any]:
    tests = []
    for n, case in enumerate(result.cases, 1):
        tests.append({
            "name": case.name,
            "number": f"{case.exercise[2:]}.{n}",
            "score": case.score,
            "max_score": case.points,
            "status": case.status,
            "output": case_output(case),
            "visibility": VISIBILITY[case.visibility],
            "execution_time": round(case.execution_time, 4),
            "tags": [case.exercise, case.verdict],
            "extra_data": {"verdict": case.verdict},
        })
    notes = [e.note for e in result.exercises if e.note] + list(result.warnings)
    return {
        "score": result.score,
        "max_score": result.max_score,
        "execution_time": result.execution_time,
        "output": "\n".join(notes),
        "stdout_visibility": "hidden",
        "tests": tests,
    }
