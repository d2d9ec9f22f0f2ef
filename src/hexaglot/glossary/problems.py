"""What is wrong with a glossary file, said so that a terminologist can fix it.

Readers and the validator collect every problem instead of stopping at the first one: a
terminologist fixing a 5,000-row export wants the whole list in one go, not one error per
run. Errors stop the glossary from loading at all (a half-read glossary would silently
drive a run); warnings are shown but do not block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from hexaglot.document import HexaglotError


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    file: str
    where: str  # "line 12", "row 7", "line 40, entry evt-0003": what the author can find
    message: str
    lang: str = ""

    @property
    def location(self) -> str:
        lang = f" [{self.lang}]" if self.lang else ""
        return f"{self.file}: {self.where}{lang}"

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


def error(file: object, where: str, message: str, lang: str = "") -> Problem:
    return Problem(Severity.ERROR, str(file), where, message, lang)


def warning(file: object, where: str, message: str, lang: str = "") -> Problem:
    return Problem(Severity.WARNING, str(file), where, message, lang)


class GlossaryInvalid(HexaglotError):
    """A glossary with errors: nothing of it is loaded. Carries every problem found."""

    def __init__(self, problems: Sequence[Problem], shown: int = 20) -> None:
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        files = " ".join(sorted({p.file for p in errors}))
        lines = [f"glossary not loaded: {len(errors)} error(s); fix them and check with "
                 f"'hexaglot glossary validate {files}'"]
        lines += [f"  {p.location}: {p.message}" for p in errors[:shown]]
        if len(errors) > shown:
            lines.append(f"  ... and {len(errors) - shown} more")
        super().__init__("\n".join(lines))


@dataclass
class GlossaryFile:
    """One file as read: its concepts (terms as written, not yet cleaned), where each one
    stands in the file, and the problems the reader met."""

    path: str
    concepts: list  # list[Concept]; parallel to locations
    locations: list[str]
    problems: list[Problem]

    def add(self, concept, location: str) -> None:
        self.concepts.append(concept)
        self.locations.append(location)
