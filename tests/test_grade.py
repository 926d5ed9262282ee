"""End to end through the sandbox: the reference scores full marks, every bundled mistake
loses exactly its points with its message, and broken submissions get the right verdict."""
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import api
from grader.cli import main
from grader.spec import load_all

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "class"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    klass = api.grade(EXAMPLES, out, workers=2, html=False)
    return out, {s.student: s for s in klass.submissions}


def cases(result):
    return {c.name: c for c in result.cases}


def test_reference_scores_full_marks_on_every_case():
    result = api.check(REPO / "reference", include_hidden=True)
    failed = [(c.name, c.message) for c in result.cases if not c.passed]
    assert failed == []
    assert result.score == result.max_score == sum(s.max_score for s in load_all())


def test_careful_student_scores_full_marks(graded):
    _, by = graded
    assert by["careful_student"].score == by["careful_student"].max_score


@pytest.mark.parametrize("case, score, verdict, message, hint", [
    ("ex02/manual_seed0_3x4", 2.4, "wrong", "wrong grad_y", "grad_y_uses_grad_x"),   # 4 of 5 keys right
    ("ex02/manual_5x2", 1.6, "wrong", "wrong grad_y", "grad_y_uses_grad_x"),
    ("ex02/autograd_seed0_3x4", 2.0, "passed", "", None),
    ("ex05/seed_sizes_history", 0.0, "error", "invalid index of a 0-dim tensor", "zero_dim_index"),
    ("ex07/seed_sizes_history", 0.0, "error", "invalid index of a 0-dim tensor", "zero_dim_index"),
    ("ex07/seed_sizes_history", 0.0, "error", "", "size_average"),
    ("ex08/seed_sizes_history", 4.0, "passed", "", "size_average"),          # a warning is not a failure
    ("ex09/heldout_accuracy", 0.0, "missing", "ex09.py was not handed in", None),
    ("ex11/problem_sigmoid", 0.0, "wrong", "2 of 2 values differ", "bias_node_zero_row"),
    ("ex11/problem_relu", 0.0, "wrong", "2 of 2 values differ", "bias_node_zero_row"),
    ("ex11/squared_error_problem_target", 1.0, "passed", "", None),
    ("ex13/params_64_filters_3x3", 0.0, "wrong", "got 110592, expected 1792", "seed_param_formula"),
    ("ex13/shape_64_filters_3x3_pad1", 1.0, "passed", "", None),
    ("ex14/softmax_handout", 0.0, "missing", "ex14.py was not handed in", None),
])
def test_seed_mistakes_lose_exactly_their_points(graded, case, score, verdict, message, hint):
    _, by = graded
    result = cases(by["seed_student"])[case]
    assert (result.score, result.verdict) == (score, verdict), result.message
    assert message in result.message
    if hint:
        assert hint in [h.id for h in result.hints]


def test_seed_student_total_is_the_sum_of_its_mistakes(graded):
    _, by = graded
    seed = by["seed_student"]
    lost = {e.exercise: e.max_score - e.score for e in seed.exercises if e.score < e.max_score}
    # ex02 loses grad_y's fifth of its three manual cases (3 + 2 + 1 points); the rest lose everything
    assert lost == pytest.approx({"ex02": 1.2, "ex05": 10, "ex07": 10, "ex09": 10, "ex11": 9, "ex13": 3, "ex14": 9})


@pytest.mark.parametrize("case, verdict, message", [
    ("ex01/logit_grid", "import_error", "SyntaxError: expected ':' (ex01.py, line 3)"),
    ("ex02/manual_seed0_3x4", "import_error", "No module named 'tensorflow'"),
    ("ex03/step_seed_sizes", "timeout", "time limit of 5 s exceeded"),
    ("ex03/backward_seed_sizes", "error", "NotImplementedError: rnn_backward is not done yet"),
    ("ex10/nor_truth_table", "wrong", "not NOR"),
    ("ex10/and_truth_table", "missing", "does not define 'AND_WEIGHTS'"),
    ("ex10/perceptron_single_point", "wrong", "returned a str, expected numbers"),
    ("ex12/integer_5x5_3x3", "crashed", "exited with code 3"),
    ("ex12/multi_channel", "crashed", "signal 11 (SIGSEGV)"),
    ("ex14/softmax_handout", "import_error", "is not UTF-8 and declares no encoding (byte 0xc7 on line 1)"),
    ("ex13/params_no_bias", "missing", "ex13.py was not handed in"),
])
def test_broken_submission_verdicts(graded, case, verdict, message):
    _, by = graded
    result = cases(by["broken_student"])[case]
    assert result.verdict == verdict and result.score == 0
    assert message in result.message


