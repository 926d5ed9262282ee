"""The class gradebook: one row per student, total and one column per exercise."""
from __future__ import annotations

import csv
import io

from grader.results import ClassResult


def render(klass: ClassResult) -> str:
    exercises: list[str] = []
    for sub in klass.submissions:
        for ex in sub.exercises:
            if ex.exercise not in exercises:
                exercises.append(ex.exercise)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["student", "score", "max_score", "percent", *exercises, "failed_cases", "seconds"])
    for sub in klass.submissions:
        per = {e.exercise: e.score for e in sub.exercises}
        failed = [c.name for c in sub.cases if not c.passed]
        pct = 100 * sub.score / sub.max_score if sub.max_score else 0.0
        writer.writerow([sub.student, f"{sub.score:g}", f"{sub.max_score:g}", f"{pct:.1f}",
                         *[f"{per.get(e, 0):g}" for e in exercises], " ".join(failed),
                         f"{sub.execution_time:.2f}"])
    return buf.getvalue()
