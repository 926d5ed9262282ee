"""Judge one case: the sandbox's outcome + the answer key → a scored :class:`CaseResult`.

A small registry of named checks (the ``check.kind`` of the YAML). Each receives
plain decoded data and returns ``(fraction of points, verdict, message, details,
hints)``. Failures of the run itself (time limit, crash, missing name, raised
error) are turned into verdicts before any check runs.
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Protocol

import numpy as np

from grader import hints as hint_rules
from grader.compare import Comparison, as_array, compare
from grader.results import CaseResult, Hint
from grader.inputs import describe
from grader.spec import (AccuracyCheck, AutogradFunctionRun, CallRun, Case, TrainModuleRun, Exercise, GradcheckCheck, LossFallsCheck, MatchKeyCheck,
                         RaisesCheck, Tolerance, TruthTableCheck)
from grader.wire import RaisedError, TensorData, Unsupported


class OutcomeLike(Protocol):
    status: str
    value: Any
    error: Optional[RaisedError]
    time: float
    stdout: str
    warnings: tuple
    detail: str


Judgement = tuple[float, str, str, dict, list[Hint]]

FAILURE_VERDICTS = {"timeout": "timeout", "memory": "memory", "crashed": "crashed",
                    "output_limit": "output_limit", "protocol": "forbidden"}


# ---------------------------------------------------------------- checks
def _mistake_hints(got: Any, mistakes: dict[str, Any], rtol: float, atol: float) -> list[Hint]:
    """Hints of the known mistakes whose output the student's equals (for a dict: on every key both have,
    since the key keeps only small entries of a mistake's output and one wrong key is enough)."""
    rtol, atol = max(rtol, 1e-6), max(atol, 1e-9)

    def same(value: Any) -> bool:
        if isinstance(value, dict) and isinstance(got, dict):
            shared = [k for k in value if k in got]
            return bool(shared) and all(compare(value[k], got[k], rtol, atol).ok for k in shared)
        return compare(value, got, rtol, atol).ok

    return [hint_rules.MISTAKES[m] for m, value in mistakes.items() if m in hint_rules.MISTAKES and same(value)]


def _comparison_details(cmp: Comparison) -> dict:
    if cmp.key_results:
        return {"keys": {k: {"ok": r.ok, "message": r.message, **r.details} for k, r in cmp.key_results.items()}}
    return dict(cmp.details)


def _atol(tol: Tolerance, expected: Any) -> float:
    if not tol.scale_atol or expected is None or isinstance(expected, dict):
        return tol.atol
    arr = np.abs(np.asarray(expected, dtype=np.float64))
    finite = arr[np.isfinite(arr)]
    return tol.atol * (float(finite.max()) if finite.size else 1.0)


def check_match_key(check: MatchKeyCheck, got: Any, expected: Any, mistakes: dict, case: Case,
                    private: dict) -> Judgement:
    per_key = {k: (t.rtol, _atol(t, expected.get(k) if isinstance(expected, dict) else None))
               for k, t in check.tolerances.items()}
    cmp = compare(expected, got, check.rtol, _atol(check, expected), per_key, check.keys)
    details = _comparison_details(cmp)
    if cmp.ok:
        return 1.0, "passed", "output matches the expected values", details, []
    found = _mistake_hints(got, mistakes, check.rtol, check.atol)
    if got is None:
        found.append(hint_rules.NONE_RETURNED)
    if isinstance(expected, dict) and isinstance(got, dict) and not found:
        for key, result in cmp.key_results.items():
            if result.ok or key not in got:
                continue
            for other, value in expected.items():
                if other != key and compare(value, got[key], 1e-9, 1e-12).ok and not compare(
                        expected[key], value, 1e-9, 1e-12).ok:
                    found.append(hint_rules.equals_other(key, other))
    verdict = "unsupported" if isinstance(got, Unsupported) else "wrong"
    fraction = cmp.fraction if case.partial else 0.0
    return fraction, verdict, cmp.message, details, found


def check_gradcheck(check: GradcheckCheck, got: Any, expected: Any, mistakes: dict, case: Case,
                    private: dict) -> Judgement:
    fraction, verdict, message, details, found = check_match_key(
        MatchKeyCheck(kind="match_key", rtol=check.rtol, atol=check.atol, keys=["out", "grad"]),
        got, expected, mistakes, case, private)
    passed_gradcheck = isinstance(got, dict) and got.get("gradcheck") is True
    details["gradcheck"] = passed_gradcheck
    if verdict == "passed" and not passed_gradcheck:
        return 0.0, "wrong", "forward and backward match, but torch.autograd.gradcheck failed", details, found
    return fraction, verdict, message, details, found


