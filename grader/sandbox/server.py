"""The warm worker: runs inside the sandbox and forks one child per submission.

Started once per worker (``python -I -B -c BOOT <repo> <json config>``, see
:mod:`grader.sandbox.bwrap`).  It drops to its own uid, imports numpy, torch and
matplotlib once (running no torch op, so forking stays safe), then serves commands
read from stdin as :mod:`grader.wire` frames:

``{"cmd": "run", "cases": [ids], "n": k}`` forks a child that limits itself,
redirects stdout/stderr to a file in scratch, keeps only the result channel open and
calls :func:`grader.harness.run_job` on the job found in the inbox.  The child's
frames go straight to the grader.  When the child is gone, the server kills every
process left in the sandbox, wipes /tmp and answers on the control channel
``{"ev": "exit", "n": k, "code", "signal", "reason"}``.
"""
from __future__ import annotations

import gc
import json
import os
import resource
import select
import shutil
import signal
import sys
import time

POLL_S = 0.05


def main(config_json: str) -> None:
    cfg = json.loads(config_json)
    _drop_privileges(cfg.get("uid"))
    os.environ.setdefault("MPLBACKEND", "Agg")
    import numpy  # noqa: F401  (warm imports: the point of a worker)
    import torch
    import torch.utils.data  # noqa: F401
    import matplotlib
    matplotlib.use("Agg")
    if cfg.get("warm_pyplot", True):   # 0.5 s: worth it when many children share it, not for one
        import matplotlib.pyplot  # noqa: F401
    from grader import harness, wire  # noqa: F401
    control = os.fdopen(cfg["control_fd"], "wb")
    commands = sys.stdin.buffer
    _wipe(cfg)
    gc.collect()
    gc.freeze()  # keep the warm heap shared copy-on-write with every child
    wire.write_frame(control, {"ev": "ready", "pid": os.getpid(), "uid": os.getuid(),
                               "torch": torch.__version__, "vmsize_kb": _vmsize_kb()})
    while True:
        try:
            cmd = wire.read_frame(commands, 1 << 20)
        except EOFError:
            return
        if not isinstance(cmd, dict) or cmd.get("cmd") != "run":
            return
        reply = _serve(cfg, list(cmd.get("cases", [])))
        reply["n"] = cmd.get("n")
        wire.write_frame(control, reply)


def _drop_privileges(uid: int | None) -> None:
    if uid is None or os.getuid() != 0:
        return
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if os.getuid() == 0 or os.geteuid() == 0:
        raise SystemExit("could not drop root privileges")


def _serve(cfg: dict, case_ids: list[str]) -> dict:
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid == 0:
        _child(cfg, case_ids)  # never returns
    status, reason = _watch(cfg, pid)
    _kill_leftovers(cfg, pid)
    if reason is None and _over_limit(cfg, pid) == "output":
        reason = "output"  # it hit the file size limit before the watcher looked
    tail = _tail(cfg["stdout"], 2000)
    _wipe(cfg)
    code = os.waitstatus_to_exitcode(status)
    return {"ev": "exit", "code": code if code >= 0 else None,
            "signal": -code if code < 0 else None, "reason": reason, "tail": tail}


