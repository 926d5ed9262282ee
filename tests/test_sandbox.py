"""The sandbox against hostile submissions (tests/hostile/): each defence, proven.

Every hostile job must end with a verdict that names its cause, within its limit
plus a small margin; the pool must grade a good submission right after; and no
file outside the sandbox's scratch may change.  Tests that need bubblewrap are
marked ``sandbox`` and skipped, with the reason, where it cannot run.
"""
from __future__ import annotations

import os
import pathlib
import socket
import threading
import time

import numpy as np
import pytest

from grader import wire
from grader.sandbox import CaseJob, Job, Limits, WorkerPool, bwrap

HOSTILE = pathlib.Path(__file__).parent / "hostile"
LIMITS = Limits(time_limit=2.0, import_time_limit=3.0, memory_mb=512, output_bytes=100_000,
                result_bytes=8 * 2**20, nproc=32, disk_mb=32)
MARGIN_S = 8.0  # a killed worker restarts (interpreter + torch import) before the next case
SECRET = "dlgrader-test-secret-4f1c"
os.environ["DLGRADER_TEST_SECRET"] = SECRET  # set before any worker starts

_WHY_NOT = bwrap.probe(os.geteuid() == 0)
needs_bwrap = pytest.mark.skipif(_WHY_NOT is not None, reason=f"bubblewrap cannot run here: {_WHY_NOT}")


def case(id: str, *args, fn: str = "f", limit: float = 2.0, module: str = "ex01") -> CaseJob:
    return CaseJob(id, module, {"kind": "call", "function": fn}, {"args": list(args)}, limit)


def job(name: str, *cases: CaseJob, student: str = "student", import_limit: float = 3.0) -> Job:
    return Job(student, {"ex01": HOSTILE / f"{name}.py"}, tuple(cases), import_limit)


def by_id(outcomes) -> dict:
    return {(o.phase, o.id): o for o in outcomes}


def run(pool: WorkerPool, the_job: Job, budget: float):
    """Run and check the whole job ends within ``budget`` s of limits plus the margin."""
    start = time.monotonic()
    outcomes = pool.run(the_job)
    elapsed = time.monotonic() - start
    assert elapsed <= budget + MARGIN_S, f"took {elapsed:.1f} s for {budget} s of limits"
    return by_id(outcomes)


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(workers=2, limits=LIMITS) as p:
        p.start()
        yield p


@pytest.fixture(autouse=True)
def untouched():
    """No file outside scratch changes: the repository's test data and the host /tmp canary."""
    watched = sorted(HOSTILE.glob("*.py"))
    before = {p: p.read_bytes() for p in watched}
    yield
    assert {p: p.read_bytes() for p in watched} == before
    assert not pathlib.Path("/tmp/pwned-by-pickle").exists()


def assert_usable(pool: WorkerPool) -> None:
    out = pool.run(job("good", case("g", 2)))
    assert [o.status for o in out] == ["ok", "ok"]
    np.testing.assert_array_equal(out[1].value, [0, 2, 4])


# ---------------------------------------------------------------- core behaviour
def test_good_submission_and_missing_module(pool):
    the_job = Job("s", {"ex01": HOSTILE / "good.py"}, (case("a", 1), case("b", 1, module="ex02")))
    out = pool.run(the_job)
    assert [(o.phase, o.id, o.status) for o in out] == [("import", "ex01", "ok"), ("case", "a", "ok"),
                                                         ("case", "b", "raised")]
    assert out[1].stdout == "computing 1\n"
    assert out[2].error.type_name in ("MissingFile", "ImportFailed")


def test_worker_serves_job_after_job(pool):
    # speed is measured by benchmarks/bench_class.py, not asserted here; this proves reuse works
    for _ in range(5):
        assert_usable(pool)


def test_protections_reported(pool):
    assert set(pool.protections) >= {"bubblewrap", "network", "filesystem", "memory_limit", "time_limit"}
    assert all(isinstance(w, str) and w for w in pool.warnings)
    if _WHY_NOT is None:
        assert pool.protections["bubblewrap"] and not pool.warnings