GATES = {"nor": lambda a, b: not (a or b), "and": lambda a, b: a and b,
         "or": lambda a, b: a or b, "nand": lambda a, b: not (a and b)}
POINTS = ((0, 0), (0, 1), (1, 0), (1, 1))


def check_truth_table(check: TruthTableCheck, got: Any, expected: Any, mistakes: dict, case: Case,
                      private: dict) -> Judgement:
    shape_msg = "expected a pair (w, w0) with w a length-2 sequence and w0 a number"
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        return 0.0, "wrong", f"{shape_msg}; got {type(got).__name__}", {}, []
    w, w0 = as_array(got[0]), as_array(got[1])
    if isinstance(w, str) or isinstance(w0, str) or w.size != 2 or w0.size != 1:
        return 0.0, "wrong", shape_msg, {}, []
    w, w0 = w.reshape(2), float(w0.reshape(()))
    if not np.all(np.isfinite(w)) or not np.isfinite(w0):
        return 0.0, "wrong", "the weights are not finite numbers", {}, []
    rows = []
    for x in POINTS:
        s = float(w @ np.array(x, dtype=float) + w0)
        out = 1 if s >= 0 else -1
        want = 1 if GATES[check.gate](*x) else -1
        rows.append({"x": list(x), "s": s, "got": out, "expected": want, "ok": out == want})
    details = {"w": w.tolist(), "w0": w0, "table": rows, "gate": check.gate}
    bad = [r for r in rows if not r["ok"]]
    if not bad:
        return 1.0, "passed", f"the weights realise {check.gate.upper()}", details, []
    where = ", ".join(f"x={tuple(r['x'])} gives {r['got']:+d} (want {r['expected']:+d})" for r in bad)
    return 0.0, "wrong", f"not {check.gate.upper()}: {where}", details, []


def check_raises(check: RaisesCheck, got: Any, expected: Any, mistakes: dict, case: Case,
                 private: dict) -> Judgement:
    shown = got if not isinstance(got, np.ndarray) else got.tolist()
    return 0.0, "wrong", f"returned {shown!r} instead of raising {check.exception}", {}, []


def check_loss_falls(check: LossFallsCheck, got: Any, expected: Any, mistakes: dict, case: Case,
                     private: dict) -> Judgement:
    losses = got.get(check.key) if check.key and isinstance(got, dict) else got
    arr = as_array(losses)
    if isinstance(arr, str):
        return 0.0, "wrong", f"losses: {arr}", {}, []
    arr = arr.reshape(-1)
    details = {"losses": arr.tolist()}
    if arr.size < 2:
        return 0.0, "wrong", f"expected a history of losses, got {arr.size} value(s)", details, []
    found = _mistake_hints(got, mistakes, 1e-3, 0.0)
    if not np.all(np.isfinite(arr)):
        first_bad = int(np.argmin(np.isfinite(arr)))
        return 0.0, "wrong", f"the loss became NaN or infinite at step {first_bad} (diverged)", details, found
    if not arr[-1] <= check.factor * arr[0]:
        return (0.0, "wrong", f"the loss did not fall enough: {arr[0]:.4g} → {arr[-1]:.4g} (needs ≤ "
                f"{check.factor:g} × the first)", details, found)
    return 1.0, "passed", f"the loss falls from {arr[0]:.4g} to {arr[-1]:.4g}", details, []


def check_accuracy(check: AccuracyCheck, got: Any, expected: Any, mistakes: dict, case: Case,
                   private: dict) -> Judgement:
    if not isinstance(got, dict):
        return 0.0, "wrong", "the MNIST run returned no result", {}, []
    labels = private["heldout_labels"]
    logits, losses, params = as_array(got.get("logits")), as_array(got.get("losses")), got.get("param_count")
    if not isinstance(params, int) or isinstance(params, bool):   # only a forged result lacks it
        return 0.0, "wrong", "the MNIST run returned no parameter count", {}, []
    details = {"param_count": params, "max_params": check.max_params, "min_accuracy": check.min_accuracy,
               "losses": [] if isinstance(losses, str) else losses.reshape(-1).tolist()}
    if isinstance(logits, str) or logits.shape != (labels.shape[0], 10):
        shape = logits if isinstance(logits, str) else f"shape {logits.shape}"
        return 0.0, "wrong", f"model output should be ({labels.shape[0]}, 10) logits, got {shape}", details, []
    accuracy = float(np.mean(np.argmax(logits, axis=1) == labels))
    details["accuracy"] = accuracy
    if params > check.max_params:
        return 0.0, "wrong", (f"the model has {params:,} parameters, over the budget of {check.max_params:,}"
                              ), details, []
    if accuracy < check.min_accuracy:
        return (0.0, "wrong", f"held-out accuracy {accuracy:.1%} is below the bar of {check.min_accuracy:.0%}",
                details, [])
    return 1.0, "passed", f"held-out accuracy {accuracy:.1%} (bar {check.min_accuracy:.0%})", details, []


