"""The answer key: expected outputs computed once by running ``reference/`` on every case.

``build`` runs the (trusted) reference solutions in this process through the same
:mod:`grader.harness` code paths a submission takes, plus every known wrong variant
of ``reference/mistakes.py`` (their outputs let the grader recognise a mistake and
give its hint). The key is written to ``assignments/key/exNN.json``: values as
base64 of data-only :mod:`grader.wire` frames, with fingerprints of the case spec
and the reference sources so a stale key is detected. Grading reads only the key,
so neither the sandbox nor a student bundle needs ``reference/``.
"""
from __future__ import annotations

import base64
import hashlib
import importlib
import json
import types
import warnings
import zlib
from pathlib import Path
from typing import Any, Optional

import numpy as np

from grader import harness, wire
from grader.inputs import materialize
from grader.spec import Case, Exercise, MnistRun, RaisesCheck

KEY_FORMAT = 1
_REPO = Path(__file__).resolve().parent.parent
REFERENCE_DIR = _REPO / "reference"


class KeyError_(Exception):
    """The answer key is missing or stale; the message says which command rebuilds it."""


def key_dir(assignments: Path) -> Path:
    return Path(assignments) / "key"


def pack(value: Any) -> str:
    return base64.b64encode(zlib.compress(wire.encode(value), 9)).decode("ascii")


def unpack(text: str) -> Any:
    return wire.decode_frame(zlib.decompress(base64.b64decode(text)))


def roundtrip(value: Any) -> Any:
    """What the grader would see of ``value`` after it crossed the sandbox boundary."""
    return unpack(pack(value))


def case_fingerprint(case: Case) -> str:
    canonical = json.dumps(case.model_dump(mode="json", by_alias=True), sort_keys=True)
    return hashlib.sha256(f"{KEY_FORMAT}:{canonical}".encode()).hexdigest()[:16]


def reference_fingerprint(exercise: str) -> str:
    h = hashlib.sha256()
    for path in (REFERENCE_DIR / f"{exercise}.py", REFERENCE_DIR / "mistakes.py"):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def variant_module(base: types.ModuleType, overrides: dict[str, Any]) -> types.ModuleType:
    """A copy of ``base`` with some names replaced (a known mistake swapped into the reference)."""
    module = types.ModuleType(base.__name__)
    module.__dict__.update({k: v for k, v in base.__dict__.items() if not k.startswith("__")})
    module.__dict__.update(overrides)
    return module


def sandbox_view(inputs: dict) -> dict:
    """The inputs exactly as the sandbox decodes them (tensors as torch tensors)."""
    return wire.decode_frame(wire.encode(inputs), tensors=True)


def _run(module: types.ModuleType, case: Case, inputs: dict) -> Any:
    run = case.run.model_dump(by_alias=True)
    harness._reset_state()
    with np.errstate(all="ignore"), warnings.catch_warnings():   # known mistakes overflow on purpose
        warnings.simplefilter("ignore")
        return harness.KINDS[run["kind"]](module, run, sandbox_view(inputs), "cpu")


def _trim(value: Any) -> Any:
    """Known-mistake outputs keep only small entries: enough to recognise the mistake, not megabytes."""
    if isinstance(value, dict):
        return {k: _trim(v) for k, v in value.items() if _size(v) <= TRIM_SIZE}
    return value


def _size(value: Any) -> int:
    if hasattr(value, "numel"):
        return int(value.numel())
    return int(getattr(value, "size", 0)) if not callable(getattr(value, "size", None)) else 0


TRIM_SIZE = 4096


def _expected_and_mistakes(reference: types.ModuleType, mistakes: dict, case: Case) -> tuple[str, dict]:
    inputs = materialize(case).sandbox   # each run decodes its own fresh copy (sandbox_view)
    try:
        expected = pack(_run(reference, case, inputs))
    except Exception as exc:
        if not isinstance(case.check, RaisesCheck):
            raise KeyError_(f"reference/{reference.__name__.split('.')[-1]}.py failed on case {case.id}: "
                            f"{type(exc).__name__}: {exc}") from exc
        expected = pack(wire.RaisedError(type(exc).__name__, str(exc)))
    found = {}
    for mistake_id, overrides in sorted(mistakes.items()):
        if not set(overrides) & set(case.names_used):
            continue
        try:
            value = _run(variant_module(reference, overrides), case, inputs)
        except Exception:
            continue   # a variant that raises is recognised by its error, not its value
        found[mistake_id] = pack(_trim(value))
    return expected, found


def build_exercise(spec: Exercise) -> dict:
    """The key of one exercise (a JSON-ready dict)."""
    reference = importlib.import_module(f"reference.{spec.exercise}")
    mistakes = importlib.import_module("reference.mistakes").VARIANTS.get(spec.exercise, {})
    cases: dict[str, Any] = {}
    computed: dict[str, tuple] = {}     # cases that share run and seed (history + loss_falls) run once
    for case in spec.cases:
        entry: dict[str, Any] = {"fingerprint": case_fingerprint(case), "expected": None, "mistakes": {}}
        if not isinstance(case.run, MnistRun):   # ex09 is judged by accuracy on held-out labels, not a key
            if case.run_key not in computed:
                computed[case.run_key] = _expected_and_mistakes(reference, mistakes, case)
            entry["expected"], entry["mistakes"] = computed[case.run_key]
        cases[case.id] = entry
    return {"format": KEY_FORMAT, "exercise": spec.exercise, "reference": reference_fingerprint(spec.exercise),
            "cases": cases}


def write(spec: Exercise, assignments: Path) -> Path:
    out = key_dir(assignments) / f"{spec.exercise}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(build_exercise(spec), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return out


class AnswerKey:
    """Read side: expected values and known mistakes of one exercise, decoded lazily."""

    def __init__(self, spec: Exercise, assignments: Path):
        path = key_dir(assignments) / f"{spec.exercise}.json"
        if not path.is_file():
            raise KeyError_(f"{path}: answer key missing; build it with `grader key build`")
        data = json.loads(path.read_text(encoding="utf-8"))
        self.exercise = spec.exercise
        self._cases = data.get("cases", {})
        self.reference = data.get("reference")
        for case in spec.cases:
            entry = self._cases.get(case.id)
            if entry is None or entry.get("fingerprint") != case_fingerprint(case):
                raise KeyError_(f"{path}: stale for case {case.id} (its YAML changed); rebuild it with "
                                f"`grader key build`")
        self._decoded: dict[str, Any] = {}
        self._mistakes: dict[str, dict[str, Any]] = {}

    def expected(self, case_id: str) -> Any:
        if case_id not in self._decoded:
            text = self._cases[case_id]["expected"]
            self._decoded[case_id] = None if text is None else unpack(text)
        return self._decoded[case_id]

    def mistakes(self, case_id: str) -> dict[str, Any]:
        if case_id not in self._mistakes:
            self._mistakes[case_id] = {k: unpack(v) for k, v in self._cases[case_id]["mistakes"].items()}
        return self._mistakes[case_id]


def stale_reason(spec: Exercise, assignments: Path) -> Optional[str]:
    """Why the stored key no longer matches the YAML or the reference, or None when current."""
    try:
        key = AnswerKey(spec, assignments)
    except KeyError_ as exc:
        return str(exc)
    if REFERENCE_DIR.is_dir() and key.reference != reference_fingerprint(spec.exercise):
        return (f"{spec.exercise}: reference/{spec.exercise}.py or reference/mistakes.py changed since the key "
                f"was built; rebuild it with `grader key build`")
    return None
