"""The stored answer key: current, reproducible, usable without reference/, and true to the anchors."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from grader import answer_key
from grader.spec import load_all, load_exercise

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENTS = REPO / "assignments"


def expected(exercise: str, case: str):
    spec = load_exercise(ASSIGNMENTS / f"{exercise}.yaml")
    return answer_key.AnswerKey(spec, ASSIGNMENTS).expected(case)


def test_stored_key_is_current():
    problems = [answer_key.stale_reason(s, ASSIGNMENTS) for s in load_all(ASSIGNMENTS)]
    assert [p for p in problems if p] == [], "run `grader key build` and commit assignments/key/"


@pytest.mark.parametrize("spec", load_all(ASSIGNMENTS), ids=lambda s: s.exercise)
def test_rebuilding_gives_identical_key(spec):
    stored = json.loads((ASSIGNMENTS / "key" / f"{spec.exercise}.json").read_text())
    assert answer_key.build_exercise(spec) == stored


def test_changed_case_makes_the_key_stale(tmp_path):
    copy = tmp_path / "assignments"
    shutil.copytree(ASSIGNMENTS, copy)
    raw = yaml.safe_load((copy / "ex14.yaml").read_text())
    raw["cases"][0]["run"]["args"]["x"]["value"][0] = 0.5
    (copy / "ex14.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    reason = answer_key.stale_reason(load_exercise(copy / "ex14.yaml"), copy)
    assert reason and "stale for case softmax_handout" in reason and "grader key build" in reason


def test_grading_reads_the_key_without_reference():
    code = (
        "import sys; sys.modules['reference'] = None\n"
        "from grader.api import make_plan\n"
        "plan = make_plan(exercises=['ex02', 'ex14'], visibility='all')\n"
        "print(plan.keys['ex02'].expected('manual_seed0_3x4')['grad_x'][0][0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", timeout=120)
    assert out.returncode == 0, out.stderr
    assert abs(float(out.stdout) - 0.76103773) < 1e-8


# -------------------------------------------------- the key against the handout's anchors (independent numbers)
def test_ex02_anchor_seed0():
    key = expected("ex02", "manual_seed0_3x4")
    np.testing.assert_allclose(key["grad_x"][0], [0.76103773, 0.12167502, 0.44386323, 0.33367433], atol=1e-8)
    np.testing.assert_allclose(key["grad_y"], np.random.RandomState(0).randn(3, 4), rtol=1e-12)  # grad_y = x
    c = expected("ex02", "autograd_seed0_3x4")["c"]
    assert abs(float(c) - 6.717008537800067) < 1e-12


def test_ex11_anchors():
    np.testing.assert_allclose(expected("ex11", "problem_sigmoid"), [0.72021291, 0.60807077], atol=1e-8)
    np.testing.assert_allclose(expected("ex11", "problem_relu"), [0.949, 1.095], atol=1e-3)
    t = np.array([0.0, 1.0])
    err = lambda o: 0.5 * np.sum((t - np.asarray(o)) ** 2)
    assert err(expected("ex11", "problem_sigmoid")) == pytest.approx(0.336158, abs=1e-6)
    assert err(expected("ex11", "problem_u312_sigmoid")) == pytest.approx(0.338169, abs=1e-6)
    assert err(expected("ex11", "problem_relu")) == pytest.approx(0.454813, abs=1e-6)
    assert err(expected("ex11", "problem_u312_relu")) == pytest.approx(0.441918, abs=1e-6)


def test_ex13_anchors():
    assert list(expected("ex13", "shape_10_filters_5x5_pad2")) == [32, 32, 10]
    assert np.prod(expected("ex13", "shape_10_filters_5x5_pad2")) == 10240
    assert int(expected("ex13", "params_10_filters_5x5")) == 760
    assert list(expected("ex13", "shape_64_filters_3x3_pad1")) == [32, 32, 64]
    assert np.prod(expected("ex13", "shape_64_filters_3x3_pad1")) == 65536
    assert int(expected("ex13", "params_64_filters_3x3")) == 1792
    assert expected("ex13", "filter_does_not_tile").type_name == "ValueError"


def test_ex14_anchors():
    np.testing.assert_allclose(expected("ex14", "softmax_handout"),
                               [0.13250053, 0.65627943, 0.08890663, 0.12231341], atol=1e-8)
    assert float(expected("ex14", "mse_handout")) == pytest.approx(0.811803, abs=1e-6)
    assert float(expected("ex14", "cross_entropy_handout")) == pytest.approx(2.3227878, abs=1e-7)
    assert float(expected("ex14", "log_likelihood_handout")) == pytest.approx(3.3510744, abs=1e-7)


def test_ex04_anchor_loss_falls_from_3e7():
    losses = np.asarray(expected("ex04", "seed_sizes_history")["losses"])
    assert 1e7 < losses[0] < 1e8 and losses[-1] < 1e-3 and np.all(np.isfinite(losses))
