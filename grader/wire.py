"""Data-only encoding of values crossing the sandbox boundary.

A frame is ``MAGIC | 8-byte big-endian length | JSON header | raw array bytes``.
The header is a tree of tagged nodes; arrays are raw little-endian bytes referenced
by offset.  Decoding never runs code (no pickle, no eval) and validates every node:
unknown tags, dtypes outside a short whitelist, inconsistent sizes or a frame
larger than the caller allows are rejected with :class:`WireError`.

The sandbox side encodes whatever the student returned with :func:`to_wire`
(unsupported objects become an ``unsupported`` node naming their type, so the
grader can say "returned a Foo"); the grader side decodes into plain Python and
numpy values.  Inputs travel the other way with the same format; only there are
``tensor`` nodes turned back into torch tensors (``tensors=True``).
"""
from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

MAGIC = b"DLGW1"
_LEN = struct.Struct(">Q")
HEAD_BYTES = len(MAGIC) + _LEN.size     # marker and body length before every frame's body
ALLOWED_DTYPES = frozenset(
    ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
     "float16", "float32", "float64", "complex64", "complex128"]
)
MAX_DEPTH = 32


class WireError(ValueError):
    """A frame that is not a well-formed data-only value."""


@dataclass(frozen=True)
class Unsupported:
    """A value the sandbox could not express as data (a module, a generator, ...)."""

    type_name: str
    detail: str = ""


@dataclass(frozen=True, eq=False)
class TensorData:
    """An array that the sandbox receives as a torch tensor; lets the grader send tensors
    without importing torch itself (a check answers faster)."""

    array: np.ndarray

    @property
    def shape(self) -> tuple:
        return self.array.shape

    @property
    def dtype(self):
        return self.array.dtype

    @property
    def ndim(self) -> int:
        return self.array.ndim


@dataclass(frozen=True)
class RaisedError:
    """An exception raised by student code, as data."""

    type_name: str
    message: str
    traceback: str = ""


# ---------------------------------------------------------------- encoding
class _Encoder:
    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.offset = 0

    def array(self, arr: np.ndarray, tag: str, **extra: Any) -> dict:
        arr = np.ascontiguousarray(arr)
        dtype = arr.dtype.newbyteorder("<") if arr.dtype.byteorder == ">" else arr.dtype
        arr = arr.astype(dtype, copy=False)
        raw = arr.tobytes()
        node = {"t": tag, "dtype": str(arr.dtype), "shape": list(arr.shape),
                "off": self.offset, "n": len(raw), **extra}
        self.chunks.append(raw)
        self.offset += len(raw)
        return node

    def node(self, value: Any, depth: int = 0) -> dict:
        if depth > MAX_DEPTH:
            return {"t": "unsupported", "type": type(value).__name__, "detail": "nested too deeply"}
        if value is None:
            return {"t": "none"}
        if isinstance(value, bool):
            return {"t": "bool", "v": value}
        if isinstance(value, int) and type(value) is int:
            return {"t": "int", "v": str(value)}
        if isinstance(value, float) and type(value) is float:
            return {"t": "float", "v": repr(value)}
        if isinstance(value, complex):
            return {"t": "complex", "re": repr(value.real), "im": repr(value.imag)}
        if isinstance(value, str) and type(value) is str:
            return {"t": "str", "v": value}
        if isinstance(value, RaisedError):
            return {"t": "raised", "type": value.type_name, "msg": value.message, "tb": value.traceback}
        if isinstance(value, Unsupported):
            return {"t": "unsupported", "type": value.type_name, "detail": value.detail}
        if isinstance(value, TensorData):
            return self.array(value.array, "tensor", device="cpu", grad=False)
        if isinstance(value, np.generic):
            return self.node_array(np.asarray(value), scalar=True)
        if isinstance(value, np.ndarray):
            return self.node_array(value)
        tensor = _as_tensor(value)
        if tensor is not None:
            return self.node_tensor(tensor)
        if type(value) in (list, tuple):
            return {"t": type(value).__name__, "items": [self.node(v, depth + 1) for v in value]}
        if type(value) is dict or _is_ordered_dict(value):
            items = []
            for k, v in value.items():
                if not isinstance(k, str):
                    k = str(k)
                items.append([k, self.node(v, depth + 1)])
            return {"t": "dict", "items": items}
        return {"t": "unsupported", "type": _qualname(value), "detail": ""}

    def node_array(self, arr: np.ndarray, scalar: bool = False) -> dict:
        if str(arr.dtype) not in ALLOWED_DTYPES:
            return {"t": "unsupported", "type": f"numpy array of dtype {arr.dtype}", "detail": ""}
        return self.array(arr, "array", scalar=scalar)

    def node_tensor(self, tensor: Any) -> dict:
        device = str(tensor.device)
        requires_grad = bool(tensor.requires_grad)
        t = tensor.detach()
        if t.is_sparse:
            t = t.to_dense()
        if str(t.dtype) == "torch.bfloat16":
            t = t.float()
        arr = t.cpu().resolve_conj().numpy() if t.is_complex() else t.cpu().numpy()
        if str(arr.dtype) not in ALLOWED_DTYPES:
            return {"t": "unsupported", "type": f"tensor of dtype {t.dtype}", "detail": ""}
        return self.array(arr, "tensor", device=device, grad=requires_grad)


