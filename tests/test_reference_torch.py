"""Reference solutions for the torch exercises (ex03-ex08), checked independently.

Expected values come from torch itself: nn.RNNCell, closed-form gradients,
autograd on the test's own forward pass, gradcheck, and training loops written
here with plain tensor slicing. Training must not modify the caller's tensors.
"""

import copy
import inspect
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reference import ex03, ex04, ex05, ex06, ex07, ex08  # noqa: E402

TRAINERS = [(ex04, "train_manual"), (ex05, "train_autograd"), (ex06, "train_custom_relu")]
TRAINER_IDS = ["ex04", "ex05", "ex06"]


@pytest.fixture(params=TRAINERS, ids=TRAINER_IDS)
def train(request):
    """Each of the three training functions, looked up when the test runs."""
    module, name = request.param
    return getattr(module, name)


def _randn(seed, *shapes, dtype=torch.float32):
    gen = torch.Generator().manual_seed(seed)
    return [torch.randn(*shape, generator=gen, dtype=dtype) for shape in shapes]


# ---------------------------------------------------------------- ex03

D, H = 10, 20


@pytest.fixture
def rnn_inputs():
    return _randn(3, (1, D), (1, H), (H, H), (H, D), dtype=torch.float64)


def test_ex03_rnn_step_matches_rnn_cell(rnn_inputs):
    x, prev_h, w_h, w_x = rnn_inputs
    cell = torch.nn.RNNCell(D, H, bias=False, nonlinearity="tanh").double()
    with torch.no_grad():
        cell.weight_ih.copy_(w_x)
        cell.weight_hh.copy_(w_h)
        want = cell(x, prev_h).t()
    got = ex03.rnn_step(x, prev_h, w_h, w_x)
    assert tuple(got.shape) == (H, 1)
    torch.testing.assert_close(got.detach(), want, rtol=1e-12, atol=1e-12)


def test_ex03_rnn_backward_matches_closed_form(rnn_inputs):
    x, prev_h, w_h, w_x = rnn_inputs
    next_h = torch.tanh(w_x @ x.t() + w_h @ prev_h.t())
    d = 1 - next_h ** 2  # d loss / d (pre-activation), shape (H, 1)
    want = {"grad_x": (w_x.t() @ d).t(), "grad_prev_h": (w_h.t() @ d).t(),
            "grad_w_h": d @ prev_h, "grad_w_x": d @ x}
    got = ex03.rnn_backward(x, prev_h, w_h, w_x)
    assert float(got["loss"]) == pytest.approx(next_h.sum().item(), rel=1e-12)
    for key, value in want.items():
        torch.testing.assert_close(torch.as_tensor(got[key]), value, rtol=1e-12, atol=1e-12,
                                   msg=key)


def test_ex03_rnn_backward_leaves_inputs_alone(rnn_inputs):
    before = [t.clone() for t in rnn_inputs]
    ex03.rnn_backward(*rnn_inputs)
    for t, b in zip(rnn_inputs, before):
        assert not t.requires_grad and t.grad is None
        assert torch.equal(t, b)


# ---------------------------------------------------------------- ex04-ex06


@pytest.fixture(scope="module")
def seed_problem():
    """The seed's sizes: N, D_in, H, D_out = 64, 1000, 100, 10."""
    return _randn(0, (64, 1000), (64, 10), (1000, 100), (100, 10))


