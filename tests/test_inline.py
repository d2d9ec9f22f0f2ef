"""Inline codes from source to target: segments, engines' tags, edits, and placing by
alignment where an engine gives no codes back."""

from __future__ import annotations

from hexaglot.document import Block, InlineSpan, Origin
from hexaglot.hits import HitRecord, HitStatus
from hexaglot.inline import apply_edits, follow, from_html, outside_objects, place, to_html
from hexaglot.mt.apertium import ApertiumEngine
from hexaglot.pipeline import SegmentResult, segment_spans
from hexaglot.segment import segment_blocks


def covered(text: str, spans) -> list[tuple[str, str]]:
    return [(span.code, text[span.start:span.end]) for span in spans]


BOLD = "s1"
NOTE = "o0"


def test_segments_get_the_codes_that_fall_in_them():
    text = "The signing ceremony opened. The delegations are welcome."
    spans = (InlineSpan(4, 20, BOLD), InlineSpan(21, 44, "s2"),
             InlineSpan(28, 28, NOTE, isolated=True))
    one, two = segment_blocks((Block(0, text, "paragraph 1", spans=spans),), "en")
    assert covered(one.text, one.spans) == [
        ("s1", "signing ceremony"), ("s2", "opened."), ("o0", "")]
    # The note reference after the full stop stays with the sentence it followed.
    assert one.spans[2].start == len(one.text)
    assert covered(two.text, two.spans) == [("s2", "The delegations")]


def test_codes_follow_edits_of_the_translation():
    # Apertium's "Estados de Miembro", bold, made "Estados Miembros" by the glossary.
    text, spans = apply_edits("Los Estados de Miembro firmaron", [InlineSpan(4, 22, BOLD)],
                              [(12, 15, ""), (22, 22, "s")])
    assert text == "Los Estados Miembros firmaron"
    assert covered(text, follow(spans, text, text)) == [(BOLD, "Estados Miembros")]
    old, new = "La ceremonia de fichaje abrió", "La ceremonia de firma abrió"
    assert covered(new, follow([InlineSpan(3, 23, BOLD)], old, new)) == [
        (BOLD, "ceremonia de firma")]


def test_html_markup_round_trip_keeps_objects_and_protected_text():
    kept: list[str] = []
    codes: list = []
    text = "Page 3 of the report\tat www.un.org, signed."
    spans = [InlineSpan(5, 6, "o1", isolated=True), InlineSpan(14, 20, BOLD),
             InlineSpan(42, 42, NOTE, isolated=True)]
    markup = to_html(text, spans, kept, codes)
    assert markup == ('Page <span data-c="0">3</span> of the <span data-c="1">report</span>'
                      '<br data-k="0">at www.un.org, signed<br data-c="2">.')
    # An engine's answer: words moved, the field's text split and changed, the bold split.
    answer = ('Página <span data-c="0">tres</span> del <span data-c="1">in</span> '
              '<span data-c="1">forme</span><br data-k="0">en www.un.org<br data-c="2">.')
    plain, found = from_html(answer, kept, codes)
    assert plain == "Página 3 del in forme\ten www.un.org."
    assert covered(plain, found) == [("o1", "3"), (BOLD, "in forme"), (NOTE, "")]


def test_apertium_moves_codes_with_the_words():
    engine = ApertiumEngine()
    text = "The signing ceremony will take place in Hanoi."
    [result] = engine.translate([text], "en", "es", spans=[(InlineSpan(4, 20, BOLD),
                                                             InlineSpan(40, 45, "s2"),
                                                             InlineSpan(46, 46, NOTE, True))])
    assert covered(result.text, result.spans) == [
        (BOLD, "ceremonia de fichaje"), ("s2", "Hanoi"), (NOTE, "")]
    assert result.spans[-1].start == len(result.text)
    # Without codes asked for, none come back.
    assert engine.translate([text], "en", "es")[0].spans is None


def test_placing_codes_on_a_target_without_codes():
    source = "The Secretary-General welcomed Ms. Martin in Hanoi, said UNODC."
    spans = [InlineSpan(4, 21, BOLD), InlineSpan(22, 30, "s3"), InlineSpan(35, 41, "s2"),
             InlineSpan(45, 50, "s4"), InlineSpan(51, 51, NOTE, True)]
    target = "El Secretario General dio la bienvenida a la Sra. Martin en Hanói, dijo la ONUDC."
    placed, lost = place(source, spans, target,
                         anchors=[("Secretary-General", "Secretario General")])
    assert covered(target, placed) == [
        (BOLD, "Secretario General"), ("s2", "Martin"), (NOTE, "")]
    assert placed[-1].start == len(target)  # lost: at the end, and said
    assert [s.code for s in lost] == ["s3", "s4", NOTE]
    # A code over the whole sentence covers the whole translation.
    whole = place("Signed today.", [InlineSpan(0, 13, BOLD)], "Firmado hoy.")[0]
    assert covered("Firmado hoy.", whole) == [(BOLD, "Firmado hoy.")]
    # An object after a word found unchanged goes after it.
    placed, lost = place("Viet Nam signed. Then Hanoi welcomed all.",
                         [InlineSpan(8, 8, NOTE, True)], "Viet Nam firmó. Luego Hanói acogió.")
    assert placed[0].start == len("Viet Nam") and not lost


def test_segment_spans_use_the_engines_codes_then_the_glossary():
    segment = segment_blocks((Block(0, "The signing ceremony opened.", "paragraph 1",
                                    spans=(InlineSpan(4, 20, BOLD),)),), "en")[0]
    hit = HitRecord(doc="d", segment_id="1.1", source_lang="en", target_lang="es",
                    concept_id="t-001", source_term="signing ceremony",
                    source_term_status="preferred", expected_target="ceremonia de firma",
                    status=HitStatus.OK, found_target="ceremonia de firma")
    # A translation memory's target: no codes, the glossary pair places the bold.
    result = SegmentResult(segment=segment, target="Se abrió la ceremonia de firma.",
                           origin=Origin.TM, engine="tm", hits=(hit,))
    placed, lost = segment_spans(result)
    assert covered(result.target, placed) == [(BOLD, "ceremonia de firma")] and not lost
    # An engine's codes, followed through a later edit of the text.
    carried = SegmentResult(segment=segment, target="La ceremonia de firma se abrió.",
                            origin=Origin.MT, engine="apertium",
                            inline=("La ceremonia de fichaje se abrió.",
                                    (InlineSpan(3, 23, BOLD),)))
    assert covered(carried.target, segment_spans(carried)[0]) == [(BOLD, "ceremonia de firma")]


def test_terms_in_a_field_result_are_not_hits():
    class Match:
        def __init__(self, start, end):
            self.start, self.end = start, end

    matches = [Match(0, 5), Match(10, 15)]
    kept = outside_objects(matches, [InlineSpan(8, 16, "o0", isolated=True)])
    assert [(m.start, m.end) for m in kept] == [(0, 5)]
