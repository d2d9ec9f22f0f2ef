"""An event's briefing packs: one DOCX per session and booth language.

:class:`Briefing` reads the programme once, loads each linked document once, and
machine-translates each speech once per booth language (through the pipeline's
:func:`~hexaglot.pipeline.translate_target`, with the desk's routing and the glossary
enforced); :meth:`Briefing.pack` assembles what one pack says, :func:`write_pack_docx`
writes it. :func:`build_packs` does the whole event (the command line's path; the Prefect
flow in ``flows/briefing.py`` runs the same steps as tasks).

Regeneration: :func:`briefing_inputs_fingerprint` hashes the programme, every document
linked to a session and the glossary files; the manifest written beside the packs
(``briefing.json``) keeps it, and :func:`packs_up_to_date` tells a nightly batch whether
anything changed since.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from hexaglot import __version__
from hexaglot.atomic import write_text_atomic
from hexaglot.briefing.extract import Found, collect
from hexaglot.briefing.localize import (
    format_clock,
    format_day,
    format_found_date,
    format_number,
    format_time_range,
    label,
    language_name,
)
from hexaglot.briefing.programme import (
    DOCUMENT_SUFFIXES,
    Programme,
    Session,
    read_programme,
)
from hexaglot.briefing.render import (
    GlossaryLookup,
    Rendered,
    Renderer,
    SpeakerLine,
    render_concept,
)
from hexaglot.briefing.select import (
    SourceText,
    TermUse,
    session_terms,
    source_language,
    term_cells,
    term_columns,
    term_notes,
)
from hexaglot.document import Block, Document, HexaglotError, Origin
from hexaglot.languages import SOURCE_LANGUAGES
from hexaglot.mt.router import HUMAN, candidates
from hexaglot.pipeline import (
    Settings,
    TargetResult,
    glossary_index,
    join_blocks,
    load_document,
    translate_target,
)
from hexaglot.segment import segment_blocks

FORMAT_VERSION = "1"  # of the packs: a change of layout regenerates them
MANIFEST = "briefing.json"
# "Check against delivery" and its usual forms: a document that carries one is a speech.
SPEECH_MARK = re.compile(
    r"check against delivery|seul le (?:texte )?prononcé fait foi|v[ée]rifier au prononcé|"
    r"c[oó]tej(?:e|ar|ese) con (?:el discurso|lo) pronunciad|"
    r"сверять с (?:фактически )?произнесенн|العبرة بالنص الملقى|以实际发言为准|"
    r"đối chiếu (?:với )?(?:lời|bài) phát biểu|kiểm tra khi phát biểu",
    re.IGNORECASE)
SPEECH_NAMES = re.compile(r"^(?:speech|statement|remarks|address|discours|d[ée]claration|"
                          r"allocution|intervention|intervenci[oó]n|discurso|declaraci[oó]n|"
                          r"phat-bieu|bai-phat-bieu|vystuplenie|kalima)", re.IGNORECASE)


# ---------------------------------------------------------------- what a pack says

@dataclass(frozen=True)
class LoadedDocument:
    path: Path
    document: Document | None
    speech: bool = False
    error: str | None = None

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class SpeechText:
    name: str
    source_lang: str
    notice: str
    translated: tuple[tuple[str, str], ...] = ()  # (block kind, text) in the booth language
    original: tuple[tuple[str, str], ...] = ()
    machine: bool = False


@dataclass(frozen=True)
class ItemRow:
    source: str  # as in the text
    source_lang: str
    rendering: str  # in the booth language
    note: str = ""  # "ordinal", a name's pronunciation
    flag: str = ""  # no approved form: check
    where: str = ""

    @property
    def approved(self) -> bool:
        return not self.flag


@dataclass(frozen=True)
class TermRow:
    concept_id: str
    cells: tuple[str | None, ...]
    notes: tuple[tuple[str, str], ...]  # (language, text)
    surface: str
    where: str
    count: int


@dataclass(frozen=True)
class DocumentLine:
    name: str
    lang: str
    kind: str  # speech, reference
    error: str | None = None


@dataclass(frozen=True)
class SessionContents:
    source_lang: str
    terms: tuple[TermUse, ...]
    found: tuple[Found, ...]


@dataclass(frozen=True)
class PackData:
    lang: str
    programme_lang: str
    session: Session
    event_title: Rendered
    title: Rendered
    date_text: str
    time_text: str
    venue: Rendered | None
    speakers: tuple[SpeakerLine, ...]
    participants: tuple[Rendered, ...]
    source_lang: str
    columns: tuple[str, ...]
    terms: tuple[TermRow, ...]
    numbers: tuple[ItemRow, ...]
    dates: tuple[ItemRow, ...]
    names: tuple[ItemRow, ...]
    documents: tuple[DocumentLine, ...]
    speeches: tuple[SpeechText, ...]
    footer: str

    @property
    def flags(self) -> list[str]:
        """Everything the pack flags for checking: names and titles without an approved
        form, texts left untranslated, terms without a booth term."""
        found = [f"{line.speaker.raw}: {f}" for line in self.speakers for f in line.flags]
        found += [r.flag for r in (self.title, self.venue, *self.participants)
                  if r is not None and r.flag]
        found += [f"{row.source}: {row.flag}" for row in self.names if row.flag]
        missing = label(self.lang, "no_approved", language=language_name(self.lang, self.lang))
        found += [f"{row.surface}: {missing}" for row in self.terms if row.cells[0] is None]
        return found


# ---------------------------------------------------------------- the event

class Briefing:
    """One event: its programme, documents, glossary and engines, shared by all its packs
    (thread-safe: a flow writes packs in parallel)."""

    def __init__(self, programme: Path, docs_dir: Path | None, settings: Settings, *,
                 lang: str | None = None) -> None:
        self.settings = settings
        self.index = glossary_index(tuple(settings.glossaries))
        self.lookup = GlossaryLookup(self.index)
        self.programme: Programme = read_programme(Path(programme), docs_dir, lang=lang,
                                                   classify=self.lookup.classify)
        self.renderer = Renderer(self.programme, self.lookup, self.translate_text)
        self._documents: dict[Path, LoadedDocument] = {}
        self._translations: dict[tuple[Path, str], TargetResult | None] = {}
        self._texts: dict[tuple[str, str, str], tuple[str, str] | None] = {}
        self._engines: dict[tuple[str, str], bool] = {}
        self._contents: dict[str, SessionContents] = {}
        self._lock = threading.RLock()
        self._busy: dict[tuple, threading.Lock] = {}

    def _once(self, key: tuple) -> threading.Lock:
        with self._lock:
            return self._busy.setdefault(key, threading.Lock())

    # ------------------------------------------------------------ documents

    def document(self, path: Path) -> LoadedDocument:
        with self._once(("document", path)):
            if path not in self._documents:
                self._documents[path] = self._load(path)
            return self._documents[path]

    def _load(self, path: Path) -> LoadedDocument:
        hint = self.settings.source_lang or _language_in_name(path)
        try:
            document = load_document(path, hint)
        except HexaglotError as error:
            return LoadedDocument(path, None, error=str(error))
        except Exception as error:  # a damaged file costs only itself
            return LoadedDocument(path, None, error=f"{path}: cannot be read: "
                                  f"{type(error).__name__}: {error}")
        head = " ".join(block.text for block in document.blocks[:6])
        speech = bool(SPEECH_MARK.search(head) or SPEECH_NAMES.match(path.name))
        return LoadedDocument(path, document, speech=speech)

    def session_documents(self, session: Session) -> list[LoadedDocument]:
        return [self.document(path) for path in session.documents]

    # ------------------------------------------------------------ machine translation

    def covers(self, source: str, target: str) -> bool:
        """Whether an engine translates source -> target here."""
        key = (source, target)
        with self._lock:
            if key not in self._engines:
                chain = ([] if self.settings.engine == HUMAN else
                         candidates(self.settings.routing, source, target,
                                    self.settings.engine))
                self._engines[key] = any(c.engine is not None for c in chain)
            return self._engines[key]

    def translation(self, loaded: LoadedDocument, target: str) -> TargetResult | None:
        """The document machine-translated into ``target``, glossary enforced; None where no
        engine covers the pair."""
        document = loaded.document
        if document is None or document.lang is None or not self.covers(document.lang,
                                                                          target):
            return None
        key = (loaded.path, target)
        with self._once(("translation", *key)):
            if key not in self._translations:
                self._translations[key] = translate_target(
                    document, target, replace(self.settings, targets=(target,)), self.index)
            return self._translations[key]

    def translate_text(self, text: str, source: str, target: str) -> tuple[str, str] | None:
        """A line of the programme machine-translated: (text, engine), or None."""
        if source not in SOURCE_LANGUAGES or not self.covers(source, target):
            return None
        key = (text, source, target)
        with self._once(("text", *key)):
            if key not in self._texts:
                blocks = (Block(index=0, text=text, location="programme"),)
                document = Document(path=self.programme.path, format="text", blocks=blocks,
                                    lang=source, segments=segment_blocks(blocks, source))
                result = translate_target(document, target,
                                          replace(self.settings, targets=(target,)),
                                          self.index)
                outputs = [r for r in result.segments if r.origin is Origin.MT]
                self._texts[key] = ((join_blocks(document, {r.segment.id: r.target for r in
                                                            result.segments}, target)[0],
                                     ", ".join(result.engines)) if outputs else None)
            return self._texts[key]

    # ------------------------------------------------------------ one pack

    def source_texts(self, session: Session) -> list[SourceText]:
        texts = [SourceText("programme", self.programme.lang,
                            tuple(line for line in session.programme_text().split("\n")
                                  if line))]
        for loaded in self.session_documents(session):
            document = loaded.document
            if document is not None and document.lang:
                texts.append(SourceText(loaded.name, document.lang,
                                        tuple(s.text for s in document.segments)))
        return texts

    def contents(self, session: Session) -> SessionContents:
        """What the session's texts hold, the same for every booth (worked out once)."""
        with self._once(("contents", session.id)):
            if session.id not in self._contents:
                texts = self.source_texts(session)
                self._contents[session.id] = SessionContents(
                    source_language(texts, self.programme.lang),
                    tuple(session_terms(texts, self.index)),
                    tuple(collect([(t.name, t.lang, "\n".join(t.segments)) for t in texts
                                   if t.name != "programme"], self.index)))
            return self._contents[session.id]

    def pack(self, session: Session, lang: str) -> PackData:
        renderer = self.renderer
        contents = self.contents(session)
        source = contents.source_lang
        columns = term_columns(lang, source)
        terms = tuple(
            TermRow(use.concept.id, tuple(term_cells(use, columns)),
                    tuple(term_notes(use, lang)), use.surface, use.where, use.count)
            for use in contents.terms)
        documents = self.session_documents(session)
        found = contents.found
        numbers = tuple(_item_row(item, lang) for item in found
                        if item.kind in ("number", "symbol"))
        dates = tuple(_item_row(item, lang) for item in found if item.kind in ("date", "time"))
        names = tuple(_item_row(item, lang) for item in found if item.kind == "name")
        from hexaglot.review.writer import glossary_versions

        footer = label(lang, "prepared", date=format_day(datetime.now(UTC).date(), lang),
                       glossaries=glossary_versions(self.index.glossary))
        return PackData(
            lang=lang, programme_lang=self.programme.lang, session=session,
            event_title=renderer.text(self.programme.title, lang),
            title=renderer.text(session.title, lang),
            date_text=format_day(session.date, lang, weekday=True),
            time_text=format_time_range(session.start, session.end, lang),
            venue=renderer.text(session.venue, lang) if session.venue else None,
            speakers=tuple(renderer.speaker(s, lang) for s in session.speakers),
            participants=tuple(renderer.text(p, lang) for p in session.participants),
            source_lang=source, columns=columns, terms=terms, numbers=numbers, dates=dates,
            names=names,
            documents=tuple(DocumentLine(d.name, (d.document.lang or "") if d.document else "",
                                         "speech" if d.speech else "reference", d.error)
                            for d in documents),
            speeches=tuple(self.speech(d, lang) for d in documents if d.speech and d.document),
            footer=footer)

    def speech(self, loaded: LoadedDocument, lang: str) -> SpeechText:
        document = loaded.document
        assert document is not None and document.lang is not None
        source = document.lang
        original = tuple((block.kind, block.text) for block in document.blocks)
        source_name = language_name(source, lang)
        if source == lang:
            return SpeechText(loaded.name, source,
                              label(lang, "same_language", language=source_name),
                              original=original)
        result = self.translation(loaded, lang)
        if result is None or not any(r.origin is Origin.MT for r in result.segments):
            return SpeechText(loaded.name, source, label(lang, "no_mt", pair=f"{source}→{lang}"),
                              original=original)
        texts = join_blocks(document, {r.segment.id: r.target for r in result.segments}, lang)
        translated = tuple((block.kind, texts.get(block.index, block.text))
                           for block in document.blocks)
        notice = label(lang, "mt_note", engine=", ".join(e for e in result.engines
                                                         if e != HUMAN),
                       source=source_name)
        left = sum(1 for r in result.segments if r.origin is Origin.HUMAN)
        if left:
            notice += " " + label(lang, "mt_partial", count=left)
        return SpeechText(loaded.name, source, notice, translated, original, machine=True)

    def write_pack(self, session: Session, lang: str, out_dir: Path) -> PackResult:
        from hexaglot.briefing.pack import write_pack_docx

        data = self.pack(session, lang)
        path = Path(out_dir) / pack_name(session, lang)
        write_pack_docx(data, path)
        return PackResult(session.id, session.title, lang, str(path), len(data.flags),
                          tuple(data.flags))


