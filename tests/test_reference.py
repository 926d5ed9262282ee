"""Reference solutions for the numpy exercises (ex01, ex02, ex10-ex14), checked independently.

Every expected value comes from outside the reference: torch built-ins
(sigmoid, tanh, conv2d, nn.Conv2d, softmax, losses, autograd), finite
differences, closed-form derivatives, or the anchor numbers of EXERCISES.md.
No reference is compared with itself or with numbers copied from its output.
"""

import ast
import inspect
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reference import ex01, ex02, ex10, ex11, ex12, ex13, ex14  # noqa: E402

GRID = np.linspace(-5, 5, 200)
EXTREMES = np.array([-1000.0, -710.0, -50.0, 0.0, 50.0, 710.0, 1000.0])


def _torch(fn, z):
    return fn(torch.as_tensor(z, dtype=torch.float64)).numpy()


# ---------------------------------------------------------------- ex01

ACTIVATIONS = [
    ("logit", torch.sigmoid), ("relu", torch.relu), ("step", torch.sign), ("tanh", torch.tanh),
]


@pytest.mark.parametrize("name, torch_fn", ACTIVATIONS)
@pytest.mark.parametrize("z", [GRID, EXTREMES], ids=["grid", "extremes"])
def test_ex01_activation_matches_torch(name, torch_fn, z):
    np.testing.assert_allclose(getattr(ex01, name)(z), _torch(torch_fn, z), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ["logit", "relu", "step", "tanh"])
def test_ex01_extreme_inputs_give_no_nan_and_no_warning(name):
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        out = getattr(ex01, name)(EXTREMES)
    assert not np.isnan(out).any()


@pytest.mark.parametrize("name", ["logit", "relu", "step", "tanh"])
@pytest.mark.parametrize("shape", [(), (7,), (3, 4), (2, 3, 4)])
def test_ex01_activation_preserves_shape(name, shape):
    z = np.random.default_rng(1).normal(size=shape)
    assert np.shape(getattr(ex01, name)(z)) == shape


def test_ex01_logit_limits_at_extremes():
    np.testing.assert_array_equal(ex01.logit(np.array([-1000.0, 1000.0])), [0.0, 1.0])


def test_ex01_step_is_sign_with_zero_at_zero():
    np.testing.assert_array_equal(ex01.step(np.array([-2.0, 0.0, 3.0])), [-1.0, 0.0, 1.0])


def test_ex01_derivative_default_eps_is_1e_6():
    assert inspect.signature(ex01.derivative).parameters["eps"].default == 1e-6


@pytest.mark.parametrize("f, exact", [
    (np.sin, np.cos),
    (lambda z: z ** 3, lambda z: 3 * z ** 2),
    (np.exp, np.exp),
])
def test_ex01_derivative_matches_closed_form(f, exact):
    np.testing.assert_allclose(ex01.derivative(f, GRID), exact(GRID), rtol=1e-6, atol=1e-7)


def test_ex01_derivative_is_the_centred_difference():
    # With a large eps the centred and one-sided differences are far apart.
    z, eps = 1.0, 0.1
    centred = (np.exp(z + eps) - np.exp(z - eps)) / (2 * eps)
    assert ex01.derivative(np.exp, z, eps=eps) == pytest.approx(centred, rel=1e-12)


@pytest.mark.parametrize("name, torch_fn", ACTIVATIONS[:2] + ACTIVATIONS[3:])
def test_ex01_derivative_of_activation_matches_autograd(name, torch_fn):
    z = GRID[np.abs(GRID) > 1e-3]  # relu has a kink at 0
    t = torch.tensor(z, requires_grad=True)
    (grad,) = torch.autograd.grad(torch_fn(t).sum(), t)
    np.testing.assert_allclose(ex01.derivative(getattr(ex01, name), z), grad.numpy(),
                               rtol=1e-5, atol=1e-8)


# ---------------------------------------------------------------- ex02

ANCHOR_GRAD_X_ROW0 = [0.76103773, 0.12167502, 0.44386323, 0.33367433]
ANCHOR_C = 6.717008537800067


