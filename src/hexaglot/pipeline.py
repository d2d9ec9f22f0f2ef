"""One document into n target languages: read, segment, match, translate, check, write.

Each stage is a plain function over plain data, so the same code runs from the command
line, a Prefect flow, a notebook or a test. Expensive things (engines, glossary automata)
are built once per process and reused across documents and languages.
"""

from __future__ import annotations

import functools
import json
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hexaglot import __version__
from hexaglot.atomic import write_text_atomic
from hexaglot.checks import CheckContext, ChecksConfig, Finding, SegmentPair, Severity, run_checks
from hexaglot.checks.autofix import apply_fixes
from hexaglot.config import DeskConfig
from hexaglot.document import Document, HexaglotError, InlineSpan, Origin, Segment
from hexaglot.formats import format_for, read_document
from hexaglot.glossary import Glossary
from hexaglot.glossary.index import GlossaryIndex, load_index
from hexaglot.glossary.match import TermMatch, TermMatcher
from hexaglot.hits import HitRecord, HitStatus, check_hits, write_hits_csv
from hexaglot.inline import outside_objects, place
from hexaglot.languages import LANGUAGES, SOURCE_LANGUAGES, UN_LANGUAGES, detect_language
from hexaglot.mt.base import DO_NOT_TRANSLATE, Engine, Translation, may_protect
from hexaglot.mt.enforce import EnforcedTranslation, Enforcer, TermOutcome
from hexaglot.mt.router import HUMAN, Candidate, Routing, candidates, validate_engine_name
from hexaglot.segment import segment_blocks
from hexaglot.tm.memory import (
    EXACT_MATCH,
    LookupQuery,
    TMMatch,
    TMUnit,
    TranslationMemory,
    UnitOrigin,
    context_hash,
)

if TYPE_CHECKING:
    from hexaglot.hits import SegmentRecord

ProgressCallback = Callable[[str, str, int, int], None]  # document, language, done, total
BATCH_SIZE = 200  # unless the engine says otherwise (Apertium: the whole document)


@dataclass(frozen=True)
class Settings:
    """What a run is asked to do; everything else is derived."""

    targets: tuple[str, ...] = UN_LANGUAGES
    glossaries: tuple[Path, ...] = ()
    engine: str | None = None  # None: the configured chain; "human": no MT
    routing: Routing = field(default_factory=Routing)  # engines and chains, hexaglot.toml
    checks: ChecksConfig = field(default_factory=ChecksConfig)  # QA checks, hexaglot.toml
    out_dir: Path = Path("docs_out")
    source_lang: str | None = None  # None: detect per document
    run_id: str = ""  # set when the run starts; shown in the review DOCX
    tm: Path | None = None  # the translation memory file; None: no TM
    tm_min_score: int = 85  # fuzzy matches from here up are used as the target
    tm_suggest_score: int = 70  # lower matches down to here are shown as suggestions


NO_TM = "none"  # --tm none: a run that neither uses nor feeds the translation memory


def desk_settings(config: DeskConfig, *, targets: Sequence[str] | None = None,
                  glossaries: Sequence[Path] | None = None, engine: str | None = None,
                  out_dir: Path | None = None, source_lang: str | None = None,
                  tm: str | Path | None = None) -> Settings:
    """A run's settings: hexaglot.toml's, with what the command line or the Prefect UI
    said instead. ``tm``: a TM file, ``"none"`` for no TM, None for the configured one."""
    if tm is not None and str(tm) == NO_TM:
        tm_path = None
    elif tm is not None:
        tm_path = Path(tm)
    else:
        tm_path = config.tm.path if config.tm.enabled else None
    return Settings(
        targets=tuple(targets) if targets else config.targets,
        glossaries=tuple(glossaries) if glossaries else config.glossaries,
        engine=engine or config.engine, routing=config.routing, checks=config.checks,
        out_dir=out_dir or config.docs_out, source_lang=source_lang, tm=tm_path,
        tm_min_score=config.tm.min_score, tm_suggest_score=config.tm.suggest_score)


@dataclass(frozen=True)
class SegmentResult:
    segment: Segment
    target: str | None  # None while the segment awaits a human translator
    origin: Origin
    engine: str
    source_hits: tuple[TermMatch, ...] = ()
    hits: tuple[HitRecord, ...] = ()
    notes: tuple[str, ...] = ()
    enforcement: tuple[TermOutcome, ...] = ()  # how each glossary term got into the target
    findings: tuple[Finding, ...] = ()  # what the QA checks found in this segment
    tm_match: TMMatch | None = None  # the TM match used as the target (origin TM)
    # (text, inline codes over it) as the engine returned them, for engines that carry
    # codes; later edits of the target are followed when the codes are placed.
    inline: tuple[str, tuple[InlineSpan, ...]] | None = None


