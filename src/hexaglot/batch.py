"""The nightly batch: exactly what is new or changed, one dated folder per night, resumable.

A manifest (``docs_out/nightly/manifest.json``) remembers, for each document of
``docs_in/``, the content hash and the settings (targets, engine, glossary files) of its
last successful translation. A batch takes only documents whose hash or settings differ,
so an unchanged programme costs nothing, and a new glossary release reaches every output.

Crash safety comes from the order of writes, each atomic: a document's outputs, then its
part file (``.parts/<name>.json``: summary, glossary hits, segments), then its manifest
entry. A rerun after a crash finds the night's folder unfinished (``batch.json`` says
"running"), keeps its run id, and redoes only documents without a manifest entry; their
outputs and part files are overwritten under the same names, so nothing is duplicated.
The run-wide tables are built from the part files when the batch finishes.

This module knows nothing of Prefect: ``flows/nightly.py`` adds retries, parallelism and
the UI; :func:`run_batch` runs the same steps in one process (tests, benchmarks).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hexaglot import __version__
from hexaglot.atomic import write_text_atomic
from hexaglot.document import HexaglotError
from hexaglot.formats import FORMATS
from hexaglot.glossary.index import GlossaryIndex
from hexaglot.hits import RUNS_DIR, SegmentRecord
from hexaglot.pipeline import (
    DocumentResult,
    Settings,
    check_settings,
    glossary_fingerprint,
    new_run_id,
    now,
    process_document,
    segment_records,
    stamp_hits,
    write_run_outputs,
)

NIGHTLY_DIR = "nightly"
MANIFEST_NAME = "manifest.json"
STATE_NAME = "batch.json"
PARTS_DIR = ".parts"
LATEST = "latest"
SUMMARY_NAME = "nightly-summary.md"
# Files that look like documents but are refused with a reason (macros): reported as
# failures, not ignored, so the desk knows to act on them.
_REFUSED = (".docm", ".dotm")


class DocumentFailed(HexaglotError):
    """A document of the batch failed. ``transient``: worth retrying (an engine crash, the
    file changing while it was read); a document that cannot be read fails the same way
    every time and is not retried."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class Scan:
    documents: tuple[Path, ...]
    ignored: tuple[tuple[Path, str], ...]  # (file, why it is not taken)


def scan_folder(folder: Path) -> Scan:
    """The documents in ``docs_in/`` and, with a reason each, the files that are not."""
    if not folder.is_dir():
        raise HexaglotError(f"{folder}: no such folder: create it and put documents in it")
    documents, ignored = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")):
            continue  # hidden files, Word's lock files
        suffix = path.suffix.lower()
        if path.is_dir():
            continue  # subfolders hold other material (the briefing's speeches), by design
        if suffix in FORMATS or suffix in _REFUSED:
            documents.append(path)
        else:
            ignored.append((path, f"not a document hexaglot reads ({', '.join(FORMATS)}): "
                                  "convert it, or move it out of docs_in/"))
    return Scan(tuple(documents), tuple(ignored))


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def settings_key(settings: Settings) -> str:
    """What, besides the document, decides its outputs: a change re-translates it."""
    parts = [",".join(settings.targets), settings.engine or "", settings.source_lang or "",
             glossary_fingerprint(tuple(settings.glossaries))]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


_MANIFEST_LOCK = threading.Lock()  # the flow records documents from several threads


