"""Punctuation and spacing as each target language writes them.

- French: a space before ``; : ! ?`` and inside ``« »``. A normal space, a no-break space
  (U+00A0), a narrow no-break space (U+202F) and a thin space (U+2009, which the FLORES
  references use) all count; the suggestion inserts U+00A0, which never breaks the line
  before the mark. A colon between digits (``4:41``, ``3:2``) is a time or a ratio.
- Spanish: a question ending in ``?`` opens with ``¿`` in the same sentence (``¡`` for
  ``!``, a warning only: brand names like ``Yahoo!`` keep theirs alone).
- Chinese: ``，。：；！？`` after Chinese characters, not the ASCII marks.
- Arabic: ``، ؟ ؛`` after Arabic words, not ``, ? ;``.
- Everywhere: doubled spaces inside a segment, brackets and quotes left open or closed
  twice (only where the source's own are balanced: a quotation that runs over two segments
  leaves both unbalanced), and the sentence-final mark of the source lost.

Nothing inside a URL, an e-mail address, a placeholder or an inline code is looked at.
"""

from __future__ import annotations

import re
import unicodedata

from hexaglot.checks.base import CheckContext, Finding, PairCheck, SegmentPair, Severity
from hexaglot.checks.markup import code_spans

SPACES = " \u00a0\u202f\u2009"
NBSP = "\u00a0"
FULLWIDTH = {",": "，", ".": "。", ":": "：", ";": "；", "!": "！", "?": "？"}
ARABIC_MARKS = {",": "،", "?": "؟", ";": "؛"}
# Marks that end a sentence, in every script; what the source's mark becomes per target.
FINAL_MARKS = ".?!…。？！؟"
FINAL_EQUIVALENT = {
    "zh": {".": "。", "?": "？", "!": "！", "。": "。", "？": "？", "！": "！", "؟": "？"},
    "ar": {".": ".", "?": "؟", "!": "!", "。": ".", "？": "؟", "！": "!", "؟": "؟"},
}
# Closing quotes and brackets that may follow the final mark ("… fin. »", "…。”").
QUOTE_CHARS = "\"'“”‘’«»「」『』《》（）() \u00a0"
CLOSERS = "\"'”’»」』）)]》\u2019 \u00a0\u202f\u2009"

# Families of brackets and quotes: a translation may write the source's "…" as « … » or
# “…”, so balance is judged per family, each style within it on its own.
BRACKETS = {"round": (("(", ")"), ("（", "）")), "square": (("[", "]"), ("【", "】")),
            "title": (("《", "》"), ("〈", "〉"))}
QUOTES = (("«", "»"), ("「", "」"), ("『", "』"))


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" \
        or "\uf900" <= char <= "\ufaff"


def _is_arabic_letter(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff" and (char.isalpha() or
                                              unicodedata.category(char) == "Mn")


