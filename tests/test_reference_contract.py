"""reference/ is itself a valid submission: every contract name, with its exact signature.

The contract below is typed from EXERCISES.md, not read from the reference.
Each exNN.py must import on its own (no imports from its siblings, nothing
printed, nothing run at import time), which a clean subprocess checks.
"""

import ast
import importlib
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = ROOT / "reference"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_TRAIN = ["x", "y", "w1", "w2", ("learning_rate", 1e-6), ("steps", 500)]
# name -> parameters (a bare name, or (name, default)); "class" for a class; "value" for data.
CONTRACT = {
    "ex01": {"logit": ["z"], "relu": ["z"], "step": ["z"], "tanh": ["z"],
             "derivative": ["f", "z", ("eps", 1e-6)]},
    "ex02": {"manual_backward": ["x", "y", "z"], "autograd_backward": ["x", "y", "z"]},
    "ex03": {"rnn_step": ["x", "prev_h", "w_h", "w_x"],
             "rnn_backward": ["x", "prev_h", "w_h", "w_x"]},
    "ex04": {"train_manual": _TRAIN},
    "ex05": {"train_autograd": _TRAIN},
    "ex06": {"MyReLU": "class", "train_custom_relu": _TRAIN},
    "ex07": {"TwoLayerNet": "class",
             "train_module": ["model", "x", "y", ("learning_rate", 1e-4), ("steps", 500)]},
    "ex08": {"train_minibatch": ["model", "x", "y", ("batch_size", 8), ("epochs", 20),
                                 ("learning_rate", 1e-4)]},
    "ex09": {"MNISTNet": "class",
             "train_mnist": ["model", "loader", ("epochs", 1), ("device", "cpu")]},
    "ex10": {"perceptron": ["x", "w", "w0"], "NOR_WEIGHTS": "value", "AND_WEIGHTS": "value"},
    "ex11": {"mlp_forward": ["x", "weights", ("activation", "sigmoid")],
             "squared_error": ["o", "t"]},
    "ex12": {"conv2d": ["image", "kernel", ("stride", 1), ("padding", 0)],
             "conv2d_multi": ["x", "kernels", "bias", ("stride", 1), ("padding", 0)]},
    "ex13": {"conv_output_shape": ["input_shape", "n_filters", "kernel_size", ("stride", 1),
                                   ("padding", 0)],
             "conv_param_count": ["in_channels", "n_filters", "kernel_size", ("bias", True)]},
    "ex14": {"softmax": ["x"], "mse": ["o", "t"], "cross_entropy": ["o", "t"],
             "log_likelihood": ["o", "t"]},
}
CONTRACT_NAMES = [(ex, name, spec)
                  for ex, names in CONTRACT.items() for name, spec in names.items()]

# Loads every exNN.py by path, as a top-level module, from a directory that
# holds no sibling package, and reports what each defines and printed.
_PROBE = r"""
import contextlib, importlib.util, io, json, sys
report = {}
for path in sys.argv[1:]:
    name = path.rsplit("/", 1)[-1][:-3]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        spec = importlib.util.spec_from_file_location("submission_" + name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    report[name] = {"names": sorted(vars(module)), "output": out.getvalue()}
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def standalone_imports(tmp_path_factory):
    files = [str(REFERENCE_DIR / f"{ex}.py") for ex in CONTRACT]
    proc = subprocess.run([sys.executable, "-I", "-c", _PROBE, *files], capture_output=True,
                          text=True, cwd=tmp_path_factory.mktemp("alone"), timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("ex", sorted(CONTRACT))
def test_each_file_imports_on_its_own_silently(ex, standalone_imports):
    report = standalone_imports[ex]
    assert report["output"] == ""
    assert set(CONTRACT[ex]) <= set(report["names"])


@pytest.mark.parametrize("ex, name, spec", CONTRACT_NAMES,
                         ids=[f"{ex}.{name}" for ex, name, _ in CONTRACT_NAMES])
def test_contract_name_and_signature(ex, name, spec):
    obj = getattr(importlib.import_module(f"reference.{ex}"), name)
    if spec == "class":
        assert inspect.isclass(obj)
        return
    if spec == "value":
        w, w0 = obj
        assert len(w) == 2 and float(w0) == w0
        return
    want = [p if isinstance(p, tuple) else (p, inspect.Parameter.empty) for p in spec]
    got = [(p.name, p.default) for p in inspect.signature(obj).parameters.values()]
    assert got == want


def test_my_relu_and_modules_follow_the_contract():
    ex06 = importlib.import_module("reference.ex06")
    ex07 = importlib.import_module("reference.ex07")
    ex09 = importlib.import_module("reference.ex09")
    assert issubclass(ex06.MyReLU, torch.autograd.Function)
    assert isinstance(inspect.getattr_static(ex06.MyReLU, "forward"), staticmethod)
    assert isinstance(inspect.getattr_static(ex06.MyReLU, "backward"), staticmethod)
    assert issubclass(ex07.TwoLayerNet, torch.nn.Module)
    assert list(inspect.signature(ex07.TwoLayerNet).parameters) == ["D_in", "H", "D_out"]
    assert issubclass(ex09.MNISTNet, torch.nn.Module)


def test_no_reference_file_imports_a_sibling():
    for path in sorted(REFERENCE_DIR.glob("ex*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0 and not (node.module or "").startswith("reference"), path
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith(("reference", "ex")) for a in node.names), path