@dataclass(frozen=True)
class TargetResult:
    document: str
    source_lang: str
    lang: str
    engines: tuple[str, ...]
    engine_versions: dict[str, str]
    segments: tuple[SegmentResult, ...]
    outputs: tuple[str, ...] = ()

    def segment_counts(self) -> dict[str, int]:
        counts = Counter(result.origin.value for result in self.segments)
        return {origin.value: counts.get(origin.value, 0) for origin in Origin}

    def tm_counts(self) -> dict[str, int]:
        """Segments taken from the TM by kind of match: context (101%), exact, fuzzy."""
        counts = Counter(r.tm_match.kind for r in self.segments
                         if r.origin is Origin.TM and r.tm_match is not None)
        return {kind: counts.get(kind, 0) for kind in ("context", "exact", "fuzzy")}

    def hit_counts(self) -> dict[str, int]:
        counts = Counter(hit.status.value for result in self.segments for hit in result.hits)
        return {status.value: counts.get(status.value, 0) for status in HitStatus}

    def hits(self) -> list[HitRecord]:
        return [hit for result in self.segments for hit in result.hits]

    def findings(self) -> list[Finding]:
        return [finding for result in self.segments for finding in result.findings]

    def finding_counts(self) -> dict[str, int]:
        counts = Counter(finding.severity.value for finding in self.findings())
        return {severity.value: counts.get(severity.value, 0) for severity in Severity}

    def summary(self) -> dict:
        return {"lang": self.lang, "engines": list(self.engines),
                "segments": self.segment_counts(), "tm_matches": self.tm_counts(),
                "hits": self.hit_counts(),
                "findings": self.finding_counts(), "outputs": list(self.outputs)}


@dataclass(frozen=True)
class DocumentResult:
    path: str
    source_lang: str | None = None
    error: str | None = None
    targets: tuple[TargetResult, ...] = field(default=())
    skipped_targets: tuple[str, ...] = field(default=())  # the source language itself

    def summary(self) -> dict:
        return {"path": self.path, "source_lang": self.source_lang, "error": self.error,
                "targets": [target.summary() for target in self.targets],
                "skipped_targets": list(self.skipped_targets)}


@dataclass(frozen=True)
class RunResult:
    run_id: str
    started: str
    finished: str
    settings: Settings
    documents: tuple[DocumentResult, ...]
    outputs: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return all(document.error is None for document in self.documents)

    def summary(self) -> dict:
        return {
            "run_id": self.run_id, "hexaglot": __version__, "started": self.started,
            "finished": self.finished, "out_dir": str(self.settings.out_dir),
            "glossaries": [str(path) for path in self.settings.glossaries],
            "documents": [document.summary() for document in self.documents],
            "outputs": list(self.outputs),
        }


def _file_stamps(paths: tuple[Path, ...]) -> tuple:
    """What tells a process that a glossary file changed since it was loaded."""
    stamps = []
    for path in paths:
        try:
            stat = path.stat()
            stamps.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def glossary_index(paths: tuple[Path, ...]) -> GlossaryIndex:
    """Load and index glossaries once per process for a given list of files (from the
    compiled cache when the files are unchanged); a file saved again is loaded again."""
    paths = tuple(paths)
    return _glossary_index(paths, _file_stamps(paths))


@functools.lru_cache(maxsize=8)
def _glossary_index(paths: tuple[Path, ...], stamps: tuple) -> GlossaryIndex:
    return load_index(paths)


@functools.lru_cache(maxsize=8)
def translation_memory(path: Path) -> TranslationMemory:
    """The TM store for a file, opened once per process and shared by its threads."""
    import atexit

    from hexaglot.tm.store import open_tm

    memory = open_tm(path)
    # Closed on exit, so SQLite folds its write-ahead log back into the one TM file.
    atexit.register(memory.close)
    return memory


def glossary_fingerprint(paths: tuple[Path, ...]) -> str:
    """Which glossary release made a machine translation: stored MT is reused only under
    the same glossaries, since enforcement put their terms in."""
    paths = tuple(paths)
    return _glossary_fingerprint(paths, _file_stamps(paths))


@functools.lru_cache(maxsize=32)
def _glossary_fingerprint(paths: tuple[Path, ...], stamps: tuple) -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in paths:
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(str(path).encode())
    return "glossary:" + digest.hexdigest()[:16]


