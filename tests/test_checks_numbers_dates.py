"""The numbers and dates checks: what a reviewer would notice, in the six UN languages."""

from __future__ import annotations

import pytest

from hexaglot.checks import load_check
from hexaglot.checks.base import CheckContext, SegmentPair, Severity
from hexaglot.checks.dates import DatesCheck
from hexaglot.checks.numbers import NumbersCheck, parse_chinese_numeral, word_values

NNBSP, NBSP = "\u202f", "\u00a0"


def run(check, source: str, target: str, lang: str, source_lang: str = "en"):
    return check.check([SegmentPair("s1", source, target)], CheckContext(source_lang, lang))


def numbers(source: str, target: str, lang: str):
    return run(NumbersCheck(), source, target, lang)


def dates(source: str, target: str, lang: str):
    return run(DatesCheck(), source, target, lang)


def errors(findings):
    return [f for f in findings if f.severity == Severity.ERROR]


def test_registered_by_name():
    assert isinstance(load_check("numbers"), NumbersCheck)
    assert isinstance(load_check("dates"), DatesCheck)


SOURCE = "The fund received 2,500 applications."


@pytest.mark.parametrize("lang,target", [
    ("es", "El fondo recibió 2.500 solicitudes."),
    ("es", "El fondo recibió 2 500 solicitudes."),  # UN Spanish house style
    ("es", f"El fondo recibió 2{NBSP}500 solicitudes."),
    ("es", "El fondo recibió 2500 solicitudes."),
    ("fr", f"Le fonds a reçu 2{NNBSP}500 demandes."),
    ("fr", f"Le fonds a reçu 2{NBSP}500 demandes."),
    ("fr", "Le fonds a reçu 2 500 demandes."),
    ("ru", f"Фонд получил 2{NBSP}500 заявок."),
    ("ru", "Фонд получил 2 500 заявок."),
    ("zh", "该基金收到了2500份申请。"),
    ("zh", "该基金收到了2,500份申请。"),
    ("zh", "该基金收到了２５００份申请。"),  # full-width digits
    ("ar", "تلقى الصندوق 2500 طلب."),
    ("ar", "تلقى الصندوق ٢٥٠٠ طلب."),  # Arabic-Indic digits
    ("ar", "تلقى الصندوق ٢٬٥٠٠ طلب."),  # with the Arabic thousands separator
    ("en", "The fund got 2,500 applications."),
])
def test_thousands_in_each_locale_accepted(lang, target):
    assert numbers(SOURCE, target, lang) == []


@pytest.mark.parametrize("lang,suggestion", [("es", "2.500"), ("fr", f"2{NNBSP}500"),
                                             ("ru", f"2{NBSP}500")])
def test_english_thousands_flagged_with_the_locale_form(lang, suggestion):
    target = {"es": "El fondo recibió 2,500 solicitudes.",
              "fr": "Le fonds a reçu 2,500 demandes.",
              "ru": "Фонд получил 2,500 заявок."}[lang]
    [finding] = numbers(SOURCE, target, lang)
    assert finding.code == "numbers.format"
    assert finding.severity == Severity.ERROR
    assert finding.suggestion == suggestion
    assert "2.5" in finding.message  # it says how the locale reads it
    assert target[finding.target_span[0]:finding.target_span[1]] == "2,500"


def test_english_millions_grouping_is_an_error_in_spanish():
    [finding] = numbers("It cost 2,500,000 dollars.", "Costó 2,500,000 dólares.", "es")
    assert (finding.code, finding.severity) == ("numbers.format", Severity.ERROR)
    assert finding.suggestion == "2.500.000"


def test_dropped_and_changed_numbers():
    source = "In 2019, 45 countries sent 312 delegates."
    dropped = numbers(source, "En 2019, 45 países enviaron delegados.", "es")
    assert [(f.code, f.severity) for f in dropped] == [("numbers.missing", Severity.ERROR)]
    assert source[slice(*dropped[0].source_span)] == "312"
    changed = numbers(source, "En 2019, 45 países enviaron 321 delegados.", "es")
    assert {(f.code, f.severity) for f in changed} == {("numbers.missing", Severity.ERROR),
                                                       ("numbers.added", Severity.WARNING)}
    added = numbers("Delegates came.", "Llegaron 12 delegados.", "es")
    assert [(f.code, f.severity) for f in added] == [("numbers.added", Severity.WARNING)]


@pytest.mark.parametrize("lang,target,ok", [
    ("fr", "La croissance a été de 3,5 %.", True),
    ("fr", "La croissance a été de 3,5\u00a0%.", True),
    ("es", "El crecimiento fue del 3,5 %.", True),
    ("ru", "Рост составил 3,5%.", True),
    ("ar", "بلغ النمو ٣٫٥٪.", True),
    ("ar", "بلغ النمو 3.5%.", True),
    ("zh", "增长率为3.5%。", True),
    ("fr", "La croissance a été de 3.5 %.", False),  # unidiomatic: a warning
    ("fr", "La croissance a été de 35 %.", False),
])
def test_decimals_and_percentages(lang, target, ok):
    findings = numbers("Growth was 3.5%.", target, lang)
    if ok:
        assert findings == []
    else:
        assert findings
    if "3.5 %" in target:
        [finding] = findings
        assert finding.code == "numbers.format" and finding.severity == Severity.WARNING
        assert finding.suggestion == "3,5"


@pytest.mark.parametrize("lang,target", [
    ("es", "Tasa del 15 %."), ("fr", "Taux de 15\u00a0%."), ("ru", "Ставка 15%."),
    ("ar", "نسبة ١٥٪."), ("ar", "نسبة 15%."), ("zh", "比率为15%。"),
])
def test_percentages(lang, target):
    assert numbers("A rate of 15%.", target, lang) == []


@pytest.mark.parametrize("lang,target", [
    ("es", "Llegaron dos delegados."), ("fr", "Deux délégués sont arrivés."),
    ("ru", "Прибыли два делегата."), ("ar", "وصل اثنان من المندوبين."),
    ("zh", "两名代表到达了。"), ("zh", "二名代表到达了。"),
])
def test_small_numbers_as_words(lang, target):
    assert errors(numbers("2 delegates arrived.", target, lang)) == []


@pytest.mark.parametrize("lang,target", [
    ("zh", "该项目有11万名受益人。"), ("zh", "该项目有110,000名受益人。"),
    ("es", "El proyecto tiene 110.000 beneficiarios."),
])
def test_chinese_wan(lang, target):
    assert numbers("The project has 110,000 beneficiaries.", target, lang) == []


def test_scale_words():
    source = "The budget is 2.5 million dollars."
    assert numbers(source, "预算为250万美元。", "zh") == []
    assert numbers(source, "El presupuesto es de 2,5 millones de dólares.", "es") == []
    assert numbers(source, "Бюджет составляет 2,5 млн долларов.", "ru") == []
    assert numbers(source, "الميزانية 2.5 مليون دولار.", "ar") == []


def test_chinese_numerals():
    assert parse_chinese_numeral("两千五百") == 2500
    assert parse_chinese_numeral("十一万") == 110000
    assert parse_chinese_numeral("二〇二五") == 2025
    assert numbers("He came 1st.", "他获得第一名。", "zh") == []


@pytest.mark.parametrize("lang,target", [
    ("es", "Quedó en 1.er lugar."), ("fr", "Il est arrivé 1er."), ("fr", "Il est arrivé premier."),
    ("ru", "Он занял 1-е место."), ("ru", "Он занял первое место."), ("zh", "他获得第1名。"),
])
def test_ordinals(lang, target):
    assert errors(numbers("He finished 1st.", target, lang)) == []


@pytest.mark.parametrize("lang,target", [
    ("es", "La reunión empieza a las 9.00 horas."), ("fr", "La réunion commence à 9 heures."),
    ("ru", "Совещание начинается в 9:00."), ("zh", "会议上午9时开始。"),
    ("ar", "يبدأ الاجتماع الساعة 9:00 صباحا."),
])
def test_times(lang, target):
    assert numbers("The meeting starts at 9 a.m.", target, lang) == []