@pytest.fixture
def seed0_xyz():
    np.random.seed(0)
    return tuple(np.random.randn(3, 4) for _ in range(3))


def _autograd_grads(x, y, z):
    """The test's own torch autograd on c = sum(x * y + z)."""
    xt, yt, zt = (torch.tensor(v, requires_grad=True) for v in (x, y, z))
    c = (xt * yt + zt).sum()
    c.backward()
    return c.item(), xt.grad.numpy(), yt.grad.numpy(), zt.grad.numpy()


def test_ex02_manual_backward_anchor(seed0_xyz):
    grads = ex02.manual_backward(*seed0_xyz)
    np.testing.assert_allclose(grads["grad_x"][0], ANCHOR_GRAD_X_ROW0, atol=5e-9)


@pytest.mark.parametrize("shape", [(3, 4), (5, 2), (1, 7)])
def test_ex02_manual_backward_matches_autograd(shape):
    rng = np.random.default_rng(sum(shape))
    x, y, z = (rng.normal(size=shape) for _ in range(3))
    _, gx, gy, gz = _autograd_grads(x, y, z)
    grads = ex02.manual_backward(x, y, z)
    assert set(grads) == {"grad_a", "grad_b", "grad_x", "grad_y", "grad_z"}
    for key, want in [("grad_x", gx), ("grad_y", gy), ("grad_z", gz),
                      ("grad_a", np.ones(shape)), ("grad_b", np.ones(shape))]:
        got = np.asarray(grads[key])
        assert got.dtype == np.float64, key
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-15, err_msg=key)


def test_ex02_autograd_backward_anchor(seed0_xyz):
    x, y, z = seed0_xyz
    out = ex02.autograd_backward(*(torch.from_numpy(v) for v in seed0_xyz))
    assert float(out["c"]) == pytest.approx(ANCHOR_C, rel=1e-14)
    assert float(out["c"]) == pytest.approx(np.sum(x * y + z), rel=1e-14)
    np.testing.assert_allclose(np.asarray(out["grad_x"]), y, atol=1e-15)
    np.testing.assert_allclose(np.asarray(out["grad_y"]), x, atol=1e-15)
    np.testing.assert_allclose(np.asarray(out["grad_x"])[0], ANCHOR_GRAD_X_ROW0, atol=5e-9)


def test_ex02_autograd_backward_leaves_inputs_alone(seed0_xyz):
    tensors = [torch.from_numpy(v.copy()) for v in seed0_xyz]
    ex02.autograd_backward(*tensors)
    for t, v in zip(tensors, seed0_xyz):
        assert not t.requires_grad and t.grad is None
        np.testing.assert_array_equal(t.numpy(), v)


# ---------------------------------------------------------------- ex10

POINTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
TRUTH = {"NOR": [1, -1, -1, -1], "AND": [-1, -1, -1, 1]}


@pytest.mark.parametrize("gate", ["NOR", "AND"])
def test_ex10_truth_table_point_by_point(gate):
    w, w0 = getattr(ex10, f"{gate}_WEIGHTS")
    assert len(w) == 2
    for point, want in zip(POINTS, TRUTH[gate]):
        got = ex10.perceptron(point, w, w0)
        assert np.ndim(got) == 0 and got == want, (gate, point)


@pytest.mark.parametrize("gate", ["NOR", "AND"])
def test_ex10_truth_table_batched(gate):
    w, w0 = getattr(ex10, f"{gate}_WEIGHTS")
    got = np.asarray(ex10.perceptron(POINTS, w, w0))
    assert got.shape == (4,)
    np.testing.assert_array_equal(got, TRUTH[gate])


def test_ex10_tau_is_plus_one_at_zero():
    assert ex10.perceptron(np.array([1.0, 1.0]), (1.0, -1.0), 0.0) == 1
    assert ex10.perceptron(np.array([1.0, 1.0]), (1.0, -1.0), -0.1) == -1


