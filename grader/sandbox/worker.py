"""Grader side of one warm worker: start it, feed it jobs, read its channels, kill it.

A worker owns three pipes to its server process: commands (the server's stdin),
the control channel (server -> grader: "ready", "exit") and the result channel
(child -> grader: the harness's event frames).  Both inbound channels are parsed
by :class:`FrameReader`, which caps frame sizes and flags stray bytes; nothing
read here is ever unpickled or executed.
"""
from __future__ import annotations

import fcntl
import os
import pathlib
import queue
import select
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass

from grader import wire
from grader.sandbox import bwrap
from grader.sandbox.model import Job, Limits

START_TIMEOUT_S = 120.0
UID_RANGE = 1000
CONTROL_MAX_BYTES = 1 << 20
_HEAD = wire.HEAD_BYTES


class SandboxError(RuntimeError):
    """The sandbox itself failed (a grader or machine problem, never a student's)."""


class ProtocolViolation(Exception):
    """Bytes on a channel that are not a well-formed frame of the allowed size."""

    def __init__(self, message: str, too_large: bool = False):
        super().__init__(message)
        self.too_large = too_large


class FrameReader:
    """Incremental frame parser for a non-blocking pipe."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.buf = bytearray()

    def feed(self, data: bytes) -> list:
        self.buf += data
        frames = []
        while self.buf:
            head = bytes(self.buf[:len(wire.MAGIC)])
            if not wire.MAGIC.startswith(head):
                raise ProtocolViolation("stray bytes on the result channel (not a result frame)")
            if len(self.buf) < _HEAD:
                break
            (length,) = struct.unpack(">Q", self.buf[len(wire.MAGIC):_HEAD])
            if length > self.max_bytes:
                raise ProtocolViolation(f"a result of {length} bytes exceeds the limit of {self.max_bytes} bytes",
                                        too_large=True)
            if len(self.buf) < _HEAD + length:
                break
            frame = bytes(self.buf[_HEAD:_HEAD + length])
            del self.buf[:_HEAD + length]
            try:
                frames.append(wire.decode(frame))
            except (wire.WireError, ValueError, RecursionError) as exc:
                raise ProtocolViolation(f"malformed result frame: {exc}") from None
        return frames


@dataclass
class Received:
    results: list          # decoded frames from the child
    control: list          # decoded frames from the server
    gone: bool             # the server (or the whole sandbox) has exited


class Worker:
    """One long-lived sandboxed server; restartable after a kill."""

    def __init__(self, index: int, *, device: str, limits: Limits, use_bwrap: bool, own_uid: bool,
                 warm_pyplot: bool = True):
        self.index = index
        self.warm_pyplot = warm_pyplot
        self.device = device
        self.limits = limits
        self.use_bwrap = use_bwrap
        self._uid_lock, self.uid = _claim_uid() if own_uid else (None, None)
        self.home = pathlib.Path(tempfile.mkdtemp(prefix=f"dlgrader-worker{index}-"))
        self.home.chmod(0o755)
        self.inbox = self.home / "inbox"
        self.tmp = self.home / "tmp"  # the scratch root when there is no bubblewrap
        for path in (self.inbox, self.tmp):
            path.mkdir(mode=0o755)
        self.proc: subprocess.Popen | None = None
        self.fds: dict[str, int] = {}
        self.ready: dict = {}
        self._seq = 0

    # ------------------------------------------------------------ lifecycle
    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        t0 = time.monotonic()
        self.kill()
        if self.uid is not None:
            os.chown(self.tmp, self.uid, self.uid)
        cmd_r, cmd_w = os.pipe()
        ctl_r, ctl_w = os.pipe()
        res_r, res_w = os.pipe()
        argv = bwrap.server_argv(self._config(ctl_w, res_w))
        if self.use_bwrap:
            argv = bwrap.bwrap_argv(inbox=str(self.inbox), tmp_mb=self.limits.disk_mb + 16,
                                    device=self.device, as_root=self.uid is not None) + argv
        log = open(self.home / "server.log", "wb")
        try:
            self.proc = spawn(argv, stdin=cmd_r, stdout=log, stderr=log, pass_fds=(ctl_w, res_w),
                                         start_new_session=True, env=bwrap.sandbox_env(self.device),
                                         cwd=str(self.tmp))
        finally:
            log.close()
            for fd in (cmd_r, ctl_w, res_w):
                os.close(fd)
        self.fds = {"cmd": cmd_w, "ctl": ctl_r, "res": res_r}
        for fd in (ctl_r, res_r):
            os.set_blocking(fd, False)
        self._readers = {"ctl": FrameReader(CONTROL_MAX_BYTES), "res": FrameReader(self.limits.result_bytes)}
        self._wait_ready(t0)

    def _config(self, ctl_w: int, res_w: int) -> dict:
        inside = "/tmp" if self.use_bwrap else str(self.tmp)
        wipe = [inside] + (["/dev/shm"] if self.use_bwrap else [])
        memory = self.limits.memory_mb if self.device == "cpu" else None
        return {"uid": self.uid, "control_fd": ctl_w, "result_fd": res_w, "device": self.device,
                "inbox": bwrap.INBOX if self.use_bwrap else str(self.inbox),
                "scratch": f"{inside}/work", "stdout": f"{inside}/.output", "wipe": wipe,
                "kill_all": self.use_bwrap or self.uid is not None,
                "memory_mb": memory, "rss_mb": None if memory else self.limits.memory_mb,
                "output_bytes": self.limits.output_bytes, "disk_mb": self.limits.disk_mb,
                "nproc": self.limits.nproc if self.uid is not None else None, "nofile": self.limits.nofile,
                "warm_pyplot": self.warm_pyplot, "keep": bwrap.kept_in_tmp() if self.use_bwrap else []}

    def _wait_ready(self, t0: float) -> None:
        while time.monotonic() - t0 < START_TIMEOUT_S:
            got = self.receive(1.0)
            if got.control:
                self.ready = got.control[0] if isinstance(got.control[0], dict) else {}
                if self.ready.get("ev") == "ready":
                    return
                break
            if got.gone:
                break
        log = (self.home / "server.log").read_text(errors="replace")[-2000:]
        self.kill()
        raise SandboxError(f"worker {self.index} did not start: {log or 'no output'}")

    def kill(self) -> None:
        """SIGKILL the whole sandbox (handlers cannot delay it) and every process of its uid."""
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            self.proc = None
        if self.uid is not None:
            kill_uid(self.uid)
        for fd in self.fds.values():
            try:
                os.close(fd)
            except OSError:
                pass
        self.fds = {}

    def close(self) -> None:
        if self.alive:
            try:
                os.write(self.fds["cmd"], wire.encode({"cmd": "quit"}))
            except OSError:
                pass
        self.kill()
        shutil.rmtree(self.home, ignore_errors=True)
        if self._uid_lock is not None:
            os.close(self._uid_lock)  # releases the uid for another worker
            self._uid_lock = None

    # ------------------------------------------------------------ one job
    def load(self, job: Job, encoded: bytes, sources: dict[str, bytes]) -> None:
        """Put the submission's files and the encoded job into the (read-only) inbox."""
        for entry in self.inbox.iterdir():  # keep the folder itself: the sandbox has it bound
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        src = self.inbox / "src"
        src.mkdir(mode=0o755)
        for name, text in sources.items():
            (src / f"{name}.py").write_bytes(text)
        (self.inbox / "job.bin").write_bytes(encoded)
        for path in [*src.iterdir(), self.inbox / "job.bin"]:
            path.chmod(0o644)

    def send_run(self, case_ids: list[str]) -> int:
        self._seq += 1
        self._readers["res"] = FrameReader(self.limits.result_bytes)
        os.write(self.fds["cmd"], wire.encode({"cmd": "run", "cases": case_ids, "n": self._seq}))
        return self._seq

    def receive(self, timeout: float) -> Received:
        """Wait up to ``timeout`` s for anything; raises ProtocolViolation on bad result bytes."""
        got = Received([], [], False)
        fds = [self.fds["res"], self.fds["ctl"]]
        ready, _, _ = select.select(fds, [], [], max(0.0, timeout))
        if self.fds["ctl"] in ready:
            data = _drain(self.fds["ctl"])
            if data == b"":
                got.gone = True
            try:
                got.control = self._readers["ctl"].feed(data or b"")
            except ProtocolViolation:
                got.gone = True  # a server that talks garbage is as good as dead
        if self.fds["res"] in ready or got.control or got.gone:
            got.results = self._readers["res"].feed(_drain(self.fds["res"]) or b"")
        if not got.gone and self.proc is not None and self.proc.poll() is not None:
            got.gone = True
        return got

    def leftover_bytes(self) -> int:
        return len(self._readers["res"].buf)


