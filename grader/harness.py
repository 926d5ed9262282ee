"""What runs inside the sandbox: import a student's modules and execute cases.

This module is the only grader code that shares a process with student code.
It receives a *job* (already-decoded inputs, see :mod:`grader.wire`) and emits
one event frame per step on the result channel:

``{"ev": "begin", "case": id, "phase": "import"|"case"}`` before each step, then
``{"ev": "end", "case": id, "ok": bool, "value": ..., "error": RaisedError|None,
"time": s, "stdout": str, "warnings": [...]}`` after it, and ``{"ev": "done"}``.

Nothing here judges an answer: outputs go back as data and the grader compares
them in its own process, so a student who patches this module gains nothing.
"""
from __future__ import annotations

import importlib.util
import os
import sys
import time
import traceback
import types
import warnings
from typing import Any, BinaryIO, Callable

from grader import wire

STDOUT_EXCERPT = 2000


class StudentError(Exception):
    """Wraps an exception raised by student code, with a student-facing traceback."""

    def __init__(self, raised: wire.RaisedError):
        super().__init__(raised.message)
        self.raised = raised


def describe_exception(exc: BaseException, src_dir: str) -> wire.RaisedError:
    """Exception → data, keeping only frames from the student's own files."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(src_dir)]
    lines = traceback.format_list(frames[-6:]) if frames else []
    if isinstance(exc, SyntaxError) and exc.filename and exc.filename.startswith(src_dir):
        lines = traceback.format_exception_only(type(exc), exc)
    tb = "".join(lines).replace(src_dir + os.sep, "")
    if isinstance(exc, SystemExit):
        message = f"the code called sys.exit({exc.code!r})"
    else:
        try:
            message = str(exc)
        except Exception:  # a hostile __str__
            message = "<unprintable exception>"
    return wire.RaisedError(type(exc).__name__, message[:2000], tb[-4000:])


def load_module(name: str, path: str, src_dir: str) -> types.ModuleType:
    """Import one student file under its contract name (``ex02``)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- case kinds
def _move(value: Any, device: str) -> Any:
    torch = sys.modules.get("torch")
    if device == "cpu" or torch is None:
        return value
    if isinstance(value, torch.Tensor):
        return value.to(device)
    if isinstance(value, list):
        return [_move(v, device) for v in value]
    if isinstance(value, tuple):
        return tuple(_move(v, device) for v in value)
    if isinstance(value, dict):
        return {k: _move(v, device) for k, v in value.items()}
    return value


def _resolve_callables(value: Any, module: types.ModuleType) -> Any:
    """``{"$callable": "numpy.sin"}`` / ``{"$callable": "student.logit"}`` → a function."""
    if isinstance(value, dict) and set(value) == {"$callable"}:
        owner, _, attr = value["$callable"].partition(".")
        if owner == "student":
            return _require(module, attr)
        import numpy as np

        return getattr(np, attr)
    if isinstance(value, list):
        return [_resolve_callables(v, module) for v in value]
    return value


def _require(module: types.ModuleType, name: str) -> Any:
    if not hasattr(module, name):
        raise AttributeError(f"module '{module.__name__}' does not define '{name}'")
    return getattr(module, name)


def run_call(module, run: dict, inputs: dict, device: str) -> Any:
    fn = _require(module, run["function"])
    args = [_resolve_callables(_move(v, device), module) for v in inputs["args"]]
    return fn(*args)


def run_attribute(module, run: dict, inputs: dict, device: str) -> Any:
    return _require(module, run["name"])


