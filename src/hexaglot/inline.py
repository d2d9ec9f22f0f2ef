"""Inline codes (bold, links, note references, images...) carried from source to target.

A block read from a DOCX file carries its inline formatting as :class:`InlineSpan` codes
over its plain text (Okapi's model). Segmentation, glossary matching, QA, the translation
memory and the review all keep working on plain text; the codes travel beside it:

* :func:`clip` gives each segment the codes that fall in it;
* engines that move tags with the words (Apertium's HTML format) get the codes as markup
  (:func:`to_html`) and give them back over their output (:func:`from_html`);
* edits made to a translation afterwards (glossary enforcement, mechanical fixes) move the
  codes with the text (:func:`follow`, an alignment of the old text with the new);
* for every other target (neural engines, translation memory, humans) :func:`place` puts
  each code where it can be found again: the whole target for a code over the whole
  segment, the same words where they appear unchanged (names, numbers, URLs), the
  approved glossary term for a formatted term, an object after the word it followed. What
  cannot be placed is reported, and the text takes the paragraph's main formatting.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from typing import TypeVar

from hexaglot.document import InlineSpan

Spans = tuple[InlineSpan, ...]
T = TypeVar("T")
_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


def clip(spans: Iterable[InlineSpan], start: int, end: int, owns: tuple[int, int] | None = None,
         closed: bool = False) -> Spans:
    """The codes of ``[start, end)`` of a text, with offsets from ``start``.

    Paired codes are cut to the range. An isolated code belongs to the range when it sits
    in ``owns`` (``[start, end)`` by default; ``closed``: its end included), and is pulled
    inside the range if it sits outside (an object in the blank after a sentence stays with
    that sentence).
    """
    low, high = owns or (start, end)
    out = []
    for span in spans:
        if span.isolated:
            if low <= span.start < high or (closed and span.start == high):
                at = min(max(span.start, start), end)
                out.append(replace(span, start=at - start,
                                   end=max(at, min(span.end, end)) - start))
        else:
            s, e = max(span.start, start), min(span.end, end)
            if s < e:
                out.append(replace(span, start=s - start, end=e - start))
    return tuple(out)


def shift(spans: Iterable[InlineSpan], offset: int) -> Spans:
    return tuple(span.shifted(offset) for span in spans)


def outside_objects(found: Iterable[T], spans: Iterable[InlineSpan]) -> list[T]:
    """The matches (anything with ``start`` and ``end``) that are not in the text of an
    isolated code: a field's result is shown as it is, never translated."""
    objects = [(s.start, s.end) for s in spans if s.isolated and s.end > s.start]
    return [m for m in found
            if not any(m.start < end and start < m.end for start, end in objects)]


# --- following edits ----------------------------------------------------------------------


def apply_edits(text: str, spans: Iterable[InlineSpan],
                edits: Sequence[tuple[int, int, str]]) -> tuple[str, Spans]:
    """``text`` with ``edits`` (start, end, replacement; in order, not overlapping) made,
    and the codes moved with it: a code over replaced text covers the replacement."""
    edits = sorted(edits)

    def moved(position: int, is_end: bool) -> int:
        delta = 0
        for start, end, replacement in edits:
            if position < start:
                break
            new_start = start + delta
            if position == start:  # a code starting or ending where an edit starts
                return new_start
            if position < end:  # inside the edited text: the whole replacement
                return new_start + len(replacement) if is_end else new_start
            if position == end:
                return new_start + len(replacement)
            delta += len(replacement) - (end - start)
        return position + delta

    pieces, position = [], 0
    for start, end, replacement in edits:
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    new = "".join(pieces)
    out = []
    for span in spans:
        start = moved(span.start, False)
        end = max(start, moved(span.end, True))
        out.append(replace(span, start=start, end=end))
    return new, tuple(out)


