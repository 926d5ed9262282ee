"""Plain data crossing the sandbox API: limits, jobs, and per-step outcomes.

A :class:`Job` is one student's submission plus the cases to run on it; the pool
answers with one :class:`Outcome` per import and per case, in the order they ran.
Everything here is a frozen dataclass so results can be logged, compared and
serialised without surprises.
"""
from __future__ import annotations

import pathlib
import signal
from dataclasses import dataclass, field
from typing import Any

from grader import wire

STATUSES = ("ok", "raised", "timeout", "memory", "crashed", "output_limit", "protocol")


@dataclass(frozen=True)
class Limits:
    """Resource limits applied to every submission (per case where it says so)."""

    time_limit: float = 10.0            # default seconds per case (CaseJob.time_limit wins)
    import_time_limit: float = 60.0     # default seconds to import one module
    memory_mb: int = 2048               # address space added on top of the warm interpreter
    output_bytes: int = 1_000_000       # stdout + stderr per submission
    result_bytes: int = 256 * 2**20     # largest frame the grader accepts
    nproc: int = 64                     # processes + threads of the sandbox user
    disk_mb: int = 256                  # size of the sandbox's /tmp (scratch)
    nofile: int = 256                   # open file descriptors


@dataclass(frozen=True)
class CaseJob:
    """One case: call ``run`` (see harness.KINDS) on ``inputs`` within ``time_limit`` s."""

    id: str
    module: str
    run: dict
    inputs: dict
    time_limit: float


@dataclass(frozen=True)
class Job:
    """One submission: contract module name ("ex02") -> the student's file, and its cases."""

    student: str
    sources: dict[str, pathlib.Path]
    cases: tuple[CaseJob, ...]
    import_time_limit: float = 60.0


@dataclass(frozen=True)
class Outcome:
    """What happened in one step, as data: phase "import" (id = module) or "case"."""

    id: str
    phase: str
    status: str
    value: Any = None
    error: wire.RaisedError | None = None
    time: float = 0.0                   # student compute seconds, as the child measured them
    wall: float = 0.0                   # seconds between the begin and end events, grader clock
    stdout: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)
    detail: str = ""                    # plain-English cause of a non-"ok" status


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def describe_exit(code: int | None, sig: int | None) -> str:
    """Plain-English cause of an unexpected process end."""
    if sig is not None:
        return f"killed by signal {sig} ({signal_name(sig)})"
    return f"the process exited with code {code} before finishing (os._exit or a crash)"
