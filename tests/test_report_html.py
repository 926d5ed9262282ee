"""The HTML reports: view-model, visibility of hidden cases, both languages, size.

Results come from the reference solutions and their known mistakes judged in-process
(tests/support.py); they are built once per session (about 45 s) and shared with
tests/test_report_browser.py.
"""
from __future__ import annotations

import importlib
import json
import re
import time
from dataclasses import replace
from functools import lru_cache
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from grader.report import html
from grader.results import CaseResult, ClassResult, ExerciseResult, SubmissionResult
from support import judge_inline, mistake, variant

EXERCISES = [f"ex{n:02d}" for n in range(1, 15)]
MAX_REPORT_BYTES = 1_500_000


# ---------------------------------------------------------------- results to render
def fake_ex09(accuracy: float = 0.975) -> ExerciseResult:
    """ex09 needs MNIST training; its result is written by hand, shaped like checks.check_accuracy's."""
    passed = accuracy >= 0.97
    case = CaseResult(exercise="ex09", case="heldout_accuracy", title="accuracy on 2,000 held-out digits",
                      visibility="public", points=10, score=10.0 if passed else 0.0,
                      verdict="passed" if passed else "wrong",
                      message=(f"held-out accuracy {accuracy:.1%} (bar 97%)" if passed else
                               f"held-out accuracy {accuracy:.1%} is below the bar of 97%"),
                      details={"param_count": 52_650, "max_params": 1_000_000, "min_accuracy": 0.97,
                               "losses": [2.3 * 0.8 ** i for i in range(20)], "accuracy": accuracy},
                      execution_time=41.5)
    return ExerciseResult("ex09", "MNIST classifier (torchvision)", (case,), title_ko="MNIST 분류기 (torchvision)")


def _with_ex09(result: SubmissionResult, ex09: ExerciseResult) -> SubmissionResult:
    exercises = sorted([*result.exercises, ex09], key=lambda e: e.exercise)
    return replace(result, exercises=tuple(exercises))


@lru_cache(maxsize=None)
def full_result() -> SubmissionResult:
    """Every reference solution: full marks on all 14 exercises (graded: hidden cases included)."""
    modules = {ex: importlib.import_module(f"reference.{ex}") for ex in EXERCISES if ex != "ex09"}
    return _with_ex09(replace(judge_inline(modules, student="alice"), execution_time=12.3), fake_ex09())


def _replace_case(result: SubmissionResult, name: str, **changes) -> SubmissionResult:
    exercises = tuple(replace(e, cases=tuple(replace(c, **changes) if c.name == name else c for c in e.cases))
                      for e in result.exercises)
    return replace(result, exercises=exercises)


@lru_cache(maxsize=None)
def buggy_result() -> SubmissionResult:
    """Known mistakes, an exception, a time limit, a crash, printed output and a sandbox warning."""
    def broken_softmax(x):
        raise ZeroDivisionError("division by zero")

    modules = {"ex01": mistake("ex01", "derivative_forward_difference"),
               "ex02": mistake("ex02", "grad_y_uses_grad_x"), "ex04": mistake("ex04", "missing_relu_mask"),
               "ex10": importlib.import_module("reference.ex10"), "ex11": mistake("ex11", "bias_node_zero_row"),
               "ex12": mistake("ex12", "kernel_flipped"), "ex14": variant("ex14", softmax=broken_softmax)}
    result = judge_inline(modules, student="bob")
    result = _replace_case(result, "ex01/tanh_grid", verdict="timeout", score=0.0, details={},
                           message="took longer than the time limit of 5 s")
    result = _replace_case(result, "ex11/squared_error_random", verdict="crashed", score=0.0, details={},
                           message="the process died (signal 9)")
    result = _replace_case(result, "ex01/relu_grid", stdout="debug: z.shape = (200,)\n" * 3)
    result = _with_ex09(result, fake_ex09(0.912))
    return replace(result, execution_time=7.8, warnings=("sandbox protections off: network namespace (bubblewrap "
                                                         "is not installed)",))


