"""Loading controlled glossaries and finding their terms in all six languages."""

from __future__ import annotations

import unicodedata

import pytest

from hexaglot.document import HexaglotError
from hexaglot.glossary import GlossaryInvalid, TermStatus, load_glossaries
from hexaglot.glossary.match import TermMatcher
from hexaglot.glossary.normalize import word_key


@pytest.fixture
def glossary(glossary_tbx, glossary_csv):
    return load_glossaries([glossary_tbx, glossary_csv])


def found(glossary, lang, text):
    return [(m.surface, m.concept.id, m.term.status.value)
            for m in TermMatcher(glossary, lang).find(text)]


def test_csv_columns_give_statuses_and_abbreviations(glossary):
    concept = glossary.by_id()["t-002"]
    french = {term.text: term for term in concept.terms_in("fr")}
    assert french["ONUDC"].term_type == "abbreviation" and french["ONUDC"].case_sensitive
    assert concept.approved("fr").text == "Office des Nations Unies contre la drogue et le crime"
    spanish = {t.text: t.status for t in glossary.by_id()["t-001"].terms_in("es")}
    assert spanish == {"ceremonia de firma": TermStatus.PREFERRED,
                       "ceremonia de fichaje": TermStatus.FORBIDDEN}
    assert glossary.by_id()["t-001"].approved("vi").text == "lễ ký"


def test_tbx_regional_codes_map_to_our_languages(glossary):
    concept = glossary.by_id()["e-001"]
    assert concept.approved("zh").text == "国家会议中心"
    assert concept.approved("es").text == "Centro Nacional de Convenciones"
    # TBX-Basic's deprecatedTerm is "a term that should not be used": forbidden.
    assert {t.status for t in concept.terms_in("es")} == {TermStatus.PREFERRED,
                                                          TermStatus.FORBIDDEN}
    assert concept.subject == "protocol-event"


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "The Member States met the Secretary-General of the United Nations.",
     [("Member States", "t-003", "preferred"), ("Secretary-General", "t-004", "preferred")]),
    ("fr", "Les États Membres ont salué l'ONUDC et le Secrétaire général.",
     [("États Membres", "t-003", "preferred"), ("ONUDC", "t-002", "admitted"),
      ("Secrétaire général", "t-004", "preferred")]),
    ("es", "Los Estados Miembros asistieron a la ceremonia de firma.",
     [("Estados Miembros", "t-003", "preferred"), ("ceremonia de firma", "t-001", "preferred")]),
    ("ru", "Представители государств-членов и Генерального секретаря.",
     [("государств-членов", "t-003", "preferred"),
      ("Генерального секретаря", "t-004", "preferred")]),
    ("ar", "رحب الأمين العام بالدول الأعضاء والدول الاعضاء.",
     [("الأمين العام", "t-004", "preferred"), ("بالدول الأعضاء", "t-003", "preferred"),
      ("والدول الاعضاء", "t-003", "preferred")]),
    ("ar", "رحّب الأَمِينُ العَامُّ بالدولِ الأعضاءِ.",  # vocalized: harakat and shadda
     [("الأَمِينُ العَامُّ", "t-004", "preferred"), ("بالدولِ الأعضاءِ", "t-003", "preferred")]),
    ("zh", "秘书长欢迎各会员国出席签署仪式。",
     [("秘书长", "t-004", "preferred"), ("会员国", "t-003", "preferred"),
      ("签署仪式", "t-001", "preferred")]),
])
def test_terms_are_found_inflected_in_every_language(glossary, lang, text, expected):
    assert found(glossary, lang, text) == expected


def test_indonesian_plural_by_reduplication_and_suffixes(tmp_path):
    path = tmp_path / "id.csv"
    path.write_text("id,en,id_lang\nms,Member State,Negara Anggota\n"
                    "dl,delegation,delegasi\n", encoding="utf-8")
    matcher = TermMatcher(load_glossaries([path]), "id")
    text = "Negara-negara Anggota menyambut delegasinya dan para delegasi."
    assert [(m.surface, m.concept.id) for m in matcher.find(text)] == [
        ("Negara-negara Anggota", "ms"), ("delegasinya", "dl"), ("delegasi", "dl")]


