"""Concrete inputs for a case, generated from its spec (seeds and shapes, never pasted numbers).

Values are drawn in the order they appear in the YAML from
``np.random.RandomState(case.seed)`` (so ``seed: 0`` with three ``randn: [3, 4]``
draws reproduces ``np.random.seed(0); x, y, z = randn, randn, randn``), then
converted to the type named by ``as``. Generation is deterministic and needs no
torch RNG, so the same case gives the same inputs on every machine.

:func:`materialize` returns what the sandbox receives, and what only the grader
keeps (the held-out MNIST labels never leave the grader's process).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

from grader import mnist
from grader.wire import TensorData
from grader.spec import (AttributeRun, AutogradFunctionRun, CallRun, Case, Generator, MnistRun,
                         TrainModuleRun)


@dataclass
class CaseInputs:
    sandbox: dict[str, Any]                               # sent to the student's process (torch inputs as TensorData)
    private: dict[str, Any] = field(default_factory=dict)  # kept by the grader (e.g. held-out labels)


def _convert(arr: Any, spec: Generator) -> Any:
    kind = spec.as_
    if kind == "numpy":
        return np.asarray(arr, dtype=spec.dtype) if not isinstance(arr, str) else arr
    if kind == "torch":
        return TensorData(np.array(arr, dtype=spec.dtype))
    if kind == "list":
        return np.asarray(arr, dtype=spec.dtype).tolist()
    if kind == "tuple":
        return tuple(np.asarray(arr, dtype=spec.dtype).tolist())
    if kind == "float":
        return float(arr)
    if kind == "int":
        return int(arr)
    return str(arr)


def generate(spec: Any, rng: np.random.RandomState) -> Any:
    """One input value from its spec; literals pass through unchanged."""
    if not isinstance(spec, Generator):
        return spec
    if spec.callable is not None:
        return {"$callable": spec.callable}
    if spec.list_ is not None:
        items = [generate(item, rng) for item in spec.list_]
        return tuple(items) if spec.as_ == "tuple" else items
    if spec.value is not None:
        return _convert(spec.value, spec)
    if spec.randn is not None:
        return _convert(rng.randn(*spec.randn) * spec.scale if spec.scale != 1.0 else rng.randn(*spec.randn), spec)
    if spec.rand is not None:
        return _convert(rng.uniform(spec.low, spec.high, size=spec.rand), spec)
    if spec.randint is not None:
        return _convert(rng.randint(int(spec.low), int(spec.high), size=spec.randint), spec)
    start, stop, num = spec.linspace
    return _convert(np.linspace(start, stop, int(num)), spec)


def materialize(case: Case, mnist_dir: Optional[Path] = None) -> CaseInputs:
    """The inputs of ``case``: deterministic for a given spec."""
    rng = np.random.RandomState(case.seed)
    run = case.run
    if isinstance(run, CallRun):
        return CaseInputs({"args": [generate(v, rng) for v in run.args.values()]})
    if isinstance(run, AttributeRun):
        return CaseInputs({})
    if isinstance(run, AutogradFunctionRun):
        return CaseInputs({"x": generate(run.x, rng), "grad_out": generate(run.grad_out, rng)})
    if isinstance(run, TrainModuleRun):
        state = {k: generate(v, rng) for k, v in run.state.items()}
        return CaseInputs({"model_args": list(run.model_args), "state": state,
                           "args": [generate(v, rng) for v in run.args.values()]})
    if isinstance(run, MnistRun):
        if mnist_dir is None:
            mnist_dir = mnist.resolve_dir()
        x_tr, y_tr, x_ho, y_ho = mnist.split(Path(mnist_dir), case.seed, run.train_size, run.heldout_size)
        return CaseInputs(
            {"seed": case.seed, "batch_size": run.batch_size, "epochs": run.epochs,
             "train_images": TensorData(x_tr), "train_labels": TensorData(y_tr),
             "heldout_images": TensorData(x_ho)},
            private={"heldout_labels": y_ho})
    raise TypeError(f"unknown run kind {type(run).__name__}")


def describe(value: Any, limit: int = 6) -> str:
    """A short human description of an input for reports: shape and dtype, or the literal."""
    if isinstance(value, dict) and set(value) == {"$callable"}:
        return value["$callable"]
    if hasattr(value, "shape") and hasattr(value, "dtype") and getattr(value, "ndim", 0) > 0:
        kind = "tensor" if isinstance(value, TensorData) or type(value).__module__.startswith("torch") else "array"
        dtype = str(value.dtype).replace("torch.", "")
        return f"{kind} {tuple(value.shape)} {dtype}"
    if isinstance(value, (list, tuple)) and len(value) > limit:
        return f"{type(value).__name__} of {len(value)} items"
    text = repr(value.tolist() if hasattr(value, "tolist") else value)
    return text if len(text) <= 80 else text[:77] + "..."