def remap(spans: Iterable[InlineSpan], old: str, new: str) -> Spans:
    """The codes over ``old`` moved onto ``new`` through a character alignment of the two
    (as ``difflib`` aligns them): for a text edited here and there, not rewritten."""
    spans = tuple(spans)
    if old == new or not spans:
        return spans
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    edits = [(i1, i2, new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
             if tag != "equal"]
    return apply_edits(old, spans, edits)[1]


def follow(spans: Iterable[InlineSpan], old: str, new: str) -> Spans:
    """:func:`remap`, then tidied for ``new``: a code cut inside a word by an edit
    ("Estado<b>s Miembro</b>s") covers the whole word again."""
    return tidy(remap(spans, old, new), new, snap=True)


def similar(old: str, new: str) -> bool:
    """Whether ``new`` is ``old`` edited (codes can follow) rather than rewritten."""
    if old == new:
        return True
    return SequenceMatcher(None, old, new, autojunk=False).ratio() >= 0.6


def tidy(spans: Iterable[InlineSpan], text: str, snap: bool = False) -> Spans:
    """Codes ready for a writer: inside the text, paired codes not empty, not overlapping,
    one code per stretch (two pieces of one code with only blanks between are joined),
    in order; ``snap``: paired codes widened to whole words."""
    size = len(text)
    paired, isolated = [], []
    for span in spans:
        start, end = min(max(span.start, 0), size), min(max(span.end, 0), size)
        if span.isolated:
            isolated.append(replace(span, start=start, end=max(start, end)))
            continue
        if snap:
            while 0 < start < size and text[start - 1].isalnum() and text[start].isalnum():
                start -= 1
            while 0 < end < size and text[end - 1].isalnum() and text[end].isalnum():
                end += 1
        if end > start:
            paired.append(replace(span, start=start, end=end))
    paired.sort(key=lambda s: (s.start, -s.end))
    merged: list[InlineSpan] = []
    for span in paired:
        if merged:
            last = merged[-1]
            if span.code == last.code and not text[last.end:span.start].strip():
                merged[-1] = replace(last, end=max(last.end, span.end))
                continue
            if span.start < last.end:
                if span.end <= last.end:
                    continue
                span = replace(span, start=last.end)
        merged.append(span)
    return tuple(sorted([*merged, *isolated], key=lambda s: (s.start, not s.isolated)))


# --- placing codes on a target the engine gave none for -------------------------------------


def place(source: str, spans: Iterable[InlineSpan], target: str, *,
          inline: tuple[str, Spans] | None = None,
          anchors: Iterable[tuple[str, str]] = ()) -> tuple[Spans, Spans]:
    """The codes of a source segment over its target: (placed, lost).

    ``inline``: the codes an engine returned over its own output (which later edits may
    have changed into ``target``); ``anchors``: (source words, target words) known to
    translate each other, such as a glossary term and its approved rendering. Lost codes
    are those that could not be found again; a lost object (note reference, image,
    bookmark) is still placed, at the end, so that nothing disappears.
    """
    spans = tuple(spans)
    if not spans:
        return (), ()
    if target == source:
        return tidy(spans, target), ()
    placed: list[InlineSpan] = []
    todo = list(spans)
    if inline is not None and similar(inline[0], target):
        carried = follow(inline[1], inline[0], target)
        placed = list(carried)
        todo = _missing(spans, carried)
    anchors = list(anchors)
    lost = []
    for span in todo:
        found = _find(source, span, target, placed, anchors)
        if found is None:
            if span.isolated and span.start == span.end:
                placed.append(replace(span, start=len(target), end=len(target)))
            if span.isolated or _WORD_CHAR.search(source[span.start:span.end]):
                lost.append(span)
            continue
        placed.append(replace(span, start=found[0], end=found[1]))
    return tidy(placed, target), tuple(lost)


def _missing(spans: Spans, carried: Spans) -> list[InlineSpan]:
    """Source codes with no counterpart among the carried ones (an engine dropped a tag)."""
    left: dict[str, int] = {}
    for span in carried:
        left[span.code] = left.get(span.code, 0) + 1
    missing = []
    for span in spans:
        if left.get(span.code, 0) > 0:
            left[span.code] -= 1
        else:
            missing.append(span)
    return missing


def _free(placed: list[InlineSpan], start: int, end: int) -> bool:
    return not any(not p.isolated and p.start < end and start < p.end for p in placed)


def _occurrences(needle: str, target: str, placed: list[InlineSpan],
                 fold: bool = False) -> tuple[int, int] | None:
    if not needle:
        return None
    flags = re.IGNORECASE if fold else 0
    for match in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", target, flags):
        if _free(placed, match.start(), match.end()):
            return match.start(), match.end()
    return None


def _find(source: str, span: InlineSpan, target: str, placed: list[InlineSpan],
          anchors: list[tuple[str, str]]) -> tuple[int, int] | None:
    before, inside, after = source[:span.start], source[span.start:span.end], \
        source[span.end:]
    if span.isolated and span.start == span.end:
        return _object_position(before, after, target)
    words = list(_WORD.finditer(target))
    if not words:
        return None
    if not _WORD_CHAR.search(before) and not _WORD_CHAR.search(after) and not span.isolated:
        start = 0 if not before else words[0].start()
        end = len(target) if not after else words[-1].end()
        return start, end
    core = inside.strip()
    found = _occurrences(core, target, placed)
    if found is not None or span.isolated:
        return found
    for source_words, target_words in anchors:
        if core.casefold() == source_words.casefold():
            found = _occurrences(target_words, target, placed, fold=True)
            if found is not None:
                return found
    return None


def _object_position(before: str, after: str, target: str) -> tuple[int, int] | None:
    """Where an object (note reference, image, bookmark) goes in the target: at the start
    or the end when it was there, else after the word it followed if that word is in the
    target as it was (a name, a number), else before the word that followed it."""
    if not _WORD_CHAR.search(before):
        return 0, 0
    if not _WORD_CHAR.search(after):
        return len(target), len(target)
    previous = list(_WORD.finditer(before))[-1]
    glued = before[previous.end():]  # punctuation between the word and the object
    matches = list(re.finditer(rf"(?<!\w){re.escape(previous.group())}(?!\w)", target))
    if len(matches) == 1:
        end = matches[0].end()
        if glued and target.startswith(glued, end):
            end += len(glued)
        return end, end
    following = _WORD.search(after)
    if following is not None:
        matches = list(re.finditer(rf"(?<!\w){re.escape(following.group())}(?!\w)", target))
        if len(matches) == 1:
            start = matches[0].start()
            gap = after[:following.start()]
            if gap and target[:start].endswith(gap):
                start -= len(gap)
            return start, start
    return None


# --- markup for engines that move tags with the words -------------------------------------


def to_html(text: str, spans: Iterable[InlineSpan], kept: list[str],
            codes: list[tuple[InlineSpan, str]], protect: re.Pattern[str] | None = None) -> str:
    """``text`` as inline HTML: a code over text as ``<span data-c="n">``, an object with
    no text as ``<br data-c="n">``, and text no engine may touch (``protect``, tabs, line
    breaks) as ``<br data-k="n">`` (from ``kept``). ``codes`` gets each code with the text
    it covers: an isolated code's text (a field's result) goes to the engine for context
    and comes back from ``codes`` as it was. Apertium reads ``<br>`` as a blank inside the
    sentence and keeps it in place; an empty ``<a></a>`` would end the sentence there."""
    spans = sorted(spans, key=lambda s: (s.start, not s.isolated))
    points = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = []
    for number, point in enumerate(points):
        out.extend("</span>" for s in spans if s.end == point and s.end > s.start)
        for span in spans:
            if span.start == point:
                codes.append((span, text[span.start:span.end]))
                tag = "br" if span.start == span.end else "span"
                out.append(f'<{tag} data-c="{len(codes) - 1}">')
        if number + 1 < len(points):
            out.append(_escaped(text[point:points[number + 1]], kept, protect))
    return "".join(out)


_KEEP_ALSO = re.compile(r"[\t\n]")


def _escaped(text: str, kept: list[str], protect: re.Pattern[str] | None) -> str:
    out, position = [], 0
    matches = sorted([*(protect.finditer(text) if protect else ()),
                      *_KEEP_ALSO.finditer(text)], key=lambda m: m.start())
    for match in matches:
        if match.start() < position:
            continue
        out.append(html.escape(text[position:match.start()], quote=False))
        out.append(f'<br data-k="{len(kept)}">')
        kept.append(match.group())
        position = match.end()
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)


