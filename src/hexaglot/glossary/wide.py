"""The wide table layout shared by CSV, TSV and XLSX glossaries.

One row per concept; for each language ``xx`` a column group: ``xx`` (preferred term),
``xx_admitted``, ``xx_abbr``, ``xx_forbidden``, ``xx_deprecated``, ``xx_pos`` and
``xx_note`` which describe the preferred term, and ``xx_not_in``: exclusions, set phrases in
which the concept's ``xx`` terms have another sense and are not the concept (ru ``вид
спорта|в виде`` for "species", whose term is ``вид``). Several terms or phrases in one cell
are separated by ``|``. Indonesian is ``id_lang`` because ``id`` is the concept id. This
is what a desk edits in a spreadsheet; what it cannot express (a usage note on an admitted
term, say) is refused on export with the concept named, so that nothing is dropped
silently: keep such glossaries in TBX. See docs/glossary-format.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from babel import Locale, UnknownLocaleError

from hexaglot.document import HexaglotError
from hexaglot.glossary.model import Concept, Exclusion, Term, TermStatus
from hexaglot.glossary.problems import GlossaryFile, Problem, error, warning
from hexaglot.languages import LANGUAGES, UN_LANGUAGES, normalize_code

META_COLUMNS = ("id", "subject", "definition", "note")
SEPARATOR = "|"

# Column suffix -> (status, term type) for term columns.
_TERM_SUFFIXES = {
    "": (TermStatus.PREFERRED, "fullForm"),
    "_admitted": (TermStatus.ADMITTED, "fullForm"),
    "_abbr": (TermStatus.ADMITTED, "abbreviation"),
    "_forbidden": (TermStatus.FORBIDDEN, "fullForm"),
    "_deprecated": (TermStatus.DEPRECATED, "fullForm"),
}
_PREFERRED_SUFFIXES = ("_pos", "_note")  # describe the preferred term of the language
EXCLUSION_SUFFIX = "_not_in"  # phrases in which the language's terms are not the concept

_BASE = re.compile(r"^(?:id_lang|[A-Za-z]{2,3}(?:[-_](?:[A-Za-z]{2}|[0-9]{3}|[A-Za-z]{4}))?)$")
_SUFFIXES = ("_admitted", "_abbr", "_forbidden", "_deprecated", "_pos", "_note",
             EXCLUSION_SUFFIX)


def _split_column(name: str) -> tuple[str, str] | None:
    """``fr_admitted`` -> ("fr", "_admitted"); ``zh-CN`` -> ("zh-CN", ""); None otherwise.
    The suffix is taken off first: ``en_abbr`` is not a region "abbr" of English."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and _BASE.match(name[:-len(suffix)]):
            return name[:-len(suffix)], suffix
    return (name, "") if _BASE.match(name) else None


def is_language_code(code: str) -> bool:
    """Whether ``code`` is a real language tag (``de``, ``pt-BR``), known to CLDR."""
    try:
        Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True


def language_problem(path: str, where: str, code: str, *, prefix: str, ignored: str,
                     unknown: str) -> Problem:
    """A warning for a real language hexaglot does not translate (``de``, ``pt-BR``: its
    terms are skipped), an error for a code that is no language at all."""
    if code and is_language_code(code):
        return warning(path, where, f"{prefix}language {code!r} is not one hexaglot "
                       f"translates ({' '.join(LANGUAGES)}); {ignored}")
    return error(path, where, unknown)


def rows_to_glossary(header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]],
                     path: str, unit: str = "line") -> GlossaryFile:
    """Read table rows (numbered as the author sees them) into concepts, collecting problems.

    ``unit`` is "line" for CSV and "row" for a spreadsheet, so that messages point where
    the author looks.
    """
    result = GlossaryFile(path=path, concepts=[], locations=[], problems=[])
    header = [name.strip() for name in header]
    first = f"{unit} 1"
    if "id" not in header:
        result.problems.append(error(path, first, "no 'id' column: the first row must name the "
                                     "columns, see docs/glossary-format.md"))
        return result
    columns: list[tuple[str, object] | None] = []
    for position, name in enumerate(header):
        if name and name in header[:position]:
            result.problems.append(error(path, first, f"column {name!r} appears twice"))
        if name in META_COLUMNS:
            columns.append(("meta", name))
            continue
        parts = _split_column(name)
        lang = None
        if parts:
            lang = normalize_code("id" if parts[0] == "id_lang" else parts[0])
        if lang is None:
            columns.append(None)
            result.problems.append(language_problem(
                path, first, parts[0] if parts else "", prefix=f"column {name!r}: ",
                ignored="the column is ignored",
                unknown=f"unknown column {name!r}: use id, subject, definition, note and "
                "language columns such as 'fr', 'fr_admitted', 'fr_abbr', 'fr_forbidden', "
                "'fr_deprecated', 'fr_pos', 'fr_note', 'fr_not_in'"))
            continue
        suffix = parts[1]
        if suffix in _PREFERRED_SUFFIXES:
            columns.append(("about", (lang, suffix)))
        elif suffix == EXCLUSION_SUFFIX:
            columns.append(("not_in", lang))
        else:
            columns.append(("term", (lang, *_TERM_SUFFIXES[suffix])))
    if any(p.severity == "error" for p in result.problems):
        return result
    for number, row in rows:
        where = f"{unit} {number}"
        if not any((cell or "").strip() for cell in row):
            continue
        if len(row) > len(header) and any((c or "").strip() for c in row[len(header):]):
            result.problems.append(error(
                path, where, f"{len(row)} cells where the header has {len(header)}: check for "
                "an unquoted comma or a missing column name"))
            continue
        row = list(row) + [""] * (len(header) - len(row))
        meta: dict[str, str] = {}
        about: dict[tuple[str, str], str] = {}
        terms: list[Term] = []
        exclusions: list[Exclusion] = []
        for column, cell in zip(columns, row, strict=False):
            cell = cell or ""
            if column is None:
                continue
            kind, meaning = column
            if kind == "meta":
                meta[meaning] = cell.strip()
            elif kind == "about":
                about[meaning] = cell.strip()
            elif kind == "not_in":
                exclusions.extend(Exclusion(text, meaning)
                                  for text in _cell_pieces(cell, meaning, result, where))
            else:
                lang, status, term_type = meaning
                terms.extend(Term(text=text, lang=lang, status=status, term_type=term_type)
                             for text in _cell_pieces(cell, lang, result, where))
        for (lang, suffix), value in about.items():
            if not value:
                continue
            preferred = [i for i, t in enumerate(terms)
                         if t.lang == lang and t.status is TermStatus.PREFERRED]
            if not preferred:
                result.problems.append(error(
                    path, where, f"'{lang}{suffix}' is filled but there is no preferred "
                    f"'{lang}' term for it to describe", lang))
                continue
            term = terms[preferred[0]]
            field = "part_of_speech" if suffix == "_pos" else "note"
            terms[preferred[0]] = replace(term, **{field: value})
        concept = Concept(id=meta.get("id", ""), terms=tuple(terms),
                          subject=meta.get("subject", ""), definition=meta.get("definition", ""),
                          note=meta.get("note", ""), exclusions=tuple(exclusions), source=path)
        result.add(concept, where)
    return result


