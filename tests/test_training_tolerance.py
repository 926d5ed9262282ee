"""Training cases (ex04–ex08) accept float32 round-off but reject a wrong gradient or learning rate.

Both sides are proved on the public seed-size case: implementations that differ
only in operation order, thread count or precision pass; subtly wrong ones fail.
"""
import importlib

import pytest
import torch

from support import judge_inline, mistake, variant

ex04 = importlib.import_module("reference.ex04")
ex05 = importlib.import_module("reference.ex05")


def _history_case(result, case="seed_sizes_history"):
    return next(c for c in result.cases if c.case == case)


def _one_thread(*args, **kwargs):
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return ex04.train_manual(*args, **kwargs)
    finally:
        torch.set_num_threads(threads)


def _float64(x, y, w1, w2, learning_rate=1e-6, steps=500):
    out = ex04.train_manual(x.double(), y.double(), w1.double(), w2.double(), learning_rate, steps)
    return {"losses": out["losses"], "w1": out["w1"].float(), "w2": out["w2"].float()}


def _lr_scaled(factor):
    def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
        return ex04.train_manual(x, y, w1, w2, learning_rate * factor, steps)
    return train


@pytest.mark.parametrize("name, train", [
    ("autograd instead of manual gradients", ex05.train_autograd),
    ("one BLAS thread", _one_thread),
    ("computed in float64", _float64),
])
def test_equivalent_implementations_pass(name, train):
    result = judge_inline({"ex04": variant("ex04", train_manual=train)}, exercises=["ex04"])
    assert _history_case(result).passed, f"{name}: {_history_case(result).message}"


@pytest.mark.parametrize("name, module, hint", [
    ("10e-6 learning rate", lambda: mistake("ex04", "learning_rate_10e-6"), "learning_rate_10e-6"),
    ("missing ReLU mask", lambda: mistake("ex04", "missing_relu_mask"), "missing_relu_mask"),
    ("learning rate 1 % too high", lambda: variant("ex04", train_manual=_lr_scaled(1.01)), None),
    ("learning rate 10 % too low", lambda: variant("ex04", train_manual=_lr_scaled(0.9)), None),
])
def test_subtly_wrong_training_fails(name, module, hint):
    case = _history_case(judge_inline({"ex04": module()}, exercises=["ex04"]))
    assert not case.passed, name
    assert case.score < case.points
    if hint:
        assert hint in [h.id for h in case.hints]


def test_diverging_training_fails_loss_falls_with_its_step():
    result = judge_inline({"ex05": mistake("ex05", "learning_rate_10e-6")}, exercises=["ex05"])
    falls = _history_case(result, "seed_sizes_loss_falls")
    assert falls.verdict == "wrong" and "NaN or infinite at step" in falls.message
