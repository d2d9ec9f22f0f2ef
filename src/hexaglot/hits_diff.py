"""What changed in the glossary hits between two runs, or after a new glossary release.

Reviewers compare two hits tables (two runs, or a run and a recheck of it against a new
glossary) to see which terms a new engine, glossary or revision fixed or broke. Rows are
matched on (document, target language, segment, concept, source form, occurrence of that
key), so a term used twice in a segment is two rows. Changed rows are those whose status
or found target differs; hits found only in the newer table appeared, those found only in
the older one disappeared; unchanged rows are counted, not listed.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from hexaglot.atomic import atomic_output, write_text_atomic
from hexaglot.document import HexaglotError
from hexaglot.hits import (
    RUNS_DIR,
    HitRecord,
    check_hits,
    list_runs,
    read_hits,
    read_segments,
    segment_order,
    sorted_rows,
)

CHANGED, APPEARED, DISAPPEARED = "changed", "appeared", "disappeared"
KINDS = (CHANGED, APPEARED, DISAPPEARED)

# Colours by status: terminal styles, and XLSX fills (ARGB).
STATUS_STYLES = {"ok": "green", "missing": "red", "forbidden": "red", "untranslated": "yellow"}
STATUS_FILLS = {"ok": "FFC6EFCE", "missing": "FFFFC7CE", "forbidden": "FFFFC7CE",
                "untranslated": "FFFFEB9C", "": "FFD9D9D9"}


@dataclass(frozen=True)
class HitChange:
    change: str  # changed / appeared / disappeared
    doc: str
    target_lang: str
    segment_id: str
    concept_id: str
    source_term: str
    occurrence: int  # 1 for the first hit with this key in the segment, 2 for the next...
    old_status: str
    new_status: str
    old_found: str
    new_found: str
    old_expected: str
    new_expected: str
    old_engine: str
    new_engine: str

    def row(self) -> dict[str, str]:
        return {key: str(value) for key, value in asdict(self).items()}


DIFF_COLUMNS = [field.name for field in fields(HitChange)]


@dataclass(frozen=True)
class HitsDiff:
    old: str  # what was compared: run id, folder or file
    new: str
    changes: tuple[HitChange, ...]
    unchanged: int

    def counts(self) -> dict[str, int]:
        counter = Counter(change.change for change in self.changes)
        return {**{kind: counter.get(kind, 0) for kind in KINDS}, "unchanged": self.unchanged}

    def summary(self) -> dict:
        return {"old": self.old, "new": self.new, "counts": self.counts(),
                "changes": [asdict(change) for change in self.changes]}

    def caption(self) -> str:
        counts = self.counts()
        return ", ".join(f"{count} {kind}" for kind, count in counts.items())


# --- Reading ------------------------------------------------------------------------------


def resolve_run(spec: str, runs_dir: Path) -> Path:
    """A run folder from a run id (in ``runs_dir``), a folder, or ``latest``/``previous``."""
    path = Path(spec)
    if path.is_dir():
        return path
    if spec in ("latest", "previous"):
        runs = list_runs(runs_dir)
        wanted = 1 if spec == "latest" else 2
        if len(runs) < wanted:
            raise HexaglotError(f"{runs_dir}: no {spec} run (it holds {len(runs)} run(s))")
        return runs[-wanted]
    candidate = runs_dir / spec
    if candidate.is_dir():
        return candidate
    known = [folder.name for folder in list_runs(runs_dir)]
    hint = (f"; the latest runs there: {', '.join(known[-5:])}" if known
            else f"; {runs_dir} holds no runs")
    raise HexaglotError(f"{spec}: not a hits file (.csv, .parquet), a run folder, or a run id "
                        f"in {runs_dir}{hint}")


def load_hits(spec: str, runs_dir: Path,
              glossaries: Sequence[Path] = ()) -> list[dict[str, str]]:
    """The hits table that ``spec`` names: a .csv or .parquet file, a run folder, a run id
    kept in ``runs_dir``, ``latest``/``previous``, or a review DOCX as a reviser left it
    (judged against ``glossaries``)."""
    path = Path(spec)
    if path.suffix.lower() in (".csv", ".parquet") and not path.is_dir():
        return read_hits(path)
    if path.suffix.lower() == ".docx" and path.is_file():
        return [record.row() for record in reviewed_hits(path, glossaries)]
    folder = resolve_run(spec, runs_dir)
    for name in ("hits.csv", "hits.parquet"):
        if (folder / name).is_file():
            return read_hits(folder / name)
    raise HexaglotError(f"{folder}: no hits.csv or hits.parquet in this run folder")


def _keyed(rows: Iterable[dict[str, str]]) -> dict[tuple, dict[str, str]]:
    """Rows by (doc, lang, segment, concept, source form, occurrence of that key)."""
    seen: Counter = Counter()
    keyed: dict[tuple, dict[str, str]] = {}
    for row in sorted_rows(rows):
        base = (row["doc"], row["target_lang"], row["segment_id"], row["concept_id"],
                row["source_term"])
        seen[base] += 1
        keyed[(*base, seen[base])] = row
    return keyed


def diff_hits(old_rows: Iterable[dict[str, str]], new_rows: Iterable[dict[str, str]],
              old_label: str = "old", new_label: str = "new") -> HitsDiff:
    old, new = _keyed(old_rows), _keyed(new_rows)
    changes: list[HitChange] = []
    unchanged = 0
    empty = dict.fromkeys(("status", "found_target", "expected_target", "engine"), "")
    for key in sorted(old.keys() | new.keys(),
                      key=lambda k: (k[0], k[1], segment_order(k[2]), k[2], *k[3:])):
        before, after = old.get(key), new.get(key)
        if before is not None and after is not None:
            if (before["status"], before["found_target"]) == (after["status"],
                                                               after["found_target"]):
                unchanged += 1
                continue
            kind = CHANGED
        else:
            kind = APPEARED if before is None else DISAPPEARED
        before, after = before or empty, after or empty
        changes.append(HitChange(
            change=kind, doc=key[0], target_lang=key[1], segment_id=key[2],
            concept_id=key[3], source_term=key[4], occurrence=key[5],
            old_status=before["status"], new_status=after["status"],
            old_found=before["found_target"], new_found=after["found_target"],
            old_expected=before["expected_target"], new_expected=after["expected_target"],
            old_engine=before["engine"], new_engine=after["engine"]))
    return HitsDiff(old=old_label, new=new_label, changes=tuple(changes), unchanged=unchanged)


def diff_specs(old: str, new: str, runs_dir: Path,
               glossaries: Sequence[Path] = ()) -> HitsDiff:
    return diff_hits(load_hits(old, runs_dir, glossaries), load_hits(new, runs_dir, glossaries),
                     old, new)


def reviewed_hits(path: Path, glossaries: Sequence[Path],
                  cache_dir: Path | None = None) -> list[HitRecord]:
    """The glossary hits of a review DOCX's Target column as the reviser left it: diffed
    against the run, they show which terms the reviser changed, fixed or broke."""
    from hexaglot.glossary.index import load_index
    from hexaglot.review.reader import read_review_docx

    reviewed = read_review_docx(path)
    if not glossaries:
        raise HexaglotError(f"{path}: judging a reviewed document needs the glossary files "
                            "(--glossary, or glossaries in hexaglot.toml)")
    index = load_index(list(glossaries), cache_dir)
    source_matcher = index.matcher(reviewed.source_lang)
    target_matcher = index.matcher(reviewed.target_lang)
    records: list[HitRecord] = []
    for segment in reviewed.segments:
        records.extend(check_hits(
            doc=reviewed.document, segment_id=segment.id, source_lang=reviewed.source_lang,
            target_lang=reviewed.target_lang, source_hits=source_matcher.find(segment.source),
            target_text=segment.target if segment.target.strip() else None,
            target_matcher=target_matcher, engine="reviewed", run_id=f"reviewed:{path.name}"))
    return records


def diff_against_previous(out_dir: Path, run_id: str) -> HitsDiff | None:
    """The run ``run_id`` (kept in ``out_dir/runs``) against the run before it, if any."""
    from hexaglot.hits import previous_run

    runs_dir = out_dir / RUNS_DIR
    before = previous_run(runs_dir, run_id)
    if before is None:
        return None
    return diff_hits(load_hits(str(before), runs_dir), load_hits(str(runs_dir / run_id),
                                                                  runs_dir),
                     before.name, run_id)


# --- Writing ------------------------------------------------------------------------------


def write_diff_csv(diff: HitsDiff, path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DIFF_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(change.row() for change in diff.changes)
    write_text_atomic(path, buffer.getvalue())


def write_diff_xlsx(diff: HitsDiff, path: Path) -> None:
    """A sheet of the changes (autofilter, frozen header, rows filled by new status, or
    grey for hits that disappeared) and a sheet with what was compared and the counts."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "changes"
    sheet.append(DIFF_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    fills = {status: PatternFill(fill_type="solid", start_color=colour, end_color=colour)
             for status, colour in STATUS_FILLS.items()}
    for change in diff.changes:
        values = change.row()
        sheet.append([change.occurrence if column == "occurrence" else values[column]
                      for column in DIFF_COLUMNS])
        fill = fills.get(change.new_status, fills[""])
        for cell in sheet[sheet.max_row]:
            cell.fill = fill
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(DIFF_COLUMNS))}{sheet.max_row}"
    for index, column in enumerate(DIFF_COLUMNS, 1):
        width = max([len(column)] + [len(str(c.row()[column])) for c in diff.changes])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    about = workbook.create_sheet("summary")
    about.append(["old", diff.old])
    about.append(["new", diff.new])
    for kind, count in diff.counts().items():
        about.append([kind, count])
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 60
    with atomic_output(path) as tmp:
        workbook.save(tmp)


