"""Run one job on one worker: enforce time limits, record verdicts, resume after kills.

The child announces each step with a ``begin`` frame and closes it with ``end``
(see :mod:`grader.harness`).  We know in advance exactly which frames must come,
in which order, so anything else is a protocol violation.  When a step overruns
its limit, talks garbage, or its process dies, that step gets its verdict, the
sandbox is cleaned (killed and restarted where needed) and a fresh child resumes
with the cases not yet run: every other case keeps its own result.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from grader import wire
from grader.sandbox.model import CaseJob, Job, Limits, Outcome, describe_exit
from grader.sandbox.worker import ProtocolViolation, Worker

SETUP_LIMIT_S = 60.0     # fork + decoding the inputs, before the first step begins
GAP_LIMIT_S = 10.0       # harness work between two steps
EXIT_LIMIT_S = 10.0      # from "done" to the server's exit report


@dataclass
class _Step:
    ev: str                  # "begin" | "end" | "done"
    phase: str = ""
    id: str = ""
    key: tuple = ()          # where its outcome sorts among the job's outcomes
    limit: float = 0.0


@dataclass
class _State:
    outcomes: list = field(default_factory=list)        # (key, Outcome)
    finished: set = field(default_factory=set)          # case ids with an outcome
    imported: set = field(default_factory=set)          # modules with an import outcome
    dead: dict = field(default_factory=dict)            # module -> (status, why) of an import that never finished


def run_job(worker: Worker, job: Job, limits: Limits, encoded: bytes, sources: dict[str, bytes]) -> list[Outcome]:
    state = _State()
    index = {case.id: i for i, case in enumerate(job.cases)}
    worker.load(job, encoded, sources)
    while True:
        todo = [c for c in job.cases if c.id not in state.finished]
        for case in [c for c in todo if c.module in state.dead]:
            _record(state, (index[case.id], 1), _not_run(case, state.dead[case.module]))
        todo = [c for c in todo if c.module not in state.dead]
        if not todo:
            break
        if not worker.alive:
            worker.start()
        _Attempt(worker, job, state, _plan(set(sources), todo, index, job.import_time_limit)).run()
    return [outcome for _, outcome in sorted(state.outcomes, key=lambda pair: pair[0])]


def _plan(present: set[str], todo: list[CaseJob], index: dict[str, int], import_limit: float) -> list[_Step]:
    """The exact frames the harness will send for ``todo``, in order."""
    steps, seen = [], set()
    for case in todo:
        key = (index[case.id], 1)
        if case.module not in seen and case.module in present:
            ikey = (index[case.id], 0)
            steps += [_Step("begin", "import", case.module, ikey, import_limit),
                      _Step("end", "import", case.module, ikey)]
        seen.add(case.module)
        steps += [_Step("begin", "case", case.id, key, case.time_limit), _Step("end", "case", case.id, key)]
    return steps + [_Step("done")]


def _record(state: _State, key: tuple, outcome: Outcome) -> None:
    if outcome.phase == "import":
        if outcome.id in state.imported:
            return  # re-imported after a restart: the first import's outcome stands
        state.imported.add(outcome.id)
    else:
        state.finished.add(outcome.id)
    state.outcomes.append((key, outcome))


def _not_run(case: CaseJob, dead: tuple[str, str]) -> Outcome:
    """A case of a module whose import never finished: it shares the import's verdict (timeout, crash …)."""
    status, why = dead
    return Outcome(case.id, "case", status, error=wire.RaisedError("ImportFailed", why), detail=why)


