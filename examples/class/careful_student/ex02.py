"""Exercise 2: backpropagation through c = sum(x * y + z), by hand and with autograd.

The graph is a = x * y, b = a + z, c = sum(b). Going backwards from dc/dc = 1:
grad_b = 1, grad_a = grad_z = grad_b, grad_x = grad_a * y, grad_y = grad_a * x.
"""

import numpy as np
import torch


def manual_backward(x, y, z):
    """Gradients of c with respect to every node, computed with numpy."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    z = np.asarray(z, dtype=np.float64)
    grad_b = np.ones_like(x)  # dc/db = 1: c sums every entry of b
    grad_a = grad_b.copy()  # b = a + z passes the gradient through
    grad_z = grad_b.copy()
    grad_x = grad_a * y  # a = x * y
    grad_y = grad_a * x
    return {"grad_a": grad_a, "grad_b": grad_b, "grad_x": grad_x,
            "grad_y": grad_y, "grad_z": grad_z}


def autograd_backward(x, y, z):
    """c and its gradients with respect to x and y, computed by torch autograd."""
    x = x.detach().clone().requires_grad_(True)
    y = y.detach().clone().requires_grad_(True)
    c = torch.sum(x * y + z)
    c.backward()
    return {"c": c.item(), "grad_x": x.grad, "grad_y": y.grad}
