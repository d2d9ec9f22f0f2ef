"""Glossary-hit records: for every controlled term in a source segment, what the target did.

One row per source hit per target language. Reviewers diff these tables between runs to see
which terms a new engine, glossary or revision fixed or broke, so rows are sorted and their
columns are stable. Every run writes its table as CSV and Parquet to ``docs_out/`` and keeps
a copy in ``docs_out/runs/<run_id>/`` with the run report and the translated segments
(``segments.jsonl``), so that a later glossary release can be checked against documents
already translated (see :mod:`hexaglot.hits_diff`).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import logging
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from pathlib import Path

from hexaglot.atomic import atomic_output, write_text_atomic
from hexaglot.document import HexaglotError
from hexaglot.glossary.match import TermMatch, TermMatcher
from hexaglot.mt.enforce import TermOutcome

log = logging.getLogger(__name__)


class HitStatus(StrEnum):
    OK = "ok"  # an approved or admitted target term is there
    MISSING = "missing"  # no approved target term (and no forbidden one)
    FORBIDDEN = "forbidden"  # a forbidden or deprecated target term was used
    UNTRANSLATED = "untranslated"  # the segment awaits a human translator


@dataclass(frozen=True)
class HitRecord:
    doc: str
    segment_id: str
    source_lang: str
    target_lang: str
    concept_id: str
    source_term: str  # as written in the source
    # Status of the source form in the glossary: a forbidden form in the source is news too.
    source_term_status: str
    expected_target: str  # the approved target term
    status: HitStatus
    found_target: str  # as written in the target, if found
    # How the term got into the machine translation: engine, replaced, placeholder, repair,
    # steered, not-enforced ("" for segments no engine translated).
    enforcement: str = ""
    # The engine that made the target segment ("human" when it awaits a translator, "copy"
    # when nothing needed translating); filled in when the run finishes.
    engine: str = ""
    run_id: str = ""  # filled in when the run finishes

    def row(self) -> dict[str, str]:
        values = asdict(self)
        values["status"] = self.status.value
        return values


COLUMNS = [field.name for field in fields(HitRecord)]


def check_hits(
    *,
    doc: str,
    segment_id: str,
    source_lang: str,
    target_lang: str,
    source_hits: Iterable[TermMatch],
    target_text: str | None,
    target_matcher: TermMatcher,
    enforcement: Sequence[TermOutcome] = (),
    target_matches: Sequence[TermMatch] | None = None,
    engine: str = "",
    run_id: str = "",
) -> list[HitRecord]:
    """Judge each source hit against the target text (None: left for a human).

    Several hits of one concept in a source each need their own occurrence in the target;
    an occurrence is used once.
    """
    if target_matches is None:
        target_matches = target_matcher.find_all(target_text) if target_text else []
    target_matches = list(target_matches)
    used: set[int] = set()
    records: list[HitRecord] = []
    methods = {(o.concept_id, o.source): o.method.value for o in enforcement}
    for hit in source_hits:
        concept = hit.concept
        approved = concept.approved(target_lang)
        if approved is None:
            continue  # the glossary has no term in this language: nothing to check against
        status, found = HitStatus.UNTRANSLATED, ""
        if target_text is not None:
            status, found = _judge(concept.id, target_matches, used)
        records.append(HitRecord(
            doc=doc, segment_id=segment_id, source_lang=source_lang, target_lang=target_lang,
            concept_id=concept.id, source_term=hit.surface,
            source_term_status=hit.term.status.value, expected_target=approved.text,
            status=status, found_target=found,
            enforcement=methods.get((concept.id, hit.surface), ""), engine=engine,
            run_id=run_id,
        ))
    return records


def _judge(concept_id: str, target_matches: list[TermMatch], used: set[int]):
    forbidden: tuple[int, TermMatch] | None = None
    for index, match in enumerate(target_matches):
        if index in used:
            continue
        for concept, term in match.candidates:
            if concept.id != concept_id:
                continue
            if term.status.allowed:
                used.add(index)
                return HitStatus.OK, match.surface
            if forbidden is None:
                forbidden = (index, match)
            break
    if forbidden is not None:
        used.add(forbidden[0])
        return HitStatus.FORBIDDEN, forbidden[1].surface
    return HitStatus.MISSING, ""


def hit_sort_key(row: dict[str, str]) -> tuple:
    """Document, language, segment in document order, concept, source form. Sorts are
    stable, so hits with the same key keep their order in the source."""
    return (row["doc"], row["target_lang"], _segment_order(row["segment_id"]),
            row["concept_id"], row["source_term"])


def sorted_rows(records: Iterable[HitRecord | dict[str, str]]) -> list[dict[str, str]]:
    """Rows (every column, as strings) in the order of the hits tables."""
    rows = [record.row() if isinstance(record, HitRecord) else
            {column: str(record.get(column) or "") for column in COLUMNS}
            for record in records]
    return sorted(rows, key=hit_sort_key)


def hits_csv_text(rows: Sequence[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_hits_csv(records: Iterable[HitRecord | dict[str, str]], path: Path) -> None:
    """All hits of a run, sorted so that two runs' tables diff line by line."""
    write_text_atomic(path, hits_csv_text(sorted_rows(records)))


def write_hits_parquet(records: Iterable[HitRecord | dict[str, str]], path: Path) -> None:
    """The same table as Parquet (every column a string), for pandas and notebooks."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = sorted_rows(records)
    table = pa.table({column: pa.array([row[column] for row in rows], type=pa.string())
                      for column in COLUMNS})
    with atomic_output(path) as tmp:
        pq.write_table(table, tmp)


def write_hits(records: Iterable[HitRecord | dict[str, str]], path: Path) -> None:
    """A hits table, in the format its extension names (.csv or .parquet)."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        write_hits_parquet(records, path)
    elif suffix == ".csv":
        write_hits_csv(records, path)
    else:
        raise HexaglotError(f"{path}: a hits table is written as .csv or .parquet")