def test_ex10_textbook_weights_work():
    assert list(ex10.perceptron(POINTS, (1, 1), -1.5)) == TRUTH["AND"]
    assert list(ex10.perceptron(POINTS, (-1, -1), 0.5)) == TRUTH["NOR"]


# ---------------------------------------------------------------- ex11

U = [
    [[-0.3, 1.0, 1.2], [1.6, -1.0, -1.1]],
    [[1.0, 1.0, -1.0], [0.7, 0.5, 1.0]],
    [[0.5, -0.8, 1.0], [-0.1, 0.3, 0.4]],
    [[1.0, 0.1, -0.2], [-0.2, 1.3, -0.4]],
]
X11, T11 = np.array([1.0, 0.0]), np.array([0.0, 1.0])


def _lowered_u3():
    weights = [np.array(u) for u in U]
    weights[2][0, 2] = 0.9  # u^3_12 from 1.0 to 0.9
    return weights


def _torch_mlp(x, weights, act):
    """Independent forward pass: nn.functional.linear with bias = column 0."""
    h = torch.tensor(x, dtype=torch.float64)
    for u in weights:
        u = torch.tensor(np.asarray(u), dtype=torch.float64)
        h = act(F.linear(h, u[:, 1:], u[:, 0]))
    return h.numpy()


@pytest.mark.parametrize("activation, act", [("sigmoid", torch.sigmoid), ("relu", torch.relu)])
@pytest.mark.parametrize("lowered", [False, True])
def test_ex11_forward_matches_torch(activation, act, lowered):
    weights = _lowered_u3() if lowered else U
    np.testing.assert_allclose(ex11.mlp_forward(X11, weights, activation),
                               _torch_mlp(X11, weights, act), rtol=1e-12)


def test_ex11_sigmoid_anchors():
    o = ex11.mlp_forward(X11, U, "sigmoid")
    np.testing.assert_allclose(o, [0.72021291, 0.60807077], atol=5e-9)
    before = ex11.squared_error(o, T11)
    after = ex11.squared_error(ex11.mlp_forward(X11, _lowered_u3(), "sigmoid"), T11)
    assert before == pytest.approx(0.336158, abs=1e-6)
    assert after == pytest.approx(0.338169, abs=1e-6)
    assert after > before


def test_ex11_default_activation_is_sigmoid():
    np.testing.assert_allclose(ex11.mlp_forward(X11, U), [0.72021291, 0.60807077], atol=5e-9)


def test_ex11_relu_anchors():
    o = ex11.mlp_forward(X11, U, "relu")
    np.testing.assert_allclose(o, [0.949, 1.095], atol=1e-3)
    before = ex11.squared_error(o, T11)
    after = ex11.squared_error(ex11.mlp_forward(X11, _lowered_u3(), "relu"), T11)
    assert before == pytest.approx(0.454813, abs=1e-6)
    assert after == pytest.approx(0.441918, abs=1e-6)
    assert after < before


def test_ex11_unknown_activation_raises():
    with pytest.raises(ValueError):
        ex11.mlp_forward(X11, U, "tanh")


def test_ex11_squared_error_matches_torch():
    o, t = np.random.default_rng(3).normal(size=(2, 6))
    want = 0.5 * F.mse_loss(torch.tensor(o), torch.tensor(t), reduction="sum").item()
    assert ex11.squared_error(o, t) == pytest.approx(want, rel=1e-12)


# ---------------------------------------------------------------- ex12

CONV_CASES = [  # (C, H, W, K, kh, kw, stride, padding)
    (1, 5, 5, 1, 3, 3, 1, 0), (1, 7, 6, 1, 3, 2, 2, 1), (3, 8, 8, 4, 3, 3, 1, 1),
    (2, 9, 7, 3, 5, 3, 2, 2), (3, 10, 11, 2, 4, 4, 3, 0), (2, 6, 6, 5, 1, 1, 1, 0),
]