def _cell_pieces(cell: str, lang: str, result: GlossaryFile, where: str) -> list[str]:
    """The terms (or exclusion phrases) of a cell, as written between separators: the
    validator judges their spaces and characters; only the conventional single space around
    "|" is not theirs."""
    if not cell.strip():
        return []
    if cell != cell.strip():
        result.problems.append(warning(result.path, where, f"space before or after {cell!r}; "
                                       "it is ignored", lang))
    pieces = cell.strip().split(SEPARATOR)
    if len(pieces) == 1:
        return pieces
    return [piece.removeprefix(" ").removesuffix(" ") for piece in pieces]


def glossary_to_rows(concepts: Sequence[Concept],
                     languages: Sequence[str] | None = None) -> tuple[list[str], list[list[str]]]:
    """The header and rows for ``concepts``; refuses, naming the concept, what the layout
    cannot hold (an exporter that drops a usage note loses a terminologist's work)."""
    present = {item.lang for concept in concepts
               for item in (*concept.terms, *concept.exclusions)}
    if languages is None:
        languages = [*UN_LANGUAGES, *sorted(present - set(UN_LANGUAGES))]
    header = list(META_COLUMNS)
    for lang in languages:
        base = "id_lang" if lang == "id" else lang
        header += [base + suffix for suffix in _TERM_SUFFIXES]
        header += [base + suffix for suffix in _PREFERRED_SUFFIXES]
        header.append(base + EXCLUSION_SUFFIX)
    status_column = {(status, term_type): suffix
                     for suffix, (status, term_type) in _TERM_SUFFIXES.items()}
    rows = []
    for concept in concepts:
        cells: dict[str, list[str]] = {}
        described: set[str] = set()
        for term in concept.terms:
            base = "id_lang" if term.lang == "id" else term.lang
            suffix = status_column.get((term.status, term.term_type))
            if suffix is None:
                raise HexaglotError(
                    f"concept {concept.id}: the {term.lang} term {term.text!r} is a "
                    f"{term.status} {term.term_type}, which the table layout cannot hold (only "
                    "abbreviations have their own column): keep this glossary in TBX")
            if SEPARATOR in term.text:
                raise HexaglotError(f"concept {concept.id}: the {term.lang} term {term.text!r} "
                                    f"contains '{SEPARATOR}', the layout's term separator")
            cells.setdefault(base + suffix, []).append(term.text)
            if term.part_of_speech or term.note:
                first_preferred = (suffix == "" and term.lang not in described)
                if not first_preferred:
                    raise HexaglotError(
                        f"concept {concept.id}: the {term.lang} term {term.text!r} has a part "
                        "of speech or note, but the table layout only holds them for the "
                        "preferred term: keep this glossary in TBX")
                if term.part_of_speech:
                    cells[base + "_pos"] = [term.part_of_speech]
                if term.note:
                    cells[base + "_note"] = [term.note]
            if suffix == "":
                described.add(term.lang)
        for phrase in concept.exclusions:
            if SEPARATOR in phrase.text:
                raise HexaglotError(f"concept {concept.id}: the {phrase.lang} exclusion "
                                    f"{phrase.text!r} contains '{SEPARATOR}', the layout's "
                                    "separator")
            base = "id_lang" if phrase.lang == "id" else phrase.lang
            cells.setdefault(base + EXCLUSION_SUFFIX, []).append(phrase.text)
        missing = {item.lang for item in (*concept.terms, *concept.exclusions)} - set(languages)
        if missing:
            raise HexaglotError(f"concept {concept.id}: terms in {', '.join(sorted(missing))} "
                                "but no column for that language")
        meta = {"id": concept.id, "subject": concept.subject,
                "definition": concept.definition, "note": concept.note}
        rows.append([meta[name] if name in meta else SEPARATOR.join(cells.get(name, []))
                     for name in header])
    return header, rows