def diff_table(diff: HitsDiff):
    """A rich table of the changes, statuses in colour."""
    from rich.table import Table
    from rich.text import Text

    def status(old: str, new: str) -> Text:
        text = Text()
        if old:
            text.append(old, style=STATUS_STYLES.get(old))
        if old and new and old != new:
            text.append(" → ")
        if new and new != old:
            text.append(new, style=STATUS_STYLES.get(new))
        return text

    def found(old: str, new: str) -> str:
        return old if old == new else f"{old or '∅'} → {new or '∅'}"

    table = Table(title=f"glossary hits: {diff.old} → {diff.new}")
    for column in ("change", "document", "lang", "segment", "concept", "source term",
                   "status", "found target", "expected target"):
        table.add_column(column, overflow="fold")
    for change in diff.changes:
        expected = (change.new_expected if change.old_expected in ("", change.new_expected)
                    else found(change.old_expected, change.new_expected) if change.new_expected
                    else change.old_expected)
        source = change.source_term + (f" (#{change.occurrence})" if change.occurrence > 1
                                       else "")
        table.add_row(change.change, change.doc, change.target_lang, change.segment_id,
                      change.concept_id, source, status(change.old_status, change.new_status),
                      found(change.old_found, change.new_found), expected)
    table.caption = diff.caption()
    return table


