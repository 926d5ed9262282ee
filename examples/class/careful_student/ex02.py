# 2번: c = sum(x*y + z) 의 역전파
#   a = x*y,  b = a + z,  c = sum(b)
import numpy as np
import torch


def manual_backward(x, y, z):
    x = np.array(x, dtype=np.float64)
    y = np.array(y, dtype=np.float64)
    z = np.array(z, dtype=np.float64)

    # c = sum(b) 이므로 dc/db 는 모든 원소가 1
    grad_b = np.ones(x.shape)
    # 덧셈 노드는 gradient 를 그대로 흘려보낸다
    grad_a = 1.0 * grad_b
    grad_z = 1.0 * grad_b
    # 곱셈 노드: 서로 상대편 값을 곱해준다
    grad_x = y * grad_a
    grad_y = x * grad_a   # (grad_x 가 아니라 x!)

    result = dict(grad_a=grad_a, grad_b=grad_b, grad_z=grad_z)
    result["grad_x"] = grad_x
    result["grad_y"] = grad_y
    return result


def autograd_backward(x, y, z):
    # 받은 텐서를 건드리지 않도록 복사본에 requires_grad 를 켠다
    xx = torch.tensor(x.detach().cpu().numpy(), dtype=torch.float64, requires_grad=True)
    yy = torch.tensor(y.detach().cpu().numpy(), dtype=torch.float64, requires_grad=True)
    zz = torch.as_tensor(z, dtype=torch.float64)

    a = xx * yy
    b = a + zz
    c = b.sum()
    gx, gy = torch.autograd.grad(c, [xx, yy])
    return {"c": float(c), "grad_x": gx, "grad_y": gy}
