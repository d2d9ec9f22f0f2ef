"""The booth's language: labels of the pack, and numbers, dates and times as it writes them.

Numbers come from :func:`hexaglot.checks.numbers.format_for` (Babel, every group: "2 500"
with a narrow no-break space in French, "2.500" in Spanish, "2 500" with a no-break space in
Russian); dates and times from Babel's month and day names, in the patterns of UN editorial
style rather than Babel's defaults:

* en: British order, "Saturday, 25 October 2025" (Babel ``en`` would give "October 25");
* ru: "25 октября 2025 года" (Babel: "г.");
* ar: Western digits, as UN Arabic documents write them, and the month by both its names,
  Levantine first: "25 تشرين الأول/أكتوبر 2025" (Babel ``ar_SY`` and ``ar``);
* zh: "2025年10月25日星期六"; es: "sábado 25 de octubre de 2025"; fr: "samedi 25 octobre 2025".

Times are on the 24-hour clock everywhere ("09:00–10:30"; French "9 h 30").
"""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal
from functools import cache

from hexaglot import __version__
from hexaglot.languages import LANGUAGES

LABELS: dict[str, dict[str, str]] = {
    "pack": {
        "en": "Briefing pack", "fr": "Dossier de préparation", "es": "Dossier de preparación",
        "ru": "Материалы для подготовки", "ar": "ملف الإعداد", "zh": "会前准备材料"},
    "booth": {
        "en": "English booth", "fr": "Cabine française", "es": "Cabina de español",
        "ru": "Русская кабина", "ar": "المقصورة العربية", "zh": "中文同传箱"},
    "event": {"en": "Event", "fr": "Manifestation", "es": "Evento", "ru": "Мероприятие",
              "ar": "المناسبة", "zh": "活动"},
    "session": {"en": "Session", "fr": "Séance", "es": "Sesión", "ru": "Заседание",
                "ar": "الجلسة", "zh": "会议"},
    "date": {"en": "Date", "fr": "Date", "es": "Fecha", "ru": "Дата", "ar": "التاريخ",
             "zh": "日期"},
    "time": {"en": "Time", "fr": "Heure", "es": "Hora", "ru": "Время", "ar": "الوقت",
             "zh": "时间"},
    "venue": {"en": "Venue", "fr": "Lieu", "es": "Lugar", "ru": "Место проведения",
              "ar": "المكان", "zh": "地点"},
    "session_id": {"en": "Session id", "fr": "Identifiant de la séance",
                   "es": "Identificador de la sesión", "ru": "Идентификатор заседания",
                   "ar": "رمز الجلسة", "zh": "会议编号"},
    "speakers": {"en": "Speakers", "fr": "Intervenants", "es": "Oradores",
                 "ru": "Выступающие", "ar": "المتكلمون", "zh": "发言者"},
    "participants": {"en": "Participants", "fr": "Participants", "es": "Participantes",
                     "ru": "Участники", "ar": "المشاركون", "zh": "与会者"},
    "name": {"en": "Name", "fr": "Nom", "es": "Nombre", "ru": "Имя", "ar": "الاسم",
             "zh": "姓名"},
    "original": {"en": "Original spelling, pronunciation", "fr": "Graphie d'origine, prononciation",
                 "es": "Grafía original, pronunciación",
                 "ru": "Написание в оригинале, произношение",
                 "ar": "الكتابة الأصلية والنطق", "zh": "原文拼写和读音"},
    "title": {"en": "Title", "fr": "Titre", "es": "Cargo", "ru": "Должность",
              "ar": "المنصب", "zh": "职务"},
    "affiliation": {"en": "Country or organization", "fr": "Pays ou organisation",
                    "es": "País u organización", "ru": "Страна или организация",
                    "ar": "البلد أو المنظمة", "zh": "国家或组织"},
    "notes": {"en": "Notes", "fr": "Notes", "es": "Notas", "ru": "Примечания",
              "ar": "ملاحظات", "zh": "备注"},
    "terms": {"en": "Terms in the session's documents",
              "fr": "Termes figurant dans les documents de la séance",
              "es": "Términos que figuran en los documentos de la sesión",
              "ru": "Термины из документов заседания",
              "ar": "المصطلحات الواردة في وثائق الجلسة", "zh": "本场会议文件中的术语"},
    "terms_intro": {
        "en": "Glossary concepts in order of first occurrence. Columns: {booth} (booth), "
              "{source} (source language), then the other languages.",
        "fr": "Notions du glossaire par ordre d'apparition. Colonnes : {booth} (cabine), "
              "{source} (langue source), puis les autres langues.",
        "es": "Conceptos del glosario por orden de aparición. Columnas: {booth} (cabina), "
              "{source} (idioma de origen) y los demás idiomas.",
        "ru": "Понятия глоссария в порядке первого упоминания. Столбцы: {booth} (кабина), "
              "{source} (язык оригинала), затем остальные языки.",
        "ar": "مفاهيم المسرد حسب ترتيب ورودها لأول مرة. الأعمدة: {booth} (المقصورة)، ثم "
              "{source} (اللغة المصدر)، ثم اللغات الأخرى.",
        "zh": "术语表概念按首次出现的顺序排列。各栏：{booth}（同传箱语言）、{source}（源语言），"
              "其后为其他语言。"},
    "terms_intro_same": {
        "en": "Glossary concepts in order of first occurrence. Columns: {booth} (booth and "
              "source language), then the other languages.",
        "fr": "Notions du glossaire par ordre d'apparition. Colonnes : {booth} (cabine et "
              "langue source), puis les autres langues.",
        "es": "Conceptos del glosario por orden de aparición. Columnas: {booth} (cabina e "
              "idioma de origen) y los demás idiomas.",
        "ru": "Понятия глоссария в порядке первого упоминания. Столбцы: {booth} (кабина и "
              "язык оригинала), затем остальные языки.",
        "ar": "مفاهيم المسرد حسب ترتيب ورودها لأول مرة. الأعمدة: {booth} (المقصورة واللغة "
              "المصدر)، ثم اللغات الأخرى.",
        "zh": "术语表概念按首次出现的顺序排列。各栏：{booth}（同传箱语言兼源语言），"
              "其后为其他语言。"},
    "numbers": {"en": "Numbers", "fr": "Nombres", "es": "Cifras", "ru": "Числа",
                "ar": "الأرقام", "zh": "数字"},
    "dates": {"en": "Dates and times", "fr": "Dates et heures", "es": "Fechas y horas",
              "ru": "Даты и время", "ar": "التواريخ والأوقات", "zh": "日期和时间"},
    "names": {"en": "Proper names", "fr": "Noms propres", "es": "Nombres propios",
              "ru": "Имена собственные", "ar": "أسماء العلم", "zh": "专有名称"},
    "in_text": {"en": "In the text", "fr": "Dans le texte", "es": "En el texto",
                "ru": "В тексте", "ar": "في النص", "zh": "原文"},
    "where": {"en": "Where", "fr": "Où", "es": "Dónde", "ru": "Где", "ar": "الموضع",
              "zh": "出处"},
    "speeches": {"en": "Speeches (check against delivery)",
                 "fr": "Discours (seul le texte prononcé fait foi)",
                 "es": "Discursos (cotéjese con el discurso pronunciado)",
                 "ru": "Выступления (сверять с фактически произнесенным текстом)",
                 "ar": "الخطابات (العبرة بالنص الملقى)", "zh": "讲稿（以实际发言为准）"},
    "documents": {"en": "Documents of the session", "fr": "Documents de la séance",
                  "es": "Documentos de la sesión", "ru": "Документы заседания",
                  "ar": "وثائق الجلسة", "zh": "本场会议文件"},
    "speech": {"en": "speech", "fr": "discours", "es": "discurso", "ru": "выступление",
               "ar": "خطاب", "zh": "讲稿"},
    "reference": {"en": "reference", "fr": "document de référence",
                  "es": "documento de referencia", "ru": "справочный документ",
                  "ar": "وثيقة مرجعية", "zh": "参考文件"},
    "mt_note": {
        "en": "Machine translation ({engine}) from {source}, glossary terms enforced; not "
              "revised. Check against delivery.",
        "fr": "Traduction automatique ({engine}) de l'original en {source}, termes du "
              "glossaire imposés ; non révisée. Seul le texte prononcé fait foi.",
        "es": "Traducción automática ({engine}) del original en {source}, con los términos "
              "del glosario; sin revisar. Cotéjese con el discurso pronunciado.",
        "ru": "Машинный перевод ({engine}) с оригинала ({source}) с терминами глоссария; "
              "не отредактирован. Сверять с фактически произнесенным текстом.",
        "ar": "ترجمة آلية ({engine}) من الأصل ({source})، مع مصطلحات المسرد؛ لم تخضع "
              "للمراجعة. العبرة بالنص الملقى.",
        "zh": "机器翻译（{engine}），原文为{source}，已套用术语表；未经审校。以实际发言为准。"},
    "mt_partial": {
        "en": "{count} segment(s) could not be machine-translated and are given in the original.",
        "fr": "{count} segment(s) n'ont pas pu être traduits automatiquement et figurent "
              "dans l'original.",
        "es": "{count} segmento(s) no pudieron traducirse automáticamente y figuran en el "
              "original.",
        "ru": "Сегменты, не переведенные машинным переводом ({count}), приводятся в оригинале.",
        "ar": "تعذرت الترجمة الآلية لعدد {count} من المقاطع، وهي واردة بلغة الأصل.",
        "zh": "{count}个片段未能机器翻译，保留原文。"},
    "no_mt": {
        "en": "No machine translation for {pair}: original text follows.",
        "fr": "Pas de traduction automatique pour {pair} : le texte original suit.",
        "es": "No hay traducción automática para {pair}: sigue el texto original.",
        "ru": "Машинного перевода для {pair} нет: ниже приводится оригинальный текст.",
        "ar": "لا تتوفر ترجمة آلية للزوج {pair}: يلي ذلك النص الأصلي.",
        "zh": "{pair}无机器翻译：以下为原文。"},
    "same_language": {
        "en": "Delivered in {language}: original text.",
        "fr": "Prononcé en {language} : texte original.",
        "es": "Pronunciado en {language}: texto original.",
        "ru": "Язык выступления: {language}; оригинальный текст.",
        "ar": "يُلقى باللغة {language}: النص الأصلي.",
        "zh": "以{language}发言：原文。"},
    "original_text": {"en": "Original text ({language})", "fr": "Texte original ({language})",
                      "es": "Texto original ({language})", "ru": "Оригинал ({language})",
                      "ar": "النص الأصلي ({language})", "zh": "原文（{language}）"},
    "translation": {"en": "Translation into {language}", "fr": "Traduction en {language}",
                    "es": "Traducción al {language}", "ru": "Перевод ({language})",
                    "ar": "الترجمة إلى {language}", "zh": "{language}译文"},
    "no_approved": {"en": "no approved {language} form",
                    "fr": "pas de forme approuvée en {language}",
                    "es": "no hay forma aprobada en {language}",
                    "ru": "нет утвержденного варианта ({language})",
                    "ar": "لا توجد صيغة معتمدة باللغة {language}",
                    "zh": "无经核准的{language}形式"},
    "not_in_glossary": {
        "en": "not in the glossary: as written; check spelling and pronunciation",
        "fr": "absent du glossaire : tel qu'écrit ; vérifier la graphie et la prononciation",
        "es": "no figura en el glosario: tal como está escrito; verifique la grafía y la "
              "pronunciación",
        "ru": "нет в глоссарии: в написании оригинала; уточните написание и произношение",
        "ar": "غير وارد في المسرد: كما ورد؛ يرجى التحقق من الكتابة والنطق",
        "zh": "术语表未收录：照录原文；请核实拼写和读音"},
    "name_tbc": {"en": "name to be confirmed", "fr": "nom à confirmer",
                 "es": "nombre por confirmar", "ru": "имя уточняется",
                 "ar": "الاسم قيد التأكيد", "zh": "姓名待定"},
    "machine": {"en": "machine translation: check", "fr": "traduction automatique : à vérifier",
                "es": "traducción automática: verifíquese",
                "ru": "машинный перевод: проверить", "ar": "ترجمة آلية: يرجى التحقق",
                "zh": "机器翻译：请核实"},
    "untranslated": {
        "en": "not translated: no approved {language} form and no machine translation",
        "fr": "non traduit : pas de forme approuvée en {language} ni de traduction automatique",
        "es": "sin traducir: no hay forma aprobada en {language} ni traducción automática",
        "ru": "не переведено: нет утвержденного варианта ({language}) и машинного перевода",
        "ar": "غير مترجم: لا توجد صيغة معتمدة باللغة {language} ولا ترجمة آلية",
        "zh": "未翻译：无经核准的{language}形式，也无机器翻译"},
    "terms_in": {"en": "glossary terms in it", "fr": "termes du glossaire qui y figurent",
                 "es": "términos del glosario que contiene", "ru": "термины глоссария в нем",
                 "ar": "مصطلحات المسرد الواردة فيه", "zh": "其中的术语"},
    "avoid": {"en": "avoid", "fr": "à éviter", "es": "evítese", "ru": "не использовать",
              "ar": "يُتجنب", "zh": "勿用"},
    "none": {"en": "None found.", "fr": "Aucun.", "es": "Ninguno.", "ru": "Не найдено.",
             "ar": "لا يوجد.", "zh": "无。"},
    "no_documents": {"en": "No documents are linked to this session.",
                     "fr": "Aucun document n'est lié à cette séance.",
                     "es": "No hay documentos vinculados a esta sesión.",
                     "ru": "К этому заседанию не привязаны документы.",
                     "ar": "لا توجد وثائق مرتبطة بهذه الجلسة.",
                     "zh": "本场会议无关联文件。"},
    "no_speeches": {"en": "No speech has been received for this session.",
                    "fr": "Aucun discours n'a été reçu pour cette séance.",
                    "es": "No se ha recibido ningún discurso para esta sesión.",
                    "ru": "Тексты выступлений на этом заседании не поступали.",
                    "ar": "لم ترد أي خطابات لهذه الجلسة.",
                    "zh": "本场会议尚未收到讲稿。"},
    "unreadable": {"en": "could not be read", "fr": "illisible", "es": "no se pudo leer",
                   "ru": "не удалось прочитать", "ar": "تعذرت قراءتها", "zh": "无法读取"},
    "programme": {"en": "programme", "fr": "programme", "es": "programa", "ru": "программа",
                  "ar": "البرنامج", "zh": "日程"},
    "ordinal": {"en": "ordinal", "fr": "ordinal", "es": "ordinal", "ru": "порядковое",
                "ar": "ترتيبي", "zh": "序数"},
    "prepared": {
        "en": "Prepared by hexaglot {version} on {date} from the programme and the documents "
              "linked to the session. Glossaries: {glossaries}.",
        "fr": "Établi par hexaglot {version} le {date} à partir du programme et des documents "
              "liés à la séance. Glossaires : {glossaries}.",
        "es": "Preparado por hexaglot {version} el {date} a partir del programa y de los "
              "documentos vinculados a la sesión. Glosarios: {glossaries}.",
        "ru": "Подготовлено hexaglot {version} {date} на основе программы и документов "
              "заседания. Глоссарии: {glossaries}.",
        "ar": "أعدّه hexaglot {version} في {date} استناداً إلى البرنامج والوثائق المرتبطة "
              "بالجلسة. المسارد: {glossaries}.",
        "zh": "由 hexaglot {version} 于{date}根据日程和本场会议关联文件生成。"
              "术语表：{glossaries}。"},
}
# Where a booth's language writes a colon: French with a no-break space before it,
# Chinese and Arabic with their own.
COLONS = {"fr": "\u00a0: ", "zh": "：", "ar": ": "}


