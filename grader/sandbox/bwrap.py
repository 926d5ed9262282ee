"""The command line that starts one worker, with or without bubblewrap.

Inside bubblewrap a worker sees only read-only system directories (/usr, /lib*,
a few files of /etc), the Python installation, the virtual environment, the
``grader`` package of this repository and its own read-only inbox; /tmp and
/dev/shm are small fresh tmpfs mounts.  Network, PID, IPC and UTS namespaces are
new (no network at all, not even loopback).

Two ways to become unprivileged:

* as root, bubblewrap runs privileged without a user namespace and keeps only
  CAP_SETUID/CAP_SETGID; the server drops to its own uid (61000 + worker index) before
  it imports anything, so RLIMIT_NPROC counts that worker's processes alone and the
  sandbox holds no capability anywhere;
* as a normal user, ``--unshare-all`` puts the worker in a user namespace.
"""
from __future__ import annotations

import functools
import glob
import json
import os
import pathlib
import shutil
import subprocess
import sys

BASE_UID = 61000
INBOX = "/inbox"
BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
        "from grader.sandbox.server import main; main(sys.argv[2])")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
             "/etc/nsswitch.conf", "/etc/host.conf")


def repo_root() -> pathlib.Path:
    """The folder holding the ``grader`` package (only that package is shown to the sandbox)."""
    return pathlib.Path(__file__).resolve().parents[2]


def sandbox_env(device: str) -> dict[str, str]:
    """The whole environment of a worker: nothing of the grader's leaks in."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
           "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
    # hardware settings, not secrets: older OpenBLAS builds miscompute or crash on some CPUs without them
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "CUDA_VISIBLE_DEVICES"):
        if name in os.environ:
            env[name] = os.environ[name]
    env["OMP_WAIT_POLICY"] = "PASSIVE"   # no spinning threads stealing a core from the next worker
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
    return env


def server_argv(config: dict) -> list[str]:
    return [sys.executable, "-I", "-B", "-c", BOOT, str(repo_root()), json.dumps(config)]


@functools.lru_cache(maxsize=None)
def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def python_dirs() -> list[str]:
    """The Python installation and the virtual environment (deduplicated, resolved)."""
    dirs = []
    for prefix in (sys.base_prefix, sys.prefix):
        path = str(pathlib.Path(prefix).resolve())
        if path not in dirs:
            dirs.append(path)
    if sys.prefix != str(pathlib.Path(sys.prefix).resolve()):
        dirs.append(sys.prefix)  # a symlinked venv path is used as sys.executable
    return dirs


def kept_in_tmp() -> list[str]:
    """Names directly under /tmp that lead to our read-only binds (never wiped between jobs)."""
    names = set()
    for path in [*python_dirs(), str(repo_root() / "grader")]:
        parts = pathlib.PurePosixPath(path).parts
        if len(parts) > 2 and parts[1] == "tmp":
            names.add(parts[2])
    return sorted(names)


def reachable_by_others() -> bool:
    """Can an unprivileged uid run our Python without bubblewrap (every folder above it o+x)?"""
    for path in [*python_dirs(), str(repo_root() / "grader")]:
        for folder in [pathlib.Path(path), *pathlib.Path(path).parents]:
            try:
                if not folder.stat().st_mode & 0o001:
                    return False
            except OSError:
                return False
    return True


class _Args:
    """Collects bwrap arguments, creating every mount point's parents with mode 0755."""

    def __init__(self) -> None:
        self.argv: list[str] = []
        self.made: set[str] = {"/"}

    def add(self, *args: str) -> None:
        self.argv.extend(args)

    def parents(self, dest: str) -> None:
        for parent in reversed(pathlib.PurePosixPath(dest).parents):
            if str(parent) not in self.made:
                self.add("--perms", "0755", "--dir", str(parent))
                self.made.add(str(parent))

    def ro_bind(self, src: str, dest: str | None = None) -> None:
        dest = dest or src
        self.parents(dest)
        self.add("--ro-bind", src, dest)
        self.made.add(dest)


def bwrap_argv(*, inbox: str, tmp_mb: int, device: str, as_root: bool) -> list[str]:
    """Everything before the command: mounts, namespaces, capabilities, environment."""
    a = _Args()
    a.add(bwrap_path() or "bwrap", "--die-with-parent", "--new-session")
    if as_root:  # privileged bwrap, no user namespace; the server drops to its own uid
        a.add("--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
              "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID")
    else:
        a.add("--unshare-all", "--cap-drop", "ALL")
    # scratch filesystems first: a venv or checkout that lives under /tmp is bound on top of them below
    a.add("--proc", "/proc", "--dev", "/dev")
    a.made.update({"/proc", "/dev"})
    a.add("--perms", "1777", "--size", str(tmp_mb << 20), "--tmpfs", "/tmp")
    a.add("--perms", "1777", "--size", str(16 << 20), "--tmpfs", "/dev/shm")
    a.made.update({"/tmp", "/dev/shm"})
    a.ro_bind("/usr")
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            a.add("--symlink", os.readlink(top), top)
            a.made.add(top)
        elif os.path.isdir(top):
            a.ro_bind(top)
    for path in ETC_FILES:
        if os.path.exists(path):
            a.ro_bind(path)
    for path in python_dirs():
        a.ro_bind(path)
    a.ro_bind(str(repo_root() / "grader"))
    a.ro_bind(inbox, INBOX)
    if device.startswith("cuda"):
        for node in sorted(glob.glob("/dev/nvidia*")):
            a.add("--dev-bind", node, node)
    a.add("--clearenv")
    for key, value in sandbox_env(device).items():
        a.add("--setenv", key, value)
    a.add("--chdir", "/tmp")
    return a.argv


@functools.lru_cache(maxsize=None)
def probe(as_root: bool) -> str | None:
    """None when bubblewrap can build our sandbox here, else why not (checked once)."""
    if bwrap_path() is None:
        return "bubblewrap (bwrap) is not installed"
    inbox = "/"  # any existing directory will do for the probe
    argv = bwrap_argv(inbox=inbox, tmp_mb=1, device="cpu", as_root=as_root) + ["/bin/true"]
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=20, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not start: {exc}"
    if proc.returncode != 0:
        return "bubblewrap could not start: " + proc.stderr.decode(errors="replace").strip()[:300]
    return None
