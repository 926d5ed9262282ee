"""Isolated, warm workers that run untrusted student code.

Usage::

    with WorkerPool(workers=2, limits=Limits(time_limit=5)) as pool:
        outcomes = pool.run(Job("alice", {"ex02": path}, cases))

Each worker is one long-lived server process inside bubblewrap (see
:mod:`grader.sandbox.bwrap`) with numpy, torch and matplotlib already imported; it
forks a fresh, resource-limited child per submission (:mod:`grader.sandbox.server`).
The grader reads data-only frames from the child, enforces time limits and resumes
after a kill (:mod:`grader.sandbox.runner`).  Where bubblewrap cannot run, workers
are plain processes with the same limits; :attr:`WorkerPool.protections` and
:attr:`WorkerPool.warnings` say what is then missing.
"""
from __future__ import annotations

import concurrent.futures
import os
import queue
import threading
from typing import Iterable, Iterator

from grader import wire
from grader.sandbox import bwrap
from grader.sandbox.model import STATUSES, CaseJob, Job, Limits, Outcome
from grader.sandbox.runner import run_job
from grader.sandbox.worker import SandboxError, Worker

__all__ = ["CaseJob", "Job", "Limits", "Outcome", "SandboxError", "STATUSES", "WorkerPool"]

_OFF_SENTENCES = {
    "bubblewrap": "Bubblewrap is not in use: student code runs as a plain process.",
    "filesystem": "Student code can read every file this machine lets its user read (answer key included).",
    "network": "Student code can use the network.",
    "pid_namespace": "Student code can see the machine's other processes.",
    "separate_uid": "Student code runs as the grader's own user (root here), so it can signal or change "
                    "everything that user can.",
    "process_limit": "There is no limit on the number of processes (a fork bomb slows the machine until its "
                     "time limit).",
    "cleanup": "Processes a submission leaves behind in a new session may outlive its grading.",
}


class WorkerPool:
    """A fixed number of warm sandboxed workers, started lazily; thread-safe."""

    def __init__(self, workers: int | None = None, device: str = "cpu", limits: Limits = Limits(),
                 sandbox: str = "auto", warm_pyplot: bool = True):
        if sandbox not in ("auto", "bwrap", "none"):
            raise ValueError(f"sandbox must be 'auto', 'bwrap' or 'none', not {sandbox!r}")
        self.size = max(1, workers or os.cpu_count() or 1)
        self.device = device
        self.limits = limits
        self.warm_pyplot = warm_pyplot  # pre-import matplotlib.pyplot in each worker (pays off for a class)
        as_root = os.geteuid() == 0
        why_not = bwrap.probe(as_root) if sandbox != "none" else "the sandbox was turned off (sandbox='none')"
        if why_not and sandbox == "bwrap":
            raise SandboxError(why_not)
        self.use_bwrap = why_not is None
        # as root, each worker gets its own unprivileged uid (without bubblewrap only if that uid can
        # reach our Python); as a normal user, bubblewrap's user namespace is the separation
        self.own_uid = as_root and (self.use_bwrap or bwrap.reachable_by_others())
        self.protections = {
            "bubblewrap": self.use_bwrap, "filesystem": self.use_bwrap, "network": self.use_bwrap,
            "pid_namespace": self.use_bwrap, "separate_uid": self.own_uid or (self.use_bwrap and not as_root),
            "process_limit": self.own_uid, "cleanup": self.use_bwrap or self.own_uid, "environment": True,
            "time_limit": True, "memory_limit": True, "output_limit": True,
        }
        self.warnings = [_OFF_SENTENCES[k] for k, on in self.protections.items() if not on and k in _OFF_SENTENCES]
        if why_not and sandbox == "auto":
            self.warnings.insert(0, f"Bubblewrap cannot run here ({why_not}).")
        self._workers: list[Worker] = []
        self._free: queue.Queue[Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False

    # ------------------------------------------------------------ lifecycle
    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        """Start every worker now (otherwise each starts on first use)."""
        workers = [self._acquire() for _ in range(self.size)]
        try:
            with concurrent.futures.ThreadPoolExecutor(self.size) as ex:
                list(ex.map(lambda w: w.alive or w.start(), workers))
        finally:
            for worker in workers:
                self._free.put(worker)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.close()

    def _acquire(self) -> Worker:
        with self._lock:
            if self._closed:
                raise SandboxError("the worker pool is closed")
            try:
                return self._free.get_nowait()
            except queue.Empty:
                if len(self._workers) < self.size:
                    worker = Worker(len(self._workers), device=self.device, limits=self.limits,
                                    use_bwrap=self.use_bwrap, own_uid=self.own_uid, warm_pyplot=self.warm_pyplot)
                    self._workers.append(worker)
                    return worker
        return self._free.get()

    # ------------------------------------------------------------ grading
    def run(self, job: Job) -> list[Outcome]:
        """Run every case of ``job`` on a free worker; blocks until all have outcomes."""
        encoded, sources = self._prepare(job)
        worker = self._acquire()
        try:
            return run_job(worker, job, self.limits, encoded, sources)
        except BaseException:
            worker.kill()  # never hand on a worker in an unknown state
            raise
        finally:
            self._free.put(worker)

    def map(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, list[Outcome]]]:
        """Run jobs on all workers at once; yield each (job, outcomes) as it completes."""
        jobs = iter(jobs)
        with concurrent.futures.ThreadPoolExecutor(self.size) as ex:
            running: dict[concurrent.futures.Future, Job] = {}
            for job in jobs:
                running[ex.submit(self.run, job)] = job
                if len(running) >= self.size:
                    break
            while running:
                done, _ = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in done:
                    job = running.pop(future)
                    yield job, future.result()
                    nxt = next(jobs, None)
                    if nxt is not None:
                        running[ex.submit(self.run, nxt)] = nxt

    def _prepare(self, job: Job) -> tuple[bytes, dict[str, bytes]]:
        """Read the sources and encode the inputs once, in the grader's process."""
        sources = {name: path.read_bytes() for name, path in job.sources.items() if path.is_file()}
        payload = {  # the child fills in where the sources lie inside its sandbox
            "device": self.device, "modules": sorted(sources),
            "cases": [{"id": c.id, "module": c.module, "run": c.run, "inputs": c.inputs} for c in job.cases],
        }
        return wire.encode(payload), sources