def label(lang: str, key: str, **values: object) -> str:
    text = LABELS[key].get(lang) or LABELS[key]["en"]
    return text.format(version=__version__, **values) if "{" in text else text


def colon(lang: str) -> str:
    return COLONS.get(lang, ": ")


@cache
def _locale(lang: str):
    from babel import Locale

    language = LANGUAGES.get(lang)
    return Locale.parse((language.babel_locale if language else "") or lang)


def language_name(code: str, in_lang: str) -> str:
    """"French" in English, "法语" in Chinese, "الفرنسية" in Arabic (Babel)."""
    return _locale(in_lang).languages.get(code, code)


# ---------------------------------------------------------------- dates and times

_DATE_LOCALES = {"en": "en_GB"}
# (day month year, weekday day month year, day month, month year, month)
_DATE_PATTERNS = {
    "en": ("d MMMM y", "EEEE, d MMMM y", "d MMMM", "MMMM y", "LLLL"),
    "fr": ("d MMMM y", "EEEE d MMMM y", "d MMMM", "LLLL y", "LLLL"),
    "es": ("d 'de' MMMM 'de' y", "EEEE d 'de' MMMM 'de' y", "d 'de' MMMM", "LLLL 'de' y",
           "LLLL"),
    "ru": ("d MMMM y 'года'", "EEEE, d MMMM y 'года'", "d MMMM", "LLLL y 'года'", "LLLL"),
    "zh": ("y年M月d日", "y年M月d日EEEE", "M月d日", "y年M月", "M月"),
    "ar": ("d MMMM y", "EEEE، d MMMM y", "d MMMM", "MMMM y", "MMMM"),
}


