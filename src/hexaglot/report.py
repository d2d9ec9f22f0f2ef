"""What a person sees of a run: live progress bars and the closing summary table."""

from __future__ import annotations

import threading

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hexaglot.pipeline import RunResult


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
                name = document.rsplit("/", 1)[-1]
                self._tasks[key] = self.progress.add_task(f"{name} → {lang}", total=total)
            self.progress.update(self._tasks[key], completed=done, total=total)


def summary_table(result: RunResult) -> Table:
    table = Table(title=f"hexaglot run {result.run_id}", show_lines=False)
    for column, justify in (("document", "left"), ("lang", "left"), ("engine", "left"),
                            ("MT", "right"), ("human", "right"), ("copied", "right"),
                            ("terms ok", "right"), ("missing", "right"),
                            ("forbidden", "right"), ("outputs", "left")):
        table.add_column(column, justify=justify, overflow="fold")
    for document in result.documents:
        name = document.path.rsplit("/", 1)[-1]
        if document.error:
            table.add_row(name, document.source_lang or "?", "[red]FAILED[/red]", "", "", "",
                          "", "", "", f"[red]{document.error}[/red]")
        for target in document.targets:
            segments, hits = target.segment_counts(), target.hit_counts()
            table.add_row(
                name, f"{target.source_lang}→{target.lang}", ", ".join(target.engines) or "-",
                str(segments["mt"]), str(segments["human"]), str(segments["copy"]),
                str(hits["ok"]), str(hits["missing"]), str(hits["forbidden"]),
                "\n".join(path.rsplit("/", 1)[-1] for path in target.outputs),
            )
    table.caption = f"run report and glossary hits: {', '.join(result.outputs)}"
    return table


def print_summary(result: RunResult, console: Console) -> None:
    console.print(summary_table(result))
    failed = [d for d in result.documents if d.error]
    if failed:
        console.print(f"[red]{len(failed)} document(s) failed:[/red]")
        for document in failed:
            console.print(f"  [red]✗[/red] {document.error}")