def _language_in_name(path: Path) -> str | None:
    """"statement.en.md" -> "en": a language code before the extension names the language."""
    parts = path.name.split(".")
    if len(parts) >= 3 and parts[-2].lower() in SOURCE_LANGUAGES:
        return parts[-2].lower()
    return None


def _item_row(item: Found, lang: str) -> ItemRow:
    where = ", ".join(item.where)
    if item.kind == "number":
        assert item.value is not None
        rendering = format_number(item.value, lang, power=item.power, ordinal=item.ordinal,
                                  year=item.year)
        return ItemRow(item.surface, item.lang, rendering,
                       note=label(lang, "ordinal") if item.ordinal else "", where=where)
    if item.kind == "symbol":
        return ItemRow(item.surface, item.lang, item.surface, where=where)
    if item.kind == "date":
        return ItemRow(item.surface, item.lang,
                       format_found_date(item.month, item.days, item.year_value, lang),
                       where=where)
    if item.kind == "time":
        assert item.clock is not None
        return ItemRow(item.surface, item.lang, format_clock(item.clock, lang), where=where)
    if item.concept is not None:
        rendered = render_concept(item.concept, lang)
        if rendered is not None:
            return ItemRow(item.surface, item.lang, rendered.text, note=rendered.note,
                           where=where)
        return ItemRow(item.surface, item.lang, item.surface, where=where,
                       flag=label(lang, "no_approved", language=language_name(lang, lang)))
    return ItemRow(item.surface, item.lang, item.surface, where=where,
                   flag=label(lang, "not_in_glossary"))