def _loss(x, y, w1, w2):
    return (x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum()


def test_training_with_1e_6_converges(train, seed_problem):
    x, y, w1, w2 = seed_problem
    out = train(x, y, w1, w2, learning_rate=1e-6, steps=500)
    losses = out["losses"]
    assert len(losses) == 500 and all(isinstance(v, float) for v in losses)
    assert losses[0] == pytest.approx(_loss(x, y, w1, w2).item(), rel=1e-5)
    assert 1e7 < losses[0] < 1e8  # ~3e7
    assert losses[-1] < losses[0] * 1e-8  # many orders of magnitude
    assert _loss(x, y, out["w1"], out["w2"]).item() <= losses[-1] * 1.01


def test_training_with_1e_5_diverges(train, seed_problem):
    losses = train(*seed_problem, learning_rate=1e-5, steps=20)["losses"]
    assert not np.isfinite(losses).all()


def test_training_leaves_callers_tensors_alone(train):
    tensors = _randn(1, (8, 5), (8, 3), (5, 4), (4, 3))
    before = [t.clone() for t in tensors]
    train(*tensors, learning_rate=1e-3, steps=3)
    for t, b in zip(tensors, before):
        assert torch.equal(t, b) and not t.requires_grad and t.grad is None


def test_one_step_equals_gradient_descent_with_autograd(train):
    x, y, w1, w2 = _randn(2, (16, 7), (16, 3), (7, 6), (6, 3), dtype=torch.float64)
    lr = 1e-3
    w1g, w2g = w1.clone().requires_grad_(), w2.clone().requires_grad_()
    g1, g2 = torch.autograd.grad(_loss(x, y, w1g, w2g), (w1g, w2g))
    out = train(x, y, w1, w2, learning_rate=lr, steps=1)
    torch.testing.assert_close(out["w1"].detach(), w1 - lr * g1, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(out["w2"].detach(), w2 - lr * g2, rtol=1e-12, atol=1e-12)


def test_default_hyperparameters(train):
    params = inspect.signature(train).parameters
    assert params["learning_rate"].default == 1e-6 and params["steps"].default == 500


def test_ex06_my_relu_forward_is_clamp():
    (x,) = _randn(4, (5, 7))
    torch.testing.assert_close(ex06.MyReLU.apply(x), x.clamp(min=0), rtol=0, atol=0)


def test_ex06_my_relu_passes_gradcheck():
    (x,) = _randn(5, (4, 6), dtype=torch.float64)
    x = torch.where(x.abs() < 0.1, x + 0.2 * torch.sign(x), x)  # stay off the kink
    assert torch.autograd.gradcheck(ex06.MyReLU.apply, (x.requires_grad_(),), eps=1e-6, atol=1e-8)


def test_ex06_my_relu_backward_is_the_step_mask():
    (x,) = _randn(6, (3, 9), dtype=torch.float64)
    x.requires_grad_()
    (grad,) = torch.autograd.grad((ex06.MyReLU.apply(x) * 3.0).sum(), x)
    torch.testing.assert_close(grad, 3.0 * (x > 0).double())


# ---------------------------------------------------------------- ex07-ex08


def _own_sgd(model, batches, lr):
    """The test's own training loop: summed squared error, plain SGD by hand."""
    losses = []
    for xb, yb in batches:
        loss = (model(xb) - yb).pow(2).sum()
        losses.append(loss.item())
        grads = torch.autograd.grad(loss, list(model.parameters()))
        with torch.no_grad():
            for p, g in zip(model.parameters(), grads):
                p -= lr * g
    return losses


def test_ex07_two_layer_net_structure_and_forward():
    torch.manual_seed(0)
    model = ex07.TwoLayerNet(12, 7, 3)
    assert isinstance(model.linear1, torch.nn.Linear) and isinstance(model.linear2, torch.nn.Linear)
    assert tuple(model.linear1.weight.shape) == (7, 12)
    assert tuple(model.linear2.weight.shape) == (3, 7)
    (x,) = _randn(7, (5, 12))
    l1, l2 = model.linear1, model.linear2
    want = torch.relu(x @ l1.weight.t() + l1.bias) @ l2.weight.t() + l2.bias
    torch.testing.assert_close(model(x), want)


def test_ex07_train_module_matches_own_sgd():
    torch.manual_seed(1)
    model = ex07.TwoLayerNet(20, 10, 4).double()
    twin = copy.deepcopy(model)
    x, y = _randn(8, (32, 20), (32, 4), dtype=torch.float64)
    losses = ex07.train_module(model, x, y, learning_rate=1e-3, steps=30)
    want = _own_sgd(twin, [(x, y)] * 30, lr=1e-3)
    assert len(losses) == 30 and all(isinstance(v, float) for v in losses)
    np.testing.assert_allclose(losses, want, rtol=1e-10)
    for p, q in zip(model.parameters(), twin.parameters()):
        torch.testing.assert_close(p, q)
    assert losses[-1] < losses[0]


def test_ex08_train_minibatch_matches_own_loop():
    torch.manual_seed(2)
    model = ex07.TwoLayerNet(20, 10, 4).double()
    twin = copy.deepcopy(model)
    x, y = _randn(9, (30, 20), (30, 4), dtype=torch.float64)  # 30 = 3 batches of 8 + 6
    losses = ex08.train_minibatch(model, x, y, batch_size=8, epochs=5, learning_rate=1e-3)
    batches = [(x[i:i + 8], y[i:i + 8]) for i in range(0, 30, 8)]
    per_batch = _own_sgd(twin, batches * 5, lr=1e-3)
    assert len(losses) == 5 and all(isinstance(v, float) for v in losses)
    np.testing.assert_allclose(losses, per_batch[len(batches) - 1::len(batches)], rtol=1e-10)
    for p, q in zip(model.parameters(), twin.parameters()):
        torch.testing.assert_close(p, q)


def test_ex08_seed_setting_loss_falls():
    torch.manual_seed(3)
    model = ex07.TwoLayerNet(1000, 100, 10)
    x, y = _randn(10, (64, 1000), (64, 10))
    losses = ex08.train_minibatch(model, x, y)
    assert len(losses) == 20
    assert losses[-1] < 0.5 * losses[0]