def run_autograd_function(module, run: dict, inputs: dict, device: str) -> Any:
    import torch

    cls = _require(module, run["class"])
    x = _move(inputs["x"], device).detach().clone().requires_grad_(True)
    out = cls.apply(x)
    out.backward(_move(inputs["grad_out"], device))
    probe = _move(inputs["x"], device).detach().clone().requires_grad_(True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ok = torch.autograd.gradcheck(cls.apply, (probe,), raise_exception=False)
    return {"out": out, "grad": x.grad, "gradcheck": bool(ok)}


def _two_layer_net():
    """The course's TwoLayerNet, for exercises that train a model they did not define (ex08)."""
    import torch

    class TwoLayerNet(torch.nn.Module):
        def __init__(self, d_in: int, h: int, d_out: int):
            super().__init__()
            self.linear1 = torch.nn.Linear(d_in, h)
            self.linear2 = torch.nn.Linear(h, d_out)

        def forward(self, x):
            return self.linear2(self.linear1(x).clamp(min=0))

    return TwoLayerNet


BUILTIN_MODELS = {"@TwoLayerNet": _two_layer_net}


def run_train_module(module, run: dict, inputs: dict, device: str) -> Any:
    name = run["class"]
    cls = BUILTIN_MODELS[name]() if name in BUILTIN_MODELS else _require(module, name)
    fn = _require(module, run["function"])
    model = cls(*inputs["model_args"])
    model.load_state_dict(inputs["state"], strict=True)   # identical starting weights for everyone
    model.to(device)
    losses = fn(model, *[_move(v, device) for v in inputs["args"]])
    return {"losses": losses, "state": dict(model.state_dict())}


def run_mnist(module, run: dict, inputs: dict, device: str) -> Any:
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    cls = _require(module, run["class"])
    fn = _require(module, run["function"])
    torch.manual_seed(int(inputs["seed"]))
    model = cls()
    n_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    images = inputs["train_images"].float().div_(255.0).unsqueeze(1)
    labels = inputs["train_labels"].long()
    loader = DataLoader(TensorDataset(images, labels), batch_size=int(inputs["batch_size"]), shuffle=True,
                        generator=torch.Generator().manual_seed(int(inputs["seed"])))
    model.to(device)
    losses = fn(model, loader, int(inputs["epochs"]), device)
    model.eval()
    held = inputs["heldout_images"].float().div_(255.0).unsqueeze(1)
    logits = []
    with torch.no_grad():
        for start in range(0, held.shape[0], 500):
            logits.append(model(held[start:start + 500].to(device)).detach().cpu())
    return {"param_count": int(n_params), "losses": losses, "logits": torch.cat(logits)}


KINDS: dict[str, Callable[..., Any]] = {
    "call": run_call,
    "attribute": run_attribute,
    "autograd_function": run_autograd_function,
    "train_module": run_train_module,
    "mnist": run_mnist,
}


# ---------------------------------------------------------------- the job loop
class _Tail:
    """Reads what the student printed since the last mark from the redirected stdout file."""

    def __init__(self, fd: int | None):
        self.fd = fd
        self.mark = 0

    def take(self) -> str:
        if self.fd is None:
            return ""
        try:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            end = os.lseek(self.fd, 0, os.SEEK_END)
            start = max(self.mark, end - STDOUT_EXCERPT)
            data = os.pread(self.fd, end - start, start) if end > start else b""
            skipped = start - self.mark
            self.mark = end
        except OSError:
            return ""
        text = data.decode("utf-8", "replace")
        return (f"[... {skipped} bytes not shown ...]\n" if skipped > 0 else "") + text


def _timed(fn: Callable[[], Any], device: str = "cpu") -> tuple[bool, Any, float, list[str]]:
    """Run ``fn``; its own compute time is the process's CPU time on the CPU (immune to other
    processes sharing the core) and wall time on a GPU (whose kernels the CPU clock does not see)."""
    clock = time.process_time if device == "cpu" else time.perf_counter
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = clock()
        try:
            value = fn()
            ok = True
        except BaseException as exc:  # SystemExit and KeyboardInterrupt are the student's too
            value, ok = exc, False
        elapsed = clock() - start
    seen: list[str] = []
    for w in caught:
        text = f"{w.category.__name__}: {w.message}"[:500]
        if text not in seen:
            seen.append(text)
    return ok, value, elapsed, seen[:10]


def run_job(job: dict, out: BinaryIO, *, stdout_fd: int | None = None) -> None:
    """Run every case of ``job`` and write event frames to ``out``.

    ``job`` = {"src_dir": str, "device": "cpu"|"cuda", "modules": {name: path},
    "cases": [{"id", "module", "run": {...}, "inputs": {...}}]}.
    """
    src_dir = job["src_dir"]
    device = job.get("device", "cpu")
    tail = _Tail(stdout_fd)
    modules: dict[str, Any] = {}
    for case in job["cases"]:
        name = case["module"]
        if name not in modules:
            path = job["modules"].get(name)
            if path is None:
                modules[name] = wire.RaisedError("MissingFile", f"no file {name}.py in the submission")
            else:
                wire.write_frame(out, {"ev": "begin", "case": name, "phase": "import"})
                ok, value, elapsed, warned = _timed(lambda: load_module(name, path, src_dir), device)
                modules[name] = value if ok else describe_exception(value, src_dir)
                wire.write_frame(out, {"ev": "end", "case": name, "phase": "import", "ok": ok, "value": None,
                                       "error": None if ok else modules[name], "time": elapsed,
                                       "stdout": tail.take(), "warnings": warned})
        module = modules[name]
        wire.write_frame(out, {"ev": "begin", "case": case["id"], "phase": "case"})
        if isinstance(module, wire.RaisedError):
            wire.write_frame(out, {"ev": "end", "case": case["id"], "phase": "case", "ok": False, "value": None,
                                   "error": _import_failure(module), "time": 0.0,
                                   "stdout": "", "warnings": []})
            continue
        _reset_state()
        kind = KINDS[case["run"]["kind"]]
        ok, value, elapsed, warned = _timed(lambda: kind(module, case["run"], case["inputs"], device), device)
        error = None if ok else describe_exception(value, src_dir)
        event = {"ev": "end", "case": case["id"], "phase": "case", "ok": ok, "value": value if ok else None,
                 "error": error, "time": elapsed, "stdout": tail.take(), "warnings": warned}
        try:  # encoding happens before any byte is written, so a failure leaves the channel clean
            wire.write_frame(out, event)
        except BaseException as exc:  # a return value that cannot even be inspected
            event.update(ok=False, value=None,
                         error=wire.RaisedError("UnsupportedReturn", f"could not read the result: {exc}"[:500]))
            wire.write_frame(out, event)
    wire.write_frame(out, {"ev": "done"})


def _import_failure(error: wire.RaisedError) -> wire.RaisedError:
    if error.type_name == "MissingFile":
        return error
    return wire.RaisedError("ImportFailed", f"{error.type_name}: {error.message}", error.traceback)


def _reset_state() -> None:
    """Same starting point for every case: seeded RNGs, no open figures."""
    import random

    random.seed(0)
    np = sys.modules.get("numpy")
    if np is not None:
        np.random.seed(0)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.default_generator.manual_seed(0)   # torch.manual_seed also walks every lazy device: 0.5 ms
        if torch.cuda.is_initialized():
            torch.cuda.manual_seed_all(0)
        torch.set_flush_denormal(True)   # tiny late-training gradients would otherwise run 10x slower
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")

