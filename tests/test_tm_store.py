"""The translation memory as a translator meets it: revisions kept, context matches first,
numbers adapted, fuzzy matches that make sense in every script, and a store that says
what is wrong with a file instead of failing obscurely."""

from __future__ import annotations

import random
import re
import sqlite3
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import flores
from hexaglot.document import HexaglotError
from hexaglot.tm.memory import LookupQuery, TMUnit, TranslationMemory, UnitOrigin, context_hash
from hexaglot.tm.store import (
    MAX_CANDIDATES,
    MAX_TERMS,
    POSTINGS_PER_TERM,
    SCHEMA_VERSION,
    SQLiteTM,
    default_tm_path,
    open_tm,
)

REVISED, IMPORTED, MT = UnitOrigin.HUMAN_REVISED, UnitOrigin.IMPORTED, UnitOrigin.MT


def unit(source: str, target: str, origin: UnitOrigin = MT, *, source_lang: str = "en",
         target_lang: str = "fr", **fields) -> TMUnit:
    return TMUnit(source_lang, target_lang, source, target, origin, **fields)


@pytest.fixture
def tm(tmp_path):
    with open_tm(tmp_path / "data" / "tm.sqlite") as memory:
        yield memory


def best(tm: SQLiteTM, text: str, source: str = "en", target: str = "fr", *,
         previous: str = "", next: str = "", min_score: int = 75):
    query = LookupQuery(text, context_hash(previous), context_hash(next))
    return tm.lookup(source, target, [query], min_score=min_score)[0]


# ---------------------------------------------------------------- origins and context


def test_store_creates_its_folder_and_meets_the_contract(tmp_path):
    path = tmp_path / "deep" / "folder" / "tm.sqlite"
    with open_tm(path) as tm:
        memory: TranslationMemory = tm  # what the pipeline holds
        assert all(callable(getattr(memory, name)) for name in ("lookup", "add", "count",
                                                                 "close"))
        assert tm.add([unit("Hello.", "Bonjour.")]) == 1
    assert path.is_file()
    with open_tm(path) as tm:  # reopened: the unit is there
        assert tm.count() == 1 and tm.count("en", "fr") == 1 and tm.count("en", "es") == 0


def test_a_revision_is_never_overwritten_by_machine_translation(tm):
    source = "The signing ceremony opened today."
    assert tm.add([unit(source, "La cérémonie de signature a ouvert aujourd'hui.", MT,
                        engine="opus-mt-en-fr")]) == 1
    assert tm.add([unit(source, "La cérémonie de signature s'est ouverte aujourd'hui.",
                        REVISED)]) == 1
    assert tm.add([unit(source, "Machine output again.", MT)]) == 0  # nothing written
    assert tm.add([unit(source, "Imported from Trados.", IMPORTED)]) == 0
    match = best(tm, source)
    assert match.score == 100 and match.unit.origin is REVISED
    assert match.target == "La cérémonie de signature s'est ouverte aujourd'hui."
    assert tm.count() == 1  # replaced in place, never duplicated
    # a second revision replaces the first (same rank), whitespace does not make a new unit
    assert tm.add([unit("The signing  ceremony opened today. ", "Révision 2.", REVISED)]) == 1
    assert best(tm, source).target == "Révision 2." and tm.count() == 1


def test_context_match_scores_101_and_beats_a_higher_ranked_exact_match(tm):
    source = "The Secretary-General welcomed the delegations."
    tm.add([
        unit(source, "Le Secrétaire général a accueilli les délégations.", MT,
             previous_hash=context_hash("Opening of the session"),
             next_hash=context_hash("He thanked the host country.")),
        unit(source, "Le Secrétaire général a souhaité la bienvenue aux délégations.", REVISED,
             previous_hash=context_hash("Another document"), next_hash=""),
    ])
    in_context = best(tm, source, previous="Opening of the session",
                      next="He thanked the host country.")
    assert in_context.score == 101 and in_context.kind == "context"
    assert in_context.target == "Le Secrétaire général a accueilli les délégations."
    elsewhere = best(tm, source, previous="Something else", next="")
    assert elsewhere.score == 100 and elsewhere.kind == "exact"
    assert elsewhere.unit.origin is REVISED  # among exact matches, the higher rank
    only_previous = best(tm, source, previous="Opening of the session", next="Other.")
    assert only_previous.score == 100  # both neighbours must match for 101
    assert best(tm, source).score == 100  # a query without context is never 101