def load_document(path: Path, source_lang: str | None = None) -> Document:
    """Read, identify the language of, and segment one document."""
    document = read_document(path)
    lang = source_lang or detect_language(document.text())
    if lang is None:
        raise HexaglotError(
            f"{path}: cannot tell which language the document is in: pass --from "
            f"({', '.join(SOURCE_LANGUAGES)})"
        )
    return replace(document, lang=lang, segments=segment_blocks(document.blocks, lang))


_HAS_WORDS = re.compile(r"[^\W\d_]{2,}")


def _needs_translation(text: str) -> bool:
    """Segments of numbers, codes, URLs or e-mail addresses alone are copied, not translated."""
    return bool(_HAS_WORDS.search(DO_NOT_TRANSLATE.sub(" ", text) if may_protect(text)
                                  else text))


def translate_document(
    document: Document,
    target: str,
    settings: Settings,
    index: GlossaryIndex,
    progress: ProgressCallback | None = None,
) -> TargetResult:
    """Translate one document into one language and write its outputs.

    Every error comes out as a :class:`HexaglotError` naming the document and language.
    """
    try:
        return _translate_document(document, target, settings, index, progress)
    except HexaglotError as error:
        if str(document.path) in str(error):
            raise
        raise HexaglotError(f"{document.path}: {target}: {error}") from error
    except Exception as error:
        raise HexaglotError(
            f"{document.path}: {target}: unexpected {type(error).__name__}: {error} "
            "(please report this with the file)") from error


def _translate_document(
    document: Document,
    target: str,
    settings: Settings,
    index: GlossaryIndex,
    progress: ProgressCallback | None,
) -> TargetResult:
    target_result = translate_target(document, target, settings, index, progress)
    outputs = write_target_outputs(document, target_result, settings, index.glossary)
    return replace(target_result, outputs=tuple(str(path) for path in outputs))


def translate_target(
    document: Document,
    target: str,
    settings: Settings,
    index: GlossaryIndex,
    progress: ProgressCallback | None = None,
) -> TargetResult:
    """The translation of a segmented document into one language, with its glossary hits,
    before anything is written."""
    source = document.lang
    assert source is not None, "load_document sets the language"
    chain = ([] if settings.engine == HUMAN
             else candidates(settings.routing, source, target, settings.engine))
    usable = [candidate for candidate in chain if candidate.engine is not None]
    source_matcher = index.matcher(source)
    target_matcher = index.matcher(target)
    label = str(document.path)
    memory = translation_memory(settings.tm) if settings.tm else None
    queries = lookup_queries(document.segments) if memory is not None else []
    leveraged, suggestions = ({}, {}) if memory is None else leverage(
        memory, document.segments, queries, source, target, settings,
        [c.name for c in usable])
    to_translate = [s for s in document.segments if usable and _needs_translation(s.text)
                    and s.id not in leveraged]
    batch_size = getattr(usable[0].engine, "batch_size", BATCH_SIZE) if usable else BATCH_SIZE
    # Glossary matches in the engine's output, found while the engine goes on (see
    # _start_ahead), and reused by enforcement, the hit records and the checks.
    target_matches: dict[str, list[TermMatch]] = {}
    if usable:
        _start_ahead(usable[0].engine, to_translate[:batch_size], source, target,
                     target_matcher, target_matches)
    # Terms in an object's own text (a field's result) are not translated: no hit there.
    source_hits = {s.id: tuple(outside_objects(source_matcher.find(s.text), s.spans))
                   for s in document.segments}
    translations: dict[str, tuple[EnforcedTranslation, str]] = {}
    failures: dict[str, str] = {}
    total = len(document.segments)
    done = total - len(to_translate) if usable else 0
    if progress:
        progress(label, target, done, total)
    for start in range(0, len(to_translate), batch_size):
        batch = to_translate[start:start + batch_size]
        _start_ahead(usable[0].engine, to_translate[start + batch_size:][:batch_size], source,
                     target, target_matcher, target_matches)
        translated, failed = translate_segments(batch, usable, source, target, target_matcher,
                                                source_hits, target_matches)
        translations.update(translated)
        failures.update(failed)
        done += len(batch)
        if progress:
            progress(label, target, done, total)

    no_engine = _no_engine_note(source, target, settings, chain)
    results = []
    for segment in document.segments:
        hits_here = source_hits[segment.id]
        enforcement: tuple[TermOutcome, ...] = ()
        matches, inline = None, None
        tm_match = leveraged.get(segment.id)
        if tm_match is not None:
            text, origin = tm_match.target, Origin.TM
            engine_name = tm_match.unit.engine if tm_match.unit.origin is UnitOrigin.MT else "tm"
            notes = tm_notes(tm_match)
        elif segment.id in translations:
            translation, engine_name = translations[segment.id]
            text, notes, origin = translation.text, translation.notes, Origin.MT
            enforcement, matches = translation.outcomes, translation.matches
            if translation.spans is not None:
                inline = (translation.text, translation.spans)
        elif segment.id in failures:
            text, origin, engine_name = None, Origin.HUMAN, HUMAN
            notes = (f"Left for a human translator: {failures[segment.id]}",)
        elif usable or not _needs_translation(segment.text):
            text, notes, origin, engine_name = segment.text, (), Origin.COPY, "copy"
        else:
            text, origin, engine_name = None, Origin.HUMAN, HUMAN
            notes = (no_engine,) if no_engine else ()
        if segment.id in suggestions:
            notes = (*notes, suggestion_note(suggestions[segment.id]))
        hits = check_hits(doc=document.path.name, segment_id=segment.id, source_lang=source,
                          target_lang=target, source_hits=hits_here, target_text=text,
                          target_matcher=target_matcher, enforcement=enforcement,
                          target_matches=matches)
        results.append(SegmentResult(segment=segment, target=text, origin=origin,
                                     engine=engine_name, source_hits=hits_here,
                                     hits=tuple(hits), notes=notes, enforcement=enforcement,
                                     tm_match=tm_match, inline=inline))
    if progress:
        progress(label, target, total, total)

    results = with_findings(results, source, target, source_matcher, target_matcher,
                            settings.checks, {sid: t.matches for sid, (t, _) in
                                              translations.items()})
    results = [_note_lost_formatting(result) for result in results]
    if memory is not None:
        store_machine_translations(memory, results, queries, source, target,
                                   document.path.name,
                                   glossary_fingerprint(tuple(settings.glossaries)))
    engines = tuple(sorted({r.engine for r in results if r.origin is not Origin.COPY}))
    versions = {c.name: c.engine.version for c in usable
                if c.engine is not None and c.name in engines}
    return TargetResult(document=label, source_lang=source, lang=target, engines=engines,
                        engine_versions=versions, segments=tuple(results))


