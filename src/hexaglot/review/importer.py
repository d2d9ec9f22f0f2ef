"""Importing a reviser's edited review DOCX: the revised translation, and what changed.

The reviser edits the Target column of ``<name>.<lang>.review.docx`` in Word, usually with
Track Changes on (:mod:`hexaglot.review.reader` reads the cells with every change
accepted). Importing it:

1. finds the run that produced the review (``docs_out/runs/<run>/segments.jsonl``: the
   latest run with segments of this document and language, or the one named) and checks
   the segment table against the run's segments, row by row: a row deleted or added, rows
   reordered, an ID changed or duplicated, a Source cell edited, cells merged. Any of these
   is an error naming the rows, and nothing is written: a damaged table is never applied;
2. reports, per segment the reviser changed, the old and new target, a word-level diff
   (characters for Chinese) and the glossary hits before and after;
3. rebuilds the translated document from the original source file (re-read and segmented
   again; its segments must be the run's) with the revised targets, written where
   ``hexaglot translate`` writes it;
4. appends the reviewed pairs to ``docs_out/revised/<doc>.<lang>.jsonl``, kept for the
   translation memory to import (hexaglot has no TM store yet).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from hexaglot.atomic import write_text_atomic
from hexaglot.document import Document, HexaglotError
from hexaglot.hits import (
    RUNS_DIR,
    HitRecord,
    SegmentRecord,
    check_hits,
    list_runs,
    read_segments,
    segment_order,
)
from hexaglot.languages import LANGUAGES
from hexaglot.review.reader import ReviewedDocument, read_review
from hexaglot.tm.memory import TMUnit, TranslationMemory, UnitOrigin

REVISED_DIR = "revised"
REVIEWED_ENGINE = "reviewed"


@dataclass(frozen=True)
class ImportProblem:
    """Why the review cannot be imported: a row (the header is row 1), or a segment of the
    run that has no row (row None)."""

    message: str
    row: int | None = None
    segment_id: str = ""

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else f"segment {self.segment_id}"
        if self.row is not None and self.segment_id:
            where += f" (ID {self.segment_id})"
        return f"{where}: {self.message}"

    def row_dict(self) -> dict:
        return {"row": self.row, "segment_id": self.segment_id, "message": self.message}


class ReviewImportError(HexaglotError):
    """The review's segment table does not match the run: every problem, row by row."""

    def __init__(self, review: Path, problems: Sequence[ImportProblem], run_id: str = ""):
        self.review, self.problems, self.run_id = review, tuple(problems), run_id
        against = f" against run {run_id}" if run_id else ""
        lines = [f"{review}: the segment table does not match the translated segments"
                 f"{against} ({len(self.problems)} problem(s)); nothing was written:"]
        lines.extend(f"  {problem}" for problem in self.problems)
        lines.append("  Fix the table (or start again from the review document hexaglot wrote) "
                     "and edit the Target column only.")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class DiffOp:
    op: str  # equal, replace, delete, insert
    old: str
    new: str


@dataclass(frozen=True)
class SegmentChange:
    segment_id: str
    row: int
    source: str
    old_target: str | None  # None: it awaited a human translator
    new_target: str | None  # None: the reviser left the cell empty
    diff: tuple[DiffOp, ...]
    hits_before: tuple[HitRecord, ...] = ()
    hits_after: tuple[HitRecord, ...] = ()

    def inline_diff(self) -> str:
        """[-removed-]{+added+}, the rest as it was."""
        return "".join(op.old if op.op == "equal" else
                       (f"[-{op.old}-]" if op.old else "") + (f"{{+{op.new}+}}" if op.new
                                                              else "")
                       for op in self.diff)

    def summary(self) -> dict:
        return {"segment_id": self.segment_id, "row": self.row, "source": self.source,
                "old_target": self.old_target, "new_target": self.new_target,
                "diff": [asdict(op) for op in self.diff if op.op != "equal"],
                "inline_diff": self.inline_diff(),
                "hits_before": [_hit(hit) for hit in self.hits_before],
                "hits_after": [_hit(hit) for hit in self.hits_after]}