def test_afternoon_time_as_24_hours():
    assert numbers("It ended at 8:30 p.m.", "Terminó a las 20:30 horas.", "es") == []


def test_converted_units_and_decades():
    assert numbers("The road is 5 miles long.", "La route fait 8 km.", "fr") == []
    assert numbers("In the 1990s it grew.", "En los años 90 creció.", "es") == []
    assert numbers("In the 1990s it grew.", "在20世纪90年代，它发展了。", "zh") == []


DATE = "The session is held on 25-26 October 2025."


@pytest.mark.parametrize("lang,target", [
    ("es", "El período de sesiones se celebra el 25 y 26 de octubre de 2025."),
    ("fr", "La session se tient les 25 et 26 octobre 2025."),
    ("ru", "Сессия проводится 25–26 октября 2025 года."),
    ("zh", "会议于2025年10月25日至26日举行。"),
    ("ar", "تعقد الدورة يومي 25 و26 أكتوبر 2025."),
    ("ar", "تعقد الدورة يومي ٢٥ و٢٦ تشرين الأول/أكتوبر ٢٠٢٥."),
    ("en", "The session takes place on 25-26 October 2025."),
])
def test_date_renderings_accepted(lang, target):
    assert dates(DATE, target, lang) == []
    assert errors(numbers(DATE, target, lang)) == []


@pytest.mark.parametrize("lang,target", [
    ("es", "El período de sesiones se celebra el 25 y 26 de noviembre de 2025."),
    ("fr", "La session se tient les 25 et 26 septembre 2025."),
    ("ru", "Сессия проводится 25–26 ноября 2025 года."),
    ("zh", "会议于2025年11月25日至26日举行。"),
    ("ar", "تعقد الدورة يومي 25 و26 نوفمبر 2025."),
])
def test_wrong_month_flagged(lang, target):
    [finding] = dates(DATE, target, lang)
    assert (finding.code, finding.severity) == ("dates.mismatch", Severity.ERROR)


def test_english_month_left_in_french():
    [finding] = dates(DATE, "La session se tient les 25 et 26 October 2025.", "fr")
    assert (finding.code, finding.severity) == ("dates.format", Severity.ERROR)
    assert finding.suggestion == "octobre"


def test_russian_month_in_other_cases_and_wrong_day():
    assert dates("It happened in October.", "Это случилось в октябре.", "ru") == []
    [finding] = dates(DATE, "Сессия проводится 24–26 октября 2025 года.", "ru")
    assert finding.code == "dates.mismatch" and "25" in finding.message


def test_may_the_verb_is_no_date():
    assert dates("You may go.", "Puede irse.", "es") == []
    assert dates("It opens on 3 May.", "Abre el 3 de mayo.", "es") == []


def test_empty_target_is_left_alone():
    assert numbers("2 cats", "", "es") == []


# -- numbers compared as multisets ---------------------------------------------------------

@pytest.mark.parametrize("lang,target", [
    ("es", "Cada número binario puede tener uno de dos valores: el 0 y el 1."),
    ("ru", "Двоичное число может иметь одно из двух значений: 0 или 1."),
    ("ar", "يمكن أن يأخذ الرقم الثنائي قيمة واحدة من قيمتين، وهما 0 أو 1."),
])
def test_source_number_words_keep_their_own_target_words(lang, target):
    source = "A binary number can have only one of two values, i.e. 0 or 1."
    assert errors(numbers(source, target, lang)) == []
    dropped = target.replace(" 1.", ".")  # the "one" of the target is the source's "one"
    [finding] = numbers(source, dropped, lang)
    assert (finding.code, finding.severity) == ("numbers.missing", Severity.ERROR)
    assert finding.message.startswith("the number 1 ")


def test_a_digit_still_matches_a_spelt_out_number():
    assert numbers("Relations between (1) flow and (3) speed.",
                   "Relaciones entre el primero, flujo, y el tercero, velocidad.", "es") == []