def _start_ahead(engine: Engine | None, segments: Sequence[Segment], source: str,
                 target: str, target_matcher: TermMatcher,
                 target_matches: dict[str, list[TermMatch]]) -> None:
    """Have an engine that can (``prefetch``) start on a batch now, so that it translates
    while the glossary is matched in the source and the previous batch enforced; and match
    the glossary in each translation as it comes out, while the engine goes on. Glossary
    enforcement's first call asks for exactly these texts and codes, and gets the result.

    The engine uses both cores of a small machine for itself; this is what keeps
    hexaglot's own work from adding its whole time to the engine's."""
    prefetch = getattr(engine, "prefetch", None)
    if prefetch is None or not segments:
        return
    spans = [s.spans for s in segments] if getattr(engine, "inline_codes", False) else None

    def match(translation: Translation) -> None:
        target_matches[translation.text] = target_matcher.find_all(translation.text)

    prefetch([s.text for s in segments], source, target, spans, then=match)


def lookup_queries(segments: Sequence[Segment]) -> list[LookupQuery]:
    """Each segment with the hashes of its neighbours, for context (101%) matches."""
    texts = [segment.text for segment in segments]
    return [LookupQuery(text, context_hash(texts[i - 1] if i else None),
                        context_hash(texts[i + 1] if i + 1 < len(texts) else None))
            for i, text in enumerate(texts)]