# ---------------------------------------------------------------- time
def test_infinite_loop_at_import(pool):
    out = run(pool, job("loop_import", case("a", 1), case("b", 2)), 3.0)
    assert out["import", "ex01"].status == "timeout"
    assert "time limit of 3 s" in out["import", "ex01"].detail
    assert out["case", "a"].status == out["case", "b"].status == "timeout"   # the import's verdict, for every case
    assert "importing ex01 did not finish: time limit of 3 s" in out["case", "a"].detail
    assert_usable(pool)


def test_loop_in_call_resumes_with_next_case(pool):
    out = run(pool, job("loop_call", case("a", 0), case("b", 1), case("c", 2)), 2.0)
    assert out["case", "a"].status == "ok" and out["case", "a"].value == 0
    assert out["case", "b"].status == "timeout" and "time limit of 2 s" in out["case", "b"].detail
    assert out["case", "b"].wall < 2.0 + 1.0
    assert out["case", "c"].status == "ok" and out["case", "c"].value == 20
    assert_usable(pool)


def test_loop_ignoring_signals(pool):
    out = run(pool, job("ignore_signals", case("a", 1)), 2.0)
    assert out["case", "a"].status == "timeout"
    assert_usable(pool)


def test_slow_import_within_limit_is_not_a_timeout(pool):
    out = run(pool, job("slow_import", case("a", 1)), 3.0)
    assert out["import", "ex01"].status == "ok"
    assert out["case", "a"].status == "ok" and out["case", "a"].value == 2


def test_deep_recursion(pool):
    out = run(pool, job("recursion", case("a", 1), case("b", 2)), 4.0)
    assert out["case", "a"].status == "raised" and out["case", "a"].error.type_name == "RecursionError"
    b = out["case", "b"]
    assert (b.status == "raised" and b.error.type_name in ("RecursionError", "MemoryError")) or \
           (b.status in ("crashed", "memory") and b.detail), b
    assert_usable(pool)


def test_reading_stdin_does_not_hang(pool):
    out = run(pool, job("stdin", case("a", 1), case("b", 2)), 4.0)
    assert out["case", "a"].status == "raised" and out["case", "a"].error.type_name == "EOFError"
    assert out["case", "b"].status == "ok" and out["case", "b"].value == ""


# ---------------------------------------------------------------- resources
def test_memory_exhaustion(pool):
    out = run(pool, job("memory", case("huge", 1), case("growing", 2)), 4.0)
    for cid in ("huge", "growing"):
        assert out["case", cid].status == "memory", out["case", cid]
        assert "memory limit of 512 MB" in out["case", cid].detail
    assert out["case", "huge"].wall < 1.0
    assert_usable(pool)


def test_fork_bomb(pool):
    out = run(pool, job("fork_bomb", case("a", 1)), 2.0)
    assert out["case", "a"].status in ("timeout", "raised", "crashed")
    assert out["case", "a"].detail
    assert_usable(pool)


@pytest.mark.parametrize("stream", [1, 2], ids=["stdout", "stderr"])
def test_output_flood(pool, stream):
    out = run(pool, job("flood", case("a", stream), case("b", stream)), 4.0)
    assert out["case", "a"].status == "output_limit"
    assert "output limit of 100000 bytes" in out["case", "a"].detail
    assert out["case", "a"].wall < 2.0
    assert_usable(pool)


def test_oversized_return_value(pool):
    out = run(pool, job("big_return", case("a", 1), case("b", 2)), 4.0)
    assert out["case", "a"].status == "output_limit" and "exceeds the limit" in out["case", "a"].detail
    assert out["case", "b"].status in ("raised", "memory"), out["case", "b"]
    assert_usable(pool)


def test_disk_fill(pool):
    out = run(pool, job("disk_fill", case("a", 1), case("b", 2)), 4.0)
    a, b = out["case", "a"], out["case", "b"]
    assert a.status == "output_limit" or (a.status == "raised" and a.error.type_name == "OSError"), a
    assert b.status == "raised" and "No space left" in b.error.message, b
    assert_usable(pool)


