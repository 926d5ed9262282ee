"""reference/mistakes.py: every known wrong variant is well formed and really wrong.

Each variant must have the signature of the contract name it replaces, and on
the input that exposes its mistake it must differ from the right answer; where
the seed recorded a wrong answer (ex11, ex13), the variant must reproduce it.
Right answers here come from torch or from EXERCISES.md, as in test_reference.py.
"""

import importlib
import inspect
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reference import ex01, ex02, ex04, ex05, ex06, ex11, ex12, ex13, ex14  # noqa: E402
from reference.mistakes import VARIANTS  # noqa: E402

REQUIRED = {
    "ex01": {"derivative_forward_difference"},
    "ex02": {"grad_y_uses_grad_x"},
    "ex04": {"learning_rate_10e-6", "missing_relu_mask"},
    "ex05": {"learning_rate_10e-6"},
    "ex06": {"learning_rate_10e-6"},
    "ex11": {"bias_node_zero_row"},
    "ex12": {"kernel_flipped"},
    "ex13": {"seed_param_formula"},
    "ex14": {"log_likelihood_natural_log", "softmax_unstable"},
}
REFERENCE = {"ex01": ex01, "ex02": ex02, "ex04": ex04, "ex05": ex05, "ex06": ex06,
             "ex11": ex11, "ex12": ex12, "ex13": ex13, "ex14": ex14}
ALL_VARIANTS = [(ex, mistake, name, fn) for ex, mistakes in VARIANTS.items()
                for mistake, funcs in mistakes.items() for name, fn in funcs.items()]


def variant(ex, mistake, name):
    return VARIANTS[ex][mistake][name]