def leverage(memory: TranslationMemory, segments: Sequence[Segment],
             queries: Sequence[LookupQuery], source: str, target: str, settings: Settings,
             engines: Sequence[str]) -> tuple[dict[str, TMMatch], dict[str, TMMatch]]:
    """(matches used as the target, matches only shown to the reviser), by segment id.

    Human translations (revised in review, or imported from another CAT tool) are used from
    ``tm_min_score`` up. Stored machine translation is used only as an exact match made by
    an engine of this run's chain under the same glossaries: reusing it is what makes a rerun
    of an edited document cost only its edited sentences, and a new glossary release or
    engine gets fresh output. A fuzzy machine translation is never used; where no engine
    covers the pair, it and any match down to ``tm_suggest_score`` are shown as suggestions.
    """
    wanted = [i for i, segment in enumerate(segments) if _needs_translation(segment.text)]
    floor = min(settings.tm_min_score, settings.tm_suggest_score)
    found = memory.lookup(source, target, [queries[i] for i in wanted], min_score=floor)
    fingerprint = glossary_fingerprint(tuple(settings.glossaries))
    used: dict[str, TMMatch] = {}
    shown: dict[str, TMMatch] = {}
    for i, match in zip(wanted, found, strict=True):
        if match is None:
            continue
        segment_id = segments[i].id
        if match.unit.origin is UnitOrigin.MT:
            if (match.score >= EXACT_MATCH and match.unit.engine in engines
                    and match.unit.note == fingerprint and settings.engine != HUMAN):
                used[segment_id] = match
            elif not engines and match.score >= settings.tm_suggest_score:
                shown[segment_id] = match
        elif match.score >= settings.tm_min_score:
            used[segment_id] = match
        elif match.score >= settings.tm_suggest_score:
            shown[segment_id] = match
    return used, shown


_ORIGIN_WORDS = {UnitOrigin.HUMAN_REVISED: "revised by a reviser",
                 UnitOrigin.IMPORTED: "imported translation", UnitOrigin.MT: "stored MT"}


def _match_source(match: TMMatch) -> str:
    unit = match.unit
    where = f" in {unit.document}" if unit.document else ""
    when = f" on {unit.created[:10]}" if unit.created else ""
    engine = f" ({unit.engine})" if unit.origin is UnitOrigin.MT and unit.engine else ""
    return f"{_ORIGIN_WORDS[unit.origin]}{engine}{where}{when}"


def tm_notes(match: TMMatch) -> tuple[str, ...]:
    """What the reviser is told about a target taken from the TM."""
    notes = [f"TM {match.kind} match {match.score}%: {_match_source(match)}."]
    if match.kind == "fuzzy":
        notes.append(f"TM source was: “{match.unit.source}”: check what differs.")
    notes.extend(f"TM: {penalty}" for penalty in match.penalties)
    return tuple(notes)


def suggestion_note(match: TMMatch) -> str:
    return (f"TM suggestion {match.score}% ({_match_source(match)}): “{match.target}” "
            f"for “{match.unit.source}”")


def store_machine_translations(memory: TranslationMemory, results: Sequence[SegmentResult],
                               queries: Sequence[LookupQuery], source: str, target: str,
                               document: str, fingerprint: str) -> int:
    """Every machine translation of the run goes into the TM (after hexaglot's own fixes),
    so a later run of the same text reuses it instead of calling the engine again.
    ``queries``: the segments' lookups, in document order, with their context hashes."""
    units = [TMUnit(source_lang=source, target_lang=target, source=r.segment.text,
                    target=r.target, origin=UnitOrigin.MT, document=document,
                    previous_hash=query.previous_hash, next_hash=query.next_hash,
                    engine=r.engine, note=fingerprint)
             for r, query in zip(results, queries, strict=True)
             if r.origin is Origin.MT and r.target]
    return memory.add(units) if units else 0


def with_findings(results: list[SegmentResult], source: str, target: str,
                  source_matcher: TermMatcher, target_matcher: TermMatcher,
                  config: ChecksConfig,
                  matches: dict[str, tuple[TermMatch, ...]] | None = None,
                  ) -> list[SegmentResult]:
    """The QA checks over a translated document, each finding filed with its segment.

    Machine output first gets the fixes that need no judgement (:mod:`hexaglot.checks.autofix`)
    and is checked again; what is left is for the reviser. ``matches``: the glossary matches
    already found in each target (by enforcement), so they are not searched again.
    """
    matches = dict(matches or {})
    context = CheckContext(source, target, source_matcher, target_matcher)

    def check(rows: list[SegmentResult]) -> dict[str, list[Finding]]:
        pairs = [SegmentPair(r.segment.id, r.segment.text, r.target or "", r.source_hits,
                             matches.get(r.segment.id))
                 for r in rows if r.origin is not Origin.COPY]
        found: dict[str, list[Finding]] = {}
        for finding in run_checks(pairs, context, config):
            found.setdefault(finding.segment_id, []).append(finding)
        return found

    by_segment = check(results)
    fixed: list[int] = []
    for index, result in enumerate(results):
        if (result.origin is not Origin.MT or not result.target
                or result.segment.id not in by_segment):
            continue
        text, applied = apply_fixes(result.target, by_segment[result.segment.id])
        if applied:
            fixed.append(index)
            matches.pop(result.segment.id, None)
            notes = (*result.notes, "Corrected by hexaglot: " + "; ".join(
                f"“{before}” → “{after}”" for before, after in applied))
            results[index] = replace(result, target=text, notes=notes)
    if fixed:
        # Checked again alone: a fix of numbers or spacing changes no glossary term, so
        # the document-wide consistency findings stand.
        again = check([results[index] for index in fixed])
        for index in fixed:
            segment_id = results[index].segment.id
            kept = [f for f in by_segment.get(segment_id, ())
                    if f.code == "terminology.inconsistent"]
            by_segment[segment_id] = kept + [f for f in again.get(segment_id, ())
                                             if f.code != "terminology.inconsistent"]
    return [replace(r, findings=tuple(by_segment.get(r.segment.id, ())))
            if r.segment.id in by_segment or r.findings else r for r in results]