def test_among_equal_scores_the_higher_rank_then_the_newer_unit_wins(tm):
    source = "Member States sign the Convention."
    tm.add([unit(source, "older", IMPORTED, previous_hash="a" * 16, created="2024-01-01T00:00:00Z"),
            unit(source, "newer", IMPORTED, previous_hash="b" * 16,
                 created="2025-06-01T12:00:00+02:00"),
            unit(source, "machine", MT, previous_hash="c" * 16, created="2026-01-01T00:00:00Z")])
    match = best(tm, source)
    assert match.target == "newer" and match.unit.created == "2025-06-01T10:00:00Z"
    fuzzy = best(tm, "Member States signed the Convention.")
    assert fuzzy.target == "newer" and 80 <= fuzzy.score <= 97


def test_units_without_a_date_get_now_and_bad_dates_are_refused(tm):
    tm.add([unit("Dated by the store.", "Daté par le magasin.")])
    created = next(tm.iter_units()).created
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created)
    with pytest.raises(ValueError, match="not ISO 8601"):
        tm.add([unit("x", "y", created="14/03/2025")])
    assert tm.add([unit("  ", "vide"), unit("Empty target", " ")]) == 0


# ---------------------------------------------------------------- near-exact and numbers


def test_case_or_punctuation_difference_is_a_high_fuzzy_not_a_miss(tm):
    tm.add([unit("The signing ceremony opened today.",
                 "La cérémonie de signature s'est ouverte aujourd'hui.", REVISED)])
    case = best(tm, "The Signing Ceremony opened today.")
    assert case.score == 99 and case.penalties == ("case differs",)
    punctuation = best(tm, "The signing ceremony opened today!")
    assert punctuation.score == 98 and punctuation.penalties == ("punctuation differs",)
    both = best(tm, "the signing ceremony opened today")
    assert both.score == 98 and both.penalties == ("case and punctuation differ",)
    assert all(m.target == "La cérémonie de signature s'est ouverte aujourd'hui."
               for m in (case, punctuation, both))


@pytest.mark.parametrize(("target_lang", "stored", "expected"), [
    ("fr", "Plus de 2 500 délégués de 110 pays ont assisté à la cérémonie en 2024.",
     "Plus de 3 000 délégués de 110 pays ont assisté à la cérémonie en 2025."),
    ("es", "Más de 2.500 delegados de 110 países asistieron a la ceremonia en 2024.",
     "Más de 3.000 delegados de 110 países asistieron a la ceremonia en 2025."),
    ("ru", "На церемонии в 2024 году присутствовали более 2\u00a0500 делегатов из 110 стран.",
     "На церемонии в 2025 году присутствовали более 3\u00a0000 делегатов из 110 стран."),
    ("ar", "حضر الحفل أكثر من ٢٥٠٠ مندوب من ١١٠ بلدان في عام ٢٠٢٤.",
     "حضر الحفل أكثر من ٣٠٠٠ مندوب من ١١٠ بلدان في عام ٢٠٢٥."),
    ("zh", "2024年，来自110个国家的2500多名代表出席了仪式。",
     "2025年，来自110个国家的3000多名代表出席了仪式。"),
])
def test_a_number_only_difference_adapts_the_target_with_a_penalty(tm, target_lang, stored,
                                                                   expected):
    tm.add([unit("More than 2,500 delegates from 110 countries attended the ceremony in 2024.",
                 stored, REVISED, target_lang=target_lang)])
    match = best(tm, "More than 3,000 delegates from 110 countries attended the ceremony in 2025.",
                 target=target_lang)
    assert match is not None and match.score == 98  # two numbers changed: 1 point each
    assert match.penalties == ("number 2,500 -> 3,000", "number 2024 -> 2025")
    assert match.target == expected
    assert match.unit.target == stored  # the stored unit itself is untouched