def _hit(hit: HitRecord) -> dict[str, str]:
    return {"concept_id": hit.concept_id, "source_term": hit.source_term,
            "expected_target": hit.expected_target, "status": hit.status.value,
            "found_target": hit.found_target}


@dataclass(frozen=True)
class ImportResult:
    review: Path
    run_id: str
    document: Path  # the original source file
    source_lang: str
    target_lang: str
    segments: int
    changes: tuple[SegmentChange, ...]
    glossaries: tuple[Path, ...] = ()
    translated: Path | None = None  # the regenerated translated document
    revised: Path | None = None  # the reviewed pairs kept for the translation memory
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> dict:
        return {"review": str(self.review), "run_id": self.run_id,
                "document": str(self.document), "source_lang": self.source_lang,
                "target_lang": self.target_lang, "segments": self.segments,
                "changed": len(self.changes), "unchanged": self.segments - len(self.changes),
                "glossaries": [str(path) for path in self.glossaries],
                "changes": [change.summary() for change in self.changes],
                "outputs": {"translated": str(self.translated) if self.translated else None,
                            "revised": str(self.revised) if self.revised else None},
                "notes": list(self.notes)}


# --- The run behind a review -------------------------------------------------------------


def _run_segments(folder: Path, reviewed: ReviewedDocument) -> list[SegmentRecord]:
    path = folder / "segments.jsonl"
    if not path.is_file():
        return []
    return sorted((record for record in read_segments(path)
                   if record.doc == reviewed.document
                   and record.target_lang == reviewed.target_lang
                   and record.source_lang == reviewed.source_lang),
                  key=lambda record: segment_order(record.segment_id))


def find_run(reviewed: ReviewedDocument, runs_dir: Path,
             run: str | None = None) -> tuple[Path, list[SegmentRecord]]:
    """The run folder that produced the review and its segments of this document and
    language: ``run`` (an id in ``runs_dir``, a folder, ``latest``), else the latest run
    that has them."""
    what = (f"{reviewed.document} ({reviewed.source_lang} → {reviewed.target_lang})")
    if run is not None:
        from hexaglot.hits_diff import resolve_run

        folder = resolve_run(run, runs_dir)
        records = _run_segments(folder, reviewed)
        if not records:
            raise HexaglotError(f"{folder}: run {folder.name} has no segments of {what}"
                                + ("" if (folder / "segments.jsonl").is_file() else
                                   " (no segments.jsonl: runs kept before hexaglot stored "
                                   "their segments cannot be imported into)"))
        return folder, records
    for folder in reversed(list_runs(runs_dir)):
        records = _run_segments(folder, reviewed)
        if records:
            return folder, records
    raise HexaglotError(f"{runs_dir}: no run has segments of {what}: pass --out with the "
                        "output folder of the run that wrote the review, or --run")