def read_hits(path: Path) -> list[dict[str, str]]:
    """A hits table written by any hexaglot version: columns it lacks read as empty."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise HexaglotError(f"{path}: no such hits table")
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            raw = pq.read_table(path).to_pylist()
        except Exception as error:
            raise HexaglotError(f"{path}: not a readable Parquet file ({error})") from error
    elif suffix == ".csv":
        with open(path, encoding="utf-8", newline="") as handle:
            raw = list(csv.DictReader(handle))
    else:
        raise HexaglotError(f"{path}: a hits table is a .csv or .parquet file")
    if raw and not {"doc", "target_lang", "segment_id", "concept_id"} <= set(raw[0]):
        raise HexaglotError(f"{path}: not a hexaglot hits table (no doc, target_lang, "
                            "segment_id and concept_id columns)")
    return [{column: "" if row.get(column) is None else str(row[column]) for column in COLUMNS}
            for row in raw]


def segment_order(segment_id: str) -> tuple[int, ...]:
    """Segment ids ("3.2": block 3, sentence 2) in document order."""
    return tuple(int(part) for part in segment_id.split(".") if part.isdigit())


_segment_order = segment_order


# --- Run history -------------------------------------------------------------------------

RUNS_DIR = "runs"
HISTORY_FILES = ("hits.csv", "hits.parquet", "run-report.json", "segments.jsonl")


@dataclass(frozen=True)
class SegmentRecord:
    """One translated segment of a run, as kept in ``segments.jsonl``: enough to judge its
    glossary terms again against another glossary release."""

    doc: str  # file name, as in the hits table
    path: str
    source_lang: str
    target_lang: str
    segment_id: str
    source: str
    target: str | None  # None: awaiting a human translator
    engine: str
    origin: str
    enforcement: tuple[tuple[str, str, str, str], ...] = ()  # concept, source, expected, method

    def to_json(self) -> str:
        values = asdict(self)
        values["enforcement"] = [dict(zip(("concept_id", "source", "expected", "method"), o,
                                          strict=True)) for o in self.enforcement]
        return json.dumps(values, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> SegmentRecord:
        values = json.loads(line)
        values["enforcement"] = tuple(
            (o["concept_id"], o["source"], o["expected"], o["method"])
            for o in values.get("enforcement") or ())
        names = {field.name for field in fields(cls)}
        return cls(**{key: value for key, value in values.items() if key in names})

    def outcomes(self) -> tuple[TermOutcome, ...]:
        from hexaglot.mt.enforce import Method

        return tuple(TermOutcome(concept_id=c, source=s, expected=e, method=Method(m))
                     for c, s, e, m in self.enforcement)


def segments_jsonl_text(segments: Iterable[SegmentRecord]) -> str:
    ordered = sorted(segments, key=lambda s: (s.doc, s.target_lang,
                                              _segment_order(s.segment_id)))
    return "".join(segment.to_json() + "\n" for segment in ordered)


def read_segments(path: Path) -> Iterator[SegmentRecord]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield SegmentRecord.from_json(line)
                except (ValueError, KeyError, TypeError) as error:
                    raise HexaglotError(f"{path}: line {number}: not a segment record "
                                        f"({error})") from error


def write_run_history(runs_dir: Path, run_id: str, records: Sequence[HitRecord],
                      segments: Sequence[SegmentRecord], report_json: str) -> Path:
    """``runs_dir/<run_id>/`` with the run's hits (CSV, Parquet), report and segments.

    The folder is filled under a temporary name and renamed when complete, so a run folder
    is never half-written and a later run never diffs against one.
    """
    final = runs_dir / run_id
    runs_dir.mkdir(parents=True, exist_ok=True)
    tmp = runs_dir / f".{run_id}.part"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        write_hits_csv(records, tmp / "hits.csv")
        write_parquet_if_possible(records, tmp / "hits.parquet")
        write_text_atomic(tmp / "segments.jsonl", segments_jsonl_text(segments))
        write_text_atomic(tmp / "run-report.json", report_json)
        if final.exists():  # the same run id finished twice: the later one wins
            shutil.rmtree(final)
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return final


def parquet_available() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


def write_parquet_if_possible(records: Iterable[HitRecord | dict[str, str]],
                              path: Path) -> bool:
    """Parquet needs pyarrow; without it a run still finishes, with its CSV tables."""
    if not parquet_available():
        log.warning("pyarrow is not installed: %s not written (the CSV has the same rows)",
                    path)
        return False
    write_hits_parquet(records, path)
    return True


def list_runs(runs_dir: Path) -> list[Path]:
    """Complete run folders, oldest first (by the run report's finish time)."""
    if not runs_dir.is_dir():
        return []
    found = []
    for folder in runs_dir.iterdir():
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        report = folder / "run-report.json"
        if not report.is_file():
            continue
        try:
            summary = json.loads(report.read_text(encoding="utf-8"))
            finished = str(summary.get("finished") or "")
        except (OSError, ValueError):
            finished = ""
        found.append(((finished, report.stat().st_mtime_ns, folder.name), folder))
    return [folder for _, folder in sorted(found)]


def previous_run(runs_dir: Path, run_id: str) -> Path | None:
    """The latest run folder other than ``run_id`` (and not finished after it)."""
    runs = list_runs(runs_dir)
    names = [folder.name for folder in runs]
    if run_id in names:
        runs = runs[:names.index(run_id)]
    return runs[-1] if runs else None