_TAG = re.compile(r"(<[^>]*>)")
_NUMBER = re.compile(r'data-([ck])="(\d+)"')


def from_html(body: str, kept: Sequence[str],
              codes: Sequence[tuple[InlineSpan, str]]) -> tuple[str, Spans]:
    """Plain text and codes from an engine's output of :func:`to_html` markup.

    Pieces of one code that the engine split ("<b>Estados</b> de <b>Miembro</b>") are
    joined when nothing else lies between them. An isolated code gets its own text back in
    place of whatever the engine made of it ("12 de junio de 2025" is the date field's
    "12 June 2025" again: Word shows the field's result, not a translation of it).
    """
    text: list[str] = []
    size = 0
    found: list[tuple[int, InlineSpan]] = []  # (markup number, span)
    open_: list[tuple[int, int]] = []  # (markup number, start) of each open <span>
    for token in _TAG.split(body):
        if not token:
            continue
        if not token.startswith("<"):
            piece = html.unescape(token)
            text.append(piece)
            size += len(piece)
            continue
        number = _NUMBER.search(token)
        if token.startswith("</"):
            if token.startswith("</span") and open_:
                n, start = open_.pop()
                found.append((n, replace(codes[n][0], start=start, end=size)))
            continue
        if number is None:
            continue
        kind, n = number.group(1), int(number.group(2))
        if kind == "k":
            if n < len(kept):
                text.append(kept[n])
                size += len(kept[n])
        elif n < len(codes):
            if token.startswith("<span"):
                open_.append((n, size))
            else:
                found.append((n, replace(codes[n][0], start=size, end=size)))
    for n, start in open_:  # a tag the engine never closed: to the end
        found.append((n, replace(codes[n][0], start=start, end=size)))
    spans = _join_pieces(found)
    # Each isolated code's text as it was; the rest of its pieces, if split, go.
    edits: list[tuple[int, int, str]] = []
    seen: set[int] = set()
    for n, span in spans:
        if span.isolated and (codes[n][1] or span.end > span.start) and \
                (not edits or span.start >= edits[-1][1]):
            edits.append((span.start, span.end, "" if n in seen else codes[n][1]))
            seen.add(n)
    plain, moved = apply_edits("".join(text), [span for _, span in spans], edits)
    kept_spans = [span for (n, _), span in zip(spans, moved, strict=True)
                  if not (span.isolated and span.start == span.end and codes[n][1])]
    return plain, tuple(kept_spans)


def _join_pieces(found: list[tuple[int, InlineSpan]]) -> list[tuple[int, InlineSpan]]:
    found.sort(key=lambda item: (item[1].start, item[1].end))
    out: list[tuple[int, InlineSpan]] = []
    for n, span in found:
        if out and out[-1][0] == n:
            previous = out[-1][1]
            out[-1] = (n, replace(previous, end=max(previous.end, span.end)))
            continue
        if span.isolated and span.start == span.end and any(m == n for m, _ in out):
            continue  # an object given back twice: once is enough
        out.append((n, span))
    return out
