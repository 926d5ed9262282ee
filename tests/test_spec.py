"""The YAML loader rejects every kind of mistake with a message naming file and field."""
from pathlib import Path

import pytest
import yaml

from grader.spec import EXERCISE_IDS, SpecError, load_all, load_exercise

ASSIGNMENTS = Path(__file__).resolve().parent.parent / "assignments"


def test_every_exercise_loads_with_public_and_hidden_cases():
    specs = load_all(ASSIGNMENTS)
    assert [s.exercise for s in specs] == list(EXERCISE_IDS)
    for spec in specs:
        assert {c.visibility for c in spec.cases} == {"public", "hidden"}
        assert spec.max_score > 0


def test_hidden_cases_use_other_inputs_than_public_ones():
    for spec in load_all(ASSIGNMENTS):
        public = {(c.seed, c.run.model_dump_json()) for c in spec.cases if c.visibility == "public"}
        for case in spec.cases:
            if case.visibility == "hidden":
                assert (case.seed, case.run.model_dump_json()) not in public, f"{spec.exercise}/{case.id}"


def _broken(tmp_path, mutate) -> Path:
    raw = yaml.safe_load((ASSIGNMENTS / "ex03.yaml").read_text())
    mutate(raw)
    path = tmp_path / "ex03.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    return path


@pytest.mark.parametrize("mutate, expected", [
    (lambda r: r["cases"][2]["check"].__setitem__("rtol", -1.0), "ex03.yaml: cases[2].check.rtol"),
    (lambda r: r["cases"][0].pop("points"), "ex03.yaml: cases[0].points: required field is missing"),
    (lambda r: r["cases"][1].__setitem__("visiblity", "public"), "cases[1].visiblity: unknown field"),
    (lambda r: r["cases"][0]["run"].__setitem__("function", "rnn_stepp"), "uses 'rnn_stepp', which is not in names"),
    (lambda r: r["cases"][0].__setitem__("visibility", "secret"), "cases[0].visibility"),
    (lambda r: r["cases"][0]["run"]["args"]["x"].__setitem__("randm", [1, 2]), "cases[0].run.args.x"),
    (lambda r: r.__setitem__("cases", [c for c in r["cases"] if c["visibility"] == "public"]),
     "at least one public and one hidden case"),
    (lambda r: r["cases"][1].__setitem__("id", r["cases"][0]["id"]), "appears twice"),
    (lambda r: r["cases"][0]["check"].__setitem__("kind", "approximately"), "cases[0].check"),
    (lambda r: r["cases"][0].pop("title_ko"), "needs its title in both languages"),
])
def test_mistakes_are_rejected_with_file_and_field(tmp_path, mutate, expected):
    with pytest.raises(SpecError) as info:
        load_exercise(_broken(tmp_path, mutate))
    assert expected in str(info.value)
    assert "Traceback" not in str(info.value)


def test_not_yaml_and_wrong_name(tmp_path):
    bad = tmp_path / "ex05.yaml"
    bad.write_text("cases: [unclosed")
    with pytest.raises(SpecError, match="ex05.yaml: not valid YAML"):
        load_exercise(bad)
    other = tmp_path / "ex04.yaml"
    other.write_text((ASSIGNMENTS / "ex03.yaml").read_text())
    with pytest.raises(SpecError, match="says 'ex03' but the file is ex04.yaml"):
        load_exercise(other)


def test_unknown_exercise_is_a_clear_error():
    with pytest.raises(SpecError, match="unknown exercise 'ex15'"):
        load_all(ASSIGNMENTS, ["ex15"])