def _qualname(value: Any) -> str:
    cls = type(value)
    return f"{getattr(cls, '__module__', '?')}.{getattr(cls, '__qualname__', cls.__name__)}"


def _is_ordered_dict(value: Any) -> bool:
    import collections

    return type(value) is collections.OrderedDict


def _as_tensor(value: Any) -> Any:
    torch = _torch()
    if torch is not None and isinstance(value, torch.Tensor) and type(value) in (torch.Tensor, torch.nn.Parameter):
        return value
    return None


def _torch():
    import sys

    return sys.modules.get("torch")


def encode(value: Any) -> bytes:
    """Encode ``value`` as one frame (header + array bytes)."""
    enc = _Encoder()
    header = json.dumps({"root": enc.node(value), "size": enc.offset}, separators=(",", ":"),
                        allow_nan=False).encode()
    body = _LEN.pack(len(header)) + header + b"".join(enc.chunks)
    return MAGIC + _LEN.pack(len(body)) + body


# ---------------------------------------------------------------- decoding
def decode(frame: bytes, *, tensors: bool = False) -> Any:
    """Decode one frame produced by :func:`encode` (without magic and length)."""
    if len(frame) < _LEN.size:
        raise WireError("frame too short")
    (hlen,) = _LEN.unpack_from(frame)
    if hlen > len(frame) - _LEN.size:
        raise WireError("header length exceeds frame")
    try:
        header = json.loads(frame[_LEN.size:_LEN.size + hlen])
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError(f"header is not JSON: {exc}") from None
    if not isinstance(header, dict) or "root" not in header:
        raise WireError("header has no root")
    data = memoryview(frame)[_LEN.size + hlen:]
    return _Decoder(data, tensors).value(header["root"], 0)


