# 5번: 4번과 같은 신경망, 이번에는 autograd 사용
# (예전 코드의 loss.data[0] 은 0차원 텐서라 에러 -> loss.item() 사용)
import torch


def train_autograd(x, y, w1, w2, learning_rate=1e-6, steps=500):
    params = [w1.clone().detach().requires_grad_(), w2.clone().detach().requires_grad_()]
    history = []

    for it in range(steps):
        for p in params:          # 이전 step 의 gradient 지우기
            p.grad = None

        W1, W2 = params
        pred = torch.clamp(x @ W1, min=0) @ W2
        loss = torch.sum(torch.square(pred - y))
        history.append(loss.item())

        loss.backward()
        with torch.no_grad():
            for p in params:
                p.sub_(learning_rate * p.grad)

    W1, W2 = params
    return {"losses": history, "w1": W1.detach(), "w2": W2.detach()}
