"""Exercise 3: one step of a vanilla recurrent network and its gradients (torch)."""

import torch


def rnn_step(x, prev_h, w_h, w_x):
    """next_h = tanh(w_x @ x^T + w_h @ prev_h^T), a column of shape (H, 1)."""
    return torch.tanh(torch.mm(w_x, x.t()) + torch.mm(w_h, prev_h.t()))


def rnn_backward(x, prev_h, w_h, w_x):
    """loss = next_h.sum() and its gradients with respect to all four inputs."""
    leaves = [t.detach().clone().requires_grad_(True) for t in (x, prev_h, w_h, w_x)]
    loss = rnn_step(*leaves).sum()
    loss.backward()
    x, prev_h, w_h, w_x = leaves
    return {"loss": loss.item(), "grad_x": x.grad, "grad_prev_h": prev_h.grad,
            "grad_w_h": w_h.grad, "grad_w_x": w_x.grad}