class _Decoder:
    def __init__(self, data: memoryview, tensors: bool) -> None:
        self.data = data
        self.tensors = tensors

    def value(self, node: Any, depth: int) -> Any:
        if depth > MAX_DEPTH + 1:
            raise WireError("value nested too deeply")
        if not isinstance(node, dict) or not isinstance(node.get("t"), str):
            raise WireError("malformed node")
        tag = node["t"]
        if tag == "none":
            return None
        if tag == "bool":
            return bool(_typed(node, "v", bool))
        if tag == "int":
            text = _typed(node, "v", str)
            if len(text) > 4000:
                raise WireError("integer too large")
            return int(text)
        if tag == "float":
            return float(_typed(node, "v", str))
        if tag == "complex":
            return complex(float(_typed(node, "re", str)), float(_typed(node, "im", str)))
        if tag == "str":
            return _typed(node, "v", str)
        if tag in ("list", "tuple"):
            items = [self.value(v, depth + 1) for v in _typed(node, "items", list)]
            return items if tag == "list" else tuple(items)
        if tag == "dict":
            out = {}
            for pair in _typed(node, "items", list):
                if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                    raise WireError("malformed dict item")
                out[pair[0]] = self.value(pair[1], depth + 1)
            return out
        if tag in ("array", "tensor"):
            return self.array(node, tag)
        if tag == "unsupported":
            return Unsupported(_typed(node, "type", str), str(node.get("detail", "")))
        if tag == "raised":
            return RaisedError(_typed(node, "type", str), _typed(node, "msg", str), str(node.get("tb", "")))
        raise WireError(f"unknown node type {tag!r}")

    def array(self, node: dict, tag: str) -> Any:
        dtype = _typed(node, "dtype", str)
        if dtype not in ALLOWED_DTYPES:
            raise WireError(f"dtype {dtype!r} not allowed")
        shape = _typed(node, "shape", list)
        if not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in shape) or len(shape) > 32:
            raise WireError("malformed shape")
        off, n = _typed(node, "off", int), _typed(node, "n", int)
        np_dtype = np.dtype(dtype).newbyteorder("<")
        if off < 0 or n < 0 or off + n > len(self.data) or math.prod(shape) * np_dtype.itemsize != n:
            raise WireError("array size does not match its bytes")
        arr = np.frombuffer(self.data[off:off + n], dtype=np_dtype).reshape(shape).copy()
        arr = arr.astype(arr.dtype.newbyteorder("="), copy=False)
        if node.get("scalar") and arr.ndim == 0:
            return arr[()]
        if tag == "tensor" and self.tensors:
            import torch

            return torch.from_numpy(arr)
        return arr


def _typed(node: dict, key: str, kind: type) -> Any:
    value = node.get(key)
    if kind is int and isinstance(value, bool):
        raise WireError(f"field {key!r} has the wrong type")
    if not isinstance(value, kind):
        raise WireError(f"field {key!r} has the wrong type")
    return value


def decode_frame(frame: bytes, *, tensors: bool = False) -> Any:
    """Decode one whole frame as :func:`encode` made it (marker and length included)."""
    if frame[:len(MAGIC)] != MAGIC or len(frame) < HEAD_BYTES:
        raise WireError("bad frame marker")
    (length,) = _LEN.unpack_from(frame, len(MAGIC))
    if length != len(frame) - HEAD_BYTES:
        raise WireError("frame length does not match its bytes")
    return decode(frame[HEAD_BYTES:], tensors=tensors)


# ---------------------------------------------------------------- streams
def write_frame(stream: BinaryIO, value: Any) -> None:
    stream.write(encode(value))
    stream.flush()


def read_frame(stream: BinaryIO, max_bytes: int, *, tensors: bool = False) -> Any:
    """Read one frame; ``EOFError`` at a clean end, :class:`WireError` on garbage or excess."""
    magic = _read_exact(stream, len(MAGIC), allow_eof=True)
    if magic != MAGIC:
        raise WireError("bad frame marker (stray bytes on the result channel)")
    (length,) = _LEN.unpack(_read_exact(stream, _LEN.size))
    if length > max_bytes:
        raise WireError(f"frame of {length} bytes exceeds the limit of {max_bytes}")
    return decode(_read_exact(stream, length), tensors=tensors)


def _read_exact(stream: BinaryIO, n: int, allow_eof: bool = False) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = stream.read(n - len(buf))
        if not chunk:
            if allow_eof and not buf:
                raise EOFError
            raise WireError("truncated frame")
        buf += chunk
    return bytes(buf)