CHECKS: dict[type, Callable[..., Judgement]] = {
    MatchKeyCheck: check_match_key, GradcheckCheck: check_gradcheck, TruthTableCheck: check_truth_table,
    RaisesCheck: check_raises, LossFallsCheck: check_loss_falls, AccuracyCheck: check_accuracy,
}


# ---------------------------------------------------------------- the verdict
def _error_verdict(spec: Exercise, case: Case, error: RaisedError, source: str) -> tuple[str, str]:
    if error.type_name == "MissingFile":
        return "missing", (f"{spec.exercise}.py was not handed in (it should define "
                           f"{', '.join(spec.names)})")
    if error.type_name == "ImportFailed":
        return "import_error", f"{source} could not be imported: {error.message}"
    if error.type_name == "AttributeError" and "does not define" in error.message:
        return "missing", f"{error.message} (expected names: {', '.join(spec.names)})"
    if error.type_name == "UnsupportedReturn":
        return "unsupported", error.message
    return "error", f"raised {error.type_name}: {error.message}"


def input_summary(case: Case, sandbox_inputs: dict) -> dict[str, Any]:
    """What the case fed the student's code: a description per argument, small numeric values whole."""
    run = case.run
    if isinstance(run, CallRun):
        named = dict(zip(run.args.keys(), sandbox_inputs.get("args", [])))
    elif isinstance(run, AutogradFunctionRun):
        named = dict(sandbox_inputs)
    elif isinstance(run, TrainModuleRun):
        named = {"model": f"{run.class_.lstrip('@')}({', '.join(map(str, run.model_args))})",
                 **dict(zip(run.args.keys(), sandbox_inputs.get("args", [])))}
    else:
        return {}
    shown: dict[str, Any] = {"describe": {}, "values": {}}
    for name, value in named.items():
        shown["describe"][name] = value if isinstance(value, str) else describe(value)
        if isinstance(value, dict) or isinstance(value, str):
            continue
        arr = as_array(value.array if isinstance(value, TensorData) else value)
        if not isinstance(arr, str) and arr.size <= 1024:
            shown["values"][name] = arr.tolist()
    return shown


def judge(spec: Exercise, case: Case, outcome: OutcomeLike, expected: Any, mistakes: dict[str, Any],
          private: dict, sandbox_inputs: Optional[dict] = None, source: Optional[str] = None) -> CaseResult:
    """Score one case from what the sandbox reported."""
    found: list[Hint] = []
    details: dict[str, Any] = {}
    fraction = 0.0
    if outcome.status == "raised" and isinstance(case.check, RaisesCheck) and outcome.error is not None \
            and outcome.error.type_name == case.check.exception:
        fraction, verdict, message = 1.0, "passed", f"raises {outcome.error.type_name}: {outcome.error.message}"
    elif outcome.status == "raised":
        error = outcome.error or RaisedError("Error", "no details")
        verdict, message = _error_verdict(spec, case, error, source or f"{spec.exercise}.py")
        found = hint_rules.for_text(f"{error.type_name}: {error.message}")
        if error.type_name == "ImportFailed":
            found = hint_rules.for_text(error.message)
        details = {"traceback": error.traceback} if error.traceback else {}
    elif outcome.status != "ok":
        verdict = FAILURE_VERDICTS.get(outcome.status, "crashed")
        message = outcome.detail or outcome.status
    else:
        fraction, verdict, message, details, found = CHECKS[type(case.check)](
            case.check, outcome.value, expected, mistakes, case, private)
    if sandbox_inputs is not None:
        details = {**details, "inputs": input_summary(case, sandbox_inputs)}
    for text in outcome.warnings:
        found.extend(h for h in hint_rules.for_text(text) if h not in found)
    unique = tuple({h.id: h for h in found}.values())
    return CaseResult(exercise=spec.exercise, case=case.id, title=case.title, title_ko=case.title_ko,
                      visibility=case.visibility,
                      points=case.points, score=round(case.points * fraction, 6), verdict=verdict,
                      message=message, hints=unique, details=details, execution_time=float(outcome.time or 0.0),
                      stdout=outcome.stdout or "", warnings=tuple(outcome.warnings or ()))
