"""Self-contained HTML pages: one per student (:func:`render_student`) and one per class (:func:`render_class`).

Rendering is two steps. A *view-model* is built here from the results: plain dicts of
strings, CSS class names and ``data:`` URIs, with every number formatted, every colour
chosen, every picture drawn (:mod:`grader.report.plots`) and every label looked up in
``grader/i18n/<lang>.json``. The Jinja2 templates in ``grader/templates`` then only place
those strings (autoescaped). Nothing here changes a score.

Visibility: a student's self-check (``mode == "check"``) is rendered from
``result.redacted()``, and hidden cases become stubs that carry only their name and
pass/fail, so no input, expected value, message or plot of a hidden case reaches the page.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import numpy as np
from jinja2 import Environment, PackageLoader, StrictUndefined

from grader.compare import MAP_SIDE
from grader.report import plots
from grader.i18n.messages import translate
from grader.results import CaseResult, ClassResult, ExerciseResult, SubmissionResult

LANGS = ("en", "ko")
I18N = Path(__file__).resolve().parent.parent / "i18n"
TABLE_CELLS = 100        # arrays up to this many entries are shown as tables, larger ones as heat maps
ROW_WIDTH = 10           # 1-D arrays wrap into rows of this many entries
STDOUT_CHARS = 2000
TRACEBACK_CHARS = 4000
INPUT_VALUES_MAX = 16    # input values with at most this many numbers are printed next to their description
LOSS_EXERCISES = ("ex04", "ex05", "ex06", "ex07", "ex08")

_ENV = Environment(loader=PackageLoader("grader", "templates"), autoescape=True, undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


# ---------------------------------------------------------------- language
@lru_cache(maxsize=None)
def strings(lang: str) -> dict[str, str]:
    """All UI strings of one language (``grader/i18n/<lang>.json``)."""
    if lang not in LANGS:
        raise ValueError(f"unknown report language {lang!r}: use one of {', '.join(LANGS)}")
    return json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))


def exercise_title(ex: ExerciseResult, lang: str) -> str:
    return (ex.title_ko or ex.title) if lang == "ko" else ex.title


class Text:
    """UI strings of one language: ``t["key"]`` or ``t("key", n=3)`` for those with placeholders."""

    def __init__(self, lang: str):
        self.lang = lang
        self.table = strings(lang)

    def __getitem__(self, key: str) -> str:
        return self.table[key]

    def __call__(self, key: str, **values: Any) -> str:
        return self.table[key].format(**values)


# ---------------------------------------------------------------- numbers
def num(x: Any) -> str:
    """A number for people: integers without a decimal point, others to 6 significant digits."""
    if x is None:
        return "—"
    if isinstance(x, (bool, np.bool_)):
        return "True" if x else "False"
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6g}".replace("-", "−")


def nested(values: Any) -> str:
    """A small nested list of numbers, each formatted by :func:`num`."""
    if isinstance(values, (list, tuple)):
        return "[" + ", ".join(nested(v) for v in values) + "]"
    return num(values)


def points(x: float) -> str:
    return f"{x:g}"


def percent(part: float, whole: float) -> float:
    return 0.0 if whole <= 0 else max(0.0, min(100.0, 100.0 * part / whole))


def grade_class(part: float, whole: float) -> str:
    """CSS class of a score: full marks, some, or none."""
    if whole > 0 and part >= whole - 1e-9:
        return "ok"
    return "part" if part > 0 else "bad"


# ---------------------------------------------------------------- arrays
def _grid(values: np.ndarray, fill: Any) -> tuple[np.ndarray, list[str], list[str]]:
    """A 2-D layout of an array with row and column labels (1-D wraps into rows of ROW_WIDTH, padded with fill)."""
    if values.ndim > 1:
        labels = ["[" + ", ".join(map(str, idx)) + "]" for idx in np.ndindex(*values.shape[:-1])]
        return values.reshape(-1, values.shape[-1]), labels, [str(c) for c in range(values.shape[-1])]
    flat = values.reshape(-1)
    width = min(ROW_WIDTH, max(flat.size, 1))
    rows = -(-flat.size // width)
    padded = np.full(rows * width, fill, dtype=flat.dtype)
    padded[:flat.size] = flat
    columns = [f"+{c}" for c in range(width)] if rows > 1 else [str(c) for c in range(width)]
    return padded.reshape(rows, width), [str(r * width) for r in range(rows)], columns


def _table(expected: np.ndarray, got: np.ndarray, wrong: np.ndarray) -> dict:
    exp_grid, row_labels, col_labels = _grid(expected, np.nan)
    got_grid, _, _ = _grid(got, np.nan)
    bad_grid, _, _ = _grid(wrong, False)
    real, _, _ = _grid(np.ones(expected.shape, dtype=bool), False)

    def cells(grid: np.ndarray, r: int, mark: str) -> list[dict]:
        return [{"text": num(grid[r, c]), "cls": mark if bad_grid[r, c] else ""} if real[r, c]
                else {"text": "", "cls": "pad"} for c in range(grid.shape[1])]

    rows = [{"label": row_labels[r], "expected": cells(exp_grid, r, "miss"), "got": cells(got_grid, r, "bad")}
            for r in range(exp_grid.shape[0])]
    return {"columns": col_labels, "rows": rows}


def _error_grid(expected: np.ndarray, got: np.ndarray) -> list[list[float]]:
    err = np.abs(got - expected)
    err = np.where(np.isfinite(err), err, np.finfo(np.float64).max)
    grid = err.reshape(err.shape[0], -1) if err.ndim >= 2 else err.reshape(1, -1)
    rows = np.array_split(np.arange(grid.shape[0]), min(MAP_SIDE, grid.shape[0]))
    cols = np.array_split(np.arange(grid.shape[1]), min(MAP_SIDE, grid.shape[1]))
    return [[float(np.max(grid[np.ix_(r, c)])) for c in cols] for r in rows]


def _stats(d: dict, t: Text) -> str:
    if "total" not in d:
        return ""
    text = t("stats", mismatches=d.get("mismatches", 0), total=d["total"], max_abs=num(d.get("max_abs")),
             max_rel=num(d.get("max_rel")))
    if "rtol" in d:
        text += " · " + t("tolerance", rtol=num(d["rtol"]), atol=num(d["atol"]))
    return text


def array_view(d: dict, ok: bool, t: Text) -> Optional[dict]:
    """How to show one compared output: a number, aligned tables, a heat map, or the shapes."""
    if not d:
        return None
    view: dict[str, Any] = {"stats": _stats(d, t), "table": None, "scalar": None, "heatmap": None,
                            "first": [], "excerpts": None, "shapes": None, "collapsed": ok}
    if "got_type" in d:
        view["shapes"] = t("returned_type", type=d["got_type"])
    if d.get("shape_expected") is not None and d.get("shape_got") is not None \
            and d["shape_expected"] != d["shape_got"] and "expected" not in d:
        view["shapes"] = t("shapes", expected=str(tuple(d["shape_expected"])), got=str(tuple(d["shape_got"])))
    if "expected" in d and "got" in d:
        expected = np.asarray(d["expected"], dtype=np.float64)
        got = np.asarray(d["got"], dtype=np.float64)
        wrong = np.asarray(d.get("wrong", np.zeros(expected.shape, bool)), dtype=bool)
        if expected.ndim == 0:
            view["scalar"] = {"expected": num(expected), "got": num(got), "cls": "bad" if wrong.any() else "ok"}
        elif expected.size <= TABLE_CELLS and got.shape == expected.shape:
            view["table"] = _table(expected, got, wrong)
        elif not ok and got.shape == expected.shape:
            view["heatmap"] = plots.error_heatmap(_error_grid(expected, got))
    elif "error_map" in d and not ok:
        view["heatmap"] = plots.error_heatmap(d["error_map"])
    if not ok and view["table"] is None:
        view["first"] = [{"index": str(tuple(f["index"])), "expected": num(f["expected"]), "got": num(f["got"])}
                         for f in d.get("first", [])]
        if view["table"] is None and view["scalar"] is None and "expected_excerpt" in d:
            view["excerpts"] = {"expected": d["expected_excerpt"], "got": d.get("got_excerpt", "")}
    return view


def outputs(details: dict, ok: bool, message: str, t: Text) -> list[dict]:
    """One entry per output: the whole return value, or each key of a dict."""
    if "keys" in details:
        return [{"key": key, "ok": bool(sub.get("ok")), "mark": "ok" if sub.get("ok") else "bad",
                 "message": "" if sub.get("ok") else translate(sub.get("message", ""), t.lang),
                 "view": array_view(sub, bool(sub.get("ok")), t)}
                for key, sub in details["keys"].items()]
    view = array_view(details, ok, t)
    return [{"key": None, "ok": ok, "mark": "ok" if ok else "bad", "message": "", "view": view}] if view else []


# ---------------------------------------------------------------- pictures
def _legend(t: Text, reference: str = "legend_reference") -> list[dict]:
    return [{"cls": "student", "label": t["legend_yours"]}, {"cls": "reference", "label": t[reference]}]


def _same_length(got: Any, expected: Any) -> Any:
    """The student's values if they can be drawn over the reference's, else None."""
    if not isinstance(got, list) or not isinstance(expected, list) or len(got) != len(expected):
        return None
    arr = np.asarray(got, dtype=object)
    return got if arr.ndim == 1 else None


EX01_FIGURES = (  # (case ids and panel titles, caption key, alt-text key)
    ((("logit_grid", "logit"), ("relu_grid", "relu"), ("step_grid", "step"), ("tanh_grid", "tanh")),
     "fig_activations", "alt_activations"),
    ((("derivative_of_sin", "d/dz sin"), ("derivative_of_own_logit", "d/dz logit")),
     "fig_derivatives", "alt_derivatives"),
)


def ex01_figures(cases: dict[str, CaseResult], t: Text) -> list[dict]:
    figures = []
    for panels_spec, caption, alt in EX01_FIGURES:
        panels, z = [], None
        for case_id, label in panels_spec:
            d = cases[case_id].details if case_id in cases else {}
            if "expected" not in d or not isinstance(d.get("inputs", {}).get("values", {}).get("z"), list):
                continue
            z = d["inputs"]["values"]["z"]
            panels.append((label, d["expected"], _same_length(d.get("got"), d["expected"])))
        if panels:
            figures.append({"src": plots.curves(z, panels), "caption": t[caption], "alt": t[alt],
                            "legend": _legend(t)})
    return figures


def case_figures(exercise: str, case: CaseResult, t: Text) -> list[dict]:
    d = case.details
    if exercise in LOSS_EXERCISES or exercise == "ex09":
        losses = d.get("keys", {}).get("losses", {})
        if isinstance(losses.get("expected"), list):
            return [{"src": plots.loss_curves(losses["expected"], _same_length(losses.get("got"), losses["expected"])),
                     "caption": t["fig_losses"], "alt": t["alt_losses"], "legend": _legend(t)}]
        if "accuracy" in d:
            return [{"src": plots.accuracy_bar(d["accuracy"], d["min_accuracy"]), "alt": t["alt_accuracy"],
                     "caption": t("fig_accuracy", accuracy=f"{d['accuracy']:.1%}", bar=f"{d['min_accuracy']:.0%}"),
                     "legend": []}]
    if exercise == "ex10" and "table" in d:
        return [{"src": plots.decision_line(d["table"], d["w"], d["w0"]), "alt": t["alt_decision"],
                 "caption": t("fig_decision", gate=d["gate"].upper()), "legend": []}]
    if exercise == "ex12":
        values = d.get("inputs", {}).get("values", {})
        image = values.get("image", values.get("x"))
        kernel = values.get("kernel", values.get("kernels"))
        if image is not None and kernel is not None and isinstance(d.get("expected"), list):
            panels = [(_plane(image), None), (_plane(kernel), None), (_plane(d["expected"]), None)]
            got = d.get("got")
            if isinstance(got, list) and np.shape(got) == np.shape(d["expected"]):
                panels.append((_plane(got), _plane(d.get("wrong"))))
            return [{"src": plots.images(panels, shared=(2, 3)), "caption": t["fig_conv"], "alt": t["alt_conv"], "legend": []}]
    return []


def _plane(values: Any) -> Any:
    """The first 2-D slice of an array (channel 0, filter 0): what a picture can show."""
    if values is None:
        return None
    arr = np.asarray(values)
    while arr.ndim > 2:
        arr = arr[0]
    return arr


# ---------------------------------------------------------------- a student
def _inputs(details: dict) -> list[dict]:
    shown = details.get("inputs") or {}
    rows = []
    for name, text in shown.get("describe", {}).items():
        value = shown.get("values", {}).get(name)
        small = value is not None and np.size(value) <= INPUT_VALUES_MAX and not isinstance(value, (int, float))
        rows.append({"name": name, "text": text, "value": nested(value) if small else ""})
    return rows


def _truth_table(details: dict, t: Text) -> Optional[dict]:
    if "table" not in details:
        return None
    return {"w": ", ".join(num(v) for v in details["w"]), "w0": num(details["w0"]),
            "rows": [{"x": f"({row['x'][0]}, {row['x'][1]})", "s": num(row["s"]), "got": f"{row['got']:+d}",
                      "expected": f"{row['expected']:+d}", "cls": "ok" if row["ok"] else "bad"}
                     for row in details["table"]]}


def _accuracy(details: dict) -> Optional[dict]:
    if "param_count" not in details:
        return None
    return {"accuracy": f"{details['accuracy']:.2%}" if "accuracy" in details else "—",
            "min_accuracy": f"{details['min_accuracy']:.0%}",
            "params": f"{details['param_count']:,}", "max_params": f"{details['max_params']:,}",
            "params_cls": "ok" if details["param_count"] <= details["max_params"] else "bad"}


def _clip(text: str, limit: int, t: Text) -> tuple[str, str]:
    if len(text) <= limit:
        return text, ""
    return text[:limit], t("clipped", shown=limit, total=len(text))


def case_view(case: CaseResult, stub: bool, t: Text) -> dict:
    view = {"name": case.name, "case": case.case, "status": case.status, "stub": stub,
            "verdict": t[f"verdict_{case.verdict}"], "anchor": case.name.replace("/", "-")}
    if stub:
        return view
    stdout, stdout_note = _clip(case.stdout, STDOUT_CHARS, t)
    traceback, traceback_note = _clip(case.details.get("traceback", ""), TRACEBACK_CHARS, t)
    view.update(
        title=(case.title_ko or case.title) if t.lang == "ko" else case.title, points=f"{points(case.score)} / {points(case.points)}",
        hidden=case.visibility == "hidden", message=translate(case.message, t.lang), time=f"{case.execution_time:.2f} s",
        hints=[getattr(h, t.lang) for h in case.hints], warnings=list(case.warnings),
        stdout=stdout, stdout_note=stdout_note, traceback=traceback, traceback_note=traceback_note,
        inputs=_inputs(case.details), outputs=outputs(case.details, case.passed, case.message, t),
        truth_table=_truth_table(case.details, t), accuracy=_accuracy(case.details),
        figures=case_figures(case.exercise, case, t), open=not case.passed)
    return view


def exercise_view(ex: ExerciseResult, check_mode: bool, t: Text) -> dict:
    stubs = [check_mode and c.visibility == "hidden" for c in ex.cases]
    shown = {c.case: c for c, stub in zip(ex.cases, stubs) if not stub}
    return {"id": ex.exercise, "title": exercise_title(ex, t.lang), "note": translate(ex.note, t.lang),
            "score": f"{points(ex.score)} / {points(ex.max_score)}", "cls": grade_class(ex.score, ex.max_score),
            "bar": f"{percent(ex.score, ex.max_score):.1f}",
            "passed": t("cases_passed", n=sum(c.passed for c in ex.cases), total=len(ex.cases)),
            "figures": ex01_figures(shown, t) if ex.exercise == "ex01" else [],
            "cases": [case_view(c, stub, t) for c, stub in zip(ex.cases, stubs)]}


def student_view(result: SubmissionResult, lang: str) -> dict:
    """Everything the student page shows, formatted."""
    t = Text(lang)
    check_mode = result.mode == "check"
    shown = result.redacted() if check_mode else result
    return {"lang": lang, "t": t.table, "title": t("student_title", student=result.student),
            "student": result.student, "mode": t[f"mode_{shown.mode}"],
            "score": points(shown.score), "max_score": points(shown.max_score),
            "percent": f"{percent(shown.score, shown.max_score):.0f}%",
            "cls": grade_class(shown.score, shown.max_score),
            "summary": t("cases_passed", n=sum(c.passed for c in shown.cases), total=len(shown.cases)),
            "time": f"{result.execution_time:.1f} s", "device": result.device,
            "warnings": [translate(w, lang) for w in shown.warnings], "check_mode": check_mode,
            "exercises": [exercise_view(e, check_mode, t) for e in shown.exercises]}


def render_student(result: SubmissionResult, lang: str = "en") -> str:
    return _ENV.get_template("student.html.j2").render(view=student_view(result, lang))


# ---------------------------------------------------------------- a class
_NUMBER = re.compile(r"(?<![A-Za-z_\d.])[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _first_clause(message: str) -> str:
    head = re.split(r" — |; |\(", message, maxsplit=1)[0].strip()
    return head if len(head) <= 80 else head[:79] + "…"


def _shown_clause(message: str, lang: str) -> str:
    """The first clause of a failure message in ``lang`` (the Korean one cut the same way)."""
    if lang == "en":
        return _first_clause(message)
    text = translate(message, lang)
    head = re.split(r" — |; ", text, maxsplit=1)[0].strip()
    head = re.sub(r"\s*\([^()]*\)$", "", head)   # a trailing remark in parentheses, as in English
    return head if len(head) <= 80 else head[:79] + "…"


def message_prefix(message: str) -> str:
    """What failures have in common: the first clause, numbers replaced by #."""
    return _NUMBER.sub("#", _first_clause(message))


