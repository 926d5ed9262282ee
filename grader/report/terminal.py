"""The terminal view of a self-check: one row per case, then hints for what failed."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.results import SubmissionResult

STYLE = {"passed": "green", "failed": "red"}


def print_result(result: SubmissionResult, console: Console | None = None, lang: str = "en") -> None:
    console = console or Console()
    for warning in result.warnings:
        console.print(f"[yellow]note:[/] {warning}")
    table = Table(title=f"{result.student}: {result.score:g} / {result.max_score:g}", show_lines=False)
    table.add_column("case")
    table.add_column("status")
    table.add_column("points", justify="right")
    table.add_column("time", justify="right")
    table.add_column("message", overflow="fold")
    for ex in result.exercises:
        verdicts = {c.verdict for c in ex.cases}
        if ex.note and len(verdicts) == 1 and verdicts <= {"missing", "import_error"}:
            # one row says it all: the file is absent or does not import
            table.add_row(Text(f"{ex.exercise} ({len(ex.cases)} cases)", style="bold"),
                          Text(verdicts.pop(), style="red"), f"{ex.score:g}/{ex.max_score:g}", "", ex.note[:300])
            continue
        for case in ex.cases:
            hidden = case.visibility == "hidden" and result.mode == "check"
            message = "" if hidden or case.passed else case.message
            table.add_row(case.name, Text(case.verdict, style=STYLE[case.status]), f"{case.score:g}/{case.points:g}",
                          f"{case.execution_time:.2f}s", message[:300])
    console.print(table)
    shown: dict[str, list[str]] = {}
    texts = {}
    for case in result.cases:
        if case.passed or (case.visibility == "hidden" and result.mode == "check"):
            continue
        for hint in case.hints:
            shown.setdefault(hint.id, []).append(case.name)
            texts[hint.id] = hint.en if lang == "en" else hint.ko
    for hint_id, names in shown.items():
        where = names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"
        console.print(f"[cyan]hint[/] ({where}): {texts[hint_id]}")
    failed = sum(not c.passed for c in result.cases)
    summary = "all cases pass" if not failed else f"{failed} of {len(result.cases)} cases fail"
    console.print(f"[bold]{summary}[/] ({result.score:g} / {result.max_score:g} points)")
