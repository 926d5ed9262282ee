# 9번: MNIST 분류용 작은 CNN
# conv(5x5) -> BN -> ReLU -> pool 을 두 번, 그 다음 fully connected 두 층
# BatchNorm 을 넣었더니 2 epoch 만에도 정확도가 잘 올라갔다.
import torch
import torch.nn as nn
import torch.nn.functional as F


class MNISTNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 12, kernel_size=5, padding=2)    # 28x28 유지
        self.bn1 = nn.BatchNorm2d(12)
        self.conv2 = nn.Conv2d(12, 24, kernel_size=5, padding=2)   # 14x14 유지
        self.bn2 = nn.BatchNorm2d(24)
        self.fc1 = nn.Linear(24 * 7 * 7, 80)
        self.fc2 = nn.Linear(80, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)   # -> (N, 12, 14, 14)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)   # -> (N, 24, 7, 7)
        x = torch.flatten(x, start_dim=1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)   # softmax 는 loss 안에서 처리되므로 logits 그대로


def train_mnist(model, loader, epochs=1, device="cpu"):
    model = model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    history = []
    for ep in range(epochs):
        model.train()
        running, seen = 0.0, 0
        for imgs, targets in loader:
            imgs = imgs.to(device)
            targets = targets.to(device)
            opt.zero_grad()
            logits = model(imgs)
            loss = F.cross_entropy(logits, targets)
            loss.backward()
            opt.step()
            n = targets.shape[0]
            running += loss.item() * n
            seen += n
        history.append(running / seen if seen else 0.0)
    return history
