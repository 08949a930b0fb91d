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