def _conv_inputs(case):
    c, h, w, k, kh, kw, _, _ = case
    rng = np.random.default_rng(sum(case))
    return rng.normal(size=(c, h, w)), rng.normal(size=(k, c, kh, kw)), rng.normal(size=k)


def _torch_conv(x, kernels, bias, stride, padding):
    out = F.conv2d(torch.from_numpy(x)[None], torch.from_numpy(kernels),
                   None if bias is None else torch.from_numpy(bias),
                   stride=stride, padding=padding)
    return out[0].numpy()


@pytest.mark.parametrize("case", CONV_CASES)
def test_ex12_conv2d_matches_torch(case):
    x, kernels, _ = _conv_inputs(case)
    stride, padding = case[6], case[7]
    want = _torch_conv(x[:1], kernels[:1, :1], None, stride, padding)[0]
    got = np.asarray(ex12.conv2d(x[0], kernels[0, 0], stride=stride, padding=padding))
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("case", CONV_CASES)
def test_ex12_conv2d_multi_matches_torch(case):
    x, kernels, bias = _conv_inputs(case)
    stride, padding = case[6], case[7]
    want = _torch_conv(x, kernels, bias, stride, padding)
    got = np.asarray(ex12.conv2d_multi(x, kernels, bias, stride=stride, padding=padding))
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_ex12_defaults_are_stride_1_no_padding():
    image = np.arange(16.0).reshape(4, 4)
    kernel = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert np.shape(ex12.conv2d(image, kernel)) == (3, 3)


def test_ex12_is_cross_correlation_not_convolution():
    # A one-hot kernel picks a shifted copy of the image; flipping would shift the other way.
    image = np.arange(9.0).reshape(3, 3)
    kernel = np.zeros((3, 3))
    kernel[0, 0] = 1.0
    np.testing.assert_array_equal(ex12.conv2d(image, kernel, padding=1)[1:, 1:], image[:2, :2])


