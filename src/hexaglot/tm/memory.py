"""The translation-memory contract: what the pipeline, review import and nightly batch ask
of a TM, whatever stores it.

The embedded SQLite store (:mod:`hexaglot.tm.store`) implements it; a server database can
implement the same protocol later without the pipeline noticing. Scores follow CAT-tool
conventions so that translators read them as they read Trados's or memoQ's: 101 is an exact
match in the same context (same previous and next segment), 100 an exact match elsewhere,
below 100 a fuzzy match.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class UnitOrigin(StrEnum):
    """Who produced a unit's target. Ranked: a reviser's correction is never overwritten
    by fresh machine output, and outranks it in lookups."""

    HUMAN_REVISED = "human-revised"  # came back from review (``hexaglot review import``)
    IMPORTED = "imported"  # from a TMX: another CAT tool's human translation
    MT = "mt"  # machine translation stored so a later run can reuse it

    @property
    def rank(self) -> int:
        return {UnitOrigin.HUMAN_REVISED: 3, UnitOrigin.IMPORTED: 2, UnitOrigin.MT: 1}[self]


CONTEXT_MATCH = 101
EXACT_MATCH = 100


def context_hash(text: str | None) -> str:
    """The hash that stands for a neighbouring segment ("" at a document's edge)."""
    if not text:
        return ""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class TMUnit:
    source_lang: str
    target_lang: str
    source: str
    target: str
    origin: UnitOrigin
    document: str = ""  # file name the unit came from
    created: str = ""  # ISO 8601, UTC; set by the store when empty
    previous_hash: str = ""  # context_hash of the segment before, "" if none
    next_hash: str = ""  # context_hash of the segment after, "" if none
    engine: str = ""  # for MT units: the engine that produced the target
    note: str = ""


@dataclass(frozen=True)
class TMMatch:
    """One lookup result. ``target`` is the unit's target with the query's numbers put in
    where the only difference was a number (as CAT tools do), so it can be used as is;
    ``penalties`` say why the score is below 100 besides plain text difference."""

    unit: TMUnit
    score: int  # 101 context, 100 exact, below: fuzzy
    target: str
    penalties: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """"context", "exact" or "fuzzy", the label reviewers see."""
        if self.score >= CONTEXT_MATCH:
            return "context"
        return "exact" if self.score >= EXACT_MATCH else "fuzzy"


@dataclass(frozen=True)
class LookupQuery:
    source: str
    previous_hash: str = ""
    next_hash: str = ""


class TranslationMemory(Protocol):
    """What hexaglot needs from a TM. Implementations must be safe to call from the threads
    of one process; the SQLite store also tolerates a second process (it waits, then says
    which process holds the lock)."""

    def lookup(self, source_lang: str, target_lang: str, queries: Sequence[LookupQuery],
               min_score: int = 75) -> list[TMMatch | None]:
        """The best match for each query (None where nothing reaches ``min_score``).
        Ties go to the higher origin rank, then to the newer unit."""
        ...

    def add(self, units: Iterable[TMUnit]) -> int:
        """Store units; returns how many were written. A unit with the same languages,
        source and context as a stored one replaces it only if its origin ranks at least as
        high (a revised target is never replaced by MT)."""
        ...

    def count(self, source_lang: str | None = None, target_lang: str | None = None) -> int:
        ...

    def close(self) -> None:
        ...
