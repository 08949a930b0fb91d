"""Crediting a claim by its span: only what is said is the speaker's; descriptions of the speaker,
anaphora and unnamed speakers (invented names and places throughout)."""

from __future__ import annotations

import pytest

from conftest import credited as _credit
from conftest import key_of as _key


def _name(ctx, src) -> str:
    assert src is not None and src.key is not None, src
    return ctx.entities[src.key].name


def _relations(ctx):
    from sitrep.extract.relations import extract_relations

    return {(r.subject_key, r.type, r.object_key, r.claim.polarity): r.claim for r in extract_relations(ctx)}


# --- what describes the speaker is the article's own voice ------------------------------------


def test_apposition_describing_the_speaker_is_the_article(attributed) -> None:
    ctx = attributed("Tomas Varga, the Red Hand Brigade's head of foreign relations, said the Red Hand Brigade "
                     "fights the Blue Lions in the hills.")
    assert _credit(ctx, "head of foreign relations") is None
    assert "Varga" in _name(ctx, _credit(ctx, "fights"))
    rels = _relations(ctx)
    varga, brigade = _key(ctx, "Tomas Varga"), _key(ctx, "Red Hand Brigade")
    member = rels[(varga, "member_of", brigade, "asserted")]
    assert member.source_key is None  # not "Varga says Varga is a member"


def test_title_compound_describing_the_speaker_is_the_article(attributed) -> None:
    ctx = attributed("Red Hand Brigade leader Omar Kessel has said the group will never surrender its weapons.")
    assert _credit(ctx, "leader") is None
    assert "Kessel" in _name(ctx, _credit(ctx, "surrender"))
    rels = _relations(ctx)
    leads = rels[(_key(ctx, "Omar Kessel"), "leads", _key(ctx, "Red Hand Brigade"), "asserted")]
    assert leads.source_key is None


def test_modifier_of_the_speaker_is_the_article(attributed) -> None:
    ctx = attributed("Arcadia's Borvia-backed Red Hand Brigade said it had taken the bridge at dawn.")
    assert _credit(ctx, "Borvia-backed") is None
    assert _name(ctx, _credit(ctx, "taken the bridge")) == "Red Hand Brigade"


def test_the_innermost_speaker_wins(attributed) -> None:
    ctx = attributed("Tomas Varga said that the Northern Monitoring Group had claimed that the Blue Lions hold "
                     "the pass.")
    assert _name(ctx, _credit(ctx, "hold the pass")) == "Northern Monitoring Group"
    assert "Varga" in _name(ctx, _credit(ctx, "had claimed"))


def test_framing_clause_on_the_reporting_verb_is_the_article(attributed) -> None:
    ctx = attributed("The Red Hand Brigade claimed the raid on the depot, as the group seeks to expand in the valley.")
    assert _name(ctx, _credit(ctx, "raid on the depot")) == "Red Hand Brigade"
    assert _credit(ctx, "expand in the valley") is None


# --- anaphora -----------------------------------------------------------------------------------


def test_the_group_is_the_named_group_not_the_one_attacked(attributed) -> None:
    ctx = attributed("The Red Hand Brigade claimed an ambush on Monday. Its fighters attacked the Blue Lions "
                     "near the river. The group said it had killed ten soldiers.")
    assert _name(ctx, _credit(ctx, "killed ten")) == "Red Hand Brigade"


def test_the_report_and_the_monitors_are_the_named_body(attributed) -> None:
    ctx = attributed("A report by the Northern Monitoring Group found that the Red Hand Brigade recruits children. "
                     "The report said the Red Hand Brigade works with the Blue Lions. "
                     "The monitors said the group pays its fighters in cash.")
    assert _name(ctx, _credit(ctx, "works with")) == "Northern Monitoring Group"
    assert _name(ctx, _credit(ctx, "pays its fighters")) == "Northern Monitoring Group"


def test_a_report_addressed_to_a_body_is_not_by_it(attributed) -> None:
    ctx = attributed("In a report to the Northern Monitoring Group, Tomas Varga said the Blue Lions were retreating.")
    assert "Varga" in _name(ctx, _credit(ctx, "retreating"))


def test_unnamed_spokesman_of_a_named_body_is_that_body(attributed) -> None:
    ctx = attributed("The Red Hand Brigade took the town. A spokesman for the group said the road was mined. "
                     "A Blue Lions spokesman said the town would be retaken.")
    assert _name(ctx, _credit(ctx, "road was mined")) == "Red Hand Brigade"
    assert _name(ctx, _credit(ctx, "retaken")) == "Blue Lions"


