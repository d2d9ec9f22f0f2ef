"""Term accuracy and chrF: raw Apertium against hexaglot with glossary enforcement.

On ``benchmarks/data/term_accuracy.tsv`` (109 English sentences of the desk's domain, with
reference Spanish and French translations that use the approved terms), for en->es and
en->fr:

- term accuracy: the share of the expected glossary terms (the ``concepts`` column) whose
  approved or admitted target term is in the output, found by the target-language glossary
  matcher (so "Estados Miembros" counts for "Estado Miembro");
- exact form: the same, but the term written as the glossary writes it (capitals included,
  plural formed), as a reviser would want it;
- chrF (sacrebleu) of the whole output against the references.

Run: ``.venv/bin/python benchmarks/term_accuracy.py [--show-misses]``
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from sacrebleu.metrics import CHRF

from hexaglot.glossary.index import load_index
from hexaglot.hits import HitStatus, check_hits
from hexaglot.mt.agreement import pluralize
from hexaglot.mt.apertium import ApertiumEngine
from hexaglot.mt.enforce import Enforcer

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "benchmarks/data/term_accuracy.tsv"
GLOSSARIES = (REPO / "glossaries/hanoi-2025-event.tbx", REPO / "glossaries/un-cybercrime.csv")


def load_rows() -> list[dict[str, str]]:
    with open(DATA, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def score(outputs: list[str], rows, hits, target: str, index) -> tuple[float, float, list]:
    """(term accuracy, exact-form accuracy, misses)."""
    matcher = index.matcher(target)
    total = ok = exact = 0
    misses = []
    for output, row, row_hits in zip(outputs, rows, hits, strict=True):
        expected = set(row["concepts"].split())
        wanted = [hit for hit in row_hits if hit.concept.id in expected]
        records = check_hits(doc="", segment_id=row["id"], source_lang="en",
                             target_lang=target, source_hits=wanted, target_text=output,
                             target_matcher=matcher)
        for record in records:
            total += 1
            if record.status is HitStatus.OK:
                ok += 1
                concept = next(h.concept for h in wanted if h.concept.id == record.concept_id)
                forms = {t.text for t in concept.terms_in(target) if t.status.allowed}
                forms |= {pluralize(form, target) for form in forms}
                found = record.found_target
                opening = output.startswith(found)  # a capital that starts the sentence
                if found in forms or (opening and found in {f[:1].upper() + f[1:]
                                                            for f in forms}):
                    exact += 1
            else:
                misses.append((row["id"], record.source_term, record.expected_target,
                               record.status.value, output))
    return ok / total, exact / total, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    rows = load_rows()
    index = load_index(GLOSSARIES)
    engine = ApertiumEngine()
    sources = [row["en"] for row in rows]
    hits = [index.matcher("en").find(text) for text in sources]
    chrf = CHRF()
    print(f"{len(rows)} sentences, {sum(len(r['concepts'].split()) for r in rows)} expected "
          "terms per language")
    print(f"{'pair':8} {'system':22} {'term accuracy':>14} {'exact form':>11} {'chrF':>7}")
    for target in ("es", "fr"):
        references = [row[target] for row in rows]
        raw = [t.text for t in engine.translate(sources, "en", target)]
        enforced = Enforcer(engine, "en", target, index.matcher(target)).translate(sources, hits)
        for name, outputs in (("raw Apertium", raw),
                              ("hexaglot, enforced", [e.text for e in enforced])):
            accuracy, exact, misses = score(outputs, rows, hits, target, index)
            value = chrf.corpus_score(outputs, [references]).score
            print(f"en->{target:4} {name:22} {accuracy:14.3f} {exact:11.3f} {value:7.1f}")
            if args.show_misses and name.startswith("hexaglot"):
                for miss in misses:
                    print("   miss:", *miss, sep=" | ")


if __name__ == "__main__":
    main()
