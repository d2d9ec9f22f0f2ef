"""Glossary matching at UNTERM's scale, against a naive regex-per-term baseline.

Side by side in one run:

1. A synthetic glossary of N concepts (default 100,000) with a term in each of the six
   languages, written as TBX: time to load it from TBX, to build the six automata, to load
   the compiled index from the cache, and the peak memory of the process.
2. Matching the whole FLORES-200 devtest (1,012 sentences) in each language with a
   1,000-concept glossary and with the N-concept one: the ratio shows whether matching time
   depends on glossary size.
3. The naive baseline a home-made script would use, one compiled regex per term, at 1,000
   terms on the English devtest, against hexaglot's matcher on the same terms.

The synthetic terms are pairs of real words from the devtest, so that matching does real
work. Run: ``.venv/bin/python benchmarks/glossary_scale.py [--concepts 100000]``
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from hexaglot.glossary import Glossary, load_glossaries, normalize
from hexaglot.glossary.index import GlossaryIndex, load_index
from hexaglot.glossary.match import TermMatcher
from hexaglot.glossary.normalize import word_key
from hexaglot.languages import UN_LANGUAGES

REPO = Path(__file__).resolve().parent.parent
FLORES = REPO.parent / "shared/data/flores200-devtest"
FILES = {"en": "eng_Latn", "ar": "arb_Arab", "zh": "zho_Hans", "fr": "fra_Latn",
         "ru": "rus_Cyrl", "es": "spa_Latn"}


def devtest(lang: str) -> list[str]:
    return (FLORES / f"{FILES[lang]}.devtest").read_text(encoding="utf-8").splitlines()


def vocabulary(lang: str) -> list[str]:
    text = " ".join(devtest(lang))
    if lang == "zh":
        return sorted({text[i:i + 2] for i in range(len(text) - 1)
                       if all("\u4e00" <= c <= "\u9fff" for c in text[i:i + 2])})
    return sorted({w for w in re.findall(r"[^\W\d_]{4,}", text)})


def synthetic_tbx(path: Path, concepts: int) -> None:
    rng = random.Random(2025)
    words = {lang: vocabulary(lang) for lang in UN_LANGUAGES}
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX-Basic">'
                  "<text><body>\n")
        for number in range(concepts):
            out.write(f'<termEntry id="s{number}">')
            for lang in UN_LANGUAGES:
                joiner = "" if lang == "zh" else " "
                term = joiner.join(rng.sample(words[lang], 2))
                out.write(f'<langSet xml:lang="{lang}"><tig><term>{escape(term)}</term></tig>'
                          "</langSet>")
            out.write("</termEntry>\n")
        out.write("</body></text></martif>\n")


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def match_all(matcher: TermMatcher, sentences: list[str]) -> tuple[int, float]:
    # Every pass starts with the same cold word caches, so that the first does not warm
    # them for the second (the lexicons stay loaded).
    normalize.clear_word_keys()
    for cached in (word_key, normalize._normalize_word, normalize.arabic_readings):
        cached.cache_clear()
    start = time.perf_counter()
    hits = sum(len(matcher.find(sentence)) for sentence in sentences)
    return hits, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tbx = Path(folder) / "synthetic.tbx"
        synthetic_tbx(tbx, args.concepts)
        glossary, load_seconds = timed(lambda: load_glossaries([tbx]))
        index, build_seconds = timed(lambda: GlossaryIndex(glossary).compile_all())
        cache = Path(folder) / "cache"
        load_index([tbx], cache)  # writes the compiled cache
        _, cached_seconds = timed(lambda: load_index([tbx], cache))
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    small = Glossary(concepts=glossary.concepts[:1000])
    print(f"synthetic glossary: {len(glossary):,} concepts x {len(UN_LANGUAGES)} languages")
    print(f"  load from TBX                {load_seconds:7.2f} s")
    print(f"  build the six automata       {build_seconds:7.2f} s")
    print(f"  load the compiled cache      {cached_seconds:7.2f} s")
    print(f"  peak memory of the process   {peak_mib:7.0f} MiB")
    print("matching the 1,012-sentence devtest (seconds; hits in brackets)")
    print(f"  {'lang':4} {'1,000 concepts':>18} {f'{len(glossary):,} concepts':>20} {'ratio':>6}")
    for lang in UN_LANGUAGES:
        sentences = devtest(lang)
        hits_small, small_seconds = match_all(TermMatcher(small, lang), sentences)
        hits_big, big_seconds = match_all(index.matcher(lang), sentences)
        print(f"  {lang:4} {small_seconds:9.3f} [{hits_small:5}] {big_seconds:11.3f} "
              f"[{hits_big:6}] {big_seconds / small_seconds:6.2f}")

    sentences = devtest("en")
    terms = [c.approved("en").text for c in small.concepts]
    patterns = [re.compile(rf"\b{re.escape(t)}\b", re.IGNORECASE) for t in terms]
    start = time.perf_counter()
    naive_hits = sum(1 for s in sentences for p in patterns if p.search(s))
    naive_seconds = time.perf_counter() - start
    ours_hits, ours_seconds = match_all(TermMatcher(small, "en"), sentences)
    print("naive regex per term vs hexaglot, 1,000 English terms, whole devtest")
    print(f"  regex per term   {naive_seconds:7.3f} s [{naive_hits} hits, exact spelling only]")
    print(f"  hexaglot         {ours_seconds:7.3f} s [{ours_hits} hits, inflections included]"
          f"   ratio regex/hexaglot {naive_seconds / ours_seconds:.1f}x")


if __name__ == "__main__":
    main()
