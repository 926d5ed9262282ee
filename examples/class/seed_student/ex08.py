# -*- coding: utf-8 -*-
import torch
from torch.utils.data import TensorDataset, DataLoader


def train_minibatch(model, x, y, batch_size=8, epochs=20, learning_rate=1e-4):
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    criterion = torch.nn.MSELoss(size_average=False)
    losses = []
    for epoch in range(epochs):
        for x_batch, y_batch in loader:
            y_pred = model(x_batch)
            loss = criterion(y_pred, y_batch)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        losses.append(loss.item())
    return losses