def test_reports_written_for_every_student(graded):
    out, by = graded
    rows = (out / "gradebook.csv").read_text().splitlines()
    assert rows[0].startswith("student,score,max_score,percent,ex01")
    assert {r.split(",")[0] for r in rows[1:]} == set(by)
    suites = ET.parse(out / "junit.xml").getroot().findall("testsuite")
    assert {s.get("name") for s in suites} == set(by)
    for student in by:
        data = json.loads((out / student / "results.json").read_text())
        assert data["score"] == by[student].score
        for test in data["tests"]:
            assert test["name"].split("/")[0] in {f"ex{n:02d}" for n in range(1, 15)}
            assert {"score", "max_score", "status", "output", "visibility", "execution_time"} <= set(test)
            assert test["visibility"] in ("visible", "hidden")
            assert test["status"] in ("passed", "failed")


def test_notebook_submission(graded):
    _, by = graded
    nb = by["notebook_student"]
    scores = {e.exercise: (e.score, e.max_score) for e in nb.exercises}
    assert scores["ex10"][0] == scores["ex10"][1] and scores["ex14"][0] == scores["ex14"][1]
    assert scores["ex02"][0] == 0
    assert any("IPython magic/shell line(s) skipped" in w for w in nb.warnings)


def test_self_check_hides_hidden_cases_and_sets_exit_codes(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["check", str(REPO / "reference"), "--exercise", "ex13", "--json", str(tmp_path / "r.json")])
    assert ok.exit_code == 0, ok.output
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["tests"] and all(t["visibility"] == "visible" for t in data["tests"])
    bad = runner.invoke(main, ["check", str(EXAMPLES / "seed_student"), "--exercise", "ex13"])
    assert bad.exit_code == 1 and "110592" in bad.output
    usage = runner.invoke(main, ["check", str(tmp_path / "nowhere")])
    assert usage.exit_code == 2 and "no such file or folder" in usage.output
    usage = runner.invoke(main, ["check", str(REPO / "reference"), "--exercise", "ex15"])
    assert usage.exit_code == 2 and "unknown exercise 'ex15'" in usage.output


def test_hidden_details_never_reach_a_self_check():
    result = api.check(EXAMPLES / "seed_student", exercise="ex13", include_hidden=True)
    hidden = [c for c in result.cases if c.visibility == "hidden"]
    assert hidden and all(c.details == {} and c.message == "hidden case" and not c.hints for c in hidden)


def test_cuda_request_without_gpu_is_a_clear_usage_error():
    import torch

    if torch.cuda.is_available():
        pytest.skip("a GPU is present: covered by test_cuda.py")
    with pytest.raises(api.UsageError, match="no CUDA GPU is visible"):
        api.check(REPO / "reference", exercise="ex04", device="cuda")


def test_a_grader_bug_on_one_student_is_loud_and_loses_no_other(tmp_path, monkeypatch):
    real = api.assemble

    def broken_for_seed(plan, sub, *args, **kwargs):
        if sub.student == "seed_student":
            raise RuntimeError("bug in the grader")
        return real(plan, sub, *args, **kwargs)

    monkeypatch.setattr(api, "assemble", broken_for_seed)
    klass = api.grade(EXAMPLES, tmp_path / "out", workers=2, exercises=["ex13"], html=False)
    assert {s.student for s in klass.submissions} == {"careful_student", "broken_student", "notebook_student"}
    assert len(klass.internal_errors) == 1
    assert klass.internal_errors[0].startswith("seed_student: RuntimeError: bug in the grader")
    assert "Traceback" in klass.internal_errors[0]
    result = CliRunner().invoke(main, ["grade", str(EXAMPLES), "--out", str(tmp_path / "cli"), "--exercise", "ex13",
                                       "--no-html"])
    assert result.exit_code == 3 and "Internal error of the grader" in result.output
