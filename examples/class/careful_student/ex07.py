# 7번: nn.Module 로 만든 2층 신경망 + torch.optim.SGD
import torch
import torch.nn as nn
import torch.nn.functional as F


class TwoLayerNet(nn.Module):
    def __init__(self, D_in, H, D_out):
        super(TwoLayerNet, self).__init__()
        self.linear1 = nn.Linear(D_in, H)   # 입력층 -> 은닉층
        self.linear2 = nn.Linear(H, D_out)  # 은닉층 -> 출력층

    def forward(self, x):
        h = F.relu(self.linear1(x))
        return self.linear2(h)


def train_module(model, x, y, learning_rate=1e-4, steps=500):
    # size_average=False 는 deprecated -> reduction="sum"
    loss_fn = nn.MSELoss(reduction="sum")
    opt = torch.optim.SGD(model.parameters(), lr=learning_rate)
    record = []
    for t in range(steps):
        opt.zero_grad()
        y_pred = model(x)
        loss = loss_fn(y_pred, y)
        record.append(float(loss.detach()))
        loss.backward()
        opt.step()
    return record
