"""Exercise 7: the two-layer network as an nn.Module, trained with torch.optim.SGD."""

import torch


class TwoLayerNet(torch.nn.Module):
    """linear2(relu(linear1(x)))."""

    def __init__(self, D_in, H, D_out):
        super().__init__()
        self.linear1 = torch.nn.Linear(D_in, H)
        self.linear2 = torch.nn.Linear(H, D_out)

    def forward(self, x):
        return self.linear2(self.linear1(x).clamp(min=0))


def train_module(model, x, y, learning_rate=1e-4, steps=500):
    """Full-batch SGD on the summed squared error; one loss per step (before the update)."""
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    losses = []
    for _ in range(steps):
        loss = criterion(model(x), y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses
