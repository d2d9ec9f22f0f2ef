"""Text checks: untranslated text, punctuation per language, markup kept, length ratio.

What a reviewer would notice, in the six target languages, and silence on the FLORES-200
professional references (the real defects that the references do have are listed).
"""

from __future__ import annotations

import pytest

from conftest import FLORES, flores
from hexaglot.checks import load_check
from hexaglot.checks.base import CheckContext, SegmentPair, Severity
from hexaglot.checks.length import RATIO_BANDS, LengthCheck, derive_bands
from hexaglot.checks.markup import MarkupCheck
from hexaglot.checks.punctuation import PunctuationCheck
from hexaglot.checks.untranslated import UntranslatedCheck

NBSP, NNBSP = "\u00a0", "\u202f"


def findings(check, source, target, source_lang="en", target_lang="fr"):
    return check.check([SegmentPair("s1", source, target)],
                       CheckContext(source_lang, target_lang))


def codes(check, source, target, source_lang="en", target_lang="fr"):
    return [f.code for f in findings(check, source, target, source_lang, target_lang)]


def test_registered_by_name():
    for name, cls in (("untranslated", UntranslatedCheck), ("punctuation", PunctuationCheck),
                      ("markup", MarkupCheck), ("length", LengthCheck)):
        check = load_check(name)
        assert isinstance(check, cls) and check.name == name


# --- untranslated ------------------------------------------------------------------------

SOURCE = "The meeting was postponed until next week because of the storm."


@pytest.mark.parametrize("lang", ["ar", "zh", "fr", "ru", "es"])
def test_copied_source_is_an_error_in_every_target(lang):
    [finding] = findings(UntranslatedCheck(), SOURCE, SOURCE, target_lang=lang)
    assert finding.code == "untranslated.copied" and finding.severity is Severity.ERROR


@pytest.mark.parametrize("text", ["Microsoft Teams", "UNODC", "New York", "www.un.org",
                                  "2024", "Ban Ki-moon"])
def test_copied_names_and_acronyms_are_not_untranslated(text):
    for lang in ("ru", "fr", "zh"):
        assert findings(UntranslatedCheck(), text, text, target_lang=lang) == []


def test_copied_press_release_heading_is_untranslated():
    assert codes(UntranslatedCheck(), "Press release", "Press release",
                 target_lang="es") == ["untranslated.copied"]


def test_english_sentence_left_in_a_spanish_target():
    source = ("The storm that hit the coast on Tuesday night closed all the schools of the "
              "region for the rest of the week. The Secretary-General said that the decision "
              "was taken after consultations.")
    target = ("La tormenta que azotó la costa el martes por la noche cerró todas las escuelas "
              "de la región durante el resto de la semana. The Secretary-General said that "
              "the decision was taken after consultations.")
    [finding] = findings(UntranslatedCheck(), source, target, target_lang="es")
    assert finding.code == "untranslated.source-language"
    assert finding.severity is Severity.WARNING
    start, end = finding.target_span
    assert target[start:end] == ("The Secretary-General said that the decision was taken "
                                 "after consultations")


def test_target_mostly_in_english_is_an_error():
    target = ("Escuelas cerradas. The Secretary-General said that the decision was taken "
              "after consultations with the Member States.")
    [finding] = findings(UntranslatedCheck(), SOURCE, target, target_lang="es")
    assert finding.code == "untranslated.source-language"
    assert finding.severity is Severity.ERROR and finding.message.startswith("most of")


def test_whole_target_in_english_is_an_error():
    target = "The meeting has been postponed to next week because of the storm."
    [finding] = findings(UntranslatedCheck(), SOURCE, target, target_lang="es")
    assert finding.code == "untranslated.source-language"
    assert finding.severity is Severity.ERROR


def test_short_english_sentence_with_few_function_words_in_french():
    """Too few function words for a run: the language identifier decides the sentence."""
    target = "Les lutteurs ont rendu hommage à Luna. Fellow wrestlers also paid tribute to Luna."
    assert codes(UntranslatedCheck(), "Wrestlers paid tribute to Luna. They were moved.",
                 target) == ["untranslated.source-language"]


@pytest.mark.parametrize("lang,target", [
    ("ru", "Эксперты UNODC и Microsoft представили доклад о киберпреступности."),
    ("ar", "قدم خبراء UNODC و Microsoft تقريرا عن الجريمة السيبرانية."),
    ("zh", "UNODC 和 Microsoft 的专家介绍了关于网络犯罪的报告。"),
    ("zh", "海地司法与民主研究所（Haitian Institute for Justice and Democracy）的负责人说。"),
    ("ru", "Две песни — Audition (The Fools Who Dream) и City of Stars — попали в номинацию."),
    ("fr", "Le terme « did not finish » (DNF) désigne un abandon."),
])
def test_names_acronyms_and_titles_in_latin_are_normal(lang, target):
    source = "Experts from UNODC and Microsoft presented a report on cybercrime."
    assert findings(UntranslatedCheck(), source, target, target_lang=lang) == []


def test_english_left_in_a_russian_target():
    target = ("Школы были закрыты. The government said that the schools would reopen "
              "on Monday.")
    [finding] = findings(UntranslatedCheck(), "Schools were closed. The government said "
                         "that the schools would reopen on Monday.", target, target_lang="ru")
    assert finding.code == "untranslated.source-language"


def test_wrong_script_text_is_a_warning():
    target = "Le ministre a ouvert la séance : مرحبا بكم في المؤتمر الدولي حول المناخ"
    [finding] = findings(UntranslatedCheck(), "The minister opened the meeting: welcome to "
                         "the international conference on climate", target)
    assert finding.code == "untranslated.script" and finding.severity is Severity.WARNING


def test_spanish_source_left_in_an_english_target():
    source = "La reunión se celebrará en Ginebra la próxima semana con todos los Estados."
    assert codes(UntranslatedCheck(), source, "La reunión se celebrará en Ginebra la "
                 "próxima semana con los Estados.", "es", "en") == \
        ["untranslated.source-language"]


# --- punctuation -------------------------------------------------------------------------

def test_french_space_missing_before_colon():
    [finding] = findings(PunctuationCheck(), "Hello: thanks", "Bonjour: merci")
    assert finding.code == "punctuation.french-space"
    # The suggestion puts a no-break space, which never leaves ":" alone at a line start.
    assert finding.suggestion == f"Bonjour{NBSP}: merci"


@pytest.mark.parametrize("space", [" ", NBSP, NNBSP, "\u2009"])
def test_french_spaces_accepted(space):
    target = (f"Bonjour{space}: merci{space}; vraiment{space}! Et vous{space}? "
              f"«{space}Oui{space}»")
    assert findings(PunctuationCheck(), "Hello: thanks; really! And you? “Yes”", target) == []


@pytest.mark.parametrize("target,count", [
    ("Vraiment!", 1), ("Et vous?", 1), ("Oui; non", 1), ("«Oui»", 2), ("« Oui»", 1),
    ("Il a couru en 4:41 ; un record 3:2.", 0), ("Voir https://www.un.org/fr?x=1 : ici", 0),
    ("Quoi ?!", 0),
])
def test_french_spacing_cases(target, count):
    assert codes(PunctuationCheck(), "Really", target).count("punctuation.french-space") \
        == count


def test_spanish_question_needs_opening_mark():
    [finding] = findings(PunctuationCheck(), "What's up?", "Qué pasa?", target_lang="es")
    assert finding.code == "punctuation.spanish-inverted"
    assert finding.severity is Severity.ERROR
    assert finding.suggestion == "¿Qué pasa?"


@pytest.mark.parametrize("target", ["¿Qué pasa?", "Si vienes, ¿qué harás?",
                                    "El Dr. Ur preguntó: ¿vienes?", "¡Hola! ¿Qué tal?",
                                    "«¿Vienes?», preguntó."])
def test_spanish_questions_written_right(target):
    assert findings(PunctuationCheck(), "Are you coming?", target, target_lang="es") == []


def test_spanish_second_question_in_segment():
    [finding] = findings(PunctuationCheck(), "Hi! How are you?", "¡Hola! Qué tal?",
                         target_lang="es")
    assert finding.suggestion == "¿Qué tal?"


def test_spanish_exclamation_is_a_warning():
    [finding] = findings(PunctuationCheck(), "Great!", "Qué bien!", target_lang="es")
    assert finding.code == "punctuation.spanish-inverted"
    assert finding.severity is Severity.WARNING and finding.suggestion == "¡Qué bien!"


def test_chinese_ascii_comma_after_chinese():
    [finding] = findings(PunctuationCheck(), "Hello, world", "你好,世界", target_lang="zh")
    assert finding.code == "punctuation.fullwidth" and finding.suggestion == "好，"


@pytest.mark.parametrize("target,count", [
    ("你好，世界。", 0), ("版本 1.5 已发布。", 0), ("共有 1,000 人参加。", 0),
    ("它兼容 802.11g,前提是基站有双无线电。", 1), ("你好!", 1), ("他说: 好。", 1),
    ("请看 https://www.un.org/zh/。", 0),
])
def test_chinese_fullwidth_cases(target, count):
    assert codes(PunctuationCheck(), "Hello.", target, target_lang="zh") \
        .count("punctuation.fullwidth") == count


def test_arabic_latin_comma_and_question_mark():
    [finding] = findings(PunctuationCheck(), "Hello, world", "مرحبا, العالم",
                         target_lang="ar")
    assert finding.code == "punctuation.arabic" and finding.suggestion == "،"
    [question] = findings(PunctuationCheck(), "How are you?", "كيف حالك?", target_lang="ar")
    assert question.suggestion == "؟"
    assert findings(PunctuationCheck(), "How are you? Fine, 1,5 kg.",
                    "كيف حالك؟ بخير، 1,5 كغ.", target_lang="ar") == []


def test_double_space_in_every_language():
    for lang, text in (("ru", "Привет  мир."), ("ar", "مرحبا  بالعالم."), ("zh", "你好  世界。"),
                       ("fr", "Bonjour  le monde."), ("es", "Hola  mundo."),
                       ("en", "Hello  world.")):
        [finding] = findings(PunctuationCheck(), "Bonjour le monde.", text, "fr", lang)
        assert finding.code == "punctuation.double-space" and finding.suggestion == " "


def test_unbalanced_quotes_and_brackets():
    assert codes(PunctuationCheck(), 'He said: "hello."', "Он сказал: «привет.",
                 target_lang="ru") == ["punctuation.unbalanced"]
    assert codes(PunctuationCheck(), 'He said "hello".', "他说“你好“。",
                 target_lang="zh") == ["punctuation.unbalanced"]
    assert codes(PunctuationCheck(), "A group (small).", "一小群生物（小种群)。",
                 target_lang="zh") == ["punctuation.unbalanced"]


@pytest.mark.parametrize("lang,target", [
    ("ru", "Он сказал: „привет“."), ("ru", "Он сказал: «привет»."),
    ("fr", "L’homme d’État a dit : « bonjour »."), ("en", "The children’s books ‘A’ and ’B’."),
    ("zh", "他说：“你好”。"), ("es", "Dijo: «hola» (y se fue)."), ("ar", 'قال: "مرحبا".'),
])
def test_balanced_quotes_and_apostrophes_pass(lang, target):
    assert findings(PunctuationCheck(), 'He said: "hello".', target, "fr", lang) == []


def test_quotation_running_over_two_segments_is_not_flagged():
    assert findings(PunctuationCheck(), '"We have four-month-old mice.',
                    "« Nous avons des souris de quatre mois.", target_lang="fr") == []


def test_final_mark_lost():
    [finding] = findings(PunctuationCheck(), "It works.", "Ça marche")
    assert finding.code == "punctuation.final" and finding.suggestion == "marche."
    [zh] = findings(PunctuationCheck(), "It works.", "它有效", target_lang="zh")
    assert zh.suggestion == "效。"
    [ar] = findings(PunctuationCheck(), "Does it work?", "هل يعمل", target_lang="ar")
    assert ar.suggestion == "يعمل؟"
    [comma] = findings(PunctuationCheck(), "It works.", "Funciona,", target_lang="es")
    assert comma.suggestion == "Funciona."
    assert findings(PunctuationCheck(), "He said “it works.”", "Il a dit « ça marche. »") == []


# --- markup ------------------------------------------------------------------------------

def test_url_changed_is_flagged():
    [finding] = findings(MarkupCheck(), "See https://www.un.org/en/desa for more.",
                         "Voir https://www.un.org/fr/desa pour en savoir plus.")
    assert finding.code == "markup.missing" and finding.severity is Severity.ERROR
    assert finding.suggestion == "https://www.un.org/en/desa"
    assert "https://www.un.org/fr/desa" in finding.message


def test_url_dropped_and_added():
    assert codes(MarkupCheck(), "Write to press@un.org or see www.un.org.",
                 "Écrivez-nous.") == ["markup.missing", "markup.missing"]
    [added] = findings(MarkupCheck(), "See our site.", "Voir www.un.org/fr.")
    assert added.code == "markup.added" and added.severity is Severity.WARNING