MAX_CONSECUTIVE_FAILURES = 3  # then the engine is taken as down for the rest of the batch


def translate_segments(
    segments: Sequence[Segment],
    usable: Sequence[Candidate],
    source: str,
    target: str,
    target_matcher: TermMatcher,
    source_hits: dict[str, tuple[TermMatch, ...]],
    target_matches: dict[str, list[TermMatch]] | None = None,
) -> tuple[dict[str, tuple[EnforcedTranslation, str]], dict[str, str]]:
    """Segments through the chain of engines, glossary enforced: (translations with the
    engine that made them, why each segment that no engine translated was not).

    A batch that fails is retried segment by segment, so one segment that crashes or hangs
    an engine costs only itself; after a few failures in a row the engine is taken as down
    and the rest goes to the next engine of the chain.
    """
    translated: dict[str, tuple[EnforcedTranslation, str]] = {}
    reasons: dict[str, str] = {}
    pending = list(segments)
    for candidate in usable:
        if not pending:
            break
        assert candidate.engine is not None
        enforcer = Enforcer(candidate.engine, source, target, target_matcher, target_matches)
        try:
            outputs = enforcer.translate([s.text for s in pending],
                                         [source_hits[s.id] for s in pending],
                                         [s.spans for s in pending])
        except HexaglotError as error:
            outputs = None
            batch_error = str(error)
        if outputs is not None:
            translated.update({s.id: (o, candidate.name)
                               for s, o in zip(pending, outputs, strict=True)})
            pending = []
            break
        still, failures_in_a_row = [], 0
        for segment in pending:
            if failures_in_a_row >= MAX_CONSECUTIVE_FAILURES:
                still.append(segment)
                reasons[segment.id] = f"{candidate.name} failed: {batch_error}"
                continue
            try:
                output = enforcer.translate([segment.text], [source_hits[segment.id]],
                                            [segment.spans])[0]
            except HexaglotError as error:
                still.append(segment)
                reasons[segment.id] = f"{candidate.name} failed: {error}"
                failures_in_a_row += 1
                continue
            failures_in_a_row = 0
            translated[segment.id] = (output, candidate.name)
            reasons.pop(segment.id, None)
        pending = still
    return translated, {s.id: reasons.get(s.id, "no engine") for s in pending}


def _no_engine_note(source: str, target: str, settings: Settings,
                    chain: Sequence[Candidate]) -> str:
    if settings.engine == HUMAN:
        return "Left for a human translator: the run was started with --engine human."
    reasons = "; ".join(c.problem for c in chain if c.problem)
    return (f"Left for a human translator: no machine translation engine covers "
            f"{source}->{target} here" + (f" ({reasons})" if reasons else "") +
            ". Glossary terms for this segment are listed below.")


def block_texts(
    document: Document, results: Sequence[SegmentResult], target: str
) -> dict[int, str]:
    """Reassemble translated segments into blocks; untranslated segments keep the source text,
    as CAT tools do on export, so the file stays complete and readable."""
    return join_blocks(document, {r.segment.id: r.target for r in results}, target)


def join_blocks(document: Document, targets: Mapping[str, str | None],
                lang: str) -> dict[int, str]:
    """The text of each block from the target of each of its segments (by segment id); a
    segment with no target keeps its source text. Spacing between segments follows the
    target language (none between Chinese sentences)."""
    return {block: "".join(text for _, text in parts).rstrip()
            for block, parts in _block_parts(document, targets, lang).items()}