@pytest.mark.parametrize("lang,target", [
    ("fr", "La norme 802.11n fonctionne sur 2,4 GHz."),
    ("ru", "Стандарт 802.11n работает на частоте 2,4 ГГц."),
    ("es", "El estándar 802.11n funciona en 2,4 GHz."),
])
def test_codes_written_as_in_the_source(lang, target):
    source = "The 802.11n standard operates on 2.4 GHz."
    assert numbers(source, target, lang) == []  # no "write 802,11"
    [finding] = numbers(source, target.replace("802.11n", "n"), lang)
    assert (finding.code, finding.severity) == ("numbers.missing", Severity.ERROR)


def test_repeated_name_given_once_only_when_the_merge_shows():
    source = "It is compatible with 802.11a, 802.11b and 802.11g."
    merged = numbers(source, "Il est compatible avec 802.11a, b et g.", "fr")
    assert [f.severity for f in merged] == [Severity.WARNING, Severity.WARNING]
    gone = numbers(source, "Il est compatible avec a, b et g.", "fr")
    assert [f.severity for f in gone] == [Severity.ERROR] * 3


def test_digits_of_a_code_are_not_matched_by_a_chinese_word():
    source = "H5N1 was found in a dead wild duck."
    assert numbers(source, "在一只死野鸭身上发现了 H5N1。", "zh") == []
    [finding] = numbers(source, "在一只死野鸭身上发现了 H5N。", "zh")
    assert (finding.code, finding.severity) == ("numbers.missing", Severity.ERROR)


@pytest.mark.parametrize("target", ["比赛于上午 10 点开始，天气十分完美。",
                                    "比赛于上午 10 点开始，这是另一项比赛。",
                                    "比赛于上午 10 点开始，周三下了雨。"])
def test_chinese_numerals_inside_words_are_no_numbers(target):
    source = "The games kicked off at 10 am."
    assert numbers(source, target, "zh") == []
    [finding] = numbers(source, target.replace(" 10 ", " "), "zh")
    assert (finding.code, finding.severity) == ("numbers.missing", Severity.ERROR)


@pytest.mark.parametrize("text,read", [
    ("天气十分完美", []), ("另一项比赛", []), ("周三下了雨", []), ("三维空间", []),
    ("万一失败", []), ("百分之八十", [80]), ("二十分", [20]), ("十分钟", [10]),
    ("十万一千人", [101000]), ("十一点", [11]), ("第三", [3]),
])
def test_chinese_words_with_a_numeral_in_them(text, read):
    assert [int(value) for value, _ in word_values(text, "zh")] == read


def test_chinese_numerals_that_are_numbers():
    assert parse_chinese_numeral("十万一千") == 101000
    assert numbers("Seven players, 80% of them, for 20 minutes.",
                   "七人，其中百分之八十，比赛二十分钟。", "zh") == []
    assert numbers("It came 3rd.", "它获得第三名。", "zh") == []


def test_chinese_scale_character_alone_is_no_number():
    source = "Goats were domesticated roughly 10,000 years ago."
    assert numbers(source, "山羊大约在 1 万年前被驯化。", "zh") == []
    assert numbers(source, "山羊大约在一万年前被驯化。", "zh") == []
    [finding] = numbers(source, "山羊大约在 万年前被驯化。", "zh")
    assert (finding.code, finding.severity) == ("numbers.missing", Severity.ERROR)


@pytest.mark.parametrize("lang,target,ok", [
    ("zh", "20 世纪 60 年代，他担任顾问。", True),
    ("zh", "上世纪六十年代，他担任顾问。", True),
    ("ar", "في الستينيات، عمل مستشارًا.", True),
    ("zh", "20 世纪  年代，他担任顾问。", False),  # the decade dropped, the century left
])
def test_decade_needs_the_decade_not_the_century(lang, target, ok):
    found = errors(numbers("Throughout the 1960s, he worked as an adviser.", target, lang))
    assert (found == []) == ok