# ---------------------------------------------------------------- process ends
def test_sys_exit_and_os_exit_and_signals(pool):
    cases = [case(f"x{i}", i) for i in range(1, 5)] + [case("after", 9)]
    out = run(pool, job("exits", *cases), 10.0)
    assert out["case", "x1"].status == "raised" and out["case", "x1"].error.type_name == "SystemExit"
    assert out["case", "x2"].status == "crashed" and "code 7" in out["case", "x2"].detail
    assert out["case", "x3"].status == "crashed" and "SIGKILL" in out["case", "x3"].detail
    assert out["case", "x4"].status == "crashed" and "signal 11 (SIGSEGV)" in out["case", "x4"].detail
    assert out["case", "after"].status == "ok" and out["case", "after"].value == 9


@pytest.mark.parametrize("x", [5, 6], ids=["kill-parent", "kill-all"])
def test_killing_the_parent(pool, x):
    out = run(pool, job("exits", case("a", x), case("after", 9)), 4.0)
    assert out["case", "a"].status in ("crashed", "timeout") and out["case", "a"].detail
    assert out["case", "after"].status == "ok" and out["case", "after"].value == 9
    assert_usable(pool)


@pytest.mark.sandbox
@needs_bwrap
def test_daemon_does_not_outlive_its_job(tmp_path):
    host = tmp_path / "host"
    host.mkdir(mode=0o777)
    host.chmod(0o777)
    with WorkerPool(workers=1, limits=LIMITS) as single:
        out = single.run(job("daemon", case("a", str(host))))
        assert out[-1].status == "ok" and out[-1].value == "started"
        ps = single.run(job("daemon", case("ps", 0, fn="ps"), student="next"))[-1].value
    time.sleep(0.5)
    assert list(host.iterdir()) == []
    assert len(ps["pids"]) <= 3, ps  # bwrap's init, the server, this child
    assert not any(f.startswith("daemon-") for f in ps["files"]), ps


# ---------------------------------------------------------------- isolation
@pytest.mark.sandbox
@needs_bwrap
def test_cannot_write_outside_scratch(pool, tmp_path):
    other = tmp_path / "other_student.py"
    other.write_text("def f(x):\n    return x\n")
    host_tmp = f"/tmp/dlgrader-escaped-{os.getpid()}.txt"  # inside, /tmp is the sandbox's own tmpfs
    targets = [str(tmp_path / "host.txt"), host_tmp, str(bwrap.repo_root() / "out" / "results.json"),
               "/root/pwned.txt", str(other), str(HOSTILE / "good.py"), "/inbox/job.bin"]
    out = run(pool, Job("s", {"ex01": HOSTILE / "escape.py"},
                        (CaseJob("w", "ex01", {"kind": "call", "function": "write"}, {"args": [targets]}, 2.0),)),
              2.0)
    assert out["case", "w"].status == "ok" and set(out["case", "w"].value) <= {host_tmp}
    assert not (tmp_path / "host.txt").exists() and not pathlib.Path(host_tmp).exists()
    assert not pathlib.Path(str(bwrap.repo_root() / "out" / "results.json")).exists()
    assert not pathlib.Path("/root/pwned.txt").exists()
    assert other.read_text() == "def f(x):\n    return x\n"


@pytest.mark.sandbox
@needs_bwrap
def test_cannot_read_answer_key_or_grader_files(pool):
    root = bwrap.repo_root()
    paths = [str(root / "reference"), str(root / "reference" / "ex01.py"), str(root / "assignments"),
             "/work/shared", "/root/.bashrc", "/root/.ssh", str(root / "tests"), str(root / "pyproject.toml")]
    out = run(pool, Job("s", {"ex01": HOSTILE / "escape.py"},
                        (CaseJob("r", "ex01", {"kind": "call", "function": "read"}, {"args": [paths]}, 2.0),)), 2.0)
    assert out["case", "r"].status == "ok" and out["case", "r"].value == []