def test_vietnamese_case_decomposed_text_and_both_tone_placements(tmp_path):
    path = tmp_path / "vi.csv"
    path.write_text("id,en,vi\nun,United Nations,Liên Hợp Quốc\npeace,peace,hòa bình\n"
                    "fish,aquaculture,nuôi trồng thủy sản\n", encoding="utf-8")
    matcher = TermMatcher(load_glossaries([path]), "vi")
    text = ("Tổng thư ký " + unicodedata.normalize("NFD", "Liên hợp quốc") + " kêu gọi hoà "
            "bình; ngành nuôi trồng thuỷ sản.")
    found_terms = [(m.concept.id, text[m.start:m.end]) for m in matcher.find(text)]
    assert found_terms == [("un", unicodedata.normalize("NFD", "Liên hợp quốc")),
                           ("peace", "hoà bình"), ("fish", "nuôi trồng thuỷ sản")]


def _arabic_matcher(tmp_path, rows):
    path = tmp_path / "ar.csv"
    path.write_text("id,en,ar\n" + "".join(f"{i},{en},{ar}\n" for i, en, ar in rows),
                    encoding="utf-8")
    return TermMatcher(load_glossaries([path]), "ar")


def _hits(matcher, text):
    return [(m.surface, m.concept.id) for m in matcher.find(text)]


def test_arabic_pronoun_suffixes_with_taa_marbuta_written_taa(tmp_path):
    matcher = _arabic_matcher(tmp_path, [("gov", "government", "حكومة"),
                                         ("ph", "mobile phone", "الهاتف المحمول")])
    assert _hits(matcher, "لها حكومتها وتطلب المشورة من حكومتك وحكوماتهم.") == [
        ("حكومتها", "gov"), ("حكومتك", "gov"), ("وحكوماتهم", "gov")]
    assert _hits(matcher, "واستعدنا هاتفها المحمول") == [("هاتفها المحمول", "ph")]


def test_arabic_bare_attached_prepositions_and_conjunctions(tmp_path):
    matcher = _arabic_matcher(tmp_path, [("vir", "virus", "فيروس"), ("dis", "disease", "مرض"),
                                         ("mus", "museum", "متاحف"), ("vol", "volcano", "بركان"),
                                         ("vac", "vaccine", "لقاح")])
    text = "أصيبوا بفيروس إيبولا وبالفيروس، لمرض السل، كمتاحف، ببركان، وللقاح ولقاحاً."
    assert _hits(matcher, text) == [
        ("بفيروس", "vir"), ("وبالفيروس", "vir"), ("لمرض", "dis"), ("كمتاحف", "mus"),
        ("ببركان", "vol"), ("وللقاح", "vac"), ("ولقاحاً", "vac")]


def test_arabic_words_beginning_with_a_prefix_letter_are_not_cut(tmp_path):
    # وباء is not و + باء, فيروس not ف + يروس, بروتين not a plural in ين: the whole word
    # is a glossary word, so no letter is taken off it, in the glossary or in the text.
    matcher = _arabic_matcher(tmp_path, [("epi", "outbreak", "وباء"),
                                         ("vir", "virus", "فيروس"),
                                         ("pro", "protein", "بروتين")])
    text = "انتشر الوباء ووباء آخر، والفيروسات، والبروتينات وبروتينها، لا البروتون ولا باء."
    assert _hits(matcher, text) == [
        ("الوباء", "epi"), ("ووباء", "epi"), ("والفيروسات", "vir"), ("والبروتينات", "pro"),
        ("وبروتينها", "pro")]


