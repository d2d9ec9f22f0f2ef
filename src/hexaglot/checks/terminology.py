"""Terminology: the glossary's approved terms in the target, its forbidden ones nowhere.

The same judgement as the glossary-hit records (:mod:`hexaglot.hits`), told as findings:
inflected forms count ("Estados Miembros" is "Estado Miembro"), each source occurrence needs
its own target occurrence, and a concept rendered two ways in one document is reported
even when both ways are allowed, since a reader takes two names for two things.

How sure a finding is depends on the term. A multiword term ("signing ceremony"), an
abbreviation (UNODC) or a name written with capitals (the Convention) means the glossary's
concept wherever it appears, so its absence is an error. A single common word ("report",
"statement", "adoption", 协议) may mean something else in the sentence (a school report,
the adoption of a child), and a translator may rightly choose another word: its absence or
a forbidden rendering is a warning, still listed for the reviewer. Measured on FLORES news
text, single common words were most of the terminology errors, all of them other senses.
"""

from __future__ import annotations

from collections.abc import Sequence

from hexaglot.checks.base import CheckContext, Finding, SegmentPair, Severity
from hexaglot.glossary.normalize import tokens
from hexaglot.hits import HitStatus, check_hits


class TerminologyCheck:
    name = "terminology"

    def check(self, pairs: Sequence[SegmentPair], context: CheckContext) -> list[Finding]:
        if context.target_matcher is None:
            return []
        findings: list[Finding] = []
        # (concept, source form) -> target key -> (form, segment): the same source form
        # rendered two ways; "UNODC" and its full name are two forms, rightly rendered apart.
        renderings: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
        for pair in pairs:
            hits = pair.source_hits
            if not hits and context.source_matcher is not None:
                hits = tuple(context.source_matcher.find(pair.source))
            if not pair.target.strip():
                continue
            matches = (list(pair.target_matches) if pair.target_matches is not None
                       else context.target_matcher.find_all(pair.target))
            records = check_hits(doc="", segment_id=pair.id, source_lang=context.source_lang,
                                 target_lang=context.target_lang, source_hits=hits,
                                 target_text=pair.target,
                                 target_matcher=context.target_matcher,
                                 target_matches=matches)
            for hit, record in zip(_hits_with_target(hits, context.target_lang), records,
                                   strict=True):
                span = (hit.start, hit.end)
                specific = _specific(hit.surface, hit.term, hit.start, context.source_lang)
                severity = Severity.ERROR if specific else Severity.WARNING
                hedge = "" if specific else " (a single common word: check that it means " \
                    "the glossary's concept here)"
                if record.status is HitStatus.MISSING:
                    findings.append(Finding(
                        "terminology.missing", severity, pair.id,
                        f"“{record.source_term}” should be rendered “{record.expected_target}”"
                        f" (approved term), and no form of it is in the target{hedge}",
                        source_span=span, suggestion=record.expected_target))
                elif record.status is HitStatus.FORBIDDEN:
                    findings.append(Finding(
                        "terminology.forbidden", severity, pair.id,
                        f"“{record.found_target}” is a form the glossary forbids for "
                        f"“{record.source_term}”: use “{record.expected_target}”{hedge}",
                        source_span=span, target_span=_span_of(pair.target,
                                                               record.found_target),
                        suggestion=record.expected_target))
                elif record.status is HitStatus.OK:
                    key = " ".join(t.key for t in tokens(record.found_target,
                                                         context.target_lang))
                    source_key = " ".join(t.key for t in tokens(hit.surface,
                                                                 context.source_lang))
                    renderings.setdefault((record.concept_id, source_key), {}).setdefault(
                        key, (record.found_target, pair.id))
                if record.source_term_status in ("forbidden", "deprecated"):
                    findings.append(Finding(
                        "terminology.source-forbidden", Severity.WARNING, pair.id,
                        f"the source itself uses the {record.source_term_status} form "
                        f"“{record.source_term}”: tell the author", source_span=span))
            findings.extend(_unasked_forbidden(pair, matches, hits, context))
        for (concept_id, _), forms in renderings.items():
            if len(forms) > 1:
                written = sorted(form for form, _ in forms.values())
                for form, segment_id in list(forms.values())[1:]:
                    findings.append(Finding(
                        "terminology.inconsistent", Severity.WARNING, segment_id,
                        f"{concept_id} is written in more than one way in this document "
                        f"({' / '.join(f'“{w}”' for w in written)}): here “{form}”"))
        return findings


def _specific(surface: str, term, start: int, lang: str) -> bool:
    """Whether a matched term can only mean the glossary's concept: several words (Chinese:
    three characters or more), an abbreviation, or a capitalized name that is not merely
    opening the sentence."""
    if term.case_sensitive:
        return True
    if lang == "zh":
        return len(surface.strip()) >= 3
    if len(tokens(term.text, lang)) > 1:
        return True
    return term.text[:1].isupper() and surface[:1].isupper() and start > 0


def _hits_with_target(hits, target_lang):
    """The hits that check_hits makes a record for (those with a target term)."""
    return [hit for hit in hits if hit.concept.approved(target_lang) is not None]


def _span_of(text: str, found: str) -> tuple[int, int] | None:
    start = text.find(found) if found else -1
    return (start, start + len(found)) if start >= 0 else None


def _unasked_forbidden(pair: SegmentPair, matches, hits, context: CheckContext):
    """Forbidden target terms of concepts the source did not name: still never published."""
    asked = {hit.concept.id for hit in hits}
    position = -1
    for match in matches:
        if match.start < position:
            continue
        position = match.end
        if match.concept.id in asked or match.term.status.allowed:
            continue
        approved = match.concept.approved(context.target_lang)
        if approved is None or any(t.status.allowed and c.id == match.concept.id
                                   for c, t in match.candidates):
            continue
        specific = _specific(match.surface, match.term, match.start, context.target_lang)
        yield Finding("terminology.forbidden", Severity.ERROR if specific else Severity.WARNING,
                      pair.id,
                      f"“{match.surface}” is a form the glossary forbids: use "
                      f"“{approved.text}”", target_span=(match.start, match.end),
                      suggestion=approved.text)
