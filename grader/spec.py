"""Exercise specifications: ``assignments/exNN.yaml`` loaded into typed, validated objects.

Every mistake in a YAML file (unknown key, missing field, negative tolerance, a
function that is not in the exercise's ``names``) is rejected here with a
:class:`SpecError` naming the file and the field, e.g.
``ex03.yaml: cases[2].check.rtol: must be >= 0``. Raw dicts never travel further.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

EXERCISE_IDS = tuple(f"ex{n:02d}" for n in range(1, 15))
DEFAULT_ASSIGNMENTS = Path(__file__).resolve().parent.parent / "assignments"


class SpecError(Exception):
    """A specification file that cannot be used; the message names file and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- inputs
class Generator(_Strict):
    """One input value: a literal ``value`` or drawn from the case's seeded RNG."""

    value: Any = None
    randn: Optional[list[Annotated[int, Field(ge=0)]]] = None
    rand: Optional[list[Annotated[int, Field(ge=0)]]] = None
    randint: Optional[list[Annotated[int, Field(ge=0)]]] = None
    linspace: Optional[tuple[float, float, Annotated[int, Field(ge=1)]]] = None
    list_: Optional[list["InputSpec"]] = Field(default=None, alias="list")
    callable: Optional[str] = None
    scale: float = 1.0
    low: float = 0.0
    high: float = 1.0
    dtype: Literal["float64", "float32", "int64", "int32", "uint8", "bool"] = "float64"
    as_: Literal["numpy", "torch", "list", "tuple", "float", "int", "str"] = Field(default="numpy", alias="as")

    @model_validator(mode="after")
    def _exactly_one(self) -> "Generator":
        given = [k for k in ("value", "randn", "rand", "randint", "linspace", "list_", "callable")
                 if getattr(self, k) is not None]
        if len(given) != 1:
            names = [g.rstrip("_") for g in given] or ["none"]
            raise ValueError("give exactly one of value, randn, rand, randint, linspace, list, callable "
                             f"(got {', '.join(names)})")
        if self.callable is not None and not re.fullmatch(r"(numpy|student)\.[A-Za-z_]\w*", self.callable):
            raise ValueError("callable must be 'numpy.<function>' or 'student.<name>'")
        if self.randint is not None and self.high <= self.low:
            raise ValueError("randint needs high > low")
        return self


InputSpec = Union[Generator, bool, int, float, str, None, list[Any]]
Generator.model_rebuild()


# ---------------------------------------------------------------- what runs in the sandbox
class CallRun(_Strict):
    kind: Literal["call"]
    function: str
    args: dict[str, InputSpec] = Field(default_factory=dict)


class AttributeRun(_Strict):
    kind: Literal["attribute"]
    name: str


class AutogradFunctionRun(_Strict):
    kind: Literal["autograd_function"]
    class_: str = Field(alias="class")
    x: InputSpec
    grad_out: InputSpec


class TrainModuleRun(_Strict):
    kind: Literal["train_module"]
    class_: Annotated[str, Field(alias="class", pattern=r"^(@TwoLayerNet|[A-Za-z_]\w*)$")]
    function: str
    model_args: list[int]
    state: dict[str, InputSpec]
    args: dict[str, InputSpec] = Field(default_factory=dict)


class MnistRun(_Strict):
    kind: Literal["mnist"]
    class_: str = Field(alias="class")
    function: str
    train_size: Annotated[int, Field(gt=0, le=9000)]
    heldout_size: Annotated[int, Field(gt=0, le=2000)]
    epochs: Annotated[int, Field(gt=0)] = 1
    batch_size: Annotated[int, Field(gt=0)] = 64


RunSpec = Annotated[Union[CallRun, AttributeRun, AutogradFunctionRun, TrainModuleRun, MnistRun],
                    Field(discriminator="kind")]


# ---------------------------------------------------------------- how the grader judges
class Tolerance(_Strict):
    rtol: Annotated[float, Field(ge=0)] = 1e-7
    atol: Annotated[float, Field(ge=0)] = 0.0
    # atol is a fraction of the largest expected magnitude (loss histories spanning 12 decades)
    scale_atol: bool = False


class MatchKeyCheck(Tolerance):
    kind: Literal["match_key"]
    keys: Optional[list[str]] = None              # compare only these keys of a dict output
    tolerances: dict[str, Tolerance] = Field(default_factory=dict)   # per-key overrides


class TruthTableCheck(_Strict):
    kind: Literal["truth_table"]
    gate: Literal["nor", "and", "or", "nand"]


class RaisesCheck(_Strict):
    kind: Literal["raises"]
    exception: Literal["ValueError", "TypeError"]


class LossFallsCheck(_Strict):
    kind: Literal["loss_falls"]
    key: Optional[str] = None                     # dict key holding the losses; None: the output is the list
    factor: Annotated[float, Field(gt=0, le=1)] = 0.5   # final loss must be <= factor * first loss


class GradcheckCheck(Tolerance):
    kind: Literal["gradcheck"]