def _block_parts(document: Document, targets: Mapping[str, str | None],
                 lang: str) -> dict[int, list[tuple[Segment | None, str]]]:
    """Each block's pieces of text in order: a segment's target (or source), spacing."""
    joined: dict[int, list[tuple[Segment | None, str]]] = {}
    spaced = LANGUAGES[lang].spaced
    for segment in document.segments:
        if segment.id not in targets:
            continue
        target = targets[segment.id]
        text = target if target is not None else segment.text
        parts = joined.setdefault(segment.block_index, [])
        if parts and spaced and not parts[-1][1].endswith((" ", "\n", "\t")):
            parts.append((None, " "))
        parts.append((segment, text))
        trailing = segment.trailing
        if trailing and (spaced or "\n" in trailing or "\t" in trailing):
            parts.append((None, trailing))
    return joined


def block_spans(document: Document, results: Sequence[SegmentResult],
                target: str) -> dict[int, tuple[InlineSpan, ...]]:
    """The inline codes of each block of :func:`block_texts`, over its text: each
    segment's codes placed on its target (:func:`segment_spans`)."""
    targets = {r.segment.id: r.target for r in results}
    placed = {r.segment.id: segment_spans(r)[0] for r in results if r.segment.spans}
    spans: dict[int, tuple[InlineSpan, ...]] = {}
    for block, parts in _block_parts(document, targets, target).items():
        found, offset = [], 0
        for segment, text in parts:
            if segment is not None:
                found += [s.shifted(offset) for s in placed.get(segment.id, ())]
            offset += len(text)
        spans[block] = tuple(found)
    return spans


def segment_spans(result: SegmentResult) -> tuple[tuple[InlineSpan, ...],
                                                  tuple[InlineSpan, ...]]:
    """A segment's inline codes over its target: (placed, lost). The engine's own codes
    where it carried them; else, and for what it dropped, glossary terms (source hit ->
    the target term found) and words found unchanged place them (:func:`inline.place`)."""
    segment = result.segment
    target = result.target if result.target is not None else segment.text
    anchors = [(hit.source_term, hit.found_target) for hit in result.hits if hit.found_target]
    return place(segment.text, segment.spans, target, inline=result.inline, anchors=anchors)


def _note_lost_formatting(result: SegmentResult) -> SegmentResult:
    lost = segment_spans(result)[1] if result.segment.spans else ()
    if not lost:
        return result
    what = "; ".join(f"{span.label or 'formatting'} on “{result.segment.text[span.start:span.end]}”"
                     if span.end > span.start else span.label or "an object" for span in lost)
    return replace(result, notes=(*result.notes, (
        f"Inline formatting not carried onto the translation ({what}): the translated "
        "paragraph has its main formatting there, and objects go at its end; apply it by "
        "hand.")))


def output_paths(document: Document, target: str, out_dir: Path) -> tuple[Path, Path]:
    """(review DOCX, translated document) for one document and target language."""
    stem = document.path.stem
    return (out_dir / f"{stem}.{target}.review.docx",
            out_dir / f"{stem}.{target}{document.path.suffix.lower()}")


def write_target_outputs(document: Document, result: TargetResult, settings: Settings,
                         glossary: Glossary) -> list[Path]:
    from hexaglot.review.writer import write_review_docx

    review_path, translated_path = output_paths(document, result.lang, settings.out_dir)
    format_for(document.path).write(document, block_texts(document, result.segments, result.lang),
                                    result.lang, translated_path,
                                    spans=block_spans(document, result.segments, result.lang))
    write_review_docx(document, result, review_path, glossary, run_id=settings.run_id)
    return [review_path, translated_path]


def process_document(path: Path, settings: Settings, index: GlossaryIndex,
                     progress: ProgressCallback | None = None) -> DocumentResult:
    """All targets of one document; a failure is recorded, never raised, so batches go on."""
    try:
        document = load_document(path, settings.source_lang)
    except HexaglotError as error:
        return DocumentResult(path=str(path), error=str(error))
    except Exception as error:
        return DocumentResult(path=str(path), error=f"{path}: cannot be read: "
                              f"{type(error).__name__}: {error}")
    targets, skipped = [], []
    for target in settings.targets:
        if target == document.lang:
            skipped.append(target)
            continue
        try:
            targets.append(translate_document(document, target, settings, index, progress))
        except Exception as error:
            message = str(error) if isinstance(error, HexaglotError) else (
                f"{path}: {target}: unexpected {type(error).__name__}: {error} "
                "(please report this with the file)")
            return DocumentResult(path=str(path), source_lang=document.lang, error=message,
                                  targets=tuple(targets), skipped_targets=tuple(skipped))
    return DocumentResult(path=str(path), source_lang=document.lang, targets=tuple(targets),
                          skipped_targets=tuple(skipped))


