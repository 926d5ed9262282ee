"""Results of grading: plain frozen dataclasses that every renderer only reads.

A :class:`CaseResult` is one YAML case judged; an :class:`ExerciseResult` groups
the cases of one exercise; a :class:`SubmissionResult` is one student. Scores are
computed here once (in :mod:`grader.checks` and the constructors below), never in
a template or renderer.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

# verdict → (status shown to people, passed?)
VERDICTS = {
    "passed": "passed",
    "wrong": "failed",            # ran, answer not accepted
    "error": "failed",            # student code raised
    "missing": "failed",          # file or name not handed in
    "import_error": "failed",     # module failed to import (syntax, import, encoding)
    "timeout": "failed",          # time limit
    "memory": "failed",           # memory limit
    "crashed": "failed",          # died: signal, os._exit, killed its worker
    "output_limit": "failed",     # printed or returned too much
    "forbidden": "failed",        # protocol violation / forbidden action
    "unsupported": "failed",      # returned a type the grader cannot read
}


@dataclass(frozen=True)
class Hint:
    """An explanation of a known mistake, in both course languages."""

    id: str
    en: str
    ko: str


@dataclass(frozen=True)
class CaseResult:
    exercise: str
    case: str
    title: str
    visibility: str                 # "public" | "hidden"
    points: float
    score: float
    verdict: str                    # a key of VERDICTS
    message: str                    # one plain sentence (English); details carry the rest
    hints: tuple[Hint, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)   # comparison excerpts, inputs summary
    title_ko: str = ""
    execution_time: float = 0.0     # the student's own compute time for this case
    stdout: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.exercise}/{self.case}"

    @property
    def passed(self) -> bool:
        return self.verdict == "passed"

    @property
    def status(self) -> str:
        return VERDICTS[self.verdict]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["name"] = self.name
        d["status"] = self.status
        return d


@dataclass(frozen=True)
class ExerciseResult:
    exercise: str
    title: str
    cases: tuple[CaseResult, ...]
    note: str = ""                  # e.g. "ex09.py not found"
    title_ko: str = ""

    @property
    def score(self) -> float:
        return round(sum(c.score for c in self.cases), 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.points for c in self.cases), 6)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.cases)

    def to_dict(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "title": self.title, "note": self.note, "score": self.score,
                "max_score": self.max_score, "cases": [c.to_dict() for c in self.cases]}


@dataclass(frozen=True)
class SubmissionResult:
    student: str
    exercises: tuple[ExerciseResult, ...]
    mode: str                       # "check" (student self-check: public only) | "grade" (instructor)
    execution_time: float = 0.0     # wall time of grading this submission
    device: str = "cpu"
    protections: dict[str, bool] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # protections that are off, loader notes

    @property
    def cases(self) -> tuple[CaseResult, ...]:
        return tuple(c for e in self.exercises for c in e.cases)

    @property
    def score(self) -> float:
        return round(sum(e.score for e in self.exercises), 6)

    @property
    def max_score(self) -> float:
        return round(sum(e.max_score for e in self.exercises), 6)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.cases)

    def redacted(self) -> "SubmissionResult":
        """The student's view: hidden cases keep only their name, verdict and score."""
        def hide(c: CaseResult) -> CaseResult:
            if c.visibility != "hidden":
                return c
            return replace(c, message="hidden case", hints=(), details={}, stdout="", warnings=())
        exercises = tuple(replace(e, cases=tuple(hide(c) for c in e.cases)) for e in self.exercises)
        return replace(self, exercises=exercises, mode="check")

    def to_dict(self) -> dict[str, Any]:
        return {"student": self.student, "mode": self.mode, "score": self.score, "max_score": self.max_score,
                "execution_time": self.execution_time, "device": self.device,
                "protections": dict(self.protections), "warnings": list(self.warnings),
                "exercises": [e.to_dict() for e in self.exercises]}


@dataclass(frozen=True)
class ClassResult:
    submissions: tuple[SubmissionResult, ...]
    execution_time: float = 0.0
    workers: int = 1
    warnings: tuple[str, ...] = ()          # protections that were off for the whole run
    internal_errors: tuple[str, ...] = ()   # students the grader itself failed on (a bug: loud, never a silent 0)

    def to_dict(self) -> dict[str, Any]:
        """The class at a glance: scores and verdicts (each student's details are in their own results)."""
        return {"execution_time": self.execution_time, "workers": self.workers, "warnings": list(self.warnings),
                "internal_errors": list(self.internal_errors),
                "submissions": [{"student": s.student, "score": s.score, "max_score": s.max_score,
                                 "execution_time": s.execution_time,
                                 "cases": [{"name": c.name, "verdict": c.verdict, "score": c.score,
                                            "points": c.points, "message": c.message} for c in s.cases]}
                                for s in self.submissions]}