def test_arabic_feminine_is_not_cut_like_a_pronoun(tmp_path):
    # محافظة "province" is not محافظ "governor" + ه; شرط "condition" is not شرطة "police";
    # nisba adjectives are not their noun (رئيسي "main", الأطلسية "Atlantic" adj.).
    matcher = _arabic_matcher(tmp_path, [("gov", "governor", "محافظ"),
                                         ("pol", "police", "شرطة"),
                                         ("pre", "president", "رئيس"),
                                         ("atl", "Atlantic", "الأطلسي"),
                                         ("np", "national park", "منتزه وطني")])
    text = ("في محافظة الجيزة، على شرط، المطرب الرئيسي، الأعاصير الأطلسية، قال المحافظ "
            "والشرطة ورئيسها في المنتزهات الوطنية.")
    assert _hits(matcher, text) == [("المحافظ", "gov"), ("والشرطة", "pol"),
                                    ("ورئيسها", "pre"), ("المنتزهات الوطنية", "np")]


def test_arabic_broken_plurals_from_the_dictionary(tmp_path, monkeypatch):
    from hexaglot.glossary import normalize

    monkeypatch.setattr(normalize, "_arabic_broken_plurals",
                        lambda: {"محكمه": ("محاكم",), "فندق": ("فنادق",)})
    matcher = _arabic_matcher(tmp_path, [("court", "court", "محكمة"),
                                         ("hotel", "hotel", "فندق")])
    assert _hits(matcher, "اعتبرت المحاكم ذلك، والفنادق وفندقهم.") == [
        ("المحاكم", "court"), ("والفنادق", "hotel"), ("وفندقهم", "hotel")]


def test_arabic_broken_plurals_of_the_arramooz_dictionary():
    pytest.importorskip("arramooz")
    from hexaglot.glossary.normalize import arabic_term_forms

    assert "محاكم" in arabic_term_forms("محكمة")
    assert "انواع" in arabic_term_forms("نوع")
    assert "هواتف" in arabic_term_forms("الهاتف")
    assert not any(form.endswith("ي") for form in arabic_term_forms("هرم"))  # not هرمى


def test_a_folder_named_arramooz_is_not_taken_for_the_dictionary(tmp_path, monkeypatch):
    # A folder of that name on the path imports as an empty namespace package: Arabic
    # matching goes on without broken plurals instead of failing.
    import sys

    from hexaglot.glossary import normalize

    if "arramooz" in sys.modules:
        pytest.skip("the real Arramooz is imported")
    (tmp_path / "arramooz").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    normalize._arabic_broken_plurals.cache_clear()
    try:
        assert normalize._arabic_broken_plurals() == {}
        matcher = _arabic_matcher(tmp_path, [("court", "court", "محكمة")])
        assert _hits(matcher, "قررت المحكمة ذلك.") == [("المحكمة", "court")]
    finally:
        sys.modules.pop("arramooz", None)
        normalize._arabic_broken_plurals.cache_clear()


def test_term_inside_a_hyphenated_compound_is_another_word(tmp_path):
    path = tmp_path / "ru.csv"
    path.write_text("id,en,ru\ngov,governor,губернатор\nnet,Internet,Интернет\n"
                    "pm,prime minister,премьер-министр\n", encoding="utf-8")
    matcher = TermMatcher(load_glossaries([path]), "ru")
    text = ("Офис генерал-губернатора, интернет-материалы; губернатор и премьер-министр — "
            "в Интернете.")
    assert _hits(matcher, text) == [("губернатор", "gov"), ("премьер-министр", "pm"),
                                    ("Интернете", "net")]
    english = tmp_path / "en.csv"
    english.write_text("id,en\ngovt,government\n", encoding="utf-8")
    assert _hits(TermMatcher(load_glossaries([english]), "en"),
                 "a weak central government—with Congress") == [("government", "govt")]


def test_russian_lemmas_the_lexicon_gets_wrong(tmp_path):
    path = tmp_path / "ru.csv"
    path.write_text("id,en,ru\nvol,volcano,вулкан\npark,national park,национальный парк\n"
                    "dm,dark matter,темная материя\n", encoding="utf-8")
    matcher = TermMatcher(load_glossaries([path]), "ru")
    # "действующий" is filed under "вулкан" (from "действующий вулкан"), "парках" under
    # "парка" (parka), and "тёмную" under "тёмный" with ё.
    text = "Действующий президент; в национальных парках; на тёмную материю и вулкан."
    assert _hits(matcher, text) == [("национальных парках", "park"),
                                    ("тёмную материю", "dm"), ("вулкан", "vol")]


def test_russian_feminine_nouns_in_ia_match_in_every_case(tmp_path):
    # The lexicon files Франции and Францию under франций (francium): the country must
    # still be found in the genitive, dative and accusative.
    path = tmp_path / "ru.csv"
    path.write_text("id,en,ru\nfra,France,Франция\nconv,convention,конвенция\n",
                    encoding="utf-8")
    matcher = TermMatcher(load_glossaries([path]), "ru")
    text = "Президент Франции посетил Францию; конвенции и конвенцию подписали во Франции."
    assert _hits(matcher, text) == [("Франции", "fra"), ("Францию", "fra"),
                                    ("конвенции", "conv"), ("конвенцию", "conv"),
                                    ("Франции", "fra")]


def test_the_us_president_is_not_the_state_president_of_viet_nam():
    # The project glossary admits "State President" for Viet Nam's head of state; inside
    # "United States President" it is another office (an exclusion phrase of the concept).
    from conftest import REPO

    glossary = load_glossaries([REPO / "glossaries" / "un-cybercrime.csv"])
    matcher = TermMatcher(glossary, "en")
    assert [(m.surface, m.concept.id) for m in matcher.find(
        "The United States President met the State President of Viet Nam.")] == [
        ("President", "unc-0046"), ("State President", "unc-0240"), ("Viet Nam", "unc-0230")]


def test_abbreviations_keep_their_case(glossary):
    assert found(glossary, "en", "WHO said who would come.") == [("WHO", "t-006", "admitted")]


def test_forbidden_forms_are_told_from_approved_ones_with_the_same_stem(glossary):
    assert found(glossary, "es", "los Estados miembro") == [
        ("Estados miembro", "t-003", "forbidden")]
    assert found(glossary, "es", "los Estados Miembros") == [
        ("Estados Miembros", "t-003", "preferred")]
    assert found(glossary, "en", "the Secretary General") == [
        ("Secretary General", "t-004", "forbidden")]


def test_the_longest_term_wins_and_words_are_whole(glossary):
    assert found(glossary, "en", "The United Nations Office on Drugs and Crime and UNODCs") == [
        ("United Nations Office on Drugs and Crime", "t-002", "preferred")]
    assert found(glossary, "en", "cybercrimes and anticybercrime") == [
        ("cybercrimes", "t-005", "preferred")]


def test_earlier_glossary_takes_precedence(tmp_path, glossary_csv):
    event = tmp_path / "event.csv"
    event.write_text("id,en,es\nt-004,Secretary-General,Secretario General de las Naciones "
                     "Unidas\n", encoding="utf-8")
    combined = load_glossaries([event, glossary_csv])
    assert combined.by_id()["t-004"].approved("es").text.endswith("de las Naciones Unidas")
    assert combined.sources == (str(event), str(glossary_csv))


@pytest.mark.parametrize(("content", "message"), [
    ("id,en,es\nc1,a,b,c\n", "line 2: 4 cells where the header has 3"),
    ("id,en,xx_whatever\n", "line 1: unknown column 'xx_whatever'"),
    ("en,es\nMember State,Estado Miembro\n", "line 1: no 'id' column"),
    ("id,en\n,Member State\n", "line 2: concept without an id"),
])
def test_csv_errors_name_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(HexaglotError, match=message) as error:
        load_glossaries([path])
    assert str(path) in str(error.value)


def test_tbx_billion_laughs_is_refused_without_expanding(tmp_path):
    path = tmp_path / "laughs.tbx"
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY l0 "lol">{laughs}]>\n'
        '<martif><text><body><termEntry id="c1"><langSet xml:lang="en"><tig>'
        '<term>&l9;</term></tig></langSet></termEntry></body></text></martif>',
        encoding="utf-8")
    with pytest.raises(GlossaryInvalid, match=r"laughs.tbx: line \d+: .*(entity|amplification)"):
        load_glossaries([path])


def test_tbx_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    path = tmp_path / "xxe.tbx"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        '<martif><text><body><termEntry id="c1"><langSet xml:lang="en"><tig>\n'
        '<term>&x;</term></tig></langSet></termEntry></body></text></martif>',
        encoding="utf-8")
    with pytest.raises(GlossaryInvalid, match=r"xxe.tbx: line 4: entity reference &x;") as e:
        load_glossaries([path])
    assert "TOP-SECRET" not in str(e.value)


def test_tbx_errors_name_file_and_line(tmp_path):
    path = tmp_path / "bad.tbx"
    path.write_text('<martif><text><body>\n<termEntry id="c1"><langSet xml:lang="tlh">'
                    "<tig><term>x</term></tig></langSet></termEntry></body></text></martif>",
                    encoding="utf-8")
    with pytest.raises(HexaglotError,
                       match=r"bad.tbx: line 2, entry c1: unknown language code 'tlh'"):
        load_glossaries([path])


def test_matching_from_parallel_threads_gives_the_same_hits(glossary):
    """Flows translate several documents at once; stemmers must not be shared between threads."""
    from concurrent.futures import ThreadPoolExecutor

    from conftest import flores

    texts = {lang: flores(lang, count=150) for lang in ("en", "fr", "es", "ru", "ar")}

    def hits(lang):
        matcher = TermMatcher(glossary, lang)
        return [(m.start, m.concept.id) for text in texts[lang] for m in matcher.find(text)]

    expected = {lang: hits(lang) for lang in texts}
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            word_key.cache_clear()  # make every thread stem again
            langs = list(texts) * 2
            for lang, result in zip(langs, pool.map(hits, langs), strict=True):
                assert result == expected[lang]


def test_traditional_chinese_and_invisible_characters_are_matched_at_original_offsets(glossary):
    text = "聯合國秘書長歡迎各會員國。"
    matches = TermMatcher(glossary, "zh").find(text)
    assert [(m.surface, m.concept.id) for m in matches] == [("秘書長", "t-004"),
                                                            ("會員國", "t-003")]
    assert all(text[m.start:m.end] == m.surface for m in matches)
    text = "The Secre\u00adtary-General met the Member\u200bStates? No: the Member States."
    matches = TermMatcher(glossary, "en").find(text)
    assert [m.surface for m in matches] == ["Secre\u00adtary-General", "Member States"]
    assert text[matches[1].start:matches[1].end] == "Member States"


def test_compiled_index_is_cached_and_rebuilt_when_a_glossary_changes(tmp_path, glossary_csv):
    from hexaglot.glossary.index import load_index

    cache = tmp_path / "cache"
    first = load_index([glossary_csv], cache)
    assert len(list(cache.glob("glossary-*.pickle"))) == 1
    again = load_index([glossary_csv], cache)
    assert again.glossary == first.glossary
    assert [m.concept.id for m in again.matcher("ru").find("Генеральный секретарь")] == ["t-004"]
    glossary_csv.write_text(glossary_csv.read_text(encoding="utf-8").replace(
        "Генеральный секретарь", "Генсек"), encoding="utf-8")
    changed = load_index([glossary_csv], cache)
    assert len(list(cache.glob("glossary-*.pickle"))) == 2
    assert changed.matcher("ru").find("Генеральный секретарь") == []
    for damaged in cache.glob("glossary-*.pickle"):
        damaged.write_bytes(b"not a pickle")
    assert load_index([glossary_csv], cache).matcher("ru").find("Генсек")


def _matcher(tmp_path, lang, content):
    path = tmp_path / f"{lang}.csv"
    path.write_text(content, encoding="utf-8")
    return TermMatcher(load_glossaries([path]), lang)


def test_exclusion_phrases_drop_the_other_sense_in_any_inflection(tmp_path):
    # вид is "species" and also "kind", "form", "view": one phrase per set expression
    # covers its cases, numbers and verb forms.
    matcher = _matcher(tmp_path, "ru", "id,en,ru,ru_not_in\n"
                       "sp,species,вид,вид спорта|в виде|делать вид\n")
    text = ("Открыт новый вид лягушек. Два вида спорта, в виде шара; он делал вид, что "
            "спит; среди видов спорта — биатлон. Этот вид под угрозой.")
    hits = matcher.find(text)
    assert [(m.surface, m.concept.id) for m in hits] == [("вид", "sp"), ("вид", "sp")]
    assert [text[m.start:m.start + 12] for m in hits] == ["вид лягушек.", "вид под угро"]
    assert matcher.find_all(text) == hits  # a target check sees the same