class Manifest:
    """Per document: the hash and settings of its last successful translation, and where
    its outputs are. Written atomically after every document."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None
        self.entries: dict[str, dict] = {}
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.entries = dict(data["documents"])
            except (OSError, ValueError, KeyError, TypeError) as error:
                # Losing the manifest costs only a full re-translation, never an output.
                self.problem = (f"{path}: unreadable ({error}); every document was "
                                "translated again and the manifest rewritten")

    def is_current(self, name: str, sha256: str, key: str) -> bool:
        entry = self.entries.get(name)
        return bool(entry) and entry.get("sha256") == sha256 and entry.get("settings") == key

    @staticmethod
    def record(path: Path, name: str, entry: Mapping[str, object]) -> None:
        """Add one document's entry to the manifest file as it is now on disk (read under
        the lock, so two documents finishing together both stay recorded)."""
        with _MANIFEST_LOCK:
            entries = Manifest(path).entries
            entries[name] = dict(entry)
            write_text_atomic(path, json.dumps(
                {"version": 1, "documents": entries}, ensure_ascii=False, indent=2,
                sort_keys=True))


@dataclass(frozen=True)
class BatchPlan:
    """What tonight's batch will do, decided before any translation."""

    run_id: str
    started: str
    folder: Path  # docs_out/nightly/<date>/: this night's outputs
    root: Path  # docs_out/
    settings: Settings  # out_dir is the night's folder
    settings_key: str
    pending: tuple[Path, ...]  # new or changed: to translate
    unchanged: tuple[Path, ...] = ()
    ignored: tuple[tuple[Path, str], ...] = ()
    resumed: bool = False  # continues a batch that did not finish
    notes: tuple[str, ...] = field(default=())

    @property
    def manifest_path(self) -> Path:
        return self.root / NIGHTLY_DIR / MANIFEST_NAME


def _night(when: datetime | None, timezone: str) -> str:
    moment = when or datetime.now(ZoneInfo(timezone))
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d")


def _read_state(folder: Path) -> dict:
    try:
        return json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _batch_folder(nightly: Path, night: str) -> tuple[Path, dict]:
    """The folder for tonight: an unfinished one to resume, else a new one (a second batch
    the same night gets ``<date>-2``)."""
    candidates = sorted((p for p in nightly.glob(f"{night}*") if p.is_dir()),
                        key=lambda p: (len(p.name), p.name))
    for folder in candidates:
        state = _read_state(folder)
        if state.get("status") == "running":
            return folder, state
    if not candidates:
        return nightly / night, {}
    return nightly / f"{night}-{len(candidates) + 1}", {}


def plan_batch(docs_in: Path, settings: Settings, *, timezone: str = "UTC",
               when: datetime | None = None) -> BatchPlan:
    """Scan ``docs_in/``, compare with the manifest, and open (or resume) tonight's folder.

    ``settings.out_dir`` is the desk's docs_out/; the plan's settings write into the night's
    folder instead.
    """
    root = settings.out_dir
    nightly = root / NIGHTLY_DIR
    scan = scan_folder(docs_in)
    check_settings(scan.documents, settings)
    manifest = Manifest(nightly / MANIFEST_NAME)
    key = settings_key(settings)
    pending, unchanged = [], []
    for path in scan.documents:
        try:
            sha256 = file_hash(path)
        except OSError:  # vanished or unreadable since the scan: tried, and reported
            sha256 = ""
        if manifest.is_current(path.name, sha256, key):
            unchanged.append(path)
        else:
            pending.append(path)
    folder, state = _batch_folder(nightly, _night(when, timezone))
    resumed = bool(state)
    run_id = state.get("run_id") or new_run_id()
    started = state.get("started") or now()
    notes = [manifest.problem] if manifest.problem else []
    if resumed:
        notes.append(f"resumed the unfinished batch {run_id} in {folder}")
        # Files the killed process was writing (atomic_output's temporaries): never read as
        # outputs, but clutter the folder the reviewers open.
        for stray in folder.rglob(".*.part"):
            stray.unlink(missing_ok=True)
    plan = BatchPlan(run_id=run_id, started=started, folder=folder, root=root,
                     settings=replace(settings, out_dir=folder, run_id=run_id),
                     settings_key=key, pending=tuple(pending),
                     unchanged=tuple(unchanged), ignored=scan.ignored, resumed=resumed,
                     notes=tuple(notes))
    if not pending and not resumed:
        return plan  # nothing new tonight: no folder, and latest stays where it is
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(folder / STATE_NAME, json.dumps(
        {"run_id": run_id, "started": started, "status": "running",
         "pending": [p.name for p in pending]}, ensure_ascii=False, indent=2))
    return plan


