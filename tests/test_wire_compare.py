"""The data-only channel refuses anything but data; comparisons explain themselves."""
import io
import pickle

import numpy as np
import pytest

from grader import wire
from grader.compare import compare


def roundtrip(value, **kw):
    return wire.read_frame(io.BytesIO(wire.encode(value)), 1 << 20, **kw)


def test_values_survive_the_roundtrip():
    value = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": [1, 2.5, None, True, "x"], "c": (3,),
             "d": np.float64(0.5), "big": 10**30}
    back = roundtrip(value)
    np.testing.assert_array_equal(back["a"], value["a"])
    assert back["a"].dtype == np.float32
    assert back["b"] == [1, 2.5, None, True, "x"] and back["c"] == (3,) and back["d"] == 0.5
    assert back["big"] == 10**30


def test_torch_tensors_arrive_as_plain_arrays():
    import torch

    back = roundtrip({"t": torch.ones(2, 2, requires_grad=True) * 2})
    assert isinstance(back["t"], np.ndarray) and back["t"].tolist() == [[2, 2], [2, 2]]
    assert isinstance(roundtrip(wire.TensorData(np.zeros(3)), tensors=True), torch.Tensor)


def test_objects_become_unsupported_not_code():
    class Liar:
        def __eq__(self, other):
            return True

    back = roundtrip({"x": Liar(), "arr": np.array([Liar()], dtype=object)})
    assert isinstance(back["x"], wire.Unsupported) and "Liar" in back["x"].type_name
    assert isinstance(back["arr"], wire.Unsupported)
    assert not compare([1.0], back["x"], 1e-7, 0).ok


@pytest.mark.parametrize("frame, error", [
    (pickle.dumps({"score": 100}), "bad frame marker"),
    (b"garbage" * 10, "bad frame marker"),
    (wire.MAGIC + (10**12).to_bytes(8, "big"), "exceeds the limit"),
    (wire.MAGIC + (20).to_bytes(8, "big") + b"\0" * 20, "header"),
])
def test_malformed_frames_are_refused(frame, error):
    with pytest.raises(wire.WireError, match=error):
        wire.read_frame(io.BytesIO(frame), 1 << 20)


def test_whole_frames_decode_and_truncated_ones_are_refused():
    frame = wire.encode({"x": [1, 2]})
    assert wire.decode_frame(frame) == {"x": [1, 2]}
    with pytest.raises(wire.WireError, match="length does not match"):
        wire.decode_frame(frame[:-1])
    with pytest.raises(wire.WireError, match="bad frame marker"):
        wire.decode_frame(pickle.dumps(1))


def test_header_lying_about_sizes_is_refused():
    enc = wire.encode(np.zeros(4))
    body = enc[wire.HEAD_BYTES:]
    import json
    import struct

    hlen = struct.unpack(">Q", body[:8])[0]
    header = json.loads(body[8:8 + hlen])
    header["root"]["shape"] = [1000]
    forged = json.dumps(header).encode()
    with pytest.raises(wire.WireError, match="does not match"):
        wire.decode(struct.pack(">Q", len(forged)) + forged + body[8 + hlen:])
    header["root"]["dtype"] = "object"
    forged = json.dumps(header).encode()
    with pytest.raises(wire.WireError, match="not allowed"):
        wire.decode(struct.pack(">Q", len(forged)) + forged + body[8 + hlen:])


def test_comparison_explains_shape_nan_and_largest_error():
    assert "shape (20,) but expected (20, 1)" in compare(np.zeros((20, 1)), np.zeros(20), 1e-7, 0).message
    nan = compare(np.ones(3), np.array([1.0, np.nan, np.inf]), 1e-7, 0)
    assert not nan.ok and "1 NaN and 1 infinite" in nan.message
    off = compare(np.arange(4.0), np.arange(4.0) + [0, 0, 0.5, 0], 1e-7, 1e-9)
    assert not off.ok and "1 of 4 values differ" in off.message and off.details["first"][0]["index"] == [2]
    assert off.details["max_abs"] == pytest.approx(0.5)
    assert "complex" in compare(np.ones(2), np.ones(2) * 1j, 1e-7, 0).message
    assert compare(3.0, np.array([3.0]), 0, 0).ok   # a 1-element array is the number
    assert "missing" in compare({"a": 1.0}, {}, 0, 0).message
