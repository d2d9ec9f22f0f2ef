"""Briefing packs for the interpreting booths (issue 8).

From an event's programme (:mod:`~hexaglot.briefing.programme`), the documents linked to
each session and the glossary, one Word document per session and booth language: the
session's title, time and venue; its speakers with their names, titles and countries as
the glossary approves them (:mod:`~hexaglot.briefing.render`); the glossary concepts its
documents use (:mod:`~hexaglot.briefing.select`); their numbers, dates and proper names
side by side with the booth's rendering (:mod:`~hexaglot.briefing.extract`,
:mod:`~hexaglot.briefing.localize`); and the speeches, machine-translated where an engine
covers the pair (:mod:`~hexaglot.briefing.build`, :mod:`~hexaglot.briefing.pack`).
Pure Python: the Prefect flow is ``flows/briefing.py``, the command ``hexaglot briefing``
(:mod:`~hexaglot.briefing.commands`). The layout of a programme is in docs/briefing.md.
"""

from hexaglot.briefing.build import (
    Briefing,
    BriefingResult,
    briefing_inputs_fingerprint,
    build_packs,
    packs_up_to_date,
)
from hexaglot.briefing.programme import (
    Programme,
    ProgrammeProblem,
    Session,
    Speaker,
    read_programme,
)

__all__ = [
    "Briefing",
    "BriefingResult",
    "Programme",
    "ProgrammeProblem",
    "Session",
    "Speaker",
    "briefing_inputs_fingerprint",
    "build_packs",
    "packs_up_to_date",
    "read_programme",
]
