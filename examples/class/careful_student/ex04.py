# 4번: 2층 ReLU 신경망을 autograd 없이 직접 미분해서 학습
#   y_pred = relu(x W1) W2,   loss = sum (y_pred - y)^2
import torch


def train_manual(x, y, w1, w2, learning_rate=1e-6, steps=500):
    # 원본 가중치는 바꾸지 않게 복사해서 사용
    W1 = w1.clone().detach()
    W2 = w2.clone().detach()
    loss_history = []

    step = 0
    while step < steps:
        # forward
        hidden = x @ W1
        active = torch.relu(hidden)
        out = active @ W2
        err = out - y
        loss_history.append(float((err * err).sum()))   # 업데이트 전 loss 기록

        # backward (연쇄법칙)
        d_out = 2 * err                       # dL/dy_pred
        d_W2 = active.T @ d_out
        d_active = d_out @ W2.T
        d_hidden = d_active * (hidden >= 0).to(d_active.dtype)   # relu 미분: 음수 부분은 0
        d_W1 = x.T @ d_hidden

        # 경사하강법
        W1 = W1 - learning_rate * d_W1
        W2 = W2 - learning_rate * d_W2
        step += 1

    return {"losses": loss_history, "w1": W1, "w2": W2}
