"""MNIST comes from a local folder, checksum-verified, with a clear message when it is not there."""
import shutil
from pathlib import Path

import pytest

from grader import api, mnist


def real_folder() -> Path:
    try:
        return mnist.resolve_dir()
    except mnist.MnistMissing as exc:
        pytest.skip(str(exc))


def test_missing_folder_says_how_to_provide_it(tmp_path):
    with pytest.raises(mnist.MnistMissing) as info:
        mnist.load_test_split(str(tmp_path))
    assert "t10k-images-idx3-ubyte.gz not found" in str(info.value)
    assert "--mnist-dir" in str(info.value) and "GRADER_MNIST_DIR" in str(info.value)
    assert "never downloads" in str(info.value)


def test_damaged_file_is_refused_by_checksum(tmp_path):
    src = real_folder()
    for name in mnist.FILES:
        found = next(p for p in (src / "MNIST" / "raw" / name, src / name) if p.exists())
        shutil.copy(found, tmp_path / name)
    data = bytearray((tmp_path / "t10k-labels-idx1-ubyte.gz").read_bytes())
    data[-1] ^= 0xFF
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(bytes(data))
    mnist.load_test_split.cache_clear()
    with pytest.raises(mnist.MnistMissing, match="does not match the published"):
        mnist.load_test_split(str(tmp_path))


def test_environment_variable_names_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(mnist.ENV_VAR, str(tmp_path))
    assert mnist.resolve_dir() == tmp_path
    assert mnist.resolve_dir(tmp_path / "explicit") == tmp_path / "explicit"


def test_split_is_fixed_and_disjoint():
    folder = real_folder()
    x1, y1, h1, _ = mnist.split(folder, 9, 4000, 1000)
    x2, y2, h2, _ = mnist.split(folder, 9, 4000, 1000)
    assert (x1 == x2).all() and (h1 == h2).all() and x1.shape == (4000, 28, 28) and h1.shape == (1000, 28, 28)
    _, _, other, _ = mnist.split(folder, 19, 4000, 1000)
    assert not (other == h1).all()


def test_grading_ex09_without_mnist_is_a_usage_error(tmp_path):
    with pytest.raises(api.UsageError, match="ex09 needs MNIST.*--exercise"):
        api.make_plan(exercises=["ex09"], mnist_dir=tmp_path)