def _date_locale(lang: str) -> str:
    return _DATE_LOCALES.get(lang) or LANGUAGES[lang].babel_locale or lang


@cache
def _arabic_month_pairs() -> dict[str, str]:
    """Babel's ``ar`` month name -> the UN Arabic pair "تشرين الأول/أكتوبر"."""
    from babel import Locale

    egyptian = Locale.parse("ar").months["format"]["wide"]
    levantine = Locale.parse("ar_SY").months["format"]["wide"]
    return {egyptian[m]: f"{levantine[m]}/{egyptian[m]}" for m in range(1, 13)}


def _babel_date(day: date, pattern: str, lang: str) -> str:
    from babel.dates import format_date

    text = format_date(day, pattern, locale=_date_locale(lang))
    if lang == "ar":
        for name, pair in _arabic_month_pairs().items():
            if name in text:
                text = text.replace(name, pair, 1)
                break
    return text


def format_day(day: date, lang: str, *, weekday: bool = False) -> str:
    patterns = _DATE_PATTERNS.get(lang, _DATE_PATTERNS["en"])
    return _babel_date(day, patterns[1] if weekday else patterns[0], lang)


def format_found_date(month: int, days: tuple[int, ...], year: int | None, lang: str) -> str:
    """A date read in a text (a day or a range of days, a month, a year) in the booth's
    language: "25–26 octobre 2025", "2025年10月25日至26日", "24 كانون الأول/ديسمبر 2024"."""
    patterns = _DATE_PATTERNS.get(lang, _DATE_PATTERNS["en"])
    # a leap year, so that 29 February is a date whatever the year
    anchor_year = year if year is not None else 2024
    try:
        day = date(anchor_year, month, days[-1] if days else 1)
    except ValueError:
        return f"{'–'.join(map(str, days))} {month}/{year or ''}".strip("/ ")
    if days:
        text = _babel_date(day, patterns[0] if year is not None else patterns[2], lang)
        if len(days) > 1:
            last = str(days[-1])
            if lang == "zh":
                text = text.replace(f"{last}日", f"{days[0]}日至{last}日", 1)
            else:
                text = re.sub(rf"(?<!\d){last}(?!\d)", f"{days[0]}–{last}", text, count=1)
        return text
    return _babel_date(day, patterns[3] if year is not None else patterns[4], lang)