def test_ex12_is_pure_numpy():
    imported = set()
    for node in ast.walk(ast.parse(Path(ex12.__file__).read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert "torch" not in imported


# ---------------------------------------------------------------- ex13

@pytest.mark.parametrize("shape, n, k, stride, pad, want_shape, values, params", [
    ((32, 32, 3), 10, 5, 1, 2, (32, 32, 10), 10240, 760),
    ((32, 32, 3), 64, 3, 1, 1, (32, 32, 64), 65536, 1792),
])
def test_ex13_anchors(shape, n, k, stride, pad, want_shape, values, params):
    got = tuple(int(v) for v in ex13.conv_output_shape(shape, n, k, stride, pad))
    assert got == want_shape
    assert int(np.prod(got)) == values
    assert int(ex13.conv_param_count(shape[2], n, k)) == params


NN_CONV_CASES = [  # (H, W, C, n_filters, k, stride, padding), all tiling exactly
    (32, 32, 3, 10, 5, 1, 2), (32, 32, 3, 64, 3, 1, 1), (28, 28, 1, 8, 5, 1, 0),
    (227, 227, 3, 96, 11, 4, 0), (7, 9, 4, 2, 3, 2, 1), (5, 5, 2, 3, 5, 1, 0),
]


@pytest.mark.parametrize("case", NN_CONV_CASES)
def test_ex13_output_shape_matches_nn_conv2d(case):
    h, w, c, n, k, stride, pad = case
    layer = torch.nn.Conv2d(c, n, k, stride=stride, padding=pad)
    with torch.no_grad():
        out = layer(torch.zeros(1, c, h, w))
    want = (out.shape[2], out.shape[3], out.shape[1])
    assert tuple(int(v) for v in ex13.conv_output_shape((h, w, c), n, k, stride, pad)) == want


@pytest.mark.parametrize("case", NN_CONV_CASES)
@pytest.mark.parametrize("bias", [True, False])
def test_ex13_param_count_matches_nn_conv2d(case, bias):
    _, _, c, n, k, _, _ = case
    layer = torch.nn.Conv2d(c, n, k, bias=bias)
    want = sum(p.numel() for p in layer.parameters())
    assert int(ex13.conv_param_count(c, n, k, bias=bias)) == want


def test_ex13_param_count_bias_defaults_to_true():
    assert int(ex13.conv_param_count(3, 64, 3)) == 3 * 3 * 3 * 64 + 64


@pytest.mark.parametrize("shape, n, k, stride, pad", [
    ((32, 32, 3), 10, 5, 2, 0),   # (32 - 5) / 2 = 13.5
    ((32, 31, 3), 10, 3, 2, 0),   # height tiles, width does not
    ((31, 32, 3), 10, 3, 2, 0),   # width tiles, height does not
    ((3, 3, 1), 1, 5, 1, 0),      # filter larger than the padded input
])
def test_ex13_raises_value_error_when_filter_does_not_tile(shape, n, k, stride, pad):
    with pytest.raises(ValueError) as info:
        ex13.conv_output_shape(shape, n, k, stride, pad)
    assert len(str(info.value)) > 20  # says what is wrong, not just "bad input"


def test_ex13_non_tiling_message_names_the_problem():
    with pytest.raises(ValueError, match="tile"):
        ex13.conv_output_shape((32, 32, 3), 10, 5, 2, 0)


# ---------------------------------------------------------------- ex14

X14 = np.array([0.4, 2.0, 0.001, 0.32])
O14 = np.array([0.001, 0.9, 0.001, 0.098])
T14 = np.array([0.0, 0.0, 0.0, 1.0])


def test_ex14_anchors():
    np.testing.assert_allclose(ex14.softmax(X14),
                               [0.13250053, 0.65627943, 0.08890663, 0.12231341], atol=5e-9)
    assert ex14.mse(O14, T14) == pytest.approx(0.811803, abs=1e-6)
    assert ex14.cross_entropy(O14, T14) == pytest.approx(2.3227878, abs=1e-7)
    assert ex14.log_likelihood(O14, T14) == pytest.approx(3.3510744, abs=1e-7)


@pytest.mark.parametrize("x", [
    X14,
    np.random.default_rng(0).normal(size=10),
    np.random.default_rng(1).normal(size=(5, 7)) * 30,
], ids=["anchor", "vector", "batch"])
def test_ex14_softmax_matches_torch_and_sums_to_one(x):
    got = np.asarray(ex14.softmax(x))
    want = F.softmax(torch.tensor(x), dim=-1).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(got.sum(axis=-1), 1.0, rtol=1e-12)


def test_ex14_softmax_is_stable_at_extremes():
    x = np.array([1000.0, -1000.0, 999.0, 0.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        got = np.asarray(ex14.softmax(x))
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, F.softmax(torch.tensor(x), dim=0).numpy(), atol=1e-15)


def _probabilities(seed, n=6):
    rng = np.random.default_rng(seed)
    o = rng.random(n) + 0.01
    t = np.zeros(n)
    t[rng.integers(n)] = 1.0
    return o / o.sum(), t


@pytest.mark.parametrize("seed", range(4))
def test_ex14_losses_match_torch(seed):
    o, t = _probabilities(seed)
    ot, label = torch.tensor(o), torch.tensor([int(np.argmax(t))])
    mse = 0.5 * F.mse_loss(ot, torch.tensor(t), reduction="sum").item()
    # F.cross_entropy takes logits: softmax(log o) = o because o sums to 1.
    ce = F.cross_entropy(torch.log(ot)[None], label).item()
    assert ex14.mse(o, t) == pytest.approx(mse, rel=1e-12)
    assert ex14.cross_entropy(o, t) == pytest.approx(ce, rel=1e-12)
    assert ex14.log_likelihood(o, t) == pytest.approx(ce / np.log(2), rel=1e-12)


def test_ex14_cross_entropy_ignores_zero_probabilities_off_target():
    o = np.array([0.0, 0.5, 0.5])
    t = np.array([0.0, 1.0, 0.0])
    with np.errstate(invalid="raise", divide="raise"):
        assert ex14.cross_entropy(o, t) == pytest.approx(np.log(2), rel=1e-12)