def _masked(text: str) -> str:
    """The text with URLs, addresses and codes blanked out (same length)."""
    for start, end in code_spans(text):
        text = text[:start] + "\x00" * (end - start) + text[end:]
    return text


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """From the start of the word before ``start`` to the end of the word after ``end``."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and text[right] in SPACES:
        right += 1
    while right < len(text) and not text[right].isspace():
        right += 1
    return left, right


class PunctuationCheck(PairCheck):
    name = "punctuation"

    def check_pair(self, pair: SegmentPair, context: CheckContext) -> list[Finding]:
        lang = context.target_lang
        text = _masked(pair.target)
        findings: list[Finding] = []
        if lang == "fr":
            findings.extend(_french(pair, text))
        elif lang == "es":
            findings.extend(_spanish(pair, text))
        elif lang == "zh":
            findings.extend(_fullwidth(pair, text))
        elif lang == "ar":
            findings.extend(_arabic(pair, text))
        findings.extend(_double_space(pair, text))
        findings.extend(_unbalanced(pair, text, _masked(pair.source)))
        findings.extend(_final(pair, lang))
        return findings


def _insert_space(pair: SegmentPair, at: int, message: str) -> Finding:
    """A French finding whose fix is a no-break space inserted at ``at``."""
    target = pair.target
    left, right = _word_around(target, at, at + 1)
    return Finding("punctuation.french-space", Severity.WARNING, pair.id, message,
                   target_span=(left, right),
                   suggestion=target[left:at] + NBSP + target[at:right])


def _french(pair: SegmentPair, text: str):
    for match in re.finditer(r"[;:!?]", text):
        at, mark = match.start(), match.group()
        before = text[at - 1] if at else ""
        if not before or before in SPACES or before in ";:!?«(“\"'\x00":
            continue
        after = text[at + 1] if at + 1 < len(text) else ""
        if mark == ":" and before.isdigit() and after.isdigit():
            continue  # 4:41.30, 3:2
        yield _insert_space(pair, at, f"French puts a space before “{mark}”")
    for match in re.finditer("«", text):
        after = text[match.end()] if match.end() < len(text) else ""
        if after and after not in SPACES and after != "»":
            left, right = _word_around(pair.target, match.start(), match.end())
            yield Finding("punctuation.french-space", Severity.WARNING, pair.id,
                          "French puts a space after “«”", target_span=(left, right),
                          suggestion=pair.target[left:match.end()] + NBSP
                          + pair.target[match.end():right])
    for match in re.finditer("»", text):
        before = text[match.start() - 1] if match.start() else ""
        if before and before not in SPACES and before != "«":
            yield _insert_space(pair, match.start(), "French puts a space before “»”")


def _spanish(pair: SegmentPair, text: str):
    for mark, opener, severity in (("?", "¿", Severity.ERROR), ("!", "¡", Severity.WARNING)):
        previous = 0  # just after the last closing mark of this kind: "¿Qué? Y tú?"
        for match in re.finditer(re.escape(mark), text):
            at, end = match.start(), match.end()
            if opener not in text[previous:at] and text[at - 1:at] != mark:
                start = _sentence_start(text, previous, at)
                first = start
                while first < at and text[first] in "«“\"'(—-" + SPACES:
                    first += 1
                kind = "question" if mark == "?" else "exclamation"
                yield Finding(
                    "punctuation.spanish-inverted", severity, pair.id,
                    f"a Spanish {kind} ending in “{mark}” opens with “{opener}”",
                    target_span=(start, end),
                    suggestion=pair.target[start:first] + opener + pair.target[first:end])
            previous = end
        if text.count(opener) > text.count(mark):
            at = text.rfind(opener)
            yield Finding("punctuation.spanish-inverted", severity, pair.id,
                          f"“{opener}” opens a sentence that no “{mark}” closes",
                          target_span=(at, at + 1))


def _sentence_start(text: str, low: int, high: int) -> int:
    """Where the sentence ending at ``high`` starts, not before ``low``: after the last
    . ! ? … followed by a space, unless the point ends an abbreviation ("Dr.", "EE. UU.")."""
    start = low
    for match in re.finditer(r"[.!?…]+[\s\u00a0]+", text[low:high]):
        word = re.search(r"(\w+)\W*$", text[low:low + match.start() + 1])
        if match.group()[0] == "." and word and len(word.group(1)) <= 2 \
                and word.group(1)[0].isupper():
            continue
        start = low + match.end()
    return start


def _neighbours(text: str, at: int) -> tuple[int, int]:
    """The first non-space positions before and after ``at`` (-1 / len when none)."""
    left = at
    while left > 0 and text[left - 1] == " ":
        left -= 1
    right = at + 1
    while right < len(text) and text[right] == " ":
        right += 1
    return left - 1, right


def _past_quotes(text: str, index: int, step: int) -> str:
    """The first character from ``index`` on (towards ``step``) that is not a space, a
    quote or a bracket."""
    while 0 <= index < len(text) and text[index] in QUOTE_CHARS:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _fullwidth(pair: SegmentPair, text: str):
    for match in re.finditer(r"[,.:;!?]", text):
        at, mark = match.start(), match.group()
        before, after = _neighbours(text, at)
        prev = text[before] if before >= 0 else ""
        chinese_before = _is_cjk(prev) or prev in "”’）》」』"
        # After Latin text a mark is Chinese when Chinese follows ("802.11g，前提",
        # "V，“下弓”"); not a point, which may end an abbreviation or a number.
        chinese_after = mark != "." and _is_cjk(_past_quotes(text, after, 1))
        if not (chinese_before or chinese_after):
            continue
        if mark == "." and text[at + 1:at + 2] == ".":
            continue  # "..." is an ellipsis; whether it should be "……" is not ours to say
        start = max(before, 0)
        yield Finding("punctuation.fullwidth", Severity.ERROR, pair.id,
                      f"Chinese writes “{FULLWIDTH[mark]}”, not the ASCII “{mark}”, in "
                      "Chinese text", target_span=(start, after),
                      suggestion=pair.target[start:before + 1] + FULLWIDTH[mark])


def _arabic(pair: SegmentPair, text: str):
    for match in re.finditer(r"[,?;]", text):
        at, mark = match.start(), match.group()
        before, after = _neighbours(text, at)
        prev = text[before] if before >= 0 else ""
        following = text[after] if after < len(text) else ""
        if prev.isdigit() and following.isdigit():
            continue  # 1,5 and 1,000
        if not (_is_arabic_letter(_past_quotes(text, before, -1)) or (
                mark != "?" and _is_arabic_letter(_past_quotes(text, after, 1)))):
            continue
        glued = mark != "?" and at + 1 < len(text) and not text[at + 1].isspace()
        yield Finding("punctuation.arabic", Severity.ERROR, pair.id,
                      f"Arabic writes “{ARABIC_MARKS[mark]}”, not “{mark}”",
                      target_span=(before + 1, at + 1),
                      suggestion=ARABIC_MARKS[mark] + (" " if glued else ""))


def _double_space(pair: SegmentPair, text: str):
    for match in re.finditer(r"(?<=\S)[ \u00a0\u202f\u2009]{2,}(?=\S)", text):
        run = match.group()
        keep = next((c for c in run if c != " "), " ")
        yield Finding("punctuation.double-space", Severity.WARNING, pair.id,
                      f"{len(run)} spaces in a row", target_span=(match.start(), match.end()),
                      suggestion=keep)


def _depth_problem(text: str, opener: str, closer: str) -> int | None:
    """Where a pair goes wrong: the first closer with nothing open, or the last opener
    left open; None when balanced."""
    if opener not in text and closer not in text:
        return None  # most texts, most pairs: no need to walk the characters
    depth, open_at = 0, []
    for index, char in enumerate(text):
        if char == opener and opener != closer:
            open_at.append(index)
            depth += 1
        elif char == closer:
            if opener == closer:
                open_at.append(index)
                continue
            if depth == 0:
                return index
            depth -= 1
            open_at.pop()
    if opener == closer:
        return open_at[-1] if len(open_at) % 2 else None
    return open_at[-1] if open_at else None


def _styles(text: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """The pairs to balance in ``text``, by family."""
    # Russian and German „…“, Polish „…”, elsewhere “…”.
    curly = ("„", "”" if "”" in text else "“") if "„" in text else ("“", "”")
    families = dict(BRACKETS)
    families["quote"] = (*QUOTES, curly, ('"', '"'))
    # ‘ ’: the closing one is also the apostrophe; only an opening one never closed counts.
    return families


def _family_problems(text: str) -> dict[str, tuple[str, int]]:
    problems: dict[str, tuple[str, int]] = {}
    for family, pairs in _styles(text).items():
        for opener, closer in pairs:
            at = _depth_problem(text, opener, closer)
            if at is not None:
                problems.setdefault(family, (text[at], at))
        if family == "quote" and text.count("‘") > text.count("’"):
            problems.setdefault(family, ("‘", text.rfind("‘")))
    return problems


def _unbalanced(pair: SegmentPair, text: str, source: str):
    in_source = _family_problems(source)
    for family, (char, at) in _family_problems(text).items():
        if family in in_source:
            continue
        yield Finding("punctuation.unbalanced", Severity.WARNING, pair.id,
                      f"“{char}” has no partner in the target, while the source's "
                      f"{'quotes' if family == 'quote' else 'brackets'} are balanced",
                      target_span=(at, at + 1))


def _final(pair: SegmentPair, lang: str):
    source = pair.source.rstrip(CLOSERS)
    target = pair.target.rstrip(CLOSERS)
    if not source or not target or source[-1] not in FINAL_MARKS:
        return
    if target[-1] in FINAL_MARKS:
        return
    mark = FINAL_EQUIVALENT.get(lang, {}).get(source[-1]) or \
        {"。": ".", "？": "?", "！": "!", "؟": "?"}.get(source[-1], source[-1])
    end = len(target)
    if lang == "zh":
        start = end - 1
    else:
        start = end
        while start > 0 and not pair.target[start - 1].isspace():
            start -= 1
    # A comma or a colon where the sentence should end is replaced, not followed.
    kept = pair.target[start:end].rstrip(",;:،؛，；：")
    yield Finding("punctuation.final", Severity.WARNING, pair.id,
                  f"the source ends with “{source[-1]}” and the target has no final mark",
                  target_span=(start, end), suggestion=kept + mark)