def format_clock(moment: time, lang: str) -> str:
    if lang == "fr":
        return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} h"
    return f"{moment:%H:%M}"


def format_time_range(start: time, end: time | None, lang: str) -> str:
    if end is None:
        return format_clock(start, lang)
    dash = "—" if lang == "zh" else "–"
    spaced = f" {dash} " if lang == "fr" else dash
    return f"{format_clock(start, lang)}{spaced}{format_clock(end, lang)}"


# ---------------------------------------------------------------- numbers

_SCALE_WORDS = {  # power of ten -> (singular, plural); zh is written in 万 and 亿
    6: {"en": ("million", "million"), "fr": ("million", "millions"),
        "es": ("millón", "millones"), "ru": ("млн", "млн"), "ar": ("مليون", "مليون")},
    9: {"en": ("billion", "billion"), "fr": ("milliard", "milliards"),
        "es": ("mil millones", "mil millones"), "ru": ("млрд", "млрд"),
        "ar": ("مليار", "مليار")},
}


def format_number(value: Decimal, lang: str, *, power: int = 0, ordinal: bool = False,
                  year: bool = False) -> str:
    """``value`` (times 10**power when the text said "2.5 million") as the booth writes it."""
    from hexaglot.checks.numbers import format_for

    if year:
        return str(value)
    if ordinal:
        return format_ordinal(int(value), lang)
    if power in _SCALE_WORDS and lang in _SCALE_WORDS[power]:
        singular, plural = _SCALE_WORDS[power][lang]
        return f"{format_for(value, lang)} {singular if value < 2 else plural}"
    full = value * (Decimal(10) ** power)
    if lang == "zh" and full >= 10_000 and power:
        unit, name = (Decimal(10) ** 8, "亿") if full >= 10 ** 8 else (Decimal(10) ** 4, "万")
        return f"{format_for((full / unit).normalize(), lang)}{name}"
    return format_for(full.normalize() if power else value, lang)


def format_ordinal(number: int, lang: str) -> str:
    if lang == "en":
        suffix = "th" if 10 <= number % 100 <= 20 else \
            {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        return f"{number}{suffix}"
    if lang == "fr":
        return "1er" if number == 1 else f"{number}e"
    if lang == "es":
        return f"{number}.º"
    if lang == "ru":
        return f"{number}-й"
    if lang == "zh":
        return f"第{number}"
    if lang == "ar":
        return f"الـ{number}"
    return str(number)