def test_an_unnamed_source_who_told_an_outlet_is_the_outlet(attributed) -> None:
    ctx = attributed("A military source told AFP that twelve fighters of the Red Hand Brigade died.")
    src = _credit(ctx, "twelve fighters")
    assert src is not None and src.key == _key(ctx, "AFP")
    ctx = attributed("The depot was burned twice, according to local officials quoted by Reuters.")
    assert _name(ctx, _credit(ctx, "burned twice")) == "Reuters"


def test_a_pronoun_continues_a_speaker_of_its_kind(attributed) -> None:
    ctx = attributed("Tomas Varga said the Blue Lions were retreating. The Red Hand Brigade said the bridge was "
                     "held. He added that reinforcements were coming.")
    assert "Varga" in _name(ctx, _credit(ctx, "reinforcements"))


def test_short_name_of_a_speaker_named_before(attributed) -> None:
    ctx = attributed("Tomas Varga spoke to reporters in the capital. Varga said the Blue Lions were retreating.")
    assert "Varga" in _name(ctx, _credit(ctx, "retreating"))


def test_agentless_estimate_carries_the_source_of_the_passage(attributed) -> None:
    ctx = attributed("A report by the Northern Monitoring Group found that the Red Hand Brigade is growing. "
                     "The group is estimated to have 4,000 fighters.")
    assert _name(ctx, _credit(ctx, "4,000")) == "Northern Monitoring Group"


def test_a_new_story_stops_the_passage(attributed) -> None:
    ctx = attributed("The Red Hand Brigade said it had taken the depot. "
                     "Meanwhile, Blue Lions fighters reportedly burned a bridge in the south.")
    assert _credit(ctx, "burned a bridge") is None


# --- junk is never a source ------------------------------------------------------------------------


def test_pronoun_without_antecedent_is_no_one(attributed) -> None:
    ctx = attributed("He said the Blue Lions were retreating.")
    assert _credit(ctx, "retreating") is None


def test_heading_and_determiner_are_no_one(attributed) -> None:
    ctx = attributed("Update: that shows the Red Hand Brigade is losing ground.")
    assert _credit(ctx, "losing ground") is None


def test_the_counted_phrase_is_not_its_own_source(attributed) -> None:
    ctx = attributed("More than 20 armed groups claimed attacks across the valley last year.")
    assert _credit(ctx, "20") is None


def test_a_place_is_not_a_speaker(attributed) -> None:
    ctx = attributed("The Red Hand Brigade took the bridge. Port Lys reported that the road was closed.")
    src = _credit(ctx, "road was closed")
    assert src is None or src.key is None or ctx.entities[src.key].kind not in ("city", "region", "district")


@pytest.mark.parametrize(("text", "needle", "speaker"), [
    ("Local officials said the Red Hand Brigade had left the town.", "left the town", "Local officials"),
    ("Experts say the group is growing.", "growing", "Experts"),
    # a role noun in a place is no one
    ("Officials in the capital said the Blue Lions control the valley.", "control the valley", "Officials"),
])
def test_unnamed_speakers_keep_their_words_but_no_key(attributed, text: str, needle: str, speaker: str) -> None:
    from sitrep.extract.attribution import source_at

    ctx = attributed(text)
    for src in (_credit(ctx, needle), source_at(ctx, text.index(needle))):
        assert src is not None and src.key is None and src.text == speaker, src


def test_state_media_is_the_named_broadcaster(attributed) -> None:
    ctx = attributed("State television channel Varna News Network said the Red Hand Brigade had retreated.")
    assert _name(ctx, _credit(ctx, "retreated")) == "Varna News Network"


def test_a_claim_by_a_body_is_that_body_s(attributed) -> None:
    ctx = attributed("The Red Hand Brigade rejected a claim by the Northern Monitoring Group that it had lost "
                     "300 fighters.")
    assert _name(ctx, _credit(ctx, "300")) == "Northern Monitoring Group"
    assert _name(ctx, _credit(ctx, "rejected")) == "Red Hand Brigade"


def test_a_figure_put_by_the_speaker_in_a_relative_clause(attributed) -> None:
    ctx = attributed("The Red Hand Brigade, which put the toll at 45, said the raid was revenge.")
    assert _name(ctx, _credit(ctx, "45")) == "Red Hand Brigade"


def test_the_same_unnamed_source_is_credited_as_before(attributed) -> None:
    ctx = attributed("A military source told AFP that the Red Hand Brigade had taken the bridge. "
                     "The source said four districts had fallen.")
    src = _credit(ctx, "four districts")
    assert src is not None and src.key == _key(ctx, "AFP")