@lru_cache(maxsize=None)
def class_result() -> ClassResult:
    full, buggy = full_result(), buggy_result()
    half = replace(full, student="carol", exercises=full.exercises[:7])
    dave = replace(buggy, student="dave", exercises=buggy.exercises[:4])
    return ClassResult((buggy, full, dave, half), execution_time=61.0, workers=2)


def hidden_failing_case(result: SubmissionResult) -> CaseResult:
    return next(c for c in result.cases if c.name == "ex12/asymmetric_kernel")


# ---------------------------------------------------------------- helpers
class _Text(HTMLParser):
    """Visible text nodes and alt/title attributes of a page (not scripts or styles)."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self.texts.extend(v for k, v in attrs if k in ("alt", "title") and v)

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def page_texts(page: str) -> list[str]:
    parser = _Text()
    parser.feed(page)
    return parser.texts


def plot_count(page: str) -> int:
    return len(re.findall(r'<img class="plot', page))


# ---------------------------------------------------------------- view-model
def test_numbers_are_formatted_for_people():
    assert html.num(3.0) == "3"
    assert html.num(-0.07802868811361566) == "−0.0780287"
    assert html.num(float("nan")) == "NaN" and html.num(float("-inf")) == "−∞"
    assert html.num(None) == "—"


def test_small_array_is_a_table_with_the_wrong_cells_marked():
    t = html.Text("en")
    d = {"expected": [[1.0, 2.0], [3.0, 4.0]], "got": [[1.0, 2.5], [3.0, 4.0]],
         "wrong": [[False, True], [False, False]], "total": 4, "mismatches": 1, "max_abs": 0.5, "max_rel": 0.25,
         "rtol": 1e-7, "atol": 0.0, "first": [{"index": [0, 1], "expected": 2.0, "got": 2.5}]}
    view = html.array_view(d, ok=False, t=t)
    assert view["table"]["columns"] == ["0", "1"]
    assert [c["text"] for c in view["table"]["rows"][0]["got"]] == ["1", "2.5"]
    assert [[c["cls"] for c in row["got"]] for row in view["table"]["rows"]] == [["", "bad"], ["", ""]]
    assert [[c["cls"] for c in row["expected"]] for row in view["table"]["rows"]] == [["", "miss"], ["", ""]]
    assert view["first"] == []                      # the table already shows where
    assert view["heatmap"] is None and "1 of 4" in view["stats"]


def test_one_dimensional_arrays_wrap_into_aligned_rows():
    t = html.Text("en")
    values = [float(i) for i in range(23)]
    view = html.array_view({"expected": values, "got": values, "wrong": [False] * 23}, ok=True, t=t)
    rows = view["table"]["rows"]
    assert [r["label"] for r in rows] == ["0", "10", "20"]
    assert all(len(r["expected"]) == 10 for r in rows)
    assert [c["cls"] for c in rows[2]["got"]][3:] == ["pad"] * 7
    assert view["collapsed"]


def test_large_array_is_a_heat_map_with_the_worst_entries():
    t = html.Text("en")
    d = {"error_map": [[0.0, 1e-3], [2.0, 0.0]], "total": 10_000, "mismatches": 40, "max_abs": 2.0,
         "max_rel": 1.0, "first": [{"index": [3, 4], "expected": 1.0, "got": 3.0}],
         "expected_excerpt": "[[1. ...]]", "got_excerpt": "[[3. ...]]"}
    view = html.array_view(d, ok=False, t=t)
    assert view["heatmap"].startswith("data:image/png;base64,")
    assert view["table"] is None and view["first"][0]["index"] == "(3, 4)"
    assert view["excerpts"]["got"] == "[[3. ...]]"
    # a mid-sized array (≤ 4096, sent whole) that fails also becomes a heat map
    exp = [[float(i + j) for j in range(20)] for i in range(20)]
    got = [row[:] for row in exp]
    got[5][7] += 1
    mid = html.array_view({"expected": exp, "got": got, "wrong": [[x != y for x, y in zip(a, b)]
                                                                  for a, b in zip(exp, got)]}, ok=False, t=t)
    assert mid["heatmap"] and mid["table"] is None


def test_dict_outputs_are_shown_key_by_key():
    case = next(c for c in buggy_result().cases if c.name == "ex02/manual_seed0_3x4")
    shown = html.outputs(case.details, case.passed, case.message, html.Text("en"))
    marks = {o["key"]: o["ok"] for o in shown}
    assert marks == {"grad_a": True, "grad_b": True, "grad_x": True, "grad_y": False, "grad_z": True}
    grad_y = next(o for o in shown if o["key"] == "grad_y")
    assert sum(c["cls"] == "bad" for row in grad_y["view"]["table"]["rows"] for c in row["got"]) == 12


def test_pictures_are_made_where_people_look_rather_than_read():
    view = html.student_view(buggy_result(), "en")
    by_id = {e["id"]: e for e in view["exercises"]}
    assert len(by_id["ex01"]["figures"]) == 2                         # curves and derivatives
    cases = {c["name"]: c for e in view["exercises"] for c in e["cases"]}
    assert cases["ex04/seed_sizes_history"]["figures"]                 # loss curves
    assert cases["ex09/heldout_accuracy"]["figures"]                   # accuracy against the bar
    assert cases["ex10/nor_truth_table"]["figures"]                    # decision line
    assert cases["ex12/integer_5x5_3x3"]["figures"]                    # input, kernel, output
    assert all(f["src"].startswith("data:image/png;base64,") for e in view["exercises"] for f in e["figures"])


def test_failure_messages_are_grouped_by_their_first_clause():
    assert html.message_prefix("12 of 12 values differ; largest error 2.45") == "# of # values differ"
    assert html.message_prefix("wrong grad_y — grad_y: 12 of 12 values differ") == "wrong grad_y"
    view = html.class_view(class_result(), links={}, lang="en")
    top = view["failures"][0]
    assert top["count"] >= 2 and top["students"] >= 1 and top["verdict"]
    assert [s["name"] for s in view["students"]] == ["alice", "bob", "carol", "dave"]
    rates = {e["id"]: e["rate"] for e in view["exercises"]}
    assert rates["ex13"] == "100%" and rates["ex12"] == "50%"


# ---------------------------------------------------------------- visibility
def test_hidden_cases_show_only_name_and_status_in_a_self_check():
    result = buggy_result()
    hidden = hidden_failing_case(result)
    secret_expected = html.num(hidden.details["first"][0]["expected"])
    secret_input = hidden.details["inputs"]["describe"]["image"]          # "array (9, 8) float64"
    secret_message = str(escape(hidden.message))
    graded = html.render_student(result)
    assert secret_expected in graded and secret_input in graded and secret_message in graded
    for shown in (replace(result, mode="check"), result.redacted()):  # unredacted results are redacted too
        page = html.render_student(shown)
        assert "asymmetric_kernel" in page
        for secret in (secret_expected, secret_input, secret_message, "90 of 108"):
            assert secret not in page
        assert plot_count(page) < plot_count(graded)                  # no plots of hidden cases
    stub = next(c for e in html.student_view(replace(result, mode="check"), "en")["exercises"]
                for c in e["cases"] if c["name"] == hidden.name)
    assert set(stub) == {"name", "case", "status", "stub", "verdict", "anchor"}


def test_public_cases_keep_everything_in_a_self_check():
    page = html.render_student(buggy_result().redacted())
    assert "cross-correlation" in page                                 # hint of a public case
    assert "ZeroDivisionError" in page                                 # message and traceback
    assert "debug: z.shape = (200,)" in page                           # printed output
    assert "sandbox protections off" in page                           # the warning banner


def test_text_from_results_is_escaped():
    result = replace(buggy_result(), student="<script>alert(1)</script>")
    page = html.render_student(result)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


# ---------------------------------------------------------------- languages
def test_both_languages_have_the_same_complete_keys():
    en, ko = html.strings("en"), html.strings("ko")
    assert set(en) == set(ko)
    assert all(isinstance(v, str) and v.strip() for v in [*en.values(), *ko.values()])
    for key in en:   # the same placeholders in both
        assert sorted(re.findall(r"{(\w+)}", en[key])) == sorted(re.findall(r"{(\w+)}", ko[key])), key
    for verdict in ("passed", "wrong", "error", "missing", "import_error", "timeout", "memory", "crashed",
                    "output_limit", "forbidden", "unsupported"):
        assert f"verdict_{verdict}" in en


def test_every_label_the_templates_use_exists():
    from pathlib import Path
    templates = Path(html.__file__).resolve().parent.parent / "templates"
    used = set()
    for path in templates.glob("*.j2"):
        used |= set(re.findall(r"\bt\.(\w+)", path.read_text(encoding="utf-8")))
    assert used and used <= set(html.strings("en"))


def _english_labels() -> tuple[set[str], set[str]]:
    """UI labels that differ between the languages: whole ones, and the fixed parts of templated ones."""
    en, ko = html.strings("en"), html.strings("ko")
    whole, parts = set(), set()
    for key, text in en.items():
        if text == ko[key]:
            continue
        if "{" not in text:
            whole.add(text)
        else:
            parts |= {part.strip(" ·;:.") for part in re.split(r"{\w+}", text)
                      if len(re.findall(r"[A-Za-z]{2,}", part)) >= 2}
    return whole, parts


def _labels_on(page: str) -> set[str]:
    whole, parts = _english_labels()
    texts = page_texts(page)
    return {label for text in texts for label in whole if text == label} | \
        {part for text in texts for part in parts if part in text}


@pytest.mark.parametrize("which", ["student", "class"])
def test_korean_pages_contain_no_english_ui_label(which):
    if which == "student":
        page = html.render_student(buggy_result(), lang="ko")
        english = html.render_student(buggy_result(), lang="en")
    else:
        page = html.render_class(class_result(), links={}, lang="ko")
        english = html.render_class(class_result(), links={}, lang="en")
    found = _labels_on(page)
    assert not found, f"English labels on the Korean page: {sorted(found)}"
    assert _labels_on(english)                                  # the check can fail
    assert 'lang="ko"' in page


def test_korean_exercise_titles_come_from_the_results():
    page = html.render_student(full_result(), lang="ko")
    assert "활성 함수 (numpy)" in page and "소프트맥스와 손실 함수" in page
    assert "Activation functions (numpy)" not in page


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown report language"):
        html.render_student(full_result(), lang="fr")


# ---------------------------------------------------------------- size and speed
def test_a_full_fourteen_exercise_report_is_small_enough_to_email():
    result = full_result()
    assert {e.exercise for e in result.exercises} == set(EXERCISES)
    start = time.perf_counter()
    pages = {(lang, mode): html.render_student(replace(result, mode=mode), lang=lang)
             for lang in ("en", "ko") for mode in ("grade", "check")}
    seconds = (time.perf_counter() - start) / len(pages)
    buggy = html.render_student(buggy_result())
    sizes = {k: len(v.encode("utf-8")) for k, v in pages.items()}
    sizes[("en", "buggy")] = len(buggy.encode("utf-8"))
    assert max(sizes.values()) < MAX_REPORT_BYTES, sizes
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", pages[("en", "grade")])   # nothing fetched
    print(json.dumps({f"{k[0]}-{k[1]}": v for k, v in sizes.items()}), f"{seconds:.2f} s per report")


def test_class_page_links_students_and_sorts():
    klass = class_result()
    links = {s.student: f"{s.student}/report.html" for s in klass.submissions}
    page = html.render_class(klass, links=links)
    assert 'href="bob/report.html"' in page and re.search(r'<table class="[^"]*sortable', page)
    assert plot_count(page) == 1 and "addEventListener" in page
    assert len(page.encode("utf-8")) < MAX_REPORT_BYTES