def test_arabic_exclusions_with_clitics_articles_and_pronoun_suffixes(tmp_path):
    # Phrase words take the feminine (فريدة) and the term's word its pronoun suffix
    # (نوعها); the article, attached و and tanwin are read off as in terms.
    matcher = _matcher(tmp_path, "ar", "id,en,ar,ar_admitted,ar_not_in\n"
                       "sp,species,نوع,أنواع,فريد من نوعه|نوعا ما|من النوع الأول\n"
                       "pr,president,رئيس,,رئيس شركة|رئيس مجلس النواب\n")
    text = ("اكتُشف نوع جديد من الضفادع، وهي فريدة من نوعها، وكبيرة نوعاً ما، ومصابة بالسكري "
            "من النوع الأول. التقى رئيسُ الشركة ورئيس شركة أخرى الرئيسَ في البيت الأبيض.")
    hits = matcher.find(text)
    assert [(m.surface, m.concept.id) for m in hits] == [("نوع", "sp"), ("الرئيسَ", "pr")]
    assert all(text[m.start:m.end] == m.surface for m in hits)


def test_an_exclusion_never_removes_another_concepts_term(tmp_path):
    # "رئيس مجلس النواب" (the Speaker) is not the president, but the House is still named.
    matcher = _matcher(tmp_path, "ar", "id,en,ar,ar_not_in\n"
                       "pr,president,رئيس,رئيس مجلس النواب\n"
                       "house,House of Representatives,مجلس النواب,\n")
    assert _hits(matcher, "انتخب رئيس مجلس النواب أمس") == [("مجلس النواب", "house")]
    # A homonym: fr "président" is the head of State and a chair; where the head of State
    # is excluded, the hit goes to the chair.
    french = _matcher(tmp_path, "fr", "id,en,fr,fr_not_in\n"
                      "head,President,président,président du comité\n"
                      "chair,Chair,président,\n")
    assert [(m.surface, [c.id for c, _ in m.candidates]) for m in french.find(
        "Le président du comité a reçu le président.")] == [
        ("président", ["chair"]), ("président", ["head", "chair"])]


def test_french_and_spanish_exclusions_and_a_genuine_term_next_to_one(tmp_path):
    french = _matcher(tmp_path, "fr", "id,en,fr,fr_not_in\n"
                      "sp,species,espèce,une espèce de|en espèces\n")
    assert _hits(french, "Des contributions en espèces pour une espèce de musée; cette "
                         "espèce menacée.") == [("espèce", "sp")]
    spanish = _matcher(tmp_path, "es", "id,en,es,es_not_in\n"
                       "pr,president,presidente,presidente del Gobierno\n")
    assert _hits(spanish, "Los presidentes del Gobierno y el presidente de Francia") == [
        ("presidente", "pr")]


def test_exclusions_of_a_multiword_term(tmp_path):
    matcher = _matcher(tmp_path, "en", "id,en,en_not_in\n"
                       "ga,General Assembly,annual general assembly|general assembly of "
                       "shareholders\n")
    text = ("The annual general assembly of the club and the general assemblies of "
            "shareholders; the General Assembly adopted it.")
    assert _hits(matcher, text) == [("General Assembly", "ga")]


def test_exclusions_survive_the_compiled_index_cache(tmp_path):
    from hexaglot.glossary.index import load_index

    path = tmp_path / "g.csv"
    path.write_text("id,en,ru,ru_not_in\nsp,species,вид,вид спорта\n", encoding="utf-8")
    load_index([path], tmp_path / "cache")
    cached = load_index([path], tmp_path / "cache").matcher("ru")
    assert [m.surface for m in cached.find("Вид спорта и редкий вид.")] == ["вид"]