def _claim_uid() -> tuple[int, int]:
    """A uid no other worker on this machine uses (any grader process): held by a file lock."""
    for uid in range(bwrap.BASE_UID, bwrap.BASE_UID + UID_RANGE):
        fd = os.open(f"/tmp/dlgrader-uid-{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        kill_uid(uid)  # a crashed grader may have left processes behind under this uid
        return fd, uid
    raise SandboxError(f"all {UID_RANGE} sandbox uids are in use")


class _Spawner:
    """Starts every worker from one thread that lives as long as the process.

    bubblewrap's --die-with-parent (PR_SET_PDEATHSIG) fires when the *thread* that
    forked it exits; workers started from short-lived pool threads would die with them.
    """

    def __init__(self) -> None:
        self.requests: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def spawn(self, argv: list[str], **kwargs) -> subprocess.Popen:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._serve, name="sandbox-spawner", daemon=True)
                self.thread.start()
        done: queue.Queue = queue.Queue()
        self.requests.put((argv, kwargs, done))
        ok, value = done.get()
        if not ok:
            raise value
        return value

    def _serve(self) -> None:
        while True:
            argv, kwargs, done = self.requests.get()
            try:
                done.put((True, subprocess.Popen(argv, **kwargs)))
            except BaseException as exc:  # handed back to the caller's thread
                done.put((False, exc))


spawn = _Spawner().spawn


def _drain(fd: int) -> bytes | None:
    """All bytes available now; b"" at end of file, None when nothing is waiting."""
    chunks = []
    while True:
        try:
            data = os.read(fd, 1 << 20)
        except BlockingIOError:
            break
        except OSError:
            data = b""
        if not data:
            if not chunks:
                return b""
            break
        chunks.append(data)
    return b"".join(chunks) if chunks else None


def kill_uid(uid: int) -> None:
    """SIGKILL every host process running as ``uid`` (a worker's private uid), until none is left."""
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        found = False
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/status") as fh:
                    fields = dict(line.split(":", 1) for line in fh if ":" in line)
            except OSError:
                continue
            zombie = fields.get("State", "").strip().startswith(("Z", "X"))
            if str(uid) in fields.get("Uid", "").split() and not zombie:
                found = True
                try:
                    os.kill(int(name), signal.SIGKILL)
                except OSError:
                    pass
        if not found:
            return
        time.sleep(0.01)
