"""The ``grader`` command: parses arguments, calls :mod:`grader.api`, prints. Nothing else.

Exit codes: 0 success (``check``: every case passed); 1 ``check``: some case failed;
2 usage error (bad path, option, YAML or stale answer key; missing MNIST);
3 internal error of the grader itself (a bug: please report it).
"""
from __future__ import annotations

import json
import sys
import traceback
from enum import IntEnum
from pathlib import Path

import click

from grader import api
from grader.spec import DEFAULT_ASSIGNMENTS


class ExitCode(IntEnum):
    OK = 0
    CASES_FAILED = 1
    USAGE = 2
    INTERNAL = 3


def _run(fn):
    try:
        return fn()
    except api.UsageError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(ExitCode.USAGE)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception:
        click.echo("Internal error in the grader (not your submission's fault). Please report this:", err=True)
        traceback.print_exc()
        sys.exit(ExitCode.INTERNAL)


common = [
    click.option("--time-limit", type=float, default=None, help="Seconds per case (overrides the YAML)."),
    click.option("--sandbox", type=click.Choice(["auto", "bwrap", "none"]), default="auto", show_default=True,
                 help="Isolation: bubblewrap when available (auto), required (bwrap) or off (none)."),
    click.option("--mnist-dir", type=click.Path(path_type=Path), default=None,
                 help="Folder with the MNIST test split (else $GRADER_MNIST_DIR)."),
    click.option("--assignments", type=click.Path(path_type=Path), default=DEFAULT_ASSIGNMENTS,
                 help="Folder of exNN.yaml specs and their answer key."),
    click.option("--lang", type=click.Choice(["en", "ko"]), default="en", show_default=True),
]


def with_common(fn):
    for option in reversed(common):
        fn = option(fn)
    return fn


@click.group()
@click.version_option(package_name="dlgrader")
def main() -> None:
    """Grade the deep-learning homework (ex01 … ex14) safely, quickly and clearly."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--exercise", default=None, help="Only this exercise (exNN); needed for a lone file not named exNN.py.")
@click.option("--json", "json_path", type=click.Path(path_type=Path), default=None,
              help="Also write Gradescope-style results.json here.")
@click.option("--html", "html_path", type=click.Path(path_type=Path), default=None, help="Also write an HTML report.")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu", show_default=True)
@with_common
def check(path, exercise, json_path, html_path, device, time_limit, sandbox, mnist_dir, assignments, lang):
    """Self-check a submission (folder, exNN.py or notebook) on the public cases."""
    from grader.report import gradescope, terminal

    def go():
        result = api.check(path, exercise=exercise, assignments=assignments, time_limit=time_limit, device=device,
                           sandbox=sandbox, mnist_dir=mnist_dir)
        terminal.print_result(result, lang=lang)
        if json_path:
            json_path.write_text(json.dumps(gradescope.to_results(result), indent=1, ensure_ascii=False),
                                 encoding="utf-8")
        if html_path:
            from grader.report import html

            html_path.write_text(html.render_student(result, lang=lang), encoding="utf-8")
            click.echo(f"report: {html_path}")
        return result

    result = _run(go)
    sys.exit(ExitCode.OK if result.passed else ExitCode.CASES_FAILED)


@main.command()
@click.argument("submissions", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Folder for reports.")
@click.option("--workers", type=int, default=None, help="Parallel workers (default: the number of cores).")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="auto", show_default=True)
@click.option("--exercise", "exercises", multiple=True, help="Only these exercises (repeatable).")
@click.option("--no-html", is_flag=True, help="Skip the HTML reports.")
@with_common
def grade(submissions, out, workers, device, exercises, no_html, time_limit, sandbox, mnist_dir, assignments, lang):
    """Grade a class: one sub-folder or notebook per student in SUBMISSIONS."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from grader.submission import SubmissionError, discover_class

    def go():
        try:
            total = len(discover_class(submissions))
        except SubmissionError as exc:
            raise api.UsageError(str(exc)) from None
        with Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.description}"), transient=False) as bar:
            task = bar.add_task("", total=total)

            def progress(result):
                bar.update(task, advance=1, description=f"{result.student}: {result.score:g}/{result.max_score:g}")

            return api.grade(submissions, out, workers=workers, exercises=list(exercises) or None,
                             assignments=assignments, time_limit=time_limit, device=device, sandbox=sandbox,
                             mnist_dir=mnist_dir, lang=lang, progress=progress, html=not no_html)

    klass = _run(go)
    for warning in klass.warnings:
        click.echo(f"warning: {warning}", err=True)
    mean = sum(s.score for s in klass.submissions) / max(1, len(klass.submissions))
    click.echo(f"graded {len(klass.submissions)} submissions in {klass.execution_time:.1f} s "
               f"(mean {mean:.1f} points); reports in {out}/" + ("" if no_html else f" (open {out}/index.html)"))
    if klass.internal_errors:
        click.echo(f"Internal error of the grader on {len(klass.internal_errors)} submission(s); their results are "
                   "missing. Please report this:", err=True)
        for error in klass.internal_errors:
            click.echo(error, err=True)
        sys.exit(ExitCode.INTERNAL)
    sys.exit(ExitCode.OK)


@main.group()
def key() -> None:
    """Build or verify the answer key (assignments/key/)."""


@key.command("build")
@click.option("--assignments", type=click.Path(path_type=Path), default=DEFAULT_ASSIGNMENTS)
@click.option("--exercise", "exercises", multiple=True)
def key_build(assignments, exercises):
    """Run reference/ on every case and store the expected outputs."""
    paths = _run(lambda: api.build_key(assignments, list(exercises) or None))
    for p in paths:
        click.echo(f"wrote {p}")


@key.command("check")
@click.option("--assignments", type=click.Path(path_type=Path), default=DEFAULT_ASSIGNMENTS)
def key_check(assignments):
    """Exit 1 when the stored key no longer matches the YAML or reference/."""
    problems = _run(lambda: api.key_problems(assignments))
    for p in problems:
        click.echo(p, err=True)
    if not problems:
        click.echo("answer key is current")
    sys.exit(ExitCode.CASES_FAILED if problems else ExitCode.OK)
