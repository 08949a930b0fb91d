"""Entity mentions: find, clean, classify and link the actors and places of one document.

The passes share one working state (:class:`~sitrep.extract.entities_state.EntityState`) and run in
the order of :func:`find_mentions`, each a function of one module:

* ``entities_ner``: spaCy's entities (and the domain ruler's gazetteer ids) resolved to known actors
  and places, guessed ones, or nothing; a known name with more name words before it is another
  group's name; a generic known name ("National Liberation Army") needs its country in sight;
* ``entities_places``: the gazetteer lookup, the context that makes an unknown name a place ("X
  district", "the town of X", "in X") and the offline world gazetteer of the article's countries
  (:func:`sitrep.resolve.geocode.world_places`); capitals standing for their state;
* ``entities_gov`` and ``entities_forces``: governments (the state acting), ministries, and forces
  named by their country or city ("Arcadian forces", "Kessel police");
* ``entities_cues``: unknown groups, places, titled people and media outlets that cue words announce;
* ``entities_kinds``: what the article says an unknown name is ("X, a rebel group", "the X gang", "a
  militia known as the X", "the rebel group X"), names a description announces that the model missed,
  and "the Movement for the Salvation of X" as one name;
* ``entities_people``: partial names join full names, names the model cut short are completed,
  acronyms join the names they abbreviate, "X alias Y";
* ``entities_refine``: one sense per document for places, lists of places, "A/B" names, two
  spellings of one name, and names that only headlines or menus give;
* ``entities_write``: mentions and entities written to the extraction context.

Word lists are data: ``data/lexicon.yaml`` and ``data/entity_words.yaml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.entities_cues import cue_spans, media_titles, prefix_spans, titled_people
from sitrep.extract.entities_forces import home_forces, state_forces
from sitrep.extract.entities_gov import home_ministries, leader_governments
from sitrep.extract.entities_kinds import (
    article_names,
    cue_phrase_names,
    described_kinds,
    described_names,
    described_places,
    foreign_group_names,
    numbered_names,
)
from sitrep.extract.entities_ner import resolve_ent, widen_known_tails
from sitrep.extract.entities_people import (
    acronyms,
    aliases,
    bare_surnames,
    initials,
    link_people,
    merge_adjacent_people,
    short_names,
)
from sitrep.extract.entities_places import apply_metonymy, preposition_places
from sitrep.extract.entities_refine import (
    drop_headline_artefacts,
    join_spellings,
    one_sense_places,
    slash_alternatives,
)
from sitrep.extract.entities_state import EntityState, Found
from sitrep.extract.entities_write import write
from sitrep.extract.registry import extractor

if TYPE_CHECKING:
    from sitrep.extract.context import ExtractionContext


@extractor("entities", version="3", requires=("parse",), provides=("mentions", "entities"))
def extract_entities(ctx: ExtractionContext) -> None:
    """Fill ``ctx.mentions`` and ``ctx.entities`` for one document."""
    settings = ctx.settings
    st = EntityState(ctx.sdoc, ctx.gazetteer, settings)
    write(ctx, find_mentions(st), settings)


def find_mentions(st: EntityState) -> list[Found]:
    """Run the passes in order: spaCy entities, then cue rules, then the within-document links."""
    found: list[Found] = []
    covered: set[int] = set()
    widen_known_tails(st)
    for ent in st.ents:
        if len(found) >= st.settings.max_mentions_per_document:
            break  # the document is capped anyway: bound the work too
        item = resolve_ent(st, ent)
        if item is not None:
            found.append(item)
            covered.update(range(item.start, item.end))
    for extra in st.extras:
        inside = [f for f in found if extra.start <= f.start and f.end <= extra.end and f.record is None]
        for f in inside:
            found.remove(f)
        rest = covered.difference(*(range(f.start, f.end) for f in inside)) if inside else covered
        if not any(p in rest for p in range(extra.start, extra.end)):
            found.append(extra)
            covered.update(range(extra.start, extra.end))
    found.extend(state_forces(st, covered))
    found.extend(home_forces(st, covered, {f.key for f in found}))
    found.extend(home_ministries(st, covered))
    found.extend(cue_spans(st, covered))
    found.extend(media_titles(st, covered))
    found.extend(prefix_spans(st, covered))
    found.extend(article_names(st, covered))
    found.extend(described_places(st, covered))
    found.extend(described_names(st, covered))
    found.extend(preposition_places(st, covered))
    found.extend(titled_people(st, covered))
    found.sort(key=lambda f: f.start)
    found = cue_phrase_names(st, foreign_group_names(st, merge_adjacent_people(st, found)))
    described_kinds(st, found)
    numbered_names(st, found)
    apply_metonymy(st, found)
    leader_governments(st, found)
    one_sense_places(st, found)
    link_people(st, found)
    aliases(st, found)
    bare_surnames(st, found)
    acronyms(st, found)
    initials(st, found)
    short_names(st, found)
    slash_alternatives(st, found)
    join_spellings(st, found)
    return drop_headline_artefacts(st, found)


__all__ = ["extract_entities", "find_mentions"]
