"""Renderers: each only reads results (grader.results) and writes one format.

- ``gradescope``: ``results.json`` in Gradescope's autograder format
- ``junit``: JUnit XML for CI
- ``gradebook``: the class CSV
- ``terminal``: the table ``grader check`` prints
- ``html``: per-student and class pages (self-contained)
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from grader.report import gradebook, gradescope, junit
from grader.results import ClassResult, SubmissionResult


def safe_name(student: str) -> str:
    """A folder name for a student that cannot escape the output folder."""
    name = re.sub(r"[^\w.\-]+", "_", student).strip("._") or "student"
    return name[:100]


def write_student(result: SubmissionResult, out: Path, *, lang: str = "en", html: bool = True) -> Path:
    folder = Path(out) / safe_name(result.student)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(gradescope.to_results(result), indent=1, ensure_ascii=False),
                                         encoding="utf-8")
    if html:
        from grader.report import html as html_report

        (folder / "report.html").write_text(html_report.render_student(result, lang=lang), encoding="utf-8")
    return folder


def write_class(klass: ClassResult, out: Path, *, lang: str = "en", html: bool = True) -> None:
    out = Path(out)
    (out / "gradebook.csv").write_text(gradebook.render(klass), encoding="utf-8")
    (out / "junit.xml").write_text(junit.render(klass), encoding="utf-8")
    (out / "class.json").write_text(json.dumps(klass.to_dict(), indent=1, ensure_ascii=False, default=str),
                                    encoding="utf-8")
    if html:
        from grader.report import html as html_report

        links = {s.student: f"{safe_name(s.student)}/report.html" for s in klass.submissions}
        (out / "index.html").write_text(html_report.render_class(klass, links=links, lang=lang), encoding="utf-8")