def _part_path(plan: BatchPlan, path: Path) -> Path:
    return plan.folder / PARTS_DIR / f"{path.name}.json"


def translate_one(plan: BatchPlan, path: Path, index: GlossaryIndex) -> DocumentResult:
    """Translate one pending document into the night's folder and record it as done.

    Raises :class:`DocumentFailed` when it failed; the failure is also kept as a part file,
    so the summary reports it even if the batch is finished by a later process.
    """
    try:
        before = file_hash(path)
    except OSError as error:
        before = f"unreadable: {error}"
    result = process_document(path, plan.settings, index)
    try:
        after = file_hash(path)
    except OSError as error:
        after = f"unreadable: {error}"
    if result.error is None and after != before:
        result = replace(result, error=(
            f"{path}: the file changed while the batch was translating it (saved again, or "
            "still being copied); it is translated again from its new content"))
        transient = True
    else:
        transient = bool(result.targets) or result.source_lang is not None
    write_part(plan, path, result, after)
    if result.error is not None:
        raise DocumentFailed(result.error, transient=transient)
    outputs = sorted(output for target in result.targets for output in target.outputs)
    Manifest.record(plan.manifest_path, path.name, {
        "sha256": after, "settings": plan.settings_key, "run_id": plan.run_id,
        "folder": plan.folder.name, "translated": now(), "outputs": outputs})
    return result


def write_part(plan: BatchPlan, path: Path, result: DocumentResult, sha256: str) -> None:
    """What the batch summary needs of one document, kept on disk as soon as it is done."""
    (stamped,) = stamp_hits(plan.run_id, [result])
    hits = [hit.row() for target in stamped.targets for hit in target.hits()]
    segments = [record.to_json() for record in segment_records([stamped])]
    write_text_atomic(_part_path(plan, path), json.dumps(
        {"document": stamped.summary(), "sha256": sha256, "hits": hits,
         "segments": segments}, ensure_ascii=False))


def record_failure(plan: BatchPlan, path: Path, error: str) -> None:
    """A document that failed outside :func:`translate_one` (a task that crashed)."""
    part = _part_path(plan, path)
    if not part.exists() or json.loads(part.read_text(encoding="utf-8"))["document"]["error"]:
        write_part(plan, path, DocumentResult(path=str(path), error=error), "")


def finish_batch(plan: BatchPlan, briefing: dict | None = None) -> dict:
    """Build the night's tables and summary from the part files, mark the batch finished
    and point ``latest`` at it. Returns the summary (``run-report.json``). ``briefing``:
    what became of the booths' packs, for the summary."""
    documents, hits, segments = [], [], []
    for part in sorted((plan.folder / PARTS_DIR).glob("*.json")):
        data = json.loads(part.read_text(encoding="utf-8"))
        documents.append(data["document"])
        hits.extend(data["hits"])
        segments.extend(SegmentRecord.from_json(line) for line in data["segments"])
    summary = {
        "run_id": plan.run_id, "hexaglot": __version__, "kind": "nightly",
        "started": plan.started, "finished": now(), "out_dir": str(plan.folder),
        "glossaries": [str(path) for path in plan.settings.glossaries],
        "documents": documents,
        # Done by an earlier attempt at this same batch: listed with the documents instead.
        "unchanged": [path.name for path in plan.unchanged
                      if not _part_path(plan, path).exists()],
        "ignored": [{"path": str(path), "reason": why} for path, why in plan.ignored],
        "notes": list(plan.notes),
        **({"briefing": briefing} if briefing else {}),
        "outputs": [str(plan.folder / name) for name in
                    ("hits.csv", "run-report.json", SUMMARY_NAME)],
    }
    if not plan.pending and not plan.resumed:
        summary["out_dir"], summary["outputs"] = str(plan.root / NIGHTLY_DIR), []
        summary["notes"].append("nothing new or changed in docs_in/: no documents translated")
        write_text_atomic(plan.root / NIGHTLY_DIR / SUMMARY_NAME, batch_markdown(summary))
        return summary
    report = json.dumps(summary, ensure_ascii=False, indent=2)
    write_run_outputs(plan.folder, plan.run_id, hits, segments, report,
                      runs_dir=plan.root / RUNS_DIR)
    write_text_atomic(plan.folder / SUMMARY_NAME, batch_markdown(summary))
    write_text_atomic(plan.root / NIGHTLY_DIR / SUMMARY_NAME, batch_markdown(summary))
    write_text_atomic(plan.folder / STATE_NAME, json.dumps(
        {"run_id": plan.run_id, "started": plan.started, "status": "finished",
         "finished": summary["finished"]}, ensure_ascii=False, indent=2))
    point_latest(plan.root / NIGHTLY_DIR, plan.folder)
    return summary


