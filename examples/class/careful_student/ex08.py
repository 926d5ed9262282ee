"""Exercise 8: mini-batch training with a DataLoader (no shuffling)."""

import torch
from torch.utils.data import DataLoader, TensorDataset


def train_minibatch(model, x, y, batch_size=8, epochs=20, learning_rate=1e-4):
    """SGD over mini-batches; per epoch, the loss of its last mini-batch."""
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size)
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    losses = []
    for _ in range(epochs):
        for x_batch, y_batch in loader:
            loss = criterion(model(x_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        losses.append(loss.item())
    return losses
