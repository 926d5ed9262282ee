# -*- coding: utf-8 -*-
import torch


def rnn_step(x, prev_h, w_h, w_x):
    i2h = torch.mm(w_x, x.t())
    h2h = torch.mm(w_h, prev_h.t())
    next_h = i2h + h2h
    return next_h.tanh()


def rnn_backward(x, prev_h, w_h, w_x):
    x, prev_h, w_h, w_x = [t.clone().requires_grad_(True) for t in (x, prev_h, w_h, w_x)]
    loss = rnn_step(x, prev_h, w_h, w_x).sum()
    loss.backward()
    print("loss :", loss.item())
    return {"loss": loss.item(), "grad_x": x.grad, "grad_prev_h": prev_h.grad,
            "grad_w_h": w_h.grad, "grad_w_x": w_x.grad}