# ---------------------------------------------------------------- the whole event

@dataclass(frozen=True)
class PackResult:
    session: str
    title: str
    lang: str
    path: str
    flag_count: int
    flags: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"session": self.session, "title": self.title, "lang": self.lang,
                "path": self.path, "flags": list(self.flags)}


@dataclass(frozen=True)
class BriefingResult:
    programme: str
    fingerprint: str
    packs: tuple[PackResult, ...]
    problems: tuple = ()
    manifest: str = ""
    skipped: bool = False  # nothing changed since the packs were written
    errors: tuple[str, ...] = field(default=())  # packs that could not be written

    @property
    def ok(self) -> bool:
        return not self.errors and not any(p.severity == "error" for p in self.problems)

    def summary(self) -> dict:
        return {"programme": self.programme, "fingerprint": self.fingerprint,
                "skipped": self.skipped, "manifest": self.manifest,
                "packs": [p.as_dict() for p in self.packs],
                "problems": [p.as_dict() for p in self.problems],
                "errors": list(self.errors)}


def pack_name(session: Session, lang: str) -> str:
    return f"{session.id}.{lang}.briefing.docx"


def briefing_inputs_fingerprint(programme: Path, docs_dir: Path | None,
                                glossaries: Iterable[Path]) -> str:
    """A hash of what the packs are made from: the programme file, every document linked
    to one of its sessions (named, or in a session's folder) and the glossary files, plus
    the packs' format version. Equal fingerprints: the packs need not be regenerated."""
    programme = Path(programme)
    docs = Path(docs_dir) if docs_dir is not None else programme.parent
    digest = hashlib.sha256(f"hexaglot-briefing {FORMAT_VERSION}".encode())

    def add(label_: str, path: Path) -> None:
        digest.update(f"\0{label_}\0".encode())
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"missing")

    add("programme", programme)
    try:
        linked = sorted({path for session in read_programme(programme, docs).sessions
                         for path in session.documents})
    except HexaglotError:  # an unreadable programme: every document there counts
        linked = sorted(p for p in docs.rglob("*") if p.is_file()
                        and p.suffix.lower() in DOCUMENT_SUFFIXES) if docs.is_dir() else []
    for path in linked:
        try:
            name = path.resolve().relative_to(docs.resolve()).as_posix()
        except ValueError:
            name = path.resolve().as_posix()
        add(f"document {name}", path)
    for path in glossaries:
        add(f"glossary {Path(path).name}", Path(path))
    return digest.hexdigest()