def artifact_table(diff: HitsDiff) -> list[dict[str, str]]:
    """The changes as rows for a Prefect table artifact."""
    return [{"change": c.change, "document": c.doc, "lang": c.target_lang,
             "segment": c.segment_id, "concept": c.concept_id, "source term": c.source_term,
             "status": " → ".join(s for s in (c.old_status, c.new_status) if s)
             if c.old_status != c.new_status else c.new_status,
             "found": c.new_found if c.old_found == c.new_found
             else f"{c.old_found or '∅'} → {c.new_found or '∅'}",
             "expected": c.new_expected or c.old_expected} for c in diff.changes]


def diff_json(diff: HitsDiff) -> str:
    return json.dumps(diff.summary(), ensure_ascii=False, indent=2)


# --- Recheck ------------------------------------------------------------------------------


def recheck_run(run: str, glossaries: Sequence[Path], runs_dir: Path,
                cache_dir: Path | None = None) -> list[HitRecord]:
    """The glossary hits of a past run's segments judged again against other glossary
    files (a new release): same translations, new glossary.

    The engine and enforcement columns come from the run; the run id column is
    ``<run id>+recheck``.
    """
    from hexaglot.glossary.index import load_index

    folder = resolve_run(run, runs_dir)
    segments_path = folder / "segments.jsonl"
    if not segments_path.is_file():
        raise HexaglotError(f"{folder}: no segments.jsonl: runs kept before hexaglot stored "
                            "their segments cannot be rechecked")
    if not glossaries:
        raise HexaglotError("a recheck needs the glossary files to check against (--glossary)")
    index = load_index(list(glossaries), cache_dir)
    run_id = f"{folder.name}+recheck"
    records: list[HitRecord] = []
    grouped: dict[tuple[str, str], list] = defaultdict(list)
    for segment in read_segments(segments_path):
        grouped[(segment.source_lang, segment.target_lang)].append(segment)
    for (source_lang, target_lang), segments in grouped.items():
        source_matcher = index.matcher(source_lang)
        target_matcher = index.matcher(target_lang)
        for segment in segments:
            records.extend(check_hits(
                doc=segment.doc, segment_id=segment.segment_id, source_lang=source_lang,
                target_lang=target_lang, source_hits=source_matcher.find(segment.source),
                target_text=segment.target, target_matcher=target_matcher,
                enforcement=segment.outcomes(), engine=segment.engine, run_id=run_id))
    return records