def check_settings(paths: Sequence[Path], settings: Settings) -> None:
    """Fail before any work on what would make the whole run wrong."""
    validate_engine_name(settings.engine, settings.routing)
    stems: dict[str, Path] = {}
    for path in paths:
        previous = stems.get(path.stem)
        if previous is not None and previous != path:
            raise HexaglotError(
                f"{path}: has the same name as {previous}, so their outputs would overwrite "
                "each other: rename one of them"
            )
        stems[path.stem] = path


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def stamp_hits(run_id: str, documents: Iterable[DocumentResult]) -> tuple[DocumentResult, ...]:
    """The documents with each glossary hit carrying the run id and its segment's engine."""
    stamped = []
    for document in documents:
        targets = tuple(
            replace(target, segments=tuple(
                replace(result, hits=tuple(replace(hit, run_id=run_id, engine=result.engine)
                                           for hit in result.hits))
                for result in target.segments))
            for target in document.targets)
        stamped.append(replace(document, targets=targets))
    return tuple(stamped)


def finish_run(run_id: str, started: str, settings: Settings,
               documents: Iterable[DocumentResult]) -> RunResult:
    """Write the run's shared outputs: the hits table (CSV and Parquet) and the run report,
    and keep them with the translated segments in ``runs/<run_id>/`` for later diffs and
    glossary rechecks."""
    documents = stamp_hits(run_id, documents)
    out_dir = settings.out_dir
    hits = [hit for d in documents for t in d.targets for hit in t.hits()]
    result = RunResult(run_id=run_id, started=started, finished=now(), settings=settings,
                       documents=documents, outputs=run_output_paths(out_dir, run_id))
    write_run_outputs(out_dir, run_id, hits, segment_records(documents),
                      json.dumps(result.summary(), ensure_ascii=False, indent=2))
    return result


def segment_records(documents: Iterable[DocumentResult]) -> list[SegmentRecord]:
    """The translated segments as kept in a run's ``segments.jsonl``."""
    from hexaglot.hits import SegmentRecord

    return [
        SegmentRecord(doc=Path(target.document).name, path=target.document,
                      source_lang=target.source_lang, target_lang=target.lang,
                      segment_id=result.segment.id, source=result.segment.text,
                      target=result.target, engine=result.engine, origin=result.origin.value,
                      enforcement=tuple((o.concept_id, o.source, o.expected, o.method.value)
                                        for o in result.enforcement))
        for d in documents for target in d.targets for result in target.segments]


def run_output_paths(out_dir: Path, run_id: str) -> tuple[str, ...]:
    from hexaglot.hits import RUNS_DIR, parquet_available

    return (str(out_dir / "hits.csv"),
            *((str(out_dir / "hits.parquet"),) if parquet_available() else ()),
            str(out_dir / "run-report.json"), str(out_dir / RUNS_DIR / run_id))


def write_run_outputs(out_dir: Path, run_id: str, hits: Sequence[HitRecord | dict[str, str]],
                      segments: Sequence[SegmentRecord], report: str,
                      runs_dir: Path | None = None) -> None:
    """The hits table (CSV, Parquet) and run report in ``out_dir``, and the same with the
    segments kept in ``runs/<run_id>/`` (of ``runs_dir``, default ``out_dir``) for later
    diffs and glossary rechecks."""
    from hexaglot.hits import (
        RUNS_DIR,
        parquet_available,
        write_hits_parquet,
        write_run_history,
    )

    hits_path, parquet_path = out_dir / "hits.csv", out_dir / "hits.parquet"
    write_run_history(runs_dir or out_dir / RUNS_DIR, run_id, hits, segments, report)
    write_hits_csv(hits, hits_path)
    if parquet_available():
        write_hits_parquet(hits, parquet_path)
    else:  # pyarrow missing: no Parquet, and no earlier run's table left beside this CSV
        parquet_path.unlink(missing_ok=True)
    write_text_atomic(out_dir / "run-report.json", report)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]


def run(paths: Sequence[Path], settings: Settings,
        progress: ProgressCallback | None = None) -> RunResult:
    """Translate documents one after another (the command line's path; flows parallelize)."""
    check_settings(paths, settings)
    run_id, started = new_run_id(), now()
    settings = replace(settings, run_id=run_id)
    index = glossary_index(tuple(settings.glossaries))
    documents = [process_document(path, settings, index, progress) for path in paths]
    return finish_run(run_id, started, settings, documents)
