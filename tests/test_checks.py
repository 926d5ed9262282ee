"""Checks judge whatever data came back, forged or odd, without the grader itself failing."""
import numpy as np
import pytest

from grader.checks import judge
from grader.sandbox.model import Outcome
from grader.spec import DEFAULT_ASSIGNMENTS, load_exercise

EX09 = load_exercise(DEFAULT_ASSIGNMENTS / "ex09.yaml")
CASE = EX09.cases[0]
LABELS = np.arange(CASE.run.heldout_size) % 10


def ex09_result(value):
    return judge(EX09, CASE, Outcome("ex09/x", "case", "ok", value=value), None, {}, {"heldout_labels": LABELS})


def perfect_logits():
    return np.eye(10)[LABELS]


@pytest.mark.parametrize("value, message", [
    ({"param_count": "many", "losses": [1.0], "logits": perfect_logits()}, "no parameter count"),
    ({"param_count": True, "losses": [1.0], "logits": perfect_logits()}, "no parameter count"),
    ({"param_count": 10, "losses": "x", "logits": np.zeros((3, 10))}, "logits, got shape (3, 10)"),
    ({"param_count": 10**9, "losses": [1.0], "logits": perfect_logits()}, "over the budget"),
    ([1, 2], "returned no result"),
])
def test_odd_mnist_results_fail_cleanly(value, message):
    result = ex09_result(value)
    assert result.verdict == "wrong" and result.score == 0 and message in result.message


def test_accuracy_is_computed_from_the_grader_s_own_labels():
    passed = ex09_result({"param_count": 10, "losses": [2.0, 1.0], "logits": perfect_logits()})
    assert passed.passed and passed.details["accuracy"] == 1.0
    shifted = ex09_result({"param_count": 10, "losses": [2.0, 1.0], "logits": np.roll(perfect_logits(), 1, axis=1)})
    assert not shifted.passed and shifted.details["accuracy"] == 0.0