def point_latest(nightly: Path, folder: Path) -> None:
    """``nightly/latest`` -> the newest finished night (a symbolic link, replaced
    atomically), and ``nightly/LATEST`` with its name for tools that do not follow links."""
    link = nightly / LATEST
    tmp = nightly / f".{LATEST}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    try:
        tmp.symlink_to(folder.name, target_is_directory=True)
        os.replace(tmp, link)
    except OSError:  # a filesystem without links: the text pointer still says it
        tmp.unlink(missing_ok=True)
    write_text_atomic(nightly / "LATEST", folder.name + "\n")


def batch_markdown(summary: dict) -> str:
    """The night's summary for the Prefect UI and ``nightly-summary.md``."""
    from hexaglot.report import markdown_summary

    failed = [d for d in summary["documents"] if d["error"]]
    done = len(summary["documents"]) - len(failed)
    table = markdown_summary(summary).rstrip("\n").replace(
        "# hexaglot run", "# hexaglot nightly batch", 1)
    lines = [table, "",
             f"**{done} document(s) translated, {len(failed)} failed, "
             f"{len(summary['unchanged'])} unchanged since their last translation, "
             f"{len(summary['ignored'])} file(s) ignored.**", ""]
    if failed:
        lines += ["## Failed (they are tried again in the next batch)", ""]
        lines += [f"- `{Path(d['path']).name}`: {d['error']}" for d in failed] + [""]
    if summary["unchanged"]:
        lines += ["## Unchanged (not translated again)", "",
                  ", ".join(f"`{name}`" for name in summary["unchanged"]), ""]
    if summary["ignored"]:
        lines += ["## Ignored files in docs_in/", ""]
        lines += [f"- `{Path(i['path']).name}`: {i['reason']}" for i in summary["ignored"]]
        lines.append("")
    briefing = summary.get("briefing")
    if briefing:
        lines += ["## Briefing packs", ""]
        if briefing.get("error"):
            lines.append(f"- FAILED: {briefing['error']}")
        elif briefing.get("skipped"):
            lines.append("- programme, linked documents and glossaries unchanged: the packs "
                         "stand")
        else:
            lines.append(f"- {briefing['packs']} pack(s) made again ({briefing['manifest']})")
            lines += [f"- FAILED {error}" for error in briefing.get("errors", [])]
        lines.append("")
    if summary["notes"]:
        lines += ["## Notes", ""] + [f"- {note}" for note in summary["notes"]] + [""]
    return "\n".join(lines)


def run_batch(docs_in: Path, settings: Settings, index: GlossaryIndex, *,
              timezone: str = "UTC", when: datetime | None = None,
              on_document: Callable[[Path], None] | None = None) -> dict:
    """The whole batch in this process, one document after another."""
    plan = plan_batch(docs_in, settings, timezone=timezone, when=when)
    for path in plan.pending:
        with contextlib.suppress(DocumentFailed):  # kept in its part file, and reported
            translate_one(plan, path, index)
        if on_document:
            on_document(path)
    return finish_batch(plan)