@pytest.mark.parametrize("lang,target", [
    ("zh", "详情请见https://www.un.org/zh/desa。请发送至press@un.org。"),
    ("ar", "انظر https://www.un.org/zh/desa، أو اكتب إلى press@un.org."),
    ("ru", "См. https://www.un.org/zh/desa; пишите на press@un.org."),
    ("es", "Véase https://www.un.org/zh/desa: escriba a press@un.org."),
])
def test_codes_next_to_other_scripts_and_punctuation_are_kept(lang, target):
    source = "See https://www.un.org/zh/desa. Write to press@un.org."
    assert findings(MarkupCheck(), source, target, target_lang=lang) == []


def test_placeholders_and_inline_codes():
    assert findings(MarkupCheck(), "Sign ⟦0⟧ with <b>{0}</b> and %s.",
                    "Signez ⟦0⟧ avec <b>{0}</b> et %s.") == []
    assert codes(MarkupCheck(), "Sign ⟦0⟧ now.", "Signez ⟦1⟧.") == ["markup.missing"]
    assert codes(MarkupCheck(), "Sign <b>now</b>.", "Signez maintenant.") == \
        ["markup.missing", "markup.missing"]
    [added] = findings(MarkupCheck(), "Hello {name}.", "Bonjour {name} {name}.")
    assert added.code == "markup.added" and added.severity is Severity.ERROR


def test_percent_signs_and_comparisons_are_not_codes():
    assert findings(MarkupCheck(), "50% of them, 3 < 4 > 2.",
                    "50 % d'entre eux, 3 < 4 > 2.") == []


def test_lone_placeholder_bracket():
    found = codes(MarkupCheck(), "Sign ⟦0⟧ now.", "Signez ⟦0 maintenant.")
    assert "markup.broken-placeholder" in found
    assert codes(MarkupCheck(), "Sign now.", "Signez ⟧ maintenant.") == \
        ["markup.broken-placeholder"]


# --- length ------------------------------------------------------------------------------

def test_length_out_of_band():
    source = "The Secretary-General welcomed the agreement reached by the Member States today."
    assert findings(LengthCheck(), source, "Le Secrétaire général s'est félicité de "
                    "l'accord conclu aujourd'hui par les États Membres.") == []
    [short] = findings(LengthCheck(), source, "Le Secrétaire général.")
    assert short.code == "length.ratio" and short.severity is Severity.WARNING
    chinese = "秘书长欢迎会员国今天达成的协议。"
    assert findings(LengthCheck(), source, chinese, target_lang="zh") == []
    assert codes(LengthCheck(), source, chinese * 5, target_lang="zh") == ["length.ratio"]


def test_short_segments_and_unknown_pairs_are_not_judged():
    assert findings(LengthCheck(), "Press release", "Communiqué de presse officiel du "
                    "Bureau des Nations Unies") == []
    assert findings(LengthCheck(), "x" * 50, "y", "en", "en") == []


def test_ratio_table_is_the_one_flores_gives():
    if not FLORES.exists():
        pytest.skip("FLORES-200 devtest not found")
    assert derive_bands(FLORES) == RATIO_BANDS


# --- quiet on professional translations --------------------------------------------------

# The only errors these checks find in the FLORES-200 references are real defects there:
# "(Larson و LaFasto ,1989" (Latin comma in Arabic), "全部都是均码哦!" (ASCII "!" in Chinese).
KNOWN_REFERENCE_ERRORS = {("ar", 666, "punctuation.arabic"),
                          ("zh", 969, "punctuation.fullwidth")}


@pytest.mark.parametrize("lang", ["ar", "zh", "fr", "ru", "es"])
def test_quiet_on_flores_references(lang):
    source = flores("en")
    target = flores(lang)
    pairs = [SegmentPair(str(i), s, t) for i, (s, t) in enumerate(zip(source, target, strict=True))]
    context = CheckContext("en", lang)
    errors, segments_with_findings = set(), set()
    for check in (UntranslatedCheck(), PunctuationCheck(), MarkupCheck(), LengthCheck()):
        for finding in check.check(pairs, context):
            if finding.code != "punctuation.double-space":  # 36 in the Russian reference
                segments_with_findings.add(finding.segment_id)
            if finding.severity is Severity.ERROR:
                errors.add((lang, int(finding.segment_id), finding.code))
    assert errors == {e for e in KNOWN_REFERENCE_ERRORS if e[0] == lang}
    assert len(segments_with_findings) / len(pairs) < 0.025