class AccuracyCheck(_Strict):
    kind: Literal["accuracy"]
    min_accuracy: Annotated[float, Field(gt=0, le=1)]
    max_params: Annotated[int, Field(gt=0)]


CheckSpec = Annotated[Union[MatchKeyCheck, TruthTableCheck, RaisesCheck, LossFallsCheck, GradcheckCheck,
                            AccuracyCheck], Field(discriminator="kind")]


class Case(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_]*$")]
    title: str = ""
    title_ko: str = ""
    visibility: Literal["public", "hidden"]
    points: Annotated[float, Field(gt=0)]
    partial: bool = False
    seed: Annotated[int, Field(ge=0)] = 0
    time_limit: Optional[Annotated[float, Field(gt=0)]] = None
    run: RunSpec
    check: CheckSpec

    @property
    def run_key(self) -> str:
        """Equal for cases that run the same code on the same inputs (judged differently)."""
        return json.dumps([self.seed, self.run.model_dump(mode="json", by_alias=True)], sort_keys=True)

    @property
    def names_used(self) -> list[str]:
        run = self.run
        if isinstance(run, CallRun):
            return [run.function]
        if isinstance(run, AttributeRun):
            return [run.name]
        if isinstance(run, AutogradFunctionRun):
            return [run.class_]
        builtin = [run.class_] if run.class_.startswith("@") else []   # grader-provided model (ex08)
        return [n for n in (run.class_, run.function) if n not in builtin]


class Title(_Strict):
    en: str
    ko: str


class Exercise(_Strict):
    exercise: Annotated[str, Field(pattern=r"^ex(0[1-9]|1[0-4])$")]
    title: Title
    names: Annotated[list[str], Field(min_length=1)]
    time_limit: Annotated[float, Field(gt=0)] = 10.0
    import_time_limit: Annotated[float, Field(gt=0)] = 60.0
    cases: Annotated[list[Case], Field(min_length=1)]

    @field_validator("cases")
    @classmethod
    def _unique_ids(cls, cases: list[Case]) -> list[Case]:
        seen: set[str] = set()
        for case in cases:
            if case.id in seen:
                raise ValueError(f"case id {case.id!r} appears twice")
            seen.add(case.id)
        return cases

    @model_validator(mode="after")
    def _names_and_visibility(self) -> "Exercise":
        for i, case in enumerate(self.cases):
            for name in case.names_used:
                if name not in self.names:
                    raise ValueError(f"cases[{i}] ({case.id}) uses {name!r}, which is not in names {self.names}")
            if bool(case.title) != bool(case.title_ko):
                raise ValueError(f"cases[{i}] ({case.id}) needs its title in both languages (title and title_ko)")
        kinds = {c.visibility for c in self.cases}
        if kinds != {"public", "hidden"}:
            raise ValueError("an exercise needs at least one public and one hidden case")
        return self

    def time_limit_of(self, case: Case) -> float:
        return case.time_limit if case.time_limit is not None else self.time_limit

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.cases)


# ---------------------------------------------------------------- loading
_UNION_BRANCHES = {get_args(m.model_fields["kind"].annotation)[0]
                   for m in (*get_args(get_args(RunSpec)[0]), *get_args(get_args(CheckSpec)[0]))} | {"Generator"}


def _format_error(path: Path, err: dict) -> str:
    loc = ""
    for part in err["loc"]:
        if isinstance(part, int):
            loc += f"[{part}]"
        elif part in _UNION_BRANCHES or "[" in str(part):
            continue  # union branch names pydantic adds; the reader wants the YAML path
        else:
            loc += ("." if loc else "") + str(part)
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown field (misspelt?)"
    elif err["type"] == "missing":
        msg = "required field is missing"
    return f"{path.name}: {loc or '(top level)'}: {msg}"


def load_exercise(path: Path) -> Exercise:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise SpecError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise SpecError(f"{path.name}: top level must be a mapping with exercise, title, names, cases")
    try:
        spec = Exercise.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        shown = [_format_error(path, e) for e in errors[:5]]
        more = f"\n  (+{len(errors) - 5} more)" if len(errors) > 5 else ""
        raise SpecError("\n".join(shown) + more) from None
    if spec.exercise != path.stem:
        raise SpecError(f"{path.name}: exercise: says {spec.exercise!r} but the file is {path.stem}.yaml")
    return spec


def load_all(directory: Path = DEFAULT_ASSIGNMENTS, only: Optional[list[str]] = None) -> list[Exercise]:
    """Load every ``exNN.yaml`` of ``directory`` (or just ``only``), in exercise order."""
    directory = Path(directory)
    if not directory.is_dir():
        raise SpecError(f"{directory}: assignments folder not found")
    wanted = only or [p.stem for p in sorted(directory.glob("ex*.yaml"))]
    unknown = [w for w in wanted if w not in EXERCISE_IDS]
    if unknown:
        raise SpecError(f"unknown exercise {unknown[0]!r}: use one of ex01 … ex14")
    return [load_exercise(directory / f"{ex}.yaml") for ex in wanted]