def _signature(fn):
    return [(p.name, p.default) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("ex", sorted(REQUIRED))
def test_required_mistakes_are_present(ex):
    assert REQUIRED[ex] <= set(VARIANTS.get(ex, {}))


@pytest.mark.parametrize("ex, mistake, name, fn", ALL_VARIANTS,
                         ids=[f"{e}-{m}-{n}" for e, m, n, _ in ALL_VARIANTS])
def test_variant_has_the_contract_signature(ex, mistake, name, fn):
    reference = importlib.import_module(f"reference.{ex}")
    assert callable(fn)
    assert _signature(fn) == _signature(getattr(reference, name))


# ---------------------------------------------------------------- ex01


def test_ex01_forward_difference_is_less_accurate():
    wrong = variant("ex01", "derivative_forward_difference", "derivative")
    z, eps = 1.0, 1e-3
    assert abs(wrong(np.sin, z, eps) - np.cos(z)) > 1e-4  # O(eps) error
    assert abs(ex01.derivative(np.sin, z, eps) - np.cos(z)) < 1e-6  # O(eps^2) error


# ---------------------------------------------------------------- ex02


def test_ex02_grad_y_uses_grad_x_gets_only_grad_y_wrong():
    np.random.seed(0)
    x, y, z = (np.random.randn(3, 4) for _ in range(3))
    wrong = variant("ex02", "grad_y_uses_grad_x", "manual_backward")(x, y, z)
    right = ex02.manual_backward(x, y, z)
    np.testing.assert_allclose(wrong["grad_y"], y)  # what the seed printed
    assert not np.allclose(wrong["grad_y"], x)
    for key in ("grad_a", "grad_b", "grad_x", "grad_z"):
        np.testing.assert_array_equal(wrong[key], right[key])


# ---------------------------------------------------------------- ex04-ex06


@pytest.fixture(scope="module")
def seed_problem():
    gen = torch.Generator().manual_seed(0)
    return [torch.randn(*s, generator=gen) for s in [(64, 1000), (64, 10), (1000, 100), (100, 10)]]


@pytest.mark.parametrize("ex, name", [("ex04", "train_manual"), ("ex05", "train_autograd"),
                                      ("ex06", "train_custom_relu")])
def test_learning_rate_10e_6_diverges_where_1e_6_does_not(ex, name, seed_problem):
    wrong = variant(ex, "learning_rate_10e-6", name)(*seed_problem, learning_rate=1e-6, steps=20)
    right = getattr(REFERENCE[ex], name)(*seed_problem, learning_rate=1e-6, steps=20)
    assert not np.isfinite(wrong["losses"]).all()
    assert np.isfinite(right["losses"]).all()


def test_ex04_missing_relu_mask_gets_the_gradient_wrong():
    gen = torch.Generator().manual_seed(2)
    x, y, w1, w2 = (torch.randn(*s, generator=gen, dtype=torch.float64)
                    for s in [(16, 7), (16, 3), (7, 6), (6, 3)])
    w1g, w2g = w1.clone().requires_grad_(), w2.clone().requires_grad_()
    loss = (x.mm(w1g).clamp(min=0).mm(w2g) - y).pow(2).sum()
    (g1,) = torch.autograd.grad(loss, w1g)
    lr = 1e-3
    wrong = variant("ex04", "missing_relu_mask", "train_manual")(x, y, w1, w2, lr, 1)
    right = ex04.train_manual(x, y, w1, w2, lr, 1)
    assert not torch.allclose(wrong["w1"], w1 - lr * g1)
    torch.testing.assert_close(right["w1"], w1 - lr * g1)


# ---------------------------------------------------------------- ex11

U = [
    [[-0.3, 1.0, 1.2], [1.6, -1.0, -1.1]],
    [[1.0, 1.0, -1.0], [0.7, 0.5, 1.0]],
    [[0.5, -0.8, 1.0], [-0.1, 0.3, 0.4]],
    [[1.0, 0.1, -0.2], [-0.2, 1.3, -0.4]],
]


def test_ex11_bias_node_zero_row_reproduces_the_seeds_answers():
    wrong = variant("ex11", "bias_node_zero_row", "mlp_forward")
    np.testing.assert_allclose(wrong([1.0, 0.0], U, "sigmoid"), [0.60844973, 0.61685917], atol=5e-9)
    np.testing.assert_allclose(wrong([1.0, 0.0], U, "relu"), [0.005, 0.967], atol=1e-3)


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_ex11_bias_node_zero_row_differs_from_reference(activation):
    wrong = variant("ex11", "bias_node_zero_row", "mlp_forward")([1.0, 0.0], U, activation)
    assert not np.allclose(wrong, ex11.mlp_forward([1.0, 0.0], U, activation), atol=1e-3)


# ---------------------------------------------------------------- ex12


def test_ex12_kernel_flipped_is_true_convolution():
    rng = np.random.default_rng(0)
    x, kernels, bias = rng.normal(size=(2, 6, 5)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    flipped = torch.from_numpy(kernels[..., ::-1, ::-1].copy())
    true_conv = F.conv2d(torch.from_numpy(x)[None], flipped, torch.from_numpy(bias), padding=1)[0]
    cross_corr = F.conv2d(torch.from_numpy(x)[None], torch.from_numpy(kernels),
                          torch.from_numpy(bias), padding=1)[0]
    wrong_multi = variant("ex12", "kernel_flipped", "conv2d_multi")(x, kernels, bias, 1, 1)
    wrong_single = variant("ex12", "kernel_flipped", "conv2d")(x[0], kernels[0, 0], 1, 1)
    np.testing.assert_allclose(wrong_multi, true_conv.numpy(), atol=1e-12)
    single_true = F.conv2d(torch.from_numpy(x[None, :1]), flipped[:1, :1], padding=1)[0, 0]
    np.testing.assert_allclose(wrong_single, single_true.numpy(), atol=1e-12)
    assert not np.allclose(wrong_multi, cross_corr.numpy())
    assert not np.allclose(wrong_single, ex12.conv2d(x[0], kernels[0, 0], 1, 1))


# ---------------------------------------------------------------- ex13


def test_ex13_seed_param_formula_gives_the_seeds_110592():
    wrong = variant("ex13", "seed_param_formula", "conv_param_count")
    assert wrong(3, 64, 3) == 110592 == 3 * 3 * 3 * 64 * 64
    assert ex13.conv_param_count(3, 64, 3) == 1792 != wrong(3, 64, 3)


@pytest.mark.parametrize("mistake", ["seed_param_formula", "param_count_no_bias"])
def test_ex13_param_variants_disagree_with_nn_conv2d(mistake):
    wrong = variant("ex13", mistake, "conv_param_count")
    for c, n, k in [(3, 10, 5), (3, 64, 3)]:
        want = sum(p.numel() for p in torch.nn.Conv2d(c, n, k).parameters())
        assert wrong(c, n, k) != want


# ---------------------------------------------------------------- ex14

O14 = np.array([0.001, 0.9, 0.001, 0.098])
T14 = np.array([0.0, 0.0, 0.0, 1.0])


def test_ex14_natural_log_likelihood_equals_cross_entropy_not_bits():
    wrong = variant("ex14", "log_likelihood_natural_log", "log_likelihood")(O14, T14)
    assert wrong == pytest.approx(2.3227878, abs=1e-7)  # -ln 0.098, the cross entropy
    assert wrong != pytest.approx(3.3510744, abs=1e-3)


def test_ex14_unstable_softmax_overflows_where_reference_does_not():
    x = np.array([1000.0, 999.0, 0.0])
    with np.errstate(over="ignore", invalid="ignore"):
        wrong = variant("ex14", "softmax_unstable", "softmax")(x)
    assert np.isnan(wrong).any()
    np.testing.assert_allclose(ex14.softmax(x), F.softmax(torch.tensor(x), dim=0).numpy())
    # ... while on ordinary inputs it is right, which is why only extreme cases catch it.
    small = np.array([0.4, 2.0, 0.001, 0.32])
    np.testing.assert_allclose(variant("ex14", "softmax_unstable", "softmax")(small),
                               F.softmax(torch.tensor(small), dim=0).numpy(), rtol=1e-12)
