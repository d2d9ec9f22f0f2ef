"""Translation-memory lookups at 1k, 10k and 100k units: does the time per query stay flat?

For each size, a TM of English -> French units is built from the FLORES-200 devtest (1,012
aligned sentences) and variants of each sentence (a lead-in and a closing clause from short
lists, the way press releases repeat sentences with small changes), stored in one
transaction. Then, side by side per size:

* exact: 200 devtest sentences as they are (100 or 101), in one batch as the pipeline asks;
* fuzzy: the same 200 with one word replaced by a word of another sentence, in one batch;
* fuzzy, one by one: the same, one lookup call per sentence (a desk manager's ``tm lookup``);
* times are the best of three runs;
* the candidate index's work per fuzzy query (mean candidates scored, mean postings read)
  and whether the edited sentence's original was found.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/tm_lookup.py [--sizes 1000,10000,100000]``
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from hexaglot.tm.memory import LookupQuery, TMUnit, UnitOrigin
from hexaglot.tm.store import open_tm

REPO = Path(__file__).resolve().parent.parent
FLORES = REPO.parent / "shared/data/flores200-devtest"

LEAD_INS = ["", "According to the report, ", "In a statement, ", "As announced, ",
            "On Monday, ", "Meanwhile, ", "In Hanoi, ", "At the ceremony, ",
            "For the record, ", "Separately, "]
CLOSINGS = ["", " (press release)", " the spokesperson said.", " officials confirmed.",
            " (update)", " the report noted.", " (corrected)", " sources said.",
            " (draft)", " the statement added."]


def devtest(name: str) -> list[str]:
    return (FLORES / f"{name}.devtest").read_text(encoding="utf-8").splitlines()


def variants(sentence: str, count: int) -> list[str]:
    """``count`` variants of a sentence; the first is the sentence itself."""
    out = []
    for number in range(count):
        lead, closing = LEAD_INS[number % 10], CLOSINGS[(number // 10) % 10]
        text = sentence
        if lead:
            text = lead + text[0].lower() + text[1:]
        if closing:
            text = text.rstrip(".") + ("," if closing[0] == " " else "") + closing
        out.append(text + (f" [{number // 100}]" if number >= 100 else ""))
    return out


def build(path: Path, size: int, english: list[str], french: list[str]) -> float:
    per_sentence = -(-size // len(english))
    units = []
    for en, fr in zip(english, french, strict=True):
        for text in variants(en, per_sentence):
            units.append(TMUnit("en", "fr", text, fr, UnitOrigin.IMPORTED,
                                created="2025-10-20T09:00:00Z"))
    units = units[:size]
    with open_tm(path) as tm:
        start = time.perf_counter()
        tm.add(units)
        return time.perf_counter() - start


def one_word_edits(sentences: list[str], seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    words = sorted({w for s in sentences for w in re.findall(r"[A-Za-z]{5,}", s)})
    edited = []
    for sentence in sentences:
        own = re.findall(r"[A-Za-z]{5,}", sentence)
        word = rng.choice(own)
        edited.append(sentence.replace(word, rng.choice(words), 1))
    return edited


def best_of(function, runs: int = 3):
    """The shortest of ``runs`` timings (in seconds) and the last result: the machine's
    noise only ever adds time."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    english, french = devtest("eng_Latn"), devtest("fra_Latn")
    picks = list(range(0, len(english), len(english) // args.queries))[:args.queries]
    exact = [LookupQuery(english[i]) for i in picks]
    fuzzy = [LookupQuery(text) for text in one_word_edits([english[i] for i in picks])]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"tm-{size}.sqlite"
            build_s = build(path, size, english, french)
            with open_tm(path) as tm:
                tm.lookup("en", "fr", exact[:5] + fuzzy[:5])  # warm caches and imports
                exact_ms, exact_hits = best_of(lambda: tm.lookup("en", "fr", exact))
                tm.reset_stats()
                fuzzy_ms, fuzzy_hits = best_of(lambda: tm.lookup("en", "fr", fuzzy))
                stats = tm.stats  # of the three runs: per query means are the same
                single_ms, _ = best_of(lambda: [tm.lookup("en", "fr", [q]) for q in fuzzy])
                exact_ms, fuzzy_ms, single_ms = (value * 1000 / len(fuzzy) for value in
                                                 (exact_ms, fuzzy_ms, single_ms))
                found = sum(1 for i, match in zip(picks, fuzzy_hits, strict=True)
                            if match is not None and match.unit.source == english[i])
                scores = [m.score for m in fuzzy_hits if m is not None]
                rows.append((size, tm.count(), build_s, exact_ms,
                             sum(1 for m in exact_hits if m and m.score >= 100), fuzzy_ms,
                             single_ms, stats.candidates_scored / max(1, stats.fuzzy_searched),
                             stats.postings_read / max(1, stats.fuzzy_searched),
                             stats.max_candidates_per_query, found,
                             statistics.median(scores) if scores else 0))
    print(f"{'units':>8} {'build s':>8} {'exact ms/q':>11} {'fuzzy ms/q':>11} "
          f"{'1-by-1 ms/q':>12} {'cand/q':>7} {'max cand':>8} {'postings/q':>11} "
          f"{'exact found':>12} {'fuzzy found':>12} {'median':>7}")
    for (_size, count, build_s, exact_ms, exact_found, fuzzy_ms, single_ms, cands, postings,
         max_cands, found, median) in rows:
        print(f"{count:>8} {build_s:>8.1f} {exact_ms:>11.3f} {fuzzy_ms:>11.3f} "
              f"{single_ms:>12.3f} {cands:>7.1f} {max_cands:>8} {postings:>11.0f} "
              f"{exact_found:>8}/{len(exact):<3} {found:>8}/{len(fuzzy):<3} {median:>7}")


if __name__ == "__main__":
    main()
