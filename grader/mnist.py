"""The MNIST images the ex09 cases train and evaluate on, read from a local folder.

Never downloads. The folder (``--mnist-dir``, ``GRADER_MNIST_DIR``, or the course's
shared copy) must hold ``MNIST/raw/t10k-images-idx3-ubyte.gz`` and
``t10k-labels-idx1-ubyte.gz`` (or the same names directly in it); their md5 sums are
checked against the published ones (the same torchvision checks).
"""
from __future__ import annotations

import gzip
import hashlib
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

FILES = {
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
ENV_VAR = "GRADER_MNIST_DIR"
_REPO = Path(__file__).resolve().parent.parent
DEFAULT_CANDIDATES = (_REPO.parent / "shared" / "data" / "mnist", _REPO / "data" / "mnist")


class MnistMissing(Exception):
    """The MNIST files are absent or damaged; the message says how to provide them."""


HOW_TO = (
    "Put the MNIST test split (t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz, as published) "
    "in a folder, as FOLDER/MNIST/raw/<file> or FOLDER/<file>, and pass --mnist-dir FOLDER or set "
    f"{ENV_VAR}=FOLDER. The grader never downloads."
)


def resolve_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The folder to read, from the option, the environment or the default places."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    for candidate in DEFAULT_CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise MnistMissing(f"no MNIST folder given and none found at the default places. {HOW_TO}")


def _find(folder: Path, name: str) -> Path:
    for candidate in (folder / "MNIST" / "raw" / name, folder / "raw" / name, folder / name):
        if candidate.is_file():
            return candidate
    raise MnistMissing(f"{name} not found in {folder}. {HOW_TO}")


@lru_cache(maxsize=4)
def load_test_split(folder: str) -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 (10000, 28, 28), labels int64 (10000,)), checksums verified."""
    arrays = []
    for name, md5 in FILES.items():
        path = _find(Path(folder), name)
        raw = path.read_bytes()
        digest = hashlib.md5(raw).hexdigest()
        if digest != md5:
            raise MnistMissing(f"{path}: md5 {digest} does not match the published {md5} (damaged or a "
                               f"different file). {HOW_TO}")
        arrays.append(_parse_idx(gzip.decompress(raw), path))
    images, labels = arrays
    if images.shape[0] != labels.shape[0]:
        raise MnistMissing(f"{folder}: {images.shape[0]} images but {labels.shape[0]} labels")
    return images, labels.astype(np.int64)


def _parse_idx(data: bytes, path: Path) -> np.ndarray:
    magic = int.from_bytes(data[:4], "big")
    ndim = magic & 0xFF
    if magic >> 8 != 0x08 or ndim not in (1, 3):
        raise MnistMissing(f"{path}: not an IDX file of unsigned bytes")
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    offset = 4 + 4 * ndim
    return np.frombuffer(data, dtype=np.uint8, offset=offset).reshape(dims).copy()


def split(folder: Path, seed: int, train_size: int, heldout_size: int):
    """A fixed, disjoint training subset and held-out subset drawn with ``seed``."""
    images, labels = load_test_split(str(folder))
    order = np.random.RandomState(seed).permutation(images.shape[0])
    train, held = order[:train_size], order[images.shape[0] - heldout_size:]
    return images[train], labels[train], images[held], labels[held]
