"""What a person sees of a run: live progress bars, the closing summary table, and the
same summary in Markdown for the Prefect UI.

Everything here reads the run summary (the ``--json`` object), so the command line, the
flow and the UI artifact can never disagree.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

COLUMNS = ("document", "languages", "engine", "TM", "MT", "human", "copied", "terms ok",
           "missing", "forbidden", "QA errors", "QA warnings", "outputs")
_NUMERIC = ("TM", "MT", "human", "copied", "terms ok", "missing", "forbidden", "QA errors",
            "QA warnings")


class ProgressBars:
    """One bar per (document, language), safe to update from worker threads."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("segments"), TimeElapsedColumn(), console=console, transient=False,
        )
        self._tasks: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> ProgressBars:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def __call__(self, document: str, lang: str, done: int, total: int) -> None:
        with self._lock:
            key = (document, lang)
            if key not in self._tasks:
                self._tasks[key] = self.progress.add_task(f"{Path(document).name} → {lang}",
                                                          total=total)
            self.progress.update(self._tasks[key], completed=done, total=total)


def make_console(*, stderr: bool = False) -> Console:
    """A console that keeps the summary table readable when output goes to a file or CI log
    (rich would otherwise squeeze it into 80 columns)."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, width=None if stream.isatty() else 180)


def summary_rows(summary: dict) -> list[tuple[str, ...]]:
    """One row per (document, target), and one per failed document, as plain strings."""
    rows = []
    for document in summary["documents"]:
        name = Path(document["path"]).name
        source = document["source_lang"] or "?"
        for target in document["targets"]:
            segments, hits = target["segments"], target["hits"]
            findings = target.get("findings", {})
            rows.append((
                name, f"{source}→{target['lang']}", ", ".join(target["engines"]) or "-",
                str(segments.get("tm", 0)), str(segments["mt"]), str(segments["human"]),
                str(segments["copy"]),
                str(hits["ok"]), str(hits["missing"]), str(hits["forbidden"]),
                str(findings.get("error", 0)), str(findings.get("warning", 0)),
                "\n".join(Path(path).name for path in target["outputs"]),
            ))
        if document["error"]:
            rows.append((name, source, "FAILED", *[""] * (len(COLUMNS) - 4),
                         document["error"]))
    return rows


def summary_table(summary: dict) -> Table:
    table = Table(title=f"hexaglot run {summary['run_id']}")
    for column in COLUMNS:
        numeric = column in _NUMERIC
        table.add_column(column, justify="right" if numeric else "left", overflow="fold",
                         no_wrap=column in ("document", "languages"))
    for row in summary_rows(summary):
        style = "red" if row[2] == "FAILED" else None
        table.add_row(*row, style=style)
    table.caption = f"outputs in {summary['out_dir']}; glossary hits: {summary['outputs'][0]}"
    return table


def print_summary(summary: dict, console: Console) -> None:
    console.print(summary_table(summary))
    failed = [d for d in summary["documents"] if d["error"]]
    if failed:
        console.print(f"[red]{len(failed)} document(s) failed:[/red]", highlight=False)
        for document in failed:
            console.print(f"  ✗ {document['error']}", highlight=False, markup=False,
                          soft_wrap=True)


def markdown_summary(summary: dict) -> str:
    lines = [f"# hexaglot run {summary['run_id']}", "",
             f"Started {summary['started']}, finished {summary['finished']}; outputs in "
             f"`{summary['out_dir']}`.", "",
             "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in summary_rows(summary):
        lines.append("| " + " | ".join(cell.replace("|", "\\|").replace("\n", "<br>")
                                       for cell in row) + " |")
    return "\n".join(lines) + "\n"