def test_century_for_a_round_hundred_decade():
    assert numbers("In the 1800s it grew.", "在 19 世纪，它发展了。", "zh") == []
    assert numbers("In the 1800s it grew.", "Au XIXe siècle, il a grandi.", "fr") == []


def test_month_of_a_date_is_a_number_in_chinese():
    source = "He arrived in Singapore on November 16."
    assert numbers(source, "他于 11 月 16 日抵达新加坡。", "zh") == []
    assert numbers(source, "他于十一月 16 日抵达新加坡。", "zh") == []
    assert numbers(source, "Llegó a Singapur el 16 de noviembre.", "es") == []
    [finding] = numbers(source, "他于  月 16 日抵达新加坡。", "zh")
    assert (finding.code, finding.severity) == ("numbers.missing", Severity.ERROR)
    assert numbers("You may go.", "你可以走了。", "zh") == []  # "May" no month here


# -- dates compared as multisets -----------------------------------------------------------

JULY = "One was sent on July 6, read to the troops on July 9, and reached London on August 10."


@pytest.mark.parametrize("lang,target", [
    ("fr", "L'un a été envoyé le 6 juillet, lu aux troupes le 9 juillet et est arrivé à "
           "Londres le 10 août."),
    ("fr", "L'un a été envoyé et lu aux troupes les 6 et 9 juillet, et est arrivé à "
           "Londres le 10 août."),  # the repeat merged: both days with the month
    ("es", "Se envió el 6 de julio, se leyó el 9 de julio y llegó a Londres el 10 de agosto."),
    ("ru", "Один отправили 6 июля, зачитали 9 июля, а в Лондон он прибыл 10 августа."),
    ("ar", "أُرسلت واحدة في السادس من يوليو، وقُرئت في التاسع من يوليو، ووصلت لندن في "
           "العاشر من أغسطس."),
    ("zh", "其中一封于 7 月 6 日寄出，7 月 9 日宣读，8 月 10 日抵达伦敦。"),
])
def test_same_month_twice_accepted(lang, target):
    assert dates(JULY, target, lang) == []


@pytest.mark.parametrize("lang,target", [
    ("fr", "L'un a été envoyé le 6 août, lu aux troupes le 9 juillet et est arrivé à "
           "Londres le 10 août."),
    ("es", "Se envió el 6 de agosto, se leyó el 9 de julio y llegó a Londres el 10 de "
           "agosto."),
    ("ru", "Один отправили 6 августа, зачитали 9 июля, а в Лондон он прибыл 10 августа."),
    ("ar", "أُرسلت واحدة في السادس من أغسطس، وقُرئت في التاسع من يوليو، ووصلت لندن في "
           "العاشر من أغسطس."),
])
def test_one_of_two_same_months_changed(lang, target):
    [finding] = dates(JULY, target, lang)
    assert (finding.code, finding.severity) == ("dates.mismatch", Severity.ERROR)
    assert "July 6" in finding.message


def test_repeated_date_given_once_is_fine():
    assert dates("On 4 July the text was signed; 4 July became a holiday.",
                 "Le 4 juillet, le texte a été signé, et ce jour est devenu férié.", "fr") == []


@pytest.mark.parametrize("target", [
    "كانت الجولة مقررة حتى 16 سبتمبر/أيلول.",
    "كانت الجولة مقررة حتى 16 أيلول/سبتمبر.",
    "كانت الجولة مقررة حتى 16 أيلول (سبتمبر).",
])
def test_arabic_paired_month_is_one_mention(target):
    source = "The tour was due to last until September 16."
    assert dates(source, target, "ar") == []
    assert dates("It ran on September 16 and September 20.",
                 "جرت في 16 و20 سبتمبر/أيلول.", "ar") == []


def test_arabic_paired_month_with_two_different_months():
    [finding] = dates("The tour was due to last until September 16.",
                      "كانت الجولة مقررة حتى 16 أكتوبر/أيلول.", "ar")
    assert (finding.code, finding.severity) == ("dates.mismatch", Severity.ERROR)
    assert "two different months" in finding.message