class _Attempt:
    """One child's run over the remaining cases."""

    def __init__(self, worker: Worker, job: Job, state: _State, steps: list[_Step]):
        self.worker, self.job, self.state, self.steps = worker, job, state, steps
        self.pos = 0                       # next expected frame
        self.current: _Step | None = None  # the step that began and has not ended
        self.began = 0.0
        self.deadline = 0.0

    def run(self) -> None:
        self.worker.send_run([s.id for s in self.steps if s.ev == "begin" and s.phase == "case"])
        self.deadline = time.monotonic() + SETUP_LIMIT_S
        while True:
            try:
                got = self.worker.receive(self.deadline - time.monotonic())
                for frame in got.results:
                    self._on_frame(frame)
            except ProtocolViolation as exc:
                status = "output_limit" if exc.too_large else "protocol"
                return self._abort(status, str(exc), kill=True)
            if got.control:
                return self._on_exit(got.control[0])
            if got.gone:
                return self._abort("crashed", "the sandbox's server process died (the code may have killed "
                                   "its parent process)", kill=True)
            if time.monotonic() >= self.deadline:
                return self._on_timeout()

    # ------------------------------------------------------------ frames
    def _on_frame(self, frame) -> None:
        if self.pos >= len(self.steps):
            raise ProtocolViolation("a frame arrived after the job was done")
        step = self.steps[self.pos]
        if not isinstance(frame, dict) or frame.get("ev") != step.ev or (
                step.ev != "done" and (frame.get("case") != step.id or frame.get("phase") != step.phase)):
            raise ProtocolViolation(f"unexpected frame (expected {step.ev} {step.phase} {step.id!r})")
        self.pos += 1
        now = time.monotonic()
        if step.ev == "begin":
            self.current, self.began, self.deadline = step, now, now + step.limit
        elif step.ev == "end":
            _record(self.state, step.key, self._outcome(step, frame, now - self.began))
            self.current, self.deadline = None, now + GAP_LIMIT_S
        else:
            self.deadline = now + EXIT_LIMIT_S

    def _outcome(self, step: _Step, frame: dict, wall: float) -> Outcome:
        ok, error, elapsed = frame.get("ok"), frame.get("error"), frame.get("time")
        stdout, warned = frame.get("stdout"), frame.get("warnings")
        if not (isinstance(ok, bool) and (error is None or isinstance(error, wire.RaisedError))
                and isinstance(elapsed, (int, float)) and isinstance(stdout, str)
                and isinstance(warned, list) and all(isinstance(w, str) for w in warned)):
            raise ProtocolViolation("malformed end frame")
        status, detail = "ok", ""
        if not ok:
            status, detail = "raised", f"raised {error.type_name}: {error.message}"[:300] if error else "failed"
            if error is not None and error.type_name == "MemoryError":
                status, detail = "memory", f"memory limit of {self.worker.limits.memory_mb} MB exceeded"
        return Outcome(step.id, step.phase, status, value=frame.get("value") if ok else None, error=error,
                       time=float(elapsed), wall=wall, stdout=stdout, warnings=tuple(warned), detail=detail)

    # ------------------------------------------------------------ endings
    def _on_exit(self, report) -> None:
        """The child is gone and the server cleaned up after it."""
        if self.pos >= len(self.steps):
            return  # finished normally
        if self.worker.leftover_bytes():
            return self._abort("protocol", "the result channel ended in the middle of a frame", kill=False)
        report = report if isinstance(report, dict) else {}
        code, sig, reason = report.get("code"), report.get("signal"), report.get("reason")
        tail = report.get("tail") if isinstance(report.get("tail"), str) else ""
        limits = self.worker.limits
        if reason == "output":
            status, detail = "output_limit", f"output limit of {limits.output_bytes} bytes exceeded (stdout + stderr)"
        elif reason == "memory":
            status, detail = "memory", f"memory limit of {limits.memory_mb} MB exceeded"
        elif sig == 25:  # SIGXFSZ: a file grew past the scratch size
            status, detail = "output_limit", f"file size limit of {limits.disk_mb} MB exceeded"
        else:
            status, detail = "crashed", describe_exit(code if isinstance(code, int) else None,
                                                      sig if isinstance(sig, int) else None)
        self._abort(status, detail, kill=False, stdout=tail)

    def _on_timeout(self) -> None:
        step = self.current
        if step is None and self.pos >= len(self.steps) - 1:
            return self.worker.kill()  # all results are in; only the clean exit is late
        if step is None:
            return self._abort("timeout", "the sandbox stopped responding between steps", kill=True)
        what = f"while importing {step.id}.py" if step.phase == "import" else "while running the case"
        self._abort("timeout", f"time limit of {step.limit:g} s exceeded {what}", kill=True)

    def _abort(self, status: str, detail: str, *, kill: bool, stdout: str = "") -> None:
        """Give the step that was running (or would run next) its verdict; clean up."""
        if kill:
            self.worker.kill()
        step = self.current or next((s for s in self.steps[self.pos:] if s.ev == "begin"), None)
        if step is None:
            return
        wall = time.monotonic() - self.began if self.current else 0.0
        if step.phase == "import":
            why = f"importing {step.id} did not finish: {detail}"
            self.state.dead[step.id] = (status, why)
            error = wire.RaisedError("ImportFailed", why)
        else:
            error = None
        _record(self.state, step.key, Outcome(step.id, step.phase, status, error=error, wall=wall, stdout=stdout,
                                              detail=detail))
