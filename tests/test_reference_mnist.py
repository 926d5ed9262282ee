"""Reference ex09 (MNISTNet, train_mnist) against the grader's budget, on the local MNIST copy.

The data are the original MNIST test split (IDX format, gzip), parsed here with
gzip + numpy so the test needs neither the network nor torchvision's
downloader. They are found as the grader finds them ($GRADER_MNIST_DIR, then the
shared folder beside the repository); without them the tests skip saying how to
provide them. The slow
test trains on 4000 images for 2 epochs and evaluates on 1000 held-out images,
in a subprocess (this file run as a script) so that the timing is its own.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from grader import mnist  # noqa: E402
from reference import ex09  # noqa: E402

MAX_PARAMS = 200_000
TIME_BUDGET_S = 120.0   # the ex09 cases' time limit in assignments/ex09.yaml
SKIP_EXIT = 3  # the measuring subprocess found no MNIST files


def load_mnist():
    """All 10,000 test-split images as float32 (N, 1, 28, 28) in [0, 1] and int64 labels."""
    try:
        images, labels = mnist.load_test_split(str(mnist.resolve_dir()))
    except mnist.MnistMissing as exc:
        pytest.skip(str(exc))
    images = images.reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
    return torch.from_numpy(images), torch.from_numpy(labels)


def test_mnistnet_output_shape_and_budget():
    model = ex09.MNISTNet()
    logits = model(torch.rand(5, 1, 28, 28))
    assert logits.shape == (5, 10)
    assert sum(p.numel() for p in model.parameters()) <= MAX_PARAMS


def test_train_mnist_returns_one_mean_loss_per_epoch_and_trains_in_place():
    torch.manual_seed(0)
    x = torch.rand(64, 1, 28, 28)
    y = torch.randint(0, 10, (64,))
    model = ex09.MNISTNet()
    before = [p.detach().clone() for p in model.parameters()]
    losses = ex09.train_mnist(model, DataLoader(TensorDataset(x, y), batch_size=16), epochs=2)
    assert len(losses) == 2 and all(isinstance(v, float) for v in losses)
    assert all(np.isfinite(losses))
    assert any(not torch.equal(b, p) for b, p in zip(before, model.parameters()))


def train_and_evaluate():
    """Train a fresh MNISTNet on 4000 images for 2 epochs; accuracy on 1000 others."""
    images, labels = load_mnist()
    torch.manual_seed(0)
    train = DataLoader(TensorDataset(images[:4000], labels[:4000]), batch_size=64, shuffle=True)
    model = ex09.MNISTNet()
    start = time.perf_counter()
    losses = ex09.train_mnist(model, train, epochs=2)
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        predicted = model(images[9000:]).argmax(dim=1)
    accuracy = (predicted == labels[9000:]).float().mean().item()
    return {"accuracy": accuracy, "seconds": seconds, "losses": losses}


@pytest.mark.slow
def test_mnist_accuracy_within_budget():
    # Measured in a fresh interpreter with OpenMP's passive wait policy: with the
    # default (spinning) policy, torch's two threads run 10-40x slower whenever
    # another process holds a core, which would time a neighbour, not the model.
    env = {**os.environ, "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE")}
    proc = subprocess.run([sys.executable, __file__], capture_output=True, text=True,
                          env=env, timeout=300)
    if proc.returncode == SKIP_EXIT:
        pytest.skip(proc.stdout.strip())
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.splitlines()[-1])
    summary = (f"MNIST: accuracy {result['accuracy']:.3f} on 1000 held-out images, "
               f"training {result['seconds']:.1f} s, epoch losses {result['losses']}")
    print(summary)
    assert result["losses"][1] < result["losses"][0], summary
    assert result["accuracy"] >= 0.90, summary
    assert result["seconds"] < TIME_BUDGET_S, summary  # about 1-3 s on 2 idle cores


if __name__ == "__main__":
    try:
        print(json.dumps(train_and_evaluate()))
    except pytest.skip.Exception as skipped:
        print(skipped.msg)
        sys.exit(SKIP_EXIT)