def _student_row(sub: SubmissionResult, link: Optional[str], exercise_ids: list[str], top: float) -> dict:
    by_id = {e.exercise: e for e in sub.exercises}
    cells = []
    for ex_id in exercise_ids:
        ex = by_id.get(ex_id)
        if ex is None:
            cells.append({"text": "—", "sort": "-1", "cls": "none"})
        else:
            cells.append({"text": points(ex.score), "sort": f"{ex.score:.6f}", "cls": grade_class(ex.score, ex.max_score)})
    return {"name": sub.student, "link": link, "score": points(sub.score), "score_sort": f"{sub.score:.6f}",
            "percent": f"{percent(sub.score, top):.0f}%", "cls": grade_class(sub.score, top),
            "failed": sum(not c.passed for c in sub.cases), "time": f"{sub.execution_time:.1f}",
            "exercises": cells}


def class_view(klass: ClassResult, links: dict[str, str], lang: str) -> dict:
    """Everything the class page shows, formatted."""
    t = Text(lang)
    subs = klass.submissions
    exercise_ids = sorted({e.exercise for s in subs for e in s.exercises})
    ex_title: dict[str, str] = {}
    ex_scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    case_pass: dict[str, list[bool]] = defaultdict(list)
    case_vis: dict[str, str] = {}
    failures: dict[tuple[str, str], list[str]] = defaultdict(list)
    failure_students: dict[tuple[str, str], set[str]] = defaultdict(set)
    shown_message: dict[tuple[str, str], str] = {}   # grouped by a number-free key, shown as a real message
    for sub in subs:
        for ex in sub.exercises:
            ex_title.setdefault(ex.exercise, exercise_title(ex, lang))
            ex_scores[ex.exercise].append((ex.score, ex.max_score))
            for case in ex.cases:
                case_pass[case.name].append(case.passed)
                case_vis[case.name] = case.visibility
                if not case.passed:
                    key = (case.verdict, message_prefix(case.message))
                    failures[key].append(case.name)
                    shown_message.setdefault(key, _shown_clause(case.message, lang))
                    failure_students[key].add(sub.student)
    exercises = []
    for ex_id in exercise_ids:
        scores = ex_scores[ex_id]
        full = sum(s >= m - 1e-9 for s, m in scores)
        mean = sum(s for s, _ in scores) / len(scores)
        top = max(m for _, m in scores)
        exercises.append({"id": ex_id, "title": ex_title[ex_id], "mean": f"{mean:.1f} / {points(top)}",
                          "rate": f"{percent(full, len(scores)):.0f}%", "bar": f"{percent(full, len(scores)):.1f}",
                          "cls": grade_class(full, len(scores))})
    cases = [{"name": name, "hidden": case_vis[name] == "hidden", "rate": f"{percent(sum(v), len(v)):.0f}%",
              "count": f"{sum(v)} / {len(v)}", "bar": f"{percent(sum(v), len(v)):.1f}",
              "cls": grade_class(sum(v), len(v))} for name, v in case_pass.items()]
    common = sorted(failures.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:20]
    scores = [s.score for s in subs]
    # out of every exercise anyone was graded on: a missing exercise counts as zero
    max_score = sum(max(m for _, m in ex_scores[ex_id]) for ex_id in exercise_ids)
    return {
        "lang": lang, "t": t.table, "title": t["class_title"],
        "summary": t("class_summary", n=len(subs), mean=f"{np.mean(scores):.1f}" if scores else "—",
                     median=f"{np.median(scores):.1f}" if scores else "—", max=points(max_score)),
        "time": t("class_time", seconds=f"{klass.execution_time:.1f}", workers=klass.workers),
        "histogram": plots.histogram(scores, max_score) if scores else None,
        "exercises": exercises, "cases": cases,
        "failures": [{"verdict": t[f"verdict_{verdict}"], "message": shown_message[(verdict, prefix)],
                      "count": len(names),
                      "students": len(failure_students[(verdict, prefix)]),
                      "examples": ", ".join(sorted(Counter(names), key=lambda n: -Counter(names)[n])[:3])}
                     for (verdict, prefix), names in common],
        "exercise_ids": exercise_ids,
        "students": [_student_row(s, links.get(s.student), exercise_ids, max_score)
                     for s in sorted(subs, key=lambda s: s.student)],
    }


def render_class(klass: ClassResult, links: dict[str, str], lang: str = "en") -> str:
    return _ENV.get_template("class.html.j2").render(view=class_view(klass, links, lang))