# --- Checking the table against the run --------------------------------------------------


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _excerpt(text: str, length: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"


def check_rows(reviewed: ReviewedDocument, records: Sequence[SegmentRecord]
               ) -> list[ImportProblem]:
    """Every way the review's rows differ from the run's segments, in row order, then the
    segments that have no row."""
    problems = [ImportProblem(p.message, p.row) for p in reviewed.problems]
    stored = {record.segment_id: (position, record) for position, record in
              enumerate(records)}
    seen: dict[str, int] = {}
    last_position, last_id = -1, ""
    for segment in reviewed.segments:
        row, segment_id = segment.row, segment.id
        if segment_id in seen:
            problems.append(ImportProblem(f"ID {segment_id} is also on row {seen[segment_id]}: "
                                          "an ID was copied or changed", row, segment_id))
            continue
        if segment_id not in stored:
            problems.append(ImportProblem(
                f"ID “{segment_id}” is not a segment of {reviewed.document}: the ID was "
                "changed or the row added" + _guess(segment.source, records, seen),
                row, segment_id))
            continue
        seen[segment_id] = row
        position, record = stored[segment_id]
        if not _same_text(segment.source, record.source):
            problems.append(ImportProblem(
                f"the Source text was edited: “{_excerpt(segment.source)}” where the segment "
                f"is “{_excerpt(record.source)}” (edit the Target column only)",
                row, segment_id))
        if position < last_position:
            problems.append(ImportProblem(
                f"comes after ID {last_id}, which follows it in the document: rows were "
                "moved (keep them in document order)", row, segment_id))
        else:
            last_position, last_id = position, segment_id
    rows_by_position = sorted((stored[sid][0], row) for sid, row in seen.items())
    for position, record in enumerate(records):
        if record.segment_id in seen:
            continue
        before = [row for p, row in rows_by_position if p < position]
        where = f" (it was after row {before[-1]})" if before else " (it was the first row)"
        problems.append(ImportProblem(
            f"has no row: “{_excerpt(record.source)}”{where}: a row was deleted or its ID "
            "changed", None, record.segment_id))
    return problems


def _guess(source: str, records: Sequence[SegmentRecord], seen: Mapping[str, int]) -> str:
    """A hint at the ID the row had, from its source text."""
    for record in records:
        if record.segment_id not in seen and _same_text(source, record.source):
            return f" (its Source is segment {record.segment_id}'s)"
    return ""


# --- What changed -------------------------------------------------------------------------


_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str, lang: str) -> tuple[DiffOp, ...]:
    """Word-level changes (characters where words are not spaced), merged into runs."""
    split = _WORDS.findall if LANGUAGES[lang].spaced else list
    a, b = split(old), split(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append(DiffOp(tag, "".join(a[i1:i2]), "".join(b[j1:j2])))
    return tuple(ops)


def _new_target(text: str) -> str | None:
    text = text.strip()
    return text or None


def _changes(reviewed: ReviewedDocument, records: Sequence[SegmentRecord], run_id: str,
             review: Path, glossaries: Sequence[Path], cache_dir: Path | None
             ) -> list[SegmentChange]:
    from hexaglot.glossary.index import load_index

    index = load_index(list(glossaries), cache_dir)
    source_matcher = index.matcher(reviewed.source_lang)
    target_matcher = index.matcher(reviewed.target_lang)
    by_id = {record.segment_id: record for record in records}
    changes = []
    for segment in reviewed.segments:
        record = by_id[segment.id]
        new = _new_target(segment.target)
        old = record.target
        if (old or "").strip() == (new or ""):
            continue
        common = dict(doc=record.doc, segment_id=record.segment_id,
                      source_lang=record.source_lang, target_lang=record.target_lang,
                      source_hits=source_matcher.find(record.source),
                      target_matcher=target_matcher)
        before = check_hits(**common, target_text=old, enforcement=record.outcomes(),
                            engine=record.engine, run_id=run_id)
        after = check_hits(**common, target_text=new, engine=REVIEWED_ENGINE,
                           run_id=f"{REVIEWED_ENGINE}:{review.name}")
        changes.append(SegmentChange(
            segment_id=segment.id, row=segment.row, source=record.source, old_target=old,
            new_target=new, diff=word_diff(old or "", new or "", reviewed.target_lang),
            hits_before=tuple(before), hits_after=tuple(after)))
    return changes


# --- The translated document ---------------------------------------------------------------


def _source_file(reviewed: ReviewedDocument, records: Sequence[SegmentRecord]) -> Path:
    candidates = [Path(p) for p in dict.fromkeys((reviewed.document_path, records[0].path))
                  if p]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise HexaglotError(
        f"{candidates[0]}: the original document is gone (the review and run name "
        f"{' and '.join(map(str, candidates))}): the translated document is rebuilt from it, "
        "so put it back there (or run the import from the folder the run was started in); "
        "nothing was written")


def _reload(path: Path, reviewed: ReviewedDocument, records: Sequence[SegmentRecord],
            run_id: str) -> Document:
    from hexaglot.pipeline import load_document

    document = load_document(path, reviewed.source_lang)
    now = [(segment.id, segment.text) for segment in document.segments]
    then = [(record.segment_id, record.source) for record in records]
    if [sid for sid, _ in now] != [sid for sid, _ in then] or any(
            not _same_text(a, b) for (_, a), (_, b) in zip(now, then, strict=True)):
        changed = next((f"segment {b[0]}: now “{_excerpt(a[1])}”, in the run “{_excerpt(b[1])}”"
                        for a, b in zip(now, then, strict=False) if a != b and not (
                            a[0] == b[0] and _same_text(a[1], b[1]))),
                       f"{len(now)} segments now, {len(then)} in the run")
        raise HexaglotError(f"{path}: the document changed since run {run_id} translated it "
                            f"({changed}): translate it again and review the new review "
                            "document; nothing was written")
    return document


# --- The import ---------------------------------------------------------------------------


def import_review(review: Path, *, docs_out: Path, run: str | None = None,
                  glossaries: Sequence[Path] = (), cache_dir: Path | None = None,
                  write: bool = True, tm: TranslationMemory | None = None) -> ImportResult:
    """Check, compare and apply a reviewed review DOCX (see the module's documentation).

    Raises :class:`ReviewImportError` (every row problem) or :class:`HexaglotError` before
    writing anything.
    """
    from hexaglot.formats import format_for
    from hexaglot.pipeline import join_blocks, output_paths

    reviewed = read_review(review)
    runs_dir = docs_out / RUNS_DIR
    folder, records = find_run(reviewed, runs_dir, run)
    problems = check_rows(reviewed, records)
    if problems:
        raise ReviewImportError(review, problems, folder.name)
    source_path = _source_file(reviewed, records)
    document = _reload(source_path, reviewed, records, folder.name)
    changes = _changes(reviewed, records, folder.name, review, glossaries, cache_dir)
    changed = {change.segment_id: change.new_target for change in changes}
    targets = {record.segment_id: changed.get(record.segment_id, record.target)
               for record in records}
    notes = []
    if not glossaries:
        notes.append("no glossary given (--glossary, or glossaries in hexaglot.toml): "
                     "glossary hits were not judged")
    result = ImportResult(review=review, run_id=folder.name, document=source_path,
                          source_lang=reviewed.source_lang, target_lang=reviewed.target_lang,
                          segments=len(records), changes=tuple(changes),
                          glossaries=tuple(glossaries), notes=tuple(notes))
    if not write:
        return result
    translated = output_paths(document, reviewed.target_lang, docs_out)[1]
    format_for(document.path).write(
        document, join_blocks(document, {segment.id: targets.get(segment.id)
                                         for segment in document.segments},
                              reviewed.target_lang),
        reviewed.target_lang, translated)
    revised = docs_out / REVISED_DIR / f"{reviewed.document}.{reviewed.target_lang}.jsonl"
    append_revised(revised, records, targets, changed, folder.name, review)
    if tm is not None:
        stored = store_reviewed(tm, document, records, targets, changed, review)
        notes.append(f"{stored} reviewed segment(s) stored in the translation memory as "
                     "human-revised: later runs use them before any MT")
    return replace(result, translated=translated, revised=revised, notes=tuple(notes))


def store_reviewed(tm: TranslationMemory, document: Document,
                   records: Sequence[SegmentRecord], targets: Mapping[str, str | None],
                   changed: Mapping[str, str | None], review: Path) -> int:
    """Every segment the reviser signed off (changed or left as it was) goes into the TM as
    human-revised, with its neighbours as context: it outranks MT from now on."""
    from hexaglot.pipeline import lookup_queries

    queries = dict(zip((s.id for s in document.segments),
                       lookup_queries(document.segments), strict=True))
    units = []
    for record in records:
        target = targets.get(record.segment_id)
        if not target or record.origin == "copy" or record.segment_id not in queries:
            continue
        query = queries[record.segment_id]
        units.append(TMUnit(
            source_lang=record.source_lang, target_lang=record.target_lang,
            source=record.source, target=target, origin=UnitOrigin.HUMAN_REVISED,
            document=record.doc, previous_hash=query.previous_hash, next_hash=query.next_hash,
            note=("revised in review " if record.segment_id in changed else
                  "approved unchanged in review ") + review.name))
    return tm.add(units) if units else 0


def append_revised(path: Path, records: Sequence[SegmentRecord],
                   targets: Mapping[str, str | None], changed: Mapping[str, str | None],
                   run_id: str, review: Path) -> None:
    """One line per reviewed segment that has a target: the pair, whether the reviser
    changed it, and where it came from. Appended: each import adds its own lines."""
    imported = datetime.now(UTC).isoformat(timespec="seconds")
    lines = []
    for record in records:
        target = targets[record.segment_id]
        if target is None:
            continue
        lines.append(json.dumps({
            "doc": record.doc, "path": record.path, "source_lang": record.source_lang,
            "target_lang": record.target_lang, "segment_id": record.segment_id,
            "source": record.source, "target": target,
            "revised": record.segment_id in changed, "previous_target": record.target,
            "previous_engine": record.engine, "run_id": run_id, "review": str(review),
            "imported": imported}, ensure_ascii=False) + "\n")
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    write_text_atomic(path, existing + "".join(lines))


# --- Output -------------------------------------------------------------------------------


def import_json(result: ImportResult) -> str:
    return json.dumps(result.summary(), ensure_ascii=False, indent=2)


def changes_table(result: ImportResult):
    """A rich table of the changed segments: the diff in colour, hits before → after."""
    from rich.table import Table
    from rich.text import Text

    from hexaglot.hits_diff import STATUS_STYLES

    def diff_text(change: SegmentChange) -> Text:
        text = Text()
        if change.new_target is None:
            text.append("(emptied: left for a human translator)", style="yellow")
            return text
        for op in change.diff:
            if op.op == "equal":
                text.append(op.old)
                continue
            if op.old:
                text.append(op.old, style="red strike")
            if op.new:
                text.append(op.new, style="green underline")
        return text

    def hits_text(change: SegmentChange) -> Text:
        text = Text()
        after = {(h.concept_id, h.source_term): h for h in change.hits_after}
        keys = list(dict.fromkeys([(h.concept_id, h.source_term) for h in
                                   (*change.hits_before, *change.hits_after)]))
        before = {(h.concept_id, h.source_term): h for h in change.hits_before}
        for number, key in enumerate(keys):
            if number:
                text.append("\n")
            old, new = before.get(key), after.get(key)
            hit = new or old
            text.append(f"{hit.expected_target}: ")
            old_status = old.status.value if old else "∅"
            new_status = new.status.value if new else "∅"
            text.append(old_status, style=STATUS_STYLES.get(old_status))
            if new_status != old_status:
                text.append(" → ")
                text.append(new_status, style=STATUS_STYLES.get(new_status))
        return text

    table = Table(title=f"review {result.review.name}: {result.document.name} "
                        f"({result.source_lang} → {result.target_lang}), run {result.run_id}")
    for column in ("row", "segment", "source", "target: old → revised", "glossary hits"):
        table.add_column(column, overflow="fold")
    for change in result.changes:
        table.add_row(str(change.row), change.segment_id, change.source, diff_text(change),
                      hits_text(change))
    table.caption = (f"{len(result.changes)} segment(s) revised, "
                     f"{result.segments - len(result.changes)} unchanged")
    return table
