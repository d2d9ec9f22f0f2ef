"""Untranslated text: a copied source, source-language text left in, the wrong script.

Professional translations keep a lot of source-script text on purpose: names, acronyms,
product names, titles of works (``UNODC``, ``Microsoft``, ``City of Stars``, ``Haitian
Institute for Justice and Democracy`` in a Chinese target). What marks text as *left
untranslated* rather than *kept* is running language: the source language's function words
(``the``, ``of``, ``was``; ``de``, ``que``; ``и``, ``в``; ``في``, ``من``; ``的``, ``是``)
mixed with lowercase content words. Names have their content words capitalized, acronyms
have no lowercase at all. So:

- ``untranslated.copied`` (error): the target is the source, and the source has words to
  translate (two words or more, one of them in lowercase or in a script without case).
- ``untranslated.source-language``: a run of words in the target with at least three of
  the source language's function words (two across scripts, where the script already
  sets the run apart; or four, whatever else the run holds) and two lowercase content
  words. Function words that the target
  language also uses (``a``, ``en``, ``la``, ``no``, ``para``...) count for neither side.
  A run covering most of the target is an error (the segment was not translated), a
  shorter one a warning.
- ``untranslated.script`` (warning): words in another of the four scripts, names and
  acronyms (any capital letter) and single letters aside, adding up to 20 letters, or to
  8 letters and 30% of the target's letters.

Sentences of a same-script target with more of the source language's function words than
of its own are also put to the language identifier (:func:`detect_language`): a short
English sentence in a Spanish target has too few function words to make a run.

On the FLORES-200 devtest references (English into the five other UN languages) these
raise no error; the one warning is a real leftover in the Russian reference ("esented the
chhappan bhog bhajan").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from hexaglot.checks.base import CheckContext, Finding, PairCheck, SegmentPair, Severity
from hexaglot.checks.markup import code_spans
from hexaglot.languages import LANGUAGES, detect_language

# The most frequent function words (and a few very frequent verbs) of each language.
# Lists overlap on purpose ("la", "de", "en", "a"): what the target language also writes
# is taken out per pair (see _function_words), so a list also carries the frequent words
# of its language that are function words elsewhere (English "son", "plus"; Spanish
# "dan", "sur"; French "ni", "su").
FUNCTION_WORDS: dict[str, frozenset[str]] = {code: frozenset(words.split()) for code, words in {
    "en": """the of and to is in that for with was were are be been being it its this these
        those which who whom whose from by at would will could should have has had not or
        they their them there than into about after before over under between through
        during because while when where what how also only other such some each many most
        more did does do just can may might must shall our we you your she his her him
        upon within without against among since until very both either all any said says
        a an on as no he me but so if then
        son plus par pour sin era con hay""",
    "fr": """le la les l' des du de un une et est sont dans pour avec sur par pas que qui ne
        se ce cette ces il ils elle elles au aux leur leurs son sa ses été être avait ont
        mais ou où plus nous vous on en y lui dont comme très aussi après avant entre sans
        sous chez était sera fait cela tout tous toutes même a as an me te si but or
        ni es nos su sus sobre ha""",
    "es": """el la los las de del y en que un una es son por para con no se su sus al lo
        como más pero este esta estos estas ha han fue era sido ser está están muy también
        entre sin sobre hasta desde cuando donde porque le les nos ya otro otra otros todo
        todos ni o u a hay me te si he dan par sur""",
    "vi": """của và là các những được có trong cho với này một không người đã để từ khi về
        theo sẽ cũng đến như tại nhưng hơn ra vào bị do nhiều năm đó thì mà nên rằng chỉ
        hay hoặc nếu vì sau trước giữa rất đều cùng họ chúng tôi bạn ấy""",
    "id": """yang dan di ini itu dengan untuk dari dalam tidak akan pada adalah ke juga oleh
        atau ada karena mereka telah sudah bahwa sebagai lebih para kami kita saat dapat
        bisa tersebut seperti hanya namun jika masih belum setelah sebelum antara tetapi
        saya anda ia dia harus sangat banyak""",
    "ru": """и в во не на что с со по это как а из за для от к о об у же так но его ее её
        он она они оно был была были было быть также или при до если все всё уже только
        то бы этот эта эти этого который которая которые которых того чтобы когда где
        есть ещё еще их им нет да после между под над через без более очень может""",
    "ar": """في من على إلى الى أن ان عن التي الذي الذين هذا هذه ذلك تلك مع كان كانت لا ما
        قد لم لن بين عند كل بعد قبل حتى أو او ثم هو هي هم إن إذا كما أيضا أيضًا وقد وفي
        ومن وهو وهي""",
    # Chinese has no spaces: its function words are characters, and a run's words are
    # its characters.
    "zh": "的 了 是 在 和 有 这 也 就 不 与 为 对 将 被 从 而 但 所 以 之 其 于 们 个 他 她 我",
}.items()}

_MARK = "\u0300-\u036f\u064b-\u065f\u0670\u06d6-\u06ed"  # combining accents, Arabic harakat
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(rf"(?P<han>[{_HAN}])|(?P<word>(?:[^\W\d_{_HAN}]|[{_MARK}])+"
                   rf"(?:['’\-](?:[^\W\d_{_HAN}]|[{_MARK}])+)*)")
SCRIPT_PREFIXES = (("LATIN", "Latn"), ("CYRILLIC", "Cyrl"), ("ARABIC", "Arab"),
                   ("CJK", "Hans"))
CASED = {"Latn", "Cyrl"}
MIN_SCRIPT_LETTERS = 20  # wrong-script text (names aside) that is always worth a look
MIN_SCRIPT_SHARE = (8, 0.3)  # or this many letters making up this share of the target
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
SENTENCE_MARK = re.compile(r"[.!?…。？！؟]")
WHOLE_SEGMENT = 0.6  # share of the target's letters in source-language runs: an error


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    script: str

    @property
    def letters(self) -> int:
        return sum(1 for char in self.text if char.isalpha())

    @property
    def lowercase(self) -> bool:
        """Written without capitals: running text rather than a name or an acronym."""
        return self.script not in CASED or not any(char.isupper() for char in self.text)


def _script(char: str) -> str:
    if "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff":
        return "Hans"
    name = unicodedata.name(char, "")
    for prefix, script in SCRIPT_PREFIXES:
        if name.startswith(prefix):
            return script
    return "Other"


def tokens(text: str) -> list[Token]:
    """Words (single characters for Chinese), URLs, addresses and codes left out."""
    for start, end in code_spans(text):
        text = text[:start] + " " * (end - start) + text[end:]
    return [Token(m.group(), m.start(), m.end(), _script(m.group()[0]))
            for m in TOKEN.finditer(text)]


def _function_words(source: str, target: str) -> tuple[frozenset[str], frozenset[str]]:
    """Function words that tell the source language from the target language, and back."""
    source_words = FUNCTION_WORDS.get(source, frozenset())
    target_words = FUNCTION_WORDS.get(target, frozenset())
    return source_words - target_words, target_words - source_words


def has_words_to_translate(text: str) -> bool:
    """Two words or more, one in lowercase (or in a script without case): "Press release"
    has, "Microsoft Teams", "UNODC" and "New York" have not."""
    words = [t for t in tokens(text) if t.script != "Other" and (t.letters > 1
                                                                   or t.script == "Hans")]
    return len(words) >= 2 and any(t.lowercase for t in words)


def _runs(text: str, words: Sequence[Token], source_script: str, cross: bool,
          target_function: frozenset[str]) -> list[list[Token]]:
    """Stretches of the target that could be source-language text: across scripts, words
    in the source script; in the same script, words between two of the target language's
    function words. A run ends with its sentence."""
    runs: list[list[Token]] = [[]]
    for token in words:
        inside = token.script == source_script
        if not cross:
            inside = inside and token.text.lower() not in target_function
        if runs[-1] and SENTENCE_MARK.search(text, runs[-1][-1].end, token.start):
            runs.append([])
        if inside:
            runs[-1].append(token)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


class UntranslatedCheck(PairCheck):
    name = "untranslated"

    def check_pair(self, pair: SegmentPair, context: CheckContext) -> list[Finding]:
        source_lang, target_lang = context.source_lang, context.target_lang
        if source_lang == target_lang:
            return []
        source_name = LANGUAGES[source_lang].name if source_lang in LANGUAGES else source_lang
        if " ".join(pair.source.split()) == " ".join(pair.target.split()):
            if has_words_to_translate(pair.source):
                return [Finding("untranslated.copied", Severity.ERROR, pair.id,
                                f"the target is the {source_name} source, copied untranslated",
                                target_span=(0, len(pair.target)))]
            return []
        words = tokens(pair.target)
        findings = self._source_language(pair, words, source_lang, target_lang, source_name)
        if not findings:
            findings = self._script(pair, words, target_lang)
        return findings

    def _source_language(self, pair: SegmentPair, words: list[Token], source_lang: str,
                         target_lang: str, source_name: str) -> list[Finding]:
        source_script = _language_script(source_lang)
        target_script = _language_script(target_lang)
        if source_script is None or target_script is None:
            return []
        cross = source_script != target_script
        source_function, target_function = _function_words(source_lang, target_lang)
        flagged: list[list[Token]] = []
        for run in _runs(pair.target, words, source_script, cross, target_function):
            function = sum(1 for t in run if t.text.lower() in source_function)
            content = sum(1 for t in run if t.lowercase and t.text.lower() not in
                          source_function and (t.letters > 2 or t.script == "Hans"))
            # Across scripts a run is set apart by its script, and the language
            # identifier may settle one with a single function word ("... welcomed the
            # announcement."); in one script a run's edges are arbitrary, and sentences
            # are judged whole (_sentences).
            if (content >= 2 and (function >= (2 if cross else 3) or (
                    cross and function and _detected(
                        pair.target[run[0].start:run[-1].end], source_lang)))) or (
                    cross and function >= 4):
                flagged.append(run)
        if not cross:
            flagged.extend(self._sentences(pair.target, words, flagged, source_lang,
                                           source_function, target_function))
            flagged.sort(key=lambda run: run[0].start)
        if not flagged:
            return []
        letters = sum(t.letters for t in words) or 1
        in_runs = sum(t.letters for run in flagged for t in run)
        if in_runs / letters >= WHOLE_SEGMENT:
            start, end = flagged[0][0].start, flagged[-1][-1].end
            whole = in_runs == letters
            return [Finding("untranslated.source-language", Severity.ERROR, pair.id,
                            f"{'the' if whole else 'most of the'} target is in {source_name}, "
                            "the source language: it was not translated",
                            target_span=(start, end))]
        findings = []
        for run in flagged:
            start, end = run[0].start, run[-1].end
            findings.append(Finding(
                "untranslated.source-language", Severity.WARNING, pair.id,
                f"{len(run)} words in {source_name} left untranslated: "
                f"“{_excerpt(pair.target[start:end])}”", target_span=(start, end)))
        return findings

    def _sentences(self, text: str, words: list[Token], flagged: list[list[Token]],
                   source_lang: str, source_function: frozenset[str],
                   target_function: frozenset[str]) -> list[list[Token]]:
        """Same-script sentences that the language identifier (:func:`detect_language`)
        takes for the source language, among those with more of the source language's
        function words than the target language's: a short English sentence in a
        Spanish target has too few function words for a run ("Fellow wrestlers also paid
        tribute to Luna.")."""
        covered = {id(t) for run in flagged for t in run}
        found = []
        start = 0
        for boundary in [*SENTENCE_END.finditer(text), None]:
            end = boundary.start() if boundary else len(text)
            sentence = [t for t in words if start <= t.start < end]
            start = boundary.end() if boundary else len(text)
            if not sentence or any(id(t) in covered for t in sentence):
                continue
            function = sum(1 for t in sentence if t.text.lower() in source_function)
            against = sum(1 for t in sentence if t.text.lower() in target_function)
            if function > against and _detected(
                    text[sentence[0].start:sentence[-1].end], source_lang):
                found.append(sentence)
        return found

    def _script(self, pair: SegmentPair, words: list[Token],
                target_lang: str) -> list[Finding]:
        target_script = _language_script(target_lang)
        if target_script is None:
            return []
        letters = sum(t.letters for t in words)
        foreign = [t for t in words if t.script not in (target_script, "Other")
                   and (t.letters > 1 or t.script == "Hans")
                   and (t.lowercase or _is_function_word(t))]
        count = sum(t.letters for t in foreign)
        low, share = MIN_SCRIPT_SHARE
        if count < MIN_SCRIPT_LETTERS and not (count >= low and count >= share * letters):
            return []
        scripts = sorted({t.script for t in foreign})
        names = {"Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic", "Hans": "Chinese"}
        return [Finding(
            "untranslated.script", Severity.WARNING, pair.id,
            f"{count} letters of {'/'.join(names[s] for s in scripts)} text that is not a name"
            f" or an acronym in a {LANGUAGES[target_lang].name} target, e.g. "
            f"“{_excerpt(pair.target[foreign[0].start:foreign[-1].end])}”",
            target_span=(foreign[0].start, foreign[-1].end))]


def _detected(text: str, source_lang: str) -> bool:
    """Whether the language identifier says ``text`` is in the source language."""
    return detect_language(text) == source_lang


def _language_script(code: str) -> str | None:
    language = LANGUAGES.get(code)
    return language.script if language else None


def _is_function_word(token: Token) -> bool:
    lowered = token.text.lower()
    return any(lowered in words for code, words in FUNCTION_WORDS.items()
               if _language_script(code) == token.script)


def _excerpt(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