def packs_up_to_date(programme: Path, docs_dir: Path | None, glossaries: Iterable[Path],
                     out_dir: Path, languages: Sequence[str]) -> bool:
    """Whether the packs in ``out_dir`` were made from these very inputs, for these
    languages, and are all still there (the nightly batch's test)."""
    try:
        manifest = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("fingerprint") != briefing_inputs_fingerprint(programme, docs_dir,
                                                                  glossaries):
        return False
    if not set(languages) <= set(manifest.get("languages", [])):
        return False
    return all(Path(p["path"]).exists() for p in manifest.get("packs", []))


def write_manifest(out_dir: Path, result: BriefingResult, languages: Sequence[str],
                   docs_dir: Path) -> Path:
    path = Path(out_dir) / MANIFEST
    data = {"hexaglot": __version__, "format": FORMAT_VERSION,
            "generated": datetime.now(UTC).isoformat(timespec="seconds"),
            "docs": str(docs_dir), "languages": list(languages), **result.summary()}
    data.pop("manifest", None)
    data.pop("skipped", None)
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return path


ProgressCallback = Callable[[str, str, int, int], None]  # session, language, done, total


def build_packs(programme: Path, docs_dir: Path | None, settings: Settings, *,
                sessions: Sequence[str] | None = None, only_if_changed: bool = False,
                lang: str | None = None,
                progress: ProgressCallback | None = None) -> BriefingResult:
    """Every pack of the event (or of the sessions named) into ``settings.out_dir``, with
    the manifest. A pack that fails is recorded and the others are still written."""
    programme = Path(programme)
    docs = Path(docs_dir) if docs_dir is not None else programme.parent
    out_dir = settings.out_dir
    languages = settings.targets
    fingerprint = briefing_inputs_fingerprint(programme, docs, settings.glossaries)
    if only_if_changed and not sessions and packs_up_to_date(
            programme, docs, settings.glossaries, out_dir, languages):
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        packs = tuple(PackResult(p["session"], p["title"], p["lang"], p["path"],
                                 len(p["flags"]), tuple(p["flags"]))
                      for p in manifest["packs"])
        return BriefingResult(str(programme), fingerprint, packs,
                              manifest=str(out_dir / MANIFEST), skipped=True)
    briefing = Briefing(programme, docs, settings, lang=lang)
    chosen = [briefing.programme.session(s) for s in sessions] if sessions else \
        list(briefing.programme.sessions)
    packs: list[PackResult] = []
    errors: list[str] = []
    total = len(chosen) * len(languages)
    for session in chosen:
        for target in languages:
            try:
                packs.append(briefing.write_pack(session, target, out_dir))
            except Exception as error:
                errors.append(f"{session.id} ({session.title}): {target}: "
                              f"{type(error).__name__}: {error}")
            if progress:
                progress(session.id, target, len(packs) + len(errors), total)
    result = BriefingResult(str(programme), fingerprint, tuple(packs),
                            briefing.programme.problems, errors=tuple(errors))
    manifest = write_manifest(out_dir, result, languages, docs) if not sessions else None
    return replace(result, manifest=str(manifest) if manifest else "")