def test_numbers_are_written_as_the_stored_target_wrote_them(tm):
    tm.add([unit("The budget is 1.5 million dollars for 12 months.",
                 "Le budget est de 1,5 million de dollars pour 12 mois.", REVISED),
            unit("Room 204 opens at 9.", "La salle 204 ouvre à 9 h.", REVISED)])
    match = best(tm, "The budget is 2.75 million dollars for 18 months.")
    assert match.target == "Le budget est de 2,75 million de dollars pour 18 mois."
    # a year-like number stays ungrouped; a grouped query number is grouped as the locale does
    assert best(tm, "Room 1024 opens at 9.").target == "La salle 1024 ouvre à 9 h."
    grouped = best(tm, "Room 12,500 opens at 9.")
    assert grouped.target == "La salle 12\u202f500 ouvre à 9 h."


def test_a_number_the_target_does_not_show_is_left_alone_and_said(tm):
    tm.add([unit("The 2 delegations met on 3 May.",
                 "Les deux délégations se sont réunies le 3 mai.", REVISED)])
    match = best(tm, "The 4 delegations met on 5 May.")
    assert match.target == "Les deux délégations se sont réunies le 5 mai."
    assert "number 2 is not in the target as digits: not replaced" in match.penalties
    assert match.score == 97  # two numbers changed, one could not be placed


def test_placeholders_and_addresses_are_variables_too(tm):
    tm.add([unit("Write to ⟦0⟧ at press@unodc.org before {0}.",
                 "Écrivez à ⟦0⟧ à press@unodc.org avant {0}.", REVISED)])
    match = best(tm, "Write to ⟦1⟧ at media@un.org before {0}.")
    assert match.score == 98
    assert match.penalties == ("placeholder ⟦0⟧ -> ⟦1⟧", "e-mail address press@unodc.org -> "
                               "media@un.org")
    assert match.target == "Écrivez à ⟦1⟧ à media@un.org avant {0}."


# ---------------------------------------------------------------- fuzzy matches


def _one_word_edit(sentence: str, lang: str, rng: random.Random, pool: list[str]) -> str:
    if lang == "zh":  # two Han characters replaced: one word of Chinese
        runs = [m for m in re.finditer(r"[\u4e00-\u9fff]{2,}", sentence)]
        run = rng.choice(runs)
        at = rng.randrange(run.start(), run.end() - 1)
        return sentence[:at] + rng.choice(pool) + sentence[at + 2:]
    words = list(re.finditer(r"[^\W\d_]{4,}", sentence))
    word = rng.choice(words)
    return sentence[:word.start()] + rng.choice(pool) + sentence[word.end():]


@pytest.mark.parametrize("lang", ["en", "fr", "ru", "ar", "zh", "es"])
def test_a_one_word_edit_is_a_fuzzy_match_of_80_to_99(tm, lang):
    sentences = [s for s in flores(lang, count=400) if len(s) >= 60]
    target = "fr" if lang == "en" else "en"
    tm.add([unit(s, f"translation {i}", source_lang=lang, target_lang=target)
            for i, s in enumerate(sentences)])
    other = " ".join(flores(lang, count=200, start=800))
    pool = (re.findall(r"[\u4e00-\u9fff]{2}", other) if lang == "zh"
            else re.findall(r"[^\W\d_]{4,}", other))
    rng = random.Random(2025)
    originals = sentences[:40]
    queries = [LookupQuery(_one_word_edit(s, lang, rng, pool)) for s in originals]
    matches = tm.lookup(lang, target, queries)
    for original, query, match in zip(originals, queries, matches, strict=True):
        assert match is not None, query.source
        assert match.unit.source == original
        assert 80 <= match.score <= 99 and match.kind == "fuzzy"


@pytest.mark.parametrize("lang", ["en", "ru", "ar", "zh"])
def test_an_unrelated_sentence_is_not_matched_at_75(tm, lang):
    stored = flores(lang, count=500)
    tm.add([unit(s, "x", source_lang=lang, target_lang="es") for s in stored])
    unrelated = flores(lang, count=100, start=600)
    assert tm.lookup(lang, "es", [LookupQuery(s) for s in unrelated]) == [None] * 100


def _variants(sentence: str, count: int) -> list[str]:
    leads = ["", "According to the report, ", "In a statement, ", "On Monday, ",
             "Meanwhile, ", "In Hanoi, ", "At the ceremony, ", "Separately, ", "As announced, ",
             "For the record, "]
    closings = ["", " the spokesperson said.", " officials confirmed.", " sources said."]
    out = []
    for number in range(count):
        lead, closing = leads[number % 10], closings[number // 10 % 4]
        text = lead + (sentence[0].lower() + sentence[1:] if lead else sentence)
        out.append(text.rstrip(".") + "," + closing if closing else text)
    return out


def test_lookup_work_per_query_is_bounded_whatever_the_size_of_the_memory(tmp_path):
    """TMs of ~2k and ~20k units; the candidates scored and postings read per fuzzy query
    stay under the same constants, and the right unit is still found."""
    sentences = flores("en", count=1012)
    rng = random.Random(7)
    pool = re.findall(r"[^\W\d_]{5,}", " ".join(sentences))
    picks = list(range(0, 1000, 20))
    queries = [LookupQuery(_one_word_edit(sentences[i], "en", rng, pool)) for i in picks]
    seen = {}
    for size, per_sentence in (("2k", 2), ("20k", 20)):
        with open_tm(tmp_path / f"{size}.sqlite") as tm:
            tm.add(unit(text, f"fr {i}") for i, s in enumerate(sentences)
                   for text in _variants(s, per_sentence))  # one call: one transaction
            assert tm.count() >= 1012 * per_sentence * 0.99
            matches = tm.lookup("en", "fr", queries)
            stats = tm.stats
            assert stats.fuzzy_searched == len(queries)
            assert stats.max_candidates_per_query <= MAX_CANDIDATES
            assert stats.max_postings_per_query <= MAX_TERMS * POSTINGS_PER_TERM
            found = sum(1 for i, m in zip(picks, matches, strict=True)
                        if m is not None and m.unit.source == sentences[i])
            assert found >= len(queries) - 1
            seen[size] = stats
    # ten times the units, not ten times the work
    assert seen["20k"].candidates_scored <= 1.2 * max(seen["2k"].candidates_scored,
                                                      MAX_CANDIDATES * len(queries) / 2)
    assert seen["20k"].postings_read < 5 * seen["2k"].postings_read


def test_batch_exact_lookup_mixes_hits_and_misses_in_order(tm):
    tm.add([unit(f"Sentence number {word}.", f"Phrase numéro {word}.")
            for word in ("one", "two", "three")])
    queries = [LookupQuery(t) for t in ("Sentence number two.", "Nothing like it at all here.",
                                        "Sentence number one.", "")]
    matches = tm.lookup("en", "fr", queries)
    assert [m.target if m else None for m in matches] == [
        "Phrase numéro two.", None, "Phrase numéro one.", None]
    assert tm.lookup("en", "fr", []) == []
    assert tm.lookup("en", "fr", queries[:1], min_score=101) == [None]  # 100 < 101
    assert tm.lookup("EN-us", "fr-FR", queries[:1])[0].score == 100  # regional codes read


def test_threads_share_one_store(tm):
    sentences = flores("fr", count=300)

    def work(index: int) -> int:
        chunk = sentences[index * 30:(index + 1) * 30]
        tm.add([unit(s, f"t{index}", source_lang="fr", target_lang="en") for s in chunk])
        found = tm.lookup("fr", "en", [LookupQuery(s) for s in chunk])
        return sum(1 for m in found if m is not None and m.score == 100)

    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(work, range(10))) == 300
    assert tm.count("fr", "en") == 300


def test_iter_units_gives_every_unit_back_by_pair(tm):
    tm.add([unit("One.", "Un."), unit("One.", "Uno.", target_lang="es"),
            unit("Un.", "One.", source_lang="fr", target_lang="en")])
    assert [(u.source_lang, u.target_lang) for u in tm.iter_units()] == [
        ("en", "es"), ("en", "fr"), ("fr", "en")]
    assert [u.target for u in tm.iter_units("en")] == ["Uno.", "Un."]
    assert [u.target for u in tm.iter_units(target_lang="en")] == ["One."]
    assert tm.language_pairs() == [("en", "es", 1), ("en", "fr", 1), ("fr", "en", 1)]


# ---------------------------------------------------------------- files that are not right


HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    connection = sqlite3.connect(sys.argv[1], isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    connection.execute("UPDATE meta SET value = value WHERE key = 'created'")
    print("locked", flush=True)
    time.sleep(30)
""")


def test_a_database_locked_by_another_process_is_named_after_the_timeout(tmp_path):
    path = tmp_path / "tm.sqlite"
    with open_tm(path) as tm:
        tm.add([unit("Before the lock.", "Avant le verrou.")])
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with open_tm(path, timeout=0.3) as tm:
            assert best(tm, "Before the lock.").score == 100  # readers do not wait
            with pytest.raises(HexaglotError) as error:
                tm.add([unit("During the lock.", "Pendant le verrou.")])
        message = str(error.value)
        assert str(path) in message and "is locked by another process" in message
        assert f"process {holder.pid}" in message and "wait for it to finish" in message
    finally:
        holder.kill()
        holder.wait()
    with open_tm(path, timeout=0.3) as tm:  # the holder gone, writing works again
        assert tm.add([unit("After the lock.", "Après le verrou.")]) == 1


def test_a_database_from_a_newer_hexaglot_is_refused(tmp_path):
    path = tmp_path / "tm.sqlite"
    open_tm(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(HexaglotError) as error:
        open_tm(path)
    message = str(error.value)
    assert str(path) in message and f"schema version {SCHEMA_VERSION + 1}" in message
    assert f"up to version {SCHEMA_VERSION}" in message and "upgrade hexaglot" in message


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
                                     b"id,en,fr\n1,Hello,Bonjour\n"])
def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path, content):
    path = tmp_path / "glossary.sqlite"
    path.write_bytes(content)
    with pytest.raises(HexaglotError, match=r"not a hexaglot translation memory \(the file is "
                                            r"not an SQLite database\)"):
        open_tm(path)
    assert path.read_bytes() == content  # left as it was


def test_another_applications_database_is_refused_clearly(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(HexaglotError, match=r"other\.db: not a hexaglot translation memory "
                                            r"\(an SQLite database of something else, with "
                                            r"tables invoices\)"):
        open_tm(path)


def test_a_closed_store_says_so(tmp_path):
    tm = open_tm(tmp_path / "tm.sqlite")
    tm.close()
    with pytest.raises(HexaglotError, match="was closed"):
        tm.count()


def test_default_path_is_beside_the_desk_configuration(tmp_path, monkeypatch):
    config = tmp_path / "desk" / "hexaglot.toml"
    config.parent.mkdir()
    config.write_text("[desk]\n", encoding="utf-8")
    monkeypatch.setenv("HEXAGLOT_CONFIG", str(config))
    assert default_tm_path() == config.parent / "data" / "translation-memory.sqlite"
    assert default_tm_path("memories/un.sqlite") == config.parent / "memories" / "un.sqlite"
    assert default_tm_path(tmp_path / "abs.sqlite") == tmp_path / "abs.sqlite"
    monkeypatch.delenv("HEXAGLOT_CONFIG")
    monkeypatch.chdir(tmp_path)
    assert default_tm_path() == Path.cwd() / "data" / "translation-memory.sqlite"


def test_a_new_tm_opened_by_several_threads_at_once_is_one_good_tm(tmp_path):
    """The flow translates two languages of a document at once into a TM not made yet."""
    import threading

    for attempt in range(20):
        path = tmp_path / f"tm-{attempt}.sqlite"
        errors: list[Exception] = []
        stores: list = []

        def open_it(path=path, errors=errors, stores=stores) -> None:
            try:
                stores.append(open_tm(path))
            except Exception as error:
                errors.append(error)

        threads = [threading.Thread(target=open_it) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        stores[0].add([TMUnit("en", "fr", "Member States", "États Membres", UnitOrigin.MT)])
        assert all(store.count("en", "fr") == 1 for store in stores)
        for store in stores:
            store.close()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
