# 6번: ReLU 를 torch.autograd.Function 으로 직접 정의
import torch


class MyReLU(torch.autograd.Function):

    @staticmethod
    def forward(ctx, x):
        # 역전파 때 어디가 양수였는지 알아야 하므로 입력을 저장
        ctx.save_for_backward(x)
        return torch.where(x > 0, x, torch.zeros_like(x))

    @staticmethod
    def backward(ctx, grad_y):
        x, = ctx.saved_tensors
        # 입력이 음수였던 곳은 gradient 0, 나머지는 그대로 통과
        mask = (x >= 0).type_as(grad_y)
        return grad_y * mask


def train_custom_relu(x, y, w1, w2, learning_rate=1e-6, steps=500):
    a = w1.clone().detach()
    b = w2.clone().detach()
    a.requires_grad = True
    b.requires_grad = True
    relu = MyReLU.apply
    losses = []

    for _ in range(steps):
        if a.grad is not None:
            a.grad.zero_()
            b.grad.zero_()
        y_hat = relu(x.matmul(a)).matmul(b)
        loss = ((y_hat - y) ** 2).sum()
        losses.append(loss.item())
        loss.backward()
        # 파라미터 업데이트는 그래프에 기록되지 않게
        a.data -= learning_rate * a.grad
        b.data -= learning_rate * b.grad

    return {"losses": losses, "w1": a.detach(), "w2": b.detach()}
