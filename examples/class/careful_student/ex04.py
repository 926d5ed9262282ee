"""Exercise 4: a two-layer ReLU network trained with hand-written gradients.

Model y_pred = relu(x @ w1) @ w2, loss = sum((y_pred - y)^2), plain gradient
descent. The caller's weights are copied, never modified.
"""

import torch


def train_manual(x, y, w1, w2, learning_rate=1e-6, steps=500):
    """Train for ``steps`` updates; return losses (before each update) and final weights."""
    w1, w2 = w1.detach().clone(), w2.detach().clone()
    losses = []
    for _ in range(steps):
        h = x.mm(w1)
        h_relu = h.clamp(min=0)
        y_pred = h_relu.mm(w2)
        losses.append((y_pred - y).pow(2).sum().item())

        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.t().mm(grad_y_pred)
        grad_h = grad_y_pred.mm(w2.t())
        grad_h[h < 0] = 0  # ReLU passes no gradient where its input was negative
        grad_w1 = x.t().mm(grad_h)

        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
    return {"losses": losses, "w1": w1, "w2": w2}
