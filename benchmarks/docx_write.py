"""Writing the outputs of a DOCX against reading it.

A 1,000-paragraph DOCX is built from the FLORES-200 devtest English side (body paragraphs,
every fifth with bold and italic runs, the rest of the sentences in a three-column table).
It is read and segmented (``load_document``: ``read_document`` and the segmenter), translated
(Apertium en -> es by default, or ``--engine human``: no MT, every target cell empty), then
its two outputs are written: the translated DOCX (the format's writer) and the bilingual
review DOCX, each timed alone and together through ``write_target_outputs``. Goal: writing
both under 3x the read time.

Run: ``.venv/bin/python benchmarks/docx_write.py [--segments 1000] [--runs 5]
[--engine apertium|human]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docx

from hexaglot.formats import format_for, read_document
from hexaglot.pipeline import (
    Settings,
    block_spans,
    block_texts,
    glossary_index,
    load_document,
    output_paths,
    translate_target,
    write_target_outputs,
)
from hexaglot.review.writer import write_review_docx

REPO = Path(__file__).resolve().parent.parent
FLORES = REPO.parent / "shared/data/flores200-devtest"
GLOSSARIES = (REPO / "glossaries/hanoi-2025-event.tbx", REPO / "glossaries/un-cybercrime.csv")
TABLE_SHARE = 0.3  # of the sentences, in table cells
COLUMNS = 3


def build_docx(path: Path, sentences: list[str]) -> Path:
    """Paragraphs, some with bold and italic runs, then a table holding the rest."""
    document = docx.Document()
    document.add_heading("FLORES-200 devtest, English", level=1)
    in_table = int(len(sentences) * TABLE_SHARE)
    body, cells = sentences[:len(sentences) - in_table], sentences[len(sentences) - in_table:]
    for number, sentence in enumerate(body):
        if number % 5 == 0:
            words = sentence.split()
            third = max(1, len(words) // 3)
            paragraph = document.add_paragraph(" ".join(words[:third]) + " ")
            paragraph.add_run(" ".join(words[third:2 * third]) + " ").bold = True
            paragraph.add_run(" ".join(words[2 * third:])).italic = True
        else:
            document.add_paragraph(sentence)
    rows = -(-len(cells) // COLUMNS)
    table = document.add_table(rows=rows, cols=COLUMNS)
    table.style = "Table Grid"
    for number, sentence in enumerate(cells):
        table.cell(number // COLUMNS, number % COLUMNS).text = sentence
    document.save(str(path))
    return path


def timed(runs: int, function: Callable[[], object]) -> tuple[float, float]:
    """(median, best) seconds over ``runs`` calls."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=1000,
                        help="FLORES sentences in the document (at most 1012)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engine", default="apertium", choices=("apertium", "human"))
    parser.add_argument("--target", default="es")
    args = parser.parse_args()

    sentences = (FLORES / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    sentences = sentences[:args.segments]
    with tempfile.TemporaryDirectory(prefix="hexaglot-docx-write-") as scratch:
        folder = Path(scratch)
        source = build_docx(folder / "flores-en.docx", sentences)
        settings = Settings(targets=(args.target,), glossaries=GLOSSARIES, engine=args.engine,
                            out_dir=folder / "out")
        settings.out_dir.mkdir()
        index = glossary_index(settings.glossaries)

        document = load_document(source, "en")
        start = time.perf_counter()
        result = translate_target(document, args.target, settings, index)
        translate_s = time.perf_counter() - start
        review_path, translated_path = output_paths(document, args.target, settings.out_dir)
        texts = block_texts(document, result.segments, args.target)
        spans = block_spans(document, result.segments, args.target)
        writer = format_for(source)

        read_raw = timed(args.runs, lambda: read_document(source))
        read = timed(args.runs, lambda: load_document(source, "en"))
        write_doc = timed(args.runs, lambda: writer.write(document, texts, args.target,
                                                          translated_path, spans=spans))
        write_review = timed(args.runs, lambda: write_review_docx(document, result, review_path,
                                                                  index.glossary))
        write_both = timed(args.runs, lambda: write_target_outputs(document, result, settings,
                                                                   index.glossary))
        sizes = {path.name: path.stat().st_size // 1024
                 for path in (source, translated_path, review_path)}

    counts = result.segment_counts()
    print(f"Document: {len(sentences)} FLORES sentences -> {len(document.blocks)} blocks, "
          f"{len(document.segments)} segments ({sizes['flores-en.docx']} KB); en -> "
          f"{args.target} by {args.engine} in {translate_s:.2f} s (segments: "
          + ", ".join(f"{n} {origin}" for origin, n in counts.items() if n) + ")")
    print(f"Outputs: translated DOCX {sizes[translated_path.name]} KB, review DOCX "
          f"{sizes[review_path.name]} KB")
    print(f"Timings over {args.runs} runs (median / best), seconds:")
    rows = [("read_document", read_raw), ("read + segment (load_document)", read),
            ("write translated DOCX (formats.docx.write)", write_doc),
            ("write review DOCX (write_review_docx)", write_review),
            ("write both (write_target_outputs)", write_both)]
    for label, (median, best) in rows:
        print(f"  {label:44} {median:7.3f} / {best:7.3f}   {median / read[0]:5.2f}x read")
    ratio = write_both[0] / read[0]
    print(f"Writing both / reading (medians): {ratio:.2f}x "
          f"(goal: under 3x) -> {'met' if ratio < 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
