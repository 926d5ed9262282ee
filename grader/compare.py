"""Compare a student's output with the expected one, and explain the difference.

In the spirit of ``pytest.approx``: type and shape first, then NaN/inf, then the
largest absolute and relative error, how many entries differ and the first
differing indices with expected and got values, and bounded excerpts of both.
Element ``i`` passes when ``|got - expected| <= atol + rtol * |expected|``.

Everything here works on plain data decoded from the sandbox (numbers, lists,
dicts, numpy arrays, :class:`grader.wire.Unsupported`); nothing the student
wrote runs here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.wire import RaisedError, Unsupported

TABLE_MAX = 4096      # arrays up to this size travel whole in details (tables in reports)
MAP_SIDE = 48         # larger ones as an error heat map of at most MAP_SIDE x MAP_SIDE
EXCERPT_CHARS = 600


@dataclass(frozen=True)
class Comparison:
    ok: bool
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    key_results: dict[str, "Comparison"] = field(default_factory=dict)   # per key of a dict output

    @property
    def fraction(self) -> float:
        """Share of keys that matched (1 or 0 when the output is not a dict)."""
        if self.ok:
            return 1.0
        if not self.key_results:
            return 0.0
        return sum(r.ok for r in self.key_results.values()) / len(self.key_results)


def describe_type(value: Any) -> str:
    if isinstance(value, Unsupported):
        return value.type_name
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    return type(value).__name__


def as_array(value: Any) -> np.ndarray | str:
    """Plain numeric array, or a sentence saying why the value is not one."""
    if isinstance(value, Unsupported):
        return f"returned an object of type {value.type_name}, which the grader cannot read as numbers"
    if isinstance(value, RaisedError):
        return f"raised {value.type_name}: {value.message}"
    if value is None:
        return "returned None (a missing return statement?)"
    if isinstance(value, (str, bytes, dict)):
        return f"returned a {type(value).__name__}, expected numbers"
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:
        return f"returned a ragged or mixed sequence that is not an array ({exc})"
    if arr.dtype == object:
        return "returned a ragged or mixed sequence that is not an array"
    if np.iscomplexobj(arr):
        return "returned complex numbers, expected real ones"
    if arr.dtype.kind not in "biuf":
        return f"returned values of dtype {arr.dtype}, expected numbers"
    return arr.astype(np.float64)


def _excerpt(arr: np.ndarray) -> str:
    text = np.array2string(arr, precision=8, threshold=60, edgeitems=3, max_line_width=100)
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS - 3] + "..."


def _error_map(err: np.ndarray) -> list[list[float]]:
    grid = err.reshape(err.shape[0], -1) if err.ndim >= 2 else err.reshape(1, -1)
    rows = np.array_split(np.arange(grid.shape[0]), min(MAP_SIDE, grid.shape[0]))
    cols = np.array_split(np.arange(grid.shape[1]), min(MAP_SIDE, grid.shape[1]))
    return [[float(np.max(grid[np.ix_(r, c)])) for c in cols] for r in rows]


def compare_arrays(expected: Any, got: Any, rtol: float, atol: float) -> Comparison:
    exp = np.asarray(expected, dtype=np.float64)
    arr = as_array(got)
    if isinstance(arr, str):
        return Comparison(False, arr, {"got_type": describe_type(got)})
    details: dict[str, Any] = {"shape_expected": list(exp.shape), "shape_got": list(arr.shape)}
    if arr.shape != exp.shape:
        if arr.size == exp.size == 1:
            arr = arr.reshape(exp.shape)   # 0-d tensor, [x] and x are the same number
        else:
            msg = f"shape {tuple(arr.shape)} but expected {tuple(exp.shape)}"
            if arr.size == exp.size:
                msg += " (same number of entries: a transpose or a missing reshape?)"
            details.update(expected_excerpt=_excerpt(exp), got_excerpt=_excerpt(arr))
            return Comparison(False, msg, details)
    with np.errstate(all="ignore"):   # inf - inf and friends are handled explicitly below
        return _compare_values(exp, arr, rtol, atol, details)


def _compare_values(exp: np.ndarray, arr: np.ndarray, rtol: float, atol: float, details: dict) -> Comparison:
    bad_got = ~np.isfinite(arr)
    bad_exp = ~np.isfinite(exp)
    err = np.where(bad_got | bad_exp, np.where((arr == exp) | (np.isnan(arr) & np.isnan(exp)), 0.0, np.inf),
                   np.abs(arr - exp))
    allowed = atol + rtol * np.abs(np.where(bad_exp, 0.0, exp))
    wrong = err > allowed
    rel = err / np.maximum(np.abs(np.where(bad_exp, 0.0, exp)), 1e-300)
    n_wrong = int(wrong.sum())
    details.update(total=int(exp.size), mismatches=n_wrong, rtol=rtol, atol=atol,
                   max_abs=float(np.max(err)) if err.size else 0.0,
                   max_rel=float(np.max(rel)) if rel.size else 0.0)
    if exp.size <= TABLE_MAX:
        details["expected"] = exp.tolist()
        details["got"] = arr.tolist()
        details["wrong"] = wrong.tolist()
    elif n_wrong:   # a map of where a large output is wrong (nothing to map when it is right)
        details["error_map"] = _error_map(np.where(np.isfinite(err), err, np.finfo(np.float64).max))
    if n_wrong == 0:
        return Comparison(True, "matches", details)
    first = [tuple(int(i) for i in idx) for idx in np.argwhere(wrong)[:5]]
    details["first"] = [{"index": list(i), "expected": float(exp[i]), "got": float(arr[i])} for i in first]
    details.update(expected_excerpt=_excerpt(exp), got_excerpt=_excerpt(arr))
    if bad_got.any() and not bad_exp.any():
        n_nan, n_inf = int(np.isnan(arr).sum()), int(np.isinf(arr).sum())
        msg = f"{n_nan} NaN and {n_inf} infinite values (expected all finite)"
    elif exp.size == 1:
        msg = (f"got {float(arr.reshape(-1)[0]):.10g}, expected {float(exp.reshape(-1)[0]):.10g} "
               f"(tolerance rtol={rtol:g}, atol={atol:g})")
    else:
        where = ", ".join(str(list(i)) for i in first[:3])
        msg = (f"{n_wrong} of {exp.size} values differ; largest error {details['max_abs']:.3g} "
               f"(relative {details['max_rel']:.3g}) > tolerance (rtol={rtol:g}, atol={atol:g}); "
               f"first at index {where}")
    return Comparison(False, msg, details)


def compare(expected: Any, got: Any, rtol: float, atol: float,
            per_key: dict[str, tuple[float, float]] | None = None,
            keys: list[str] | None = None) -> Comparison:
    """Compare any expected output (number, array, list, dict of those) with ``got``."""
    if isinstance(expected, dict):
        if isinstance(got, Unsupported) or not isinstance(got, dict):
            return Comparison(False, f"returned {describe_type(got)}, expected a dict with keys "
                                     f"{', '.join(sorted(expected))}", {"got_type": describe_type(got)})
        per_key = per_key or {}
        results: dict[str, Comparison] = {}
        for key in keys or list(expected):
            if key not in got:
                results[key] = Comparison(False, f"key '{key}' is missing from the returned dict")
                continue
            k_rtol, k_atol = per_key.get(key, (rtol, atol))
            results[key] = compare(expected[key], got[key], k_rtol, k_atol)
        bad = [k for k, r in results.items() if not r.ok]
        if not bad:
            return Comparison(True, "all outputs match", {}, results)
        msg = "; ".join(f"{k}: {results[k].message}" for k in bad[:3])
        return Comparison(False, f"wrong {', '.join(bad)} — {msg}", {}, results)
    if isinstance(expected, bool):
        ok = isinstance(got, (bool, np.bool_)) and bool(got) == expected
        return Comparison(ok, "matches" if ok else f"got {got!r}, expected {expected!r}")
    return compare_arrays(expected, got, rtol, atol)
