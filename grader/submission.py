"""Find what a student handed in: a folder of ``exNN.py`` files, one ``.py`` file, or a notebook.

The result maps each contract module name (``ex02``) to a Python file the sandbox
will import. Notebooks are flattened into one module: code cells only, with
IPython magics (``%matplotlib inline``, ``%%time``) and shell lines (``!pip``)
dropped, since they are not Python and have no place in grading. Nothing here
runs student code.
"""
from __future__ import annotations

import io
import re
import tokenize
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from grader.spec import EXERCISE_IDS

_NAME = re.compile(r"^ex0?(\d{1,2})\.py$", re.IGNORECASE)
MAX_SOURCE_BYTES = 2_000_000


class SubmissionError(Exception):
    """A path that is not a submission at all (the message says what was expected)."""


@dataclass(frozen=True)
class Submission:
    student: str
    sources: dict[str, Path]                # "ex02" -> file to import
    notes: tuple[str, ...] = field(default=())
    problems: dict[str, str] = field(default_factory=dict)   # "ex14" -> why it cannot be imported at all
    notebook_code: str = ""                 # a notebook's code cells as one module (converted once)

    def missing(self, exercises: list[str]) -> list[str]:
        return [e for e in exercises if e not in self.sources]


def encoding_problem(path: Path) -> str | None:
    """Why a file cannot be read as Python source text, or None.

    Python 3.11 silently accepts undecodable bytes inside comments, so this is checked here,
    by reading bytes only (never running anything).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"{path.name} cannot be read: {exc.strerror}"
    if len(data) > MAX_SOURCE_BYTES:
        return f"{path.name} is {len(data):,} bytes, over the limit of {MAX_SOURCE_BYTES:,} for a source file"
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if "encoding declaration" not in str(exc):
            return f"{path.name}: {exc}"
        encoding = "utf-8"   # undecodable first lines and no cookie: report the byte below
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        declared = "declares no encoding" if encoding == "utf-8" else f"is not valid {encoding}"
        return (f"{path.name} is not UTF-8 and {declared} (byte 0x{data[exc.start]:02x} on line {line}): "
                "save it as UTF-8, or declare its encoding on the first line, e.g. # -*- coding: cp949 -*-"
                if encoding == "utf-8" else f"{path.name} {declared} (byte 0x{data[exc.start]:02x} on line {line})")
    except LookupError:
        return f"{path.name} declares an unknown encoding {encoding!r}"
    return None


def _checked(student: str, sources: dict[str, Path], notes: list[str]) -> Submission:
    problems = {}
    for ex, path in sources.items():
        if path.suffix == ".py":
            problem = encoding_problem(path)
            if problem:
                problems[ex] = problem
    return Submission(student, sources, tuple(notes), problems)


def _exercise_of(path: Path) -> str | None:
    m = _NAME.match(path.name)
    if m and f"ex{int(m.group(1)):02d}" in EXERCISE_IDS:
        return f"ex{int(m.group(1)):02d}"
    return None


def _from_folder(folder: Path, student: str) -> Submission:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    if not any(_exercise_of(p) for p in files):
        # a student who zipped a folder: look one level down
        nested = [p for d in sorted(folder.iterdir()) if d.is_dir() and not d.name.startswith(".")
                  for p in sorted(d.iterdir()) if p.is_file() and _exercise_of(p)]
        files = nested or files
    sources: dict[str, Path] = {}
    notes: list[str] = []
    for path in files:
        ex = _exercise_of(path)
        if ex is None:
            continue
        if ex in sources:
            notes.append(f"two files for {ex} ({sources[ex].name}, {path.name}); using {sources[ex].name}")
            continue
        if path.name != f"{ex}.py":
            notes.append(f"{path.name} taken as {ex}.py")
        sources[ex] = path
    notebooks = [p for p in files if p.suffix == ".ipynb"]
    if not sources and len(notebooks) == 1:
        return _from_notebook(notebooks[0], student)
    if not sources:
        notes.append("no exNN.py file found in the folder")
    return _checked(student, sources, notes)


def notebook_source(path: Path) -> tuple[str, int]:
    """Python source of a notebook's code cells, and how many magic/shell lines were dropped.

    Read with nbformat (any notebook format version, upgraded to v4); nothing runs.
    """
    import nbformat

    try:
        with warnings.catch_warnings():   # hand-edited notebooks often lack cell ids: not the student's problem
            warnings.simplefilter("ignore")
            nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    except Exception as exc:   # nbformat raises several kinds for a file that is not a notebook
        raise SubmissionError(f"{path.name}: not a readable Jupyter notebook ({exc})") from None
    parts, dropped = [], 0
    for i, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        text = str(cell.get("source", ""))
        if text.lstrip().startswith("%%"):
            dropped += text.count("\n") + 1   # a cell magic turns the whole cell into something else
            continue
        lines = []
        for line in text.splitlines():
            stripped = line.lstrip()
            if stripped.startswith(("%", "!")) or re.match(r"^\w+\s*=\s*!", stripped):
                indent = line[:len(line) - len(stripped)]
                lines.append(f"{indent}pass  # grader: dropped IPython line: {stripped[:60]}")
                dropped += 1
            else:
                lines.append(line)
        parts.append(f"# --- cell {i} ---\n" + "\n".join(lines))
    return "\n\n".join(parts) + "\n", dropped


def _from_notebook(path: Path, student: str) -> Submission:
    code, dropped = notebook_source(path)   # fails early on a file that is not a notebook
    note = f"notebook {path.name}" + (f": {dropped} IPython magic/shell line(s) skipped" if dropped else "")
    return Submission(student, {"__notebook__": path}, (note,), notebook_code=code)


def load(path: Path, *, exercise: str | None = None, student: str | None = None) -> Submission:
    """A submission from a folder, a single ``.py`` file or a notebook."""
    path = Path(path)
    name = student or (path.stem if path.is_file() else path.name)
    if path.is_dir():
        return _from_folder(path, name)
    if not path.exists():
        raise SubmissionError(f"{path}: no such file or folder")
    if path.suffix == ".ipynb":
        return _from_notebook(path, name)
    if path.suffix == ".py":
        ex = exercise or _exercise_of(path)
        if ex is None:
            raise SubmissionError(f"{path.name}: cannot tell which exercise this file is; name it exNN.py "
                                  "or pass --exercise exNN")
        return _checked(name, {ex: path}, [])
    raise SubmissionError(f"{path.name}: expected a folder of exNN.py files, a .py file or a .ipynb notebook")


NOTEBOOK_MODULE = "notebook"


def module_for(sub: Submission, exercise: str) -> str:
    """The module a case imports: its own file, or the one module a notebook becomes."""
    return NOTEBOOK_MODULE if "__notebook__" in sub.sources else exercise


def prepare(sub: Submission, workdir: Path, exercises: list[str]) -> dict[str, Path]:
    """Files to import, by module name; a notebook is converted once into ``workdir``."""
    if "__notebook__" in sub.sources:
        source = sub.notebook_code
        workdir.mkdir(parents=True, exist_ok=True)
        target = workdir / f"{NOTEBOOK_MODULE}.py"
        target.write_text(source, encoding="utf-8")
        return {NOTEBOOK_MODULE: target} if exercises else {}
    return {ex: p for ex, p in sub.sources.items() if ex in exercises}


def defined_names(source: str) -> set[str] | None:
    """Top-level names some source defines, read with ``ast`` (nothing runs); None if it does not parse."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def discover_class(folder: Path) -> list[Submission]:
    """One submission per sub-folder, notebook or ``student.py`` of a class folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SubmissionError(f"{folder}: not a folder of submissions")
    subs = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir() or entry.suffix == ".ipynb":
            subs.append(load(entry))
    if not subs:
        raise SubmissionError(f"{folder}: no submissions (expected one sub-folder or notebook per student)")
    return subs
