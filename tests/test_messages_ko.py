"""Korean reports translate every message, note and warning the grader writes in English."""
from __future__ import annotations

import io
import re

import markupsafe
import numpy as np
import pytest
from rich.console import Console

from grader import api
from grader.i18n.messages import translate
from grader.report import html, terminal
from grader.sandbox import _OFF_SENTENCES
from grader.sandbox.model import describe_exit
from grader.submission import encoding_problem
from support import judge_inline, mistake, variant

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# our own English words: none may be left outside the Python exception text a message quotes
OUR_WORDS = ["expected", "values differ", "time limit", "was not handed in", "could not be imported", "returned",
             "exceeded", "tolerance", "largest error", "matches", "the loss", "does not define", "killed by",
             "Student code", "the process", "limit of", "is not UTF-8", "taken as", "skipped", "hidden case",
             "held-out", "weights", "instead of", "missing", "wrong", "got ", "shape", "not finite"]
# Python's words start with the exception's name ("IndexError: ...") and stay as they are
PYTHON_TAIL = re.compile(r"\b[A-Z]\w*(Error|Exception|Exit|Interrupt)\b.*$", re.DOTALL)


def english_left(text: str) -> list[str]:
    ours = PYTHON_TAIL.sub("", text)
    return [w for w in OUR_WORDS if re.search(rf"(?<![\w']){re.escape(w.strip())}(?![\w'])", ours)]


def assert_korean(original: str) -> None:
    ko = translate(original, "ko")
    assert ko != original, f"not translated: {original!r}"
    assert HANGUL.search(ko), (original, ko)
    assert not english_left(ko), (original, ko, english_left(ko))


# ---------------------------------------------------------------- real messages
@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    return api.grade("examples/class", tmp_path_factory.mktemp("ko_out"), workers=2, html=False)


def _texts(results) -> set[str]:
    texts = set()
    for sub in results:
        texts.update(sub.warnings)
        for ex in sub.exercises:
            if ex.note:
                texts.add(ex.note)
            for case in ex.cases:
                texts.add(case.message)
                texts.update(k["message"] for k in case.details.get("keys", {}).values() if not k.get("ok"))
    return texts


@pytest.fixture(scope="module")
def inline_results():
    nan_relu = lambda x: np.asarray(x, dtype=float) * np.nan   # noqa: E731
    row_relu = lambda x: np.maximum(np.asarray(x, dtype=float), 0)[None, :]   # noqa: E731
    results = [
        judge_inline({"ex04": mistake("ex04", "learning_rate_10e-6"), "ex02": mistake("ex02", "grad_y_uses_grad_x"),
                      "ex11": mistake("ex11", "bias_node_zero_row"), "ex12": mistake("ex12", "kernel_flipped")}),
        judge_inline({"ex01": variant("ex01", relu=nan_relu, tanh=row_relu, step=lambda x: "no", logit=lambda x: None),
                      "ex10": variant("ex10", NOR_WEIGHTS=((1.0, 1.0), 0.5), AND_WEIGHTS=5),
                      "ex13": variant("ex13", conv_param_count=lambda *a, **k: 1 + 2j)}),
        judge_inline({"ex05": mistake("ex05", "learning_rate_10e-6")}, visibility="all").redacted(),
    ]
    return results


def test_every_real_message_is_korean(klass, inline_results):
    texts = _texts(klass.submissions) | _texts(inline_results) | set(klass.warnings)
    assert len(texts) > 40
    for text in sorted(texts):
        assert_korean(text)


def test_sandbox_and_loader_sentences_are_korean(tmp_path):
    bad = tmp_path / "ex14.py"
    bad.write_bytes("# 한글 주석\nx = 1\n".encode("cp949"))
    huge = tmp_path / "ex03.py"
    huge.write_bytes(b"# -*- coding: klingon -*-\n")
    texts = [
        describe_exit(None, 11), describe_exit(3, None), describe_exit(None, 99),
        "time limit of 5 s exceeded while running the case", "time limit of 60 s exceeded while importing ex05.py",
        "importing ex05 did not finish: time limit of 60 s exceeded while importing ex05.py",
        "memory limit of 2048 MB exceeded", "output limit of 1000000 bytes exceeded (stdout + stderr)",
        "file size limit of 64 MB exceeded", "the sandbox stopped responding between steps",
        "the sandbox's server process died (the code may have killed its parent process)",
        "the result channel ended in the middle of a frame", "a result of 9999999 bytes exceeds the limit of 1000 bytes",
        "malformed end frame", "unexpected frame (expected end case 'ex02/a')",
        "stray bytes on the result channel (not a result frame)",
        *_OFF_SENTENCES.values(),
        "Bubblewrap cannot run here (bubblewrap (bwrap) is not installed).",
        "Bubblewrap cannot run here (the sandbox was turned off (sandbox='none')).",
        encoding_problem(bad), encoding_problem(huge), "ex03.py declares an unknown encoding 'klingon'",
        "ex03.py is not valid cp949 (byte 0xff on line 2)", "ex03.py cannot be read: Permission denied",
        "ex03.py is 2,000,000 bytes, over the limit of 1,000,000 for a source file",
        "two files for ex03 (ex3.py, ex03.py); using ex3.py", "Ex3.py taken as ex03.py",
        "no exNN.py file found in the folder", "notebook hw.ipynb: 5 IPython magic/shell line(s) skipped",
        "hidden case", "the loss did not fall enough: 12.5 → 11 (needs ≤ 0.5 × the first)",
        "the loss became NaN or infinite at step 7 (diverged)", "expected a history of losses, got 1 value(s)",
        "losses: returned None (a missing return statement?)",
        "the model has 2,000,000 parameters, over the budget of 1,000,000",
        "held-out accuracy 91.2% is below the bar of 97%", "model output should be (2000, 10) logits, got shape (2000,)",
        "returned 3 instead of raising ValueError", "got True, expected False",
        "key 'grad_x' is missing from the returned dict",
        "returned array of shape (3,) and dtype float64, expected a dict with keys a, b",
        "forward and backward match, but torch.autograd.gradcheck failed",
        "expected a pair (w, w0) with w a length-2 sequence and w0 a number; got int",
        "3 NaN and 1 infinite values (expected all finite)",
        "shape (1, 200) but expected (200,) (same number of entries: a transpose or a missing reshape?)",
    ]
    for text in texts:
        assert text
        assert_korean(text)


