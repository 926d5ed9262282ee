"""The terminal view of a self-check: one row per case, then hints for what failed."""
from __future__ import annotations

import functools
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.i18n.messages import translate
from grader.results import SubmissionResult

STYLE = {"passed": "green", "failed": "red"}


LABELS = {
    "en": {"note": "note", "case": "case", "status": "status", "points": "points", "time": "time",
           "message": "message", "hint": "hint", "all_pass": "all cases pass",
           "some_fail": "{failed} of {total} cases fail", "points_word": "points",
           "and_more": "{first} and {n} more", "n_cases": "{ex} ({n} cases)"},
    "ko": {"note": "알림", "case": "케이스", "status": "결과", "points": "점수", "time": "시간",
           "message": "메시지", "hint": "힌트", "all_pass": "모든 케이스 통과",
           "some_fail": "케이스 {total}개 중 {failed}개 실패", "points_word": "점",
           "and_more": "{first} 외 {n}개", "n_cases": "{ex} (케이스 {n}개)"},
}


@functools.lru_cache(maxsize=None)
def _verdict_names(lang: str) -> dict[str, str]:
    """The verdict words of the HTML reports (grader/i18n), so both views say the same."""
    table = json.loads((Path(__file__).resolve().parent.parent / "i18n" / f"{lang}.json").read_text("utf-8"))
    return {k[len("verdict_"):]: v for k, v in table.items() if k.startswith("verdict_")}


def _verdict(verdict: str, lang: str) -> str:
    return verdict if lang == "en" else _verdict_names(lang).get(verdict, verdict)


def print_result(result: SubmissionResult, console: Console | None = None, lang: str = "en") -> None:
    console = console or Console()
    L = LABELS[lang]
    for warning in result.warnings:
        console.print(f"[yellow]{L['note']}:[/] {translate(warning, lang)}")
    table = Table(title=f"{result.student}: {result.score:g} / {result.max_score:g}", show_lines=False)
    table.add_column(L["case"])
    table.add_column(L["status"])
    table.add_column(L["points"], justify="right")
    table.add_column(L["time"], justify="right")
    table.add_column(L["message"], overflow="fold")
    for ex in result.exercises:
        verdicts = {c.verdict for c in ex.cases}
        if ex.note and len(verdicts) == 1 and verdicts <= {"missing", "import_error"}:
            # one row says it all: the file is absent or does not import
            table.add_row(Text(L["n_cases"].format(ex=ex.exercise, n=len(ex.cases)), style="bold"),
                          Text(_verdict(verdicts.pop(), lang), style="red"), f"{ex.score:g}/{ex.max_score:g}", "", translate(ex.note, lang)[:300])
            continue
        for case in ex.cases:
            hidden = case.visibility == "hidden" and result.mode == "check"
            message = "" if hidden or case.passed else translate(case.message, lang)
            table.add_row(case.name, Text(_verdict(case.verdict, lang), style=STYLE[case.status]), f"{case.score:g}/{case.points:g}",
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
        where = names[0] if len(names) == 1 else L["and_more"].format(first=names[0], n=len(names) - 1)
        console.print(f"[cyan]{L['hint']}[/] ({where}): {texts[hint_id]}")
    failed = sum(not c.passed for c in result.cases)
    summary = L["all_pass"] if not failed else L["some_fail"].format(failed=failed, total=len(result.cases))
    console.print(f"[bold]{summary}[/] ({result.score:g} / {result.max_score:g} {L['points_word']})")
