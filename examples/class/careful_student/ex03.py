# 3번: RNN 한 스텝과 autograd 로 구한 gradient
import torch


def rnn_step(x, prev_h, w_h, w_x):
    # 행벡터 형태로 계산한 뒤 전치해서 (H, 1) 열벡터로 만든다
    # (x @ w_x^T)^T = w_x @ x^T
    pre_activation = x @ w_x.T + prev_h @ w_h.T     # (1, H)
    return torch.tanh(pre_activation).T


def rnn_backward(x, prev_h, w_h, w_x):
    names = ["x", "prev_h", "w_h", "w_x"]
    inputs = {}
    for name, t in zip(names, [x, prev_h, w_h, w_x]):
        inputs[name] = t.clone().detach().requires_grad_()

    next_h = rnn_step(inputs["x"], inputs["prev_h"], inputs["w_h"], inputs["w_x"])
    loss = next_h.sum()
    grads = torch.autograd.grad(loss, [inputs[n] for n in names])

    out = {"loss": loss.item()}
    for name, g in zip(names, grads):
        out["grad_" + name] = g
    return out
