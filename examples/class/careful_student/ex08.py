# 8번: DataLoader 로 미니배치 학습
import torch
from torch import nn, optim
from torch.utils.data import TensorDataset, DataLoader


def train_minibatch(model, x, y, batch_size=8, epochs=20, learning_rate=1e-4):
    dataset = TensorDataset(x, y)
    batches = DataLoader(dataset, batch_size=batch_size, shuffle=False)
    sgd = optim.SGD(model.parameters(), lr=learning_rate)
    sse = nn.MSELoss(reduction="sum")

    per_epoch = []
    for epoch in range(epochs):
        last = None
        for xb, yb in batches:
            sgd.zero_grad()
            batch_loss = sse(model(xb), yb)
            batch_loss.backward()
            sgd.step()
            last = batch_loss.item()
        # 그래프로 그릴 값: 그 epoch 의 마지막 미니배치 loss
        per_epoch.append(last)
    return per_epoch
