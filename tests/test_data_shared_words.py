"""One definition per idea: the relation cues, the ingest month patterns and the query corroboration
read the shared definitions (language.yaml, sitrep.query.facts) instead of keeping copies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitrep.data import language
from sitrep.data.loader import DataFileError
from sitrep.extract.relations_lexicon import RELATIONS_FILE, lexicon, load_lexicon

DATA = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "data"


@pytest.mark.parametrize(("cue", "shared"), [
    ("deny_verbs", "deny_verbs"), ("untrue_adjs", "untrue_words"), ("hedges", "hedge_words"),
    ("pledge_verbs", "irrealis_verbs"),
])
def test_relation_cues_are_the_language_lists(cue: str, shared: str) -> None:
    assert lexicon().words(cue) == frozenset(getattr(language(), shared))


def test_relations_file_may_not_redefine_a_shared_list(tmp_path: Path) -> None:
    text = (DATA / RELATIONS_FILE).read_text("utf-8")
    assert "\n  deny_verbs:" not in text
    (tmp_path / RELATIONS_FILE).write_text(text.replace("\ncues:\n", "\ncues:\n  deny_verbs: [gainsay]\n", 1), "utf-8")
    with pytest.raises(DataFileError, match=r"relations\.yaml.*deny_verbs.*language\.yaml"):
        load_lexicon(tmp_path)


def test_month_alternation_covers_every_month_word_longest_first() -> None:
    lang = language()
    alternation = re.compile(rf"(?:{lang.month_alternation})", re.I)
    for word in lang.months:
        assert alternation.fullmatch(word)
    assert alternation.match("September").group(0) == "September"  # not just "Sep"
    assert alternation.match("Marching").group(0) == "March"


def test_ingest_dates_use_the_shared_months() -> None:
    from sitrep.ingest.clean import DATE_WORDS_ONLY
    from sitrep.ingest.metadata import DATE_PHRASE

    assert DATE_PHRASE.search("Filed 3 Sept. 2031 in Arcadia").group(0) == "3 Sept. 2031"
    assert DATE_PHRASE.search("Updated Dec 9, 2030").group(0) == "Dec 9, 2030"
    assert DATE_WORDS_ONLY.fullmatch("Thursday, 4 October 2029")
    assert not DATE_WORDS_ONLY.fullmatch("Red Hand Brigade 2029")


def test_corroboration_is_public_and_shared() -> None:
    from sitrep.query import events, facts

    assert events.corroboration is facts.corroboration
    assert not hasattr(facts, "_corroboration")


def test_entity_byline_uses_the_language_month_names() -> None:
    from sitrep.extract.entities_words import load_entity_words

    byline = load_entity_words().byline_line
    assert byline.match("Monday, March 3, 2031 - Jane Roe")
    assert byline.match("12 december 2030 | Ada Quill")
    assert not byline.match("Red Hand Brigade 3, 2031 - Jane Roe")


# --- one definition of each shared concept, read by every extractor (issue 10) -------------------


def test_target_prepositions_are_one_list_for_events_and_the_derive_step() -> None:
    from sitrep.extract.events_cues import load_cues_from

    shared = language().target_preps
    assert "on" in shared  # a bare YAML 'on' stays the word
    assert load_cues_from().target_preps == shared
    assert lexicon().derive["target_preps"] == shared


def test_doer_verbs_are_shared_and_events_name_their_extra_verbs() -> None:
    from sitrep.extract.attribution_cues import source_cues
    from sitrep.extract.events_cues import load_cues_from
    from sitrep.extract.quantities_cues import read_quantity_cues

    shared = language().doer_verbs
    assert read_quantity_cues().doer_verbs == shared
    events = load_cues_from().doer_verbs
    assert shared < events and "hit" in events - shared  # an incident's doer also strikes ("X hit the convoy")
    assert shared < source_cues().doing_verbs  # "denied being behind the raid"


def test_negation_words_are_the_language_list_for_events() -> None:
    from sitrep.extract.events_cues import load_cues_from

    assert load_cues_from().negation_words == language().negation_words


def test_claim_and_report_nouns_are_the_language_lists() -> None:
    from sitrep.extract.attribution_cues import source_cues

    lang, cues = language(), source_cues()
    assert cues.report_nouns == lang.report_nouns
    assert lang.claim_nouns <= cues.claim_nouns and cues.claim_nouns - lang.claim_nouns <= cues.utterance_nouns
    assert lexicon().words("report_nouns") == lang.claim_nouns | lang.report_nouns  # what someone said


@pytest.mark.parametrize(("name", "key"), [
    ("sources.yaml", "claim_nouns"), ("sources.yaml", "report_nouns"), ("sources.yaml", "deny_verbs"),
    ("event_cues.yaml", "target_preps"), ("event_cues.yaml", "doer_verbs"), ("event_cues.yaml", "negation_words"),
    ("quantity_cues.yaml", "doer_verbs"),
])
def test_fact_files_do_not_define_a_shared_list(name: str, key: str) -> None:
    assert not re.search(rf"^{key}:", (DATA / name).read_text("utf-8"), re.M)


def test_sources_file_may_not_redefine_a_shared_list(tmp_path: Path) -> None:
    from sitrep.extract.attribution_cues import SOURCES_FILE, load_source_cues

    text = (DATA / SOURCES_FILE).read_text("utf-8")
    (tmp_path / SOURCES_FILE).write_text(text + "\nreport_nouns: [dossier]\n", "utf-8")
    with pytest.raises(DataFileError, match=r"sources\.yaml:\d+: .*report_nouns.*language\.yaml"):
        load_source_cues(tmp_path)


def test_event_and_quantity_files_refuse_a_shared_list(tmp_path: Path) -> None:
    from sitrep.extract.events_cues import CUES_FILE, load_cues_from
    from sitrep.extract.quantities_cues import read_quantity_cues

    text = (DATA / CUES_FILE).read_text("utf-8")
    (tmp_path / CUES_FILE).write_text(text + "\ntarget_preps: [upon]\n", "utf-8")
    with pytest.raises(DataFileError, match=r"event_cues\.yaml:\d+: .*target_preps"):
        load_cues_from(tmp_path)
    qtext = (DATA / "quantity_cues.yaml").read_text("utf-8")
    (tmp_path / "quantity_cues.yaml").write_text(qtext + "\ndoer_verbs: [wage]\n", "utf-8")
    with pytest.raises(DataFileError, match=r"quantity_cues\.yaml:\d+: .*doer_verbs"):
        read_quantity_cues(tmp_path)


def test_speech_verb_subsets_are_named_in_the_language_file() -> None:
    from sitrep.extract.entities_words import load_entity_words
    from sitrep.extract.events_cues import load_cues_from
    from sitrep.extract.quantities_cues import read_quantity_cues

    lang = language()
    for subset in (lang.bare_speech_verbs, lang.inverted_speech_verbs, lang.reporting_verbs, lang.claiming_verbs):
        assert subset <= lang.speech_verbs
    assert load_entity_words().speech_lemmas == lang.inverted_speech_verbs  # "..., said Kessel"
    events = load_cues_from()
    assert events.claim_verbs == lang.claiming_verbs and events.report_verbs == lang.reporting_verbs
    assert read_quantity_cues().claim_verbs == lang.claiming_verbs | lang.reporting_verbs
    for name in ("entity_words.yaml", "event_cues.yaml", "quantity_cues.yaml", "sources.yaml"):
        text = (DATA / name).read_text("utf-8")
        for key in ("speech_lemmas", "speech_verbs", "report_verbs", "claim_verbs", "say_verbs"):
            assert not re.search(rf"^{key}:", text, re.M), (name, key)