# ---------------------------------------------------------------- exact translations
@pytest.mark.parametrize("english, korean", [
    ("time limit of 5 s exceeded while running the case", "시간 제한 5초를 초과했습니다 (케이스 실행 중)"),
    ("12 of 12 values differ; largest error 2.45 (relative 23.7) > tolerance (rtol=1e-09, atol=1e-12); "
     "first at index [0, 0], [0, 1], [0, 2]",
     "12개 값 중 12개가 다릅니다; 최대 오차 2.45 (상대 23.7) > 허용 오차 (rtol=1e-09, atol=1e-12); "
     "처음 다른 위치 [0, 0], [0, 1], [0, 2]"),
    ("got 110592, expected 1792 (tolerance rtol=0, atol=0)",
     "반환값은 110592인데 기대값은 1792입니다 (허용 오차 rtol=0, atol=0)"),
    ("killed by signal 11 (SIGSEGV)", "시그널 11(SIGSEGV)을 받아 강제 종료되었습니다"),
    ("ex04.py was not handed in", "ex04.py 파일을 제출하지 않았습니다"),
    ("wrong grad_y, grad_x — grad_y: got 1, expected 2 (tolerance rtol=0, atol=0); grad_x: matches",
     "틀린 출력: grad_y, grad_x — grad_y: 반환값은 1인데 기대값은 2입니다 (허용 오차 rtol=0, atol=0); "
     "grad_x: 일치합니다"),
])
def test_exact(english, korean):
    assert translate(english, "ko") == korean
    assert translate(english, "en") == english


def test_python_exception_text_passes_through():
    text = "raised IndexError: invalid index of a 0-dim tensor. Use `tensor.item()` to convert"
    assert translate(text, "ko") == ("IndexError 예외가 발생했습니다: invalid index of a 0-dim tensor. "
                                     "Use `tensor.item()` to convert")
    imported = "ex05.py could not be imported: ModuleNotFoundError: No module named 'tensorflow'"
    assert translate(imported, "ko") == ("ex05.py 파일을 import할 수 없습니다: "
                                         "ModuleNotFoundError: No module named 'tensorflow'")
    # a message that only looks like ours inside the exception text is not touched
    assert translate("raised ValueError: time limit of 5 s exceeded while running the case", "ko").endswith(
        ": time limit of 5 s exceeded while running the case")


def test_unknown_passes_through_and_never_raises():
    assert translate("something new the grader may say one day", "ko") == "something new the grader may say one day"
    assert translate("", "ko") == ""
    assert translate("wrong a — b: nonsense", "ko")   # a malformed composite does not raise


# ---------------------------------------------------------------- reports
def test_korean_html_of_seed_student(klass):
    seed = next(s for s in klass.submissions if s.student == "seed_student")
    english = [c.message for c in seed.cases if c.message.startswith("got 110592, expected 1792")]
    assert english and english[0].startswith("got 110592") and english[0] in html.render_student(seed, "en")
    page = html.render_student(seed, "ko")
    assert "반환값은 110592인데 기대값은 1792입니다" in page
    assert "got 110592, expected 1792" not in page


def test_korean_class_page_and_terminal(klass):
    page = html.render_class(klass, {}, "ko")
    for failure in html.class_view(klass, {}, "ko")["failures"]:
        assert HANGUL.search(failure["message"]) and not english_left(failure["message"]), failure
        assert str(markupsafe.escape(failure["message"])) in page
    assert "was not handed in" not in page and "values differ" not in page
    broken = next(s for s in klass.submissions if s.student == "broken_student")
    out = io.StringIO()
    terminal.print_result(broken, Console(file=out, width=300), lang="ko")
    text = out.getvalue()
    assert "제출하지 않았습니다" in text or "import할 수 없습니다" in text
    assert "could not be imported" not in text and "was not handed in" not in text


def test_korean_page_uses_korean_case_titles(klass):
    from grader.report import html

    seed = next(s for s in klass.submissions if s.student == "seed_student")
    page = html.render_student(seed, lang="ko")
    assert "과제의 문제, np.random.seed(0), N, D = 3, 4" in page
    assert "the handout's problem, np.random.seed(0)" not in page