def _tail(path: str, n: int) -> str:
    """The end of what the child printed (the grader shows it for a crashed step)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, os.fstat(fh.fileno()).st_size - n))
            return fh.read(n).decode("utf-8", "replace")
    except OSError:
        return ""


def _watch(cfg: dict, pid: int) -> tuple[int, str | None]:
    """Wait for the child; kill it early for too much output (or RSS on cuda)."""
    reason = None
    pidfd = os.pidfd_open(pid)
    try:
        while True:
            select.select([pidfd], [], [], POLL_S)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status, reason
            if reason is None:
                reason = _over_limit(cfg, pid)
                if reason is not None:
                    _kill_group(cfg, pid)
    finally:
        os.close(pidfd)


def _over_limit(cfg: dict, pid: int) -> str | None:
    try:
        if os.stat(cfg["stdout"]).st_size > cfg["output_bytes"]:
            return "output"
    except OSError:
        pass
    if cfg.get("rss_mb") and _rss_kb(pid) > cfg["rss_mb"] * 1024:
        return "memory"
    return None


def _kill_group(cfg: dict, pid: int) -> None:
    try:
        if cfg["kill_all"]:
            os.kill(-1, signal.SIGKILL)
        else:
            os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def _kill_leftovers(cfg: dict, pid: int) -> None:
    """Nothing a submission started may outlive it: daemons, setsid children, threads."""
    if not cfg["kill_all"]:
        _kill_group(cfg, pid)
        return
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        try:
            os.kill(-1, signal.SIGKILL)  # every process of this sandbox but us and its init
        except ProcessLookupError:
            return
        except OSError:
            return
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        time.sleep(0.005)


def _wipe(cfg: dict) -> None:
    """Empty the scratch areas so one student never sees another's files."""
    for root in cfg["wipe"]:
        try:
            entries = os.listdir(root)
        except OSError:
            continue
        for name in entries:
            if root == "/tmp" and name in cfg.get("keep", ()):
                continue   # leads to the read-only Python or grader binds, not to anything a student wrote
            path = os.path.join(root, name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, onerror=_force_remove)
            else:
                try:
                    os.unlink(path)
                except OSError:
                    pass
    os.makedirs(cfg["scratch"], mode=0o700, exist_ok=True)


def _force_remove(func, path, _exc) -> None:
    try:
        os.chmod(os.path.dirname(path), 0o700)
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, 0o700)
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except OSError:
        pass


# ---------------------------------------------------------------- the child
def _child(cfg: dict, case_ids: list[str]) -> None:
    """Confine this process, then run the student's job. Always ends in os._exit."""
    code = 0
    try:
        os.setsid()
        _set_limits(cfg)
        os.chdir(cfg["scratch"])
        _redirect_stdio(cfg["stdout"])
        os.closerange(3, cfg["result_fd"])
        os.closerange(cfg["result_fd"] + 1, 65536)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM, signal.SIGXFSZ):
            signal.signal(sig, signal.SIG_DFL if sig != signal.SIGINT else signal.default_int_handler)
        import torch

        torch.set_num_threads(1)
        from grader import harness, wire

        with open(os.path.join(cfg["inbox"], "job.bin"), "rb") as fh:
            job = wire.read_frame(fh, 1 << 40, tensors=True)
        src_dir = os.path.join(cfg["inbox"], "src")
        job["src_dir"] = src_dir
        job["modules"] = {name: os.path.join(src_dir, f"{name}.py") for name in job["modules"]}
        wanted = set(case_ids)
        job["cases"] = [case for case in job["cases"] if case["id"] in wanted]
        out = os.fdopen(cfg["result_fd"], "wb", buffering=1 << 16)
        harness.run_job(job, out, stdout_fd=1)
        out.flush()
    except BaseException:  # a grader bug or a broken job: say so on stderr, exit non-zero
        code = 70
        try:
            import traceback

            os.write(2, traceback.format_exc().encode()[-4000:])
        except BaseException:
            pass
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:
            pass
        os._exit(code)


def _set_limits(cfg: dict) -> None:
    limits = [(resource.RLIMIT_CORE, 0), (resource.RLIMIT_NOFILE, cfg["nofile"]),
              (resource.RLIMIT_FSIZE, cfg["disk_mb"] << 20)]
    if cfg.get("memory_mb"):
        limits.append((resource.RLIMIT_AS, (_vmsize_kb() << 10) + (cfg["memory_mb"] << 20)))
    if cfg.get("nproc"):
        limits.append((resource.RLIMIT_NPROC, cfg["nproc"]))
    for which, value in limits:
        resource.setrlimit(which, (value, value))


def _redirect_stdio(stdout_path: str) -> None:
    devnull = os.open("/dev/null", os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    out = os.open(stdout_path, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)


def _vmsize_kb() -> int:
    return _status_kb("/proc/self/status", "VmSize:")


def _rss_kb(pid: int) -> int:
    """Resident memory of the child's whole session (cuda mode, where RLIMIT_AS cannot apply)."""
    total = 0
    try:
        sid = os.getsid(pid)
    except OSError:
        return 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.getsid(int(name)) == sid:
                    total += _status_kb(f"/proc/{name}/status", "VmRSS:")
            except OSError:
                continue
    return total


def _status_kb(path: str, key: str) -> int:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