@pytest.mark.sandbox
@needs_bwrap
def test_no_network_even_loopback(pool):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(3)
    accepted = []
    thread = threading.Thread(target=lambda: _accept(listener, accepted), daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    out = run(pool, Job("s", {"ex01": HOSTILE / "escape.py"},
                        (CaseJob("n", "ex01", {"kind": "call", "function": "connect"}, {"args": [port]}, 2.0),)), 2.0)
    thread.join()
    listener.close()
    assert out["case", "n"].value.startswith("refused") and accepted == []


def _accept(listener, accepted):
    try:
        accepted.append(listener.accept())
    except OSError:
        pass


@pytest.mark.sandbox
@needs_bwrap
def test_grader_environment_does_not_leak(pool):
    out = run(pool, Job("s", {"ex01": HOSTILE / "escape.py"},
                        (CaseJob("e", "ex01", {"kind": "call", "function": "env"}, {"args": [0]}, 2.0),)), 2.0)
    seen = out["case", "e"].value
    assert out["case", "e"].status == "ok"
    assert SECRET not in repr(seen)
    assert "DLGRADER_TEST_SECRET" not in seen and seen.get("HOME") == "/tmp"


# ---------------------------------------------------------------- forgery
def forge_job(*fns: str) -> Job:
    return Job("s", {"ex01": HOSTILE / "forge.py"},
               tuple(CaseJob(f"c{i}", "ex01", {"kind": "call", "function": fn}, {"args": [i]}, 2.0)
                     for i, fn in enumerate(fns, 1)))


def test_printed_fake_frames_are_just_output(pool):
    out = run(pool, forge_job("fake_print", "fake_print"), 4.0)
    assert out["case", "c1"].status == "ok" and out["case", "c1"].value == 1
    assert "DLGW1" in out["case", "c1"].stdout and out["case", "c2"].value == 2


def test_garbage_and_pickles_on_every_fd(pool):
    out = run(pool, forge_job("spray", "fake_print"), 4.0)
    assert out["case", "c1"].status == "protocol", out["case", "c1"]
    assert out["case", "c2"].status == "ok" and out["case", "c2"].value == 2
    assert not pathlib.Path("/tmp/pwned-by-pickle").exists()
    assert_usable(pool)


def test_lying_eq_comes_back_unsupported(pool):
    out = run(pool, forge_job("liar"), 2.0)
    value = out["case", "c1"].value
    assert isinstance(value, wire.Unsupported) and "Liar" in value.type_name
    assert value != 1


def test_monkeypatching_comparisons_is_harmless(pool):
    out = run(pool, forge_job("patch", "fake_print"), 4.0)
    assert out["case", "c1"].status == "ok" and out["case", "c1"].value == [1, 2, 3]
    assert not np.allclose(np.zeros(2), np.ones(2)) and isinstance(out["case", "c1"].value, list)
    assert out["case", "c2"].value == 2  # the next case is not affected either


# ---------------------------------------------------------------- sabotage
@pytest.mark.sandbox
@needs_bwrap
def test_cannot_change_another_students_file(pool, tmp_path):
    victim = tmp_path / "victim" / "ex01.py"
    victim.parent.mkdir()
    victim.write_bytes((HOSTILE / "good.py").read_bytes())
    attacker = Job("mallory", {"ex01": HOSTILE / "sabotage.py"}, (case("s", [str(victim)]),))
    honest = Job("alice", {"ex01": victim}, tuple(case(f"g{i}", 3) for i in range(5)))
    results = {j.student: by_id(out) for j, out in pool.map([attacker, honest])}
    assert results["mallory"]["case", "s"].value == []
    for i in range(5):
        np.testing.assert_array_equal(results["alice"]["case", f"g{i}"].value, [0, 3, 6])
    assert victim.read_bytes() == (HOSTILE / "good.py").read_bytes()
