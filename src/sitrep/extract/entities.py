"""Entity mentions: find, clean, classify and link the actors and places of one document.

Sources, in order of trust:

1. the domain ruler (``sitrep_ruler``): gazetteer actors and places, with ids;
2. spaCy NER: PERSON -> person, ORG -> organisation (armed group when cue
   words say so), GPE/LOC -> place via the gazetteer or a guessed place;
3. cue rules: unknown "... Brigades"/"... Front" names, "X Province",
   "<demonym> government", "<surname> administration".

Then, within the document: honorifics and nationality adjectives are peeled
off person names, surnames join the full name ("Nazary" -> "Ali Maisam
Nazary"), an acronym in parentheses after a name becomes its alias
("National Resistance Front (NRF)"), a capital standing for its state
("Tehran denies") counts as the country, and a newspaper's short name ("the
Sun") joins "The New York Sun".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitrep.config import Settings
from sitrep.models import Entity, Mention
from sitrep.resolve.linking import (
    entity_key,
    link_person_names,
    person_skeleton,
    same_person,
    strip_honorifics,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from sitrep.data import ActorRecord, Gazetteer, Lexicon, PlaceRecord
    from sitrep.extract.context import ExtractionContext

_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"})
_POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})
_DANGLING = frozenset({"of", "and", "for", "the", "in", "on", "to", "&", "at", "de", "du"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "him", "them", "us", "his", "her"})
_SPEECH_LEMMAS = frozenset({"say", "tell", "add", "warn", "write", "state", "explain", "note"})
_PAREN_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9\-]{1,9})\s*\)")
_MAX_HEADLINE = 300  # longer lines are prose, never headlines
_PARTICLE_JOINED = re.compile(r"^[a-z]{1,3}-[A-Z][a-z]")
_HAS_DIGIT = re.compile(r"\d")
_GLUED = re.compile(r"^([A-Z]{2,})([a-z]{3,})$")
_LEADER_GOVERNMENT_NOUNS = frozenset({"administration", "government", "regime"})
# One name per ministry however written ("defense" / "defence" / "Ministry of National Defence").
_MINISTRY_TOPICS = {"defense": "defence", "national defence": "defence", "national defense": "defence",
                    "foreign affairs": "foreign", "interior affairs": "interior", "home affairs": "interior",
                    "home": "interior", "internal affairs": "interior"}
_MINISTRY_TOPIC_WORDS = frozenset({"defence", "defense", "interior", "foreign", "justice", "information", "security",
                                   "health", "finance", "home", "national", "affairs"})
_BYLINE_LINE = re.compile(
    r"^(?:(?:written |posted |reported )?by\s+[A-Z]"
    r"|(?:\w+day,?\s+)?(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+(?:\d{1,2},?\s+)?\d{4}\s*[-\u2013\u2014|]\s*[A-Z])",
    re.I,
)
_COUNTER = re.compile(r"(?:^|\s)\d[\d.,]*[KkMm](?:\s|$)")


@dataclass
class _Found:
    """One resolved mention before it is written to the context."""

    start: int
    end: int
    text: str
    kind: str
    key: str
    source: str
    name: str  # canonical name for a new entity
    record: ActorRecord | PlaceRecord | None = None
    guessed: bool = False
    country: str | None = None
    alias: bool = True  # add the surface to the entity's aliases
    extra_aliases: list[str] = field(default_factory=list)
    label: str = ""  # spaCy label it came from


# --- entry point ---------------------------------------------------------------------


def extract_entities(ctx: ExtractionContext) -> None:
    """Fill ``ctx.mentions`` and ``ctx.entities`` for one document."""
    settings = Settings()
    extractor = _Extractor(ctx.sdoc, ctx.gazetteer, settings)
    found = extractor.run()
    _write(ctx, found, settings)


# --- the extractor -------------------------------------------------------------------


class _Extractor:
    def __init__(self, sdoc: Doc, gazetteer: Gazetteer, settings: Settings) -> None:
        self.doc = sdoc
        self.text = sdoc.text
        self.gaz = gazetteer
        self.lex: Lexicon = gazetteer.lexicon
        self.settings = settings
        self.ents = list(sdoc.ents)
        self.doc_country = self._main_country()
        self._shouting: dict[int, bool] = {}
        self._newlines = [i for i, ch in enumerate(self.text) if ch == "\n"]
        self._mask: bytearray | None = None
        self._mask_size = -1
        self._extras: list[_Found] = []  # organisations found beside a place ("Yemen's ... government")

    def run(self) -> list[_Found]:
        found: list[_Found] = []
        covered: set[int] = set()
        for ent in self.ents:
            if len(found) >= self.settings.max_mentions_per_document:
                break  # the document is capped anyway: bound the work too
            item = self._resolve_ent(ent)
            if item is not None:
                found.append(item)
                covered.update(range(item.start, item.end))
        for extra in self._extras:
            inside = [f for f in found if extra.start <= f.start and f.end <= extra.end and f.record is None]
            for f in inside:
                found.remove(f)
            rest = covered.difference(*(range(f.start, f.end) for f in inside)) if inside else covered
            if not any(p in rest for p in range(extra.start, extra.end)):
                found.append(extra)
                covered.update(range(extra.start, extra.end))
        found.extend(self._home_ministries(covered))
        found.extend(self._cue_spans(covered))
        found.extend(self._prefix_spans(covered))
        found.extend(self._titled_people(covered))
        found.sort(key=lambda f: f.start)
        found = self._merge_adjacent_people(found)
        self._apply_metonymy(found)
        self._leader_governments(found)
        self._link_people(found)
        self._bare_surnames(found)
        self._acronyms(found)
        self._short_names(found)
        return found

    def _merge_adjacent_people(self, found: list[_Found]) -> list[_Found]:
        """Join person spans separated only by a space ("Hassan Sheikh" + "Mohamud")."""
        out: list[_Found] = []
        for item in found:
            prev = out[-1] if out else None
            if (prev is not None and prev.kind == item.kind == "person" and prev.record is None
                    and item.record is None and self.text[prev.end:item.start] == " "):
                text = self.text[prev.start:item.end]
                name = strip_honorifics(text)[0]
                prev.end, prev.text, prev.name, prev.key = item.end, text, name, entity_key(name, "person")
                continue
            out.append(item)
        return out

    def _leader_governments(self, found: list[_Found]) -> None:
        """"Bashar al-Assad's government", "the Assad regime": the leader's government, an organisation
        beside the person (the person keeps its own mention)."""
        added = []
        doc = self.doc
        for item in found:
            if item.kind != "person" or item.record is None:
                continue
            span = doc.char_span(item.start, item.end, alignment_mode="expand")
            if span is None:
                continue
            i = span.end
            if i < len(doc) and doc[i].text in _POSSESSIVE:
                i += 1
            if i >= len(doc) or doc[i].lower_ not in _LEADER_GOVERNMENT_NOUNS:
                continue
            gov = doc[i]
            surname = item.record.name.split()[-1]
            surname = surname.split("-")[-1] if "-" in surname and surname[:3].lower() in {"al-", "el-"} else surname
            name = f"{surname} government"
            added.append(_Found(gov.idx, gov.idx + len(gov.text), gov.text, "organization",
                                entity_key(name, "organization"), "cue", name, guessed=True, alias=False,
                                extra_aliases=[self.text[item.start:gov.idx + len(gov.text)]], label="ORG"))
        for item in added:
            if not self._overlaps(found, item.start, item.end):
                self._append(found, item)
        if added:
            found.sort(key=lambda f: f.start)

    # --- one spaCy entity ---------------------------------------------------------

    def _resolve_ent(self, ent: Span) -> _Found | None:
        label = ent.label_
        if label not in {"ORG", "PERSON", "GPE", "LOC", "FAC", "NORP"}:
            return None
        source = "ruler" if ent.id_ else "ner"
        if self._in_shouting_line(ent) and not self._trusted_in_shouting(ent):
            return None
        if label == "NORP":
            return self._government(ent)
        span = self._trim(ent)
        if span is None:
            return None
        text = span.text
        if len(text) > self.settings.max_name_chars:
            return None
        if ent.id_.startswith("actor:"):
            record = self.gaz.actor_by_id(ent.id_)
            if record is not None:
                return self._actor_found(span, record, source, label)
        if ent.id_.startswith("place:") or label in {"GPE", "LOC", "FAC"}:
            return self._place_or_other(span, source, label)
        if label == "PERSON":
            if not ent.id_ and self._in_byline(span):
                return None  # the article's own author ("By Jane Roe, Kessel"), not an actor it speaks of
            return self._person(span, source)
        return self._organization(span, source)

    def _actor_found(self, span: Span, record: ActorRecord, source: str, label: str) -> _Found:
        return _Found(span.start_char, span.end_char, span.text, record.kind, record.id, source,
                      record.name, record=record, country=record.country, label=label)

    def _place_or_other(self, span: Span, source: str, label: str) -> _Found | None:
        text = span.text
        gov = self._capital_government(span)
        if gov is not None:
            return gov
        nxt = self._next_token(span)
        if nxt is not None and nxt.text in self.lex.non_place_followers:
            return None  # "the Doha Agreement" names an agreement, not a place
        place = self._lookup_place(span)
        if place is not None:
            return _Found(span.start_char, span.end_char, text, place.kind, place.id, source, place.name,
                          record=place, country=place.country, label=label)
        actor = self.gaz.actor(text)
        if actor is not None:
            return self._actor_found(span, actor, source, label)
        if label == "FAC" or self._junk(text) or self.gaz.country_of_demonym(text):
            return None
        if not all(t.is_title or t.is_upper or t.lower_ in self.lex.name_particles or t.is_punct for t in span):
            return None
        kind = self._cue_kind(span) or ("city" if label == "GPE" else "region")
        name = self._strip_kind_word(span)
        return _Found(span.start_char, span.end_char, text, kind, entity_key(name, kind), source, name,
                      guessed=True, label=label)

    def _person(self, span: Span, source: str) -> _Found | None:
        place = self._lookup_place(span)
        if place is not None and self.gaz.actor(span.text) is None:
            return _Found(span.start_char, span.end_char, span.text, place.kind, place.id, source, place.name,
                          record=place, country=place.country, label="PERSON")
        actor = self.gaz.actor(span.text)
        if actor is not None:
            return self._actor_found(span, actor, source, "PERSON")
        admin = self._administration(span)
        if admin is not None:
            return admin
        span = self._strip_nationality(span)
        if span is None or self._junk(span.text) or self._not_a_person(span):
            return None
        if self._has_cue(span, self.lex.organization_cues) and len(span) > 1:
            return self._organization(span, source)
        if len(span) > 1 and (span[0].text in self.lex.armed_group_prefixes or span[-1].text in self.lex.armed_group_cues):
            return self._organization(span, source)  # "Lashkar-e-Islam", "Jund al-Aqsa Front"
        name, title = strip_honorifics(span.text)
        if not name or self._junk(name):
            return None
        aliases = [span.text] if title else []
        return _Found(span.start_char, span.end_char, span.text, "person", entity_key(name, "person"), source,
                      name, guessed=True, extra_aliases=aliases, label="PERSON")

    def _organization(self, span: Span, source: str) -> _Found | None:
        text = span.text
        actor = self.gaz.actor(text)
        if actor is not None:
            return self._actor_found(span, actor, source, "ORG")
        nxt = self._next_token(span)
        kind_after = self.lex.place_kind_for_cue(nxt.text) if nxt is not None else None
        if self._kind_of_before(span) or kind_after in {"province", "district"}:
            return self._place_or_other(span, source, "GPE")  # "the town of Bulo Burte", "Andarab district"
        place = self._lookup_place(span)
        if place is not None:
            return _Found(span.start_char, span.end_char, text, place.kind, place.id, source, place.name,
                          record=place, country=place.country, label="ORG")
        if self._junk(text) or self.gaz.country_of_demonym(text) or self._glued(text):
            return None
        if not any(self._distinctive(t) or t.is_upper and len(t) > 1 for t in span) and not self._state_named(span):
            return None  # "National Army", "Security Forces": descriptions, not names
        if len(span) == 1 and self._before_known(span):
            return None  # "Free" cut off by a known name ("Free" + "Kashmir")
        if self._after_speech_verb(span) and self._looks_like_person(span):
            return _Found(span.start_char, span.end_char, text, "person", entity_key(text, "person"), "cue",
                          text, guessed=True, label="ORG")
        kind = "armed_group" if self._has_cue(span, self.lex.armed_group_cues) else "organization"
        if kind == "armed_group" and self._state_force(span):
            kind = "organization"  # "Somali National Army": a state's forces
        return _Found(span.start_char, span.end_char, text, kind, entity_key(text, kind), source, text,
                      guessed=True, label="ORG")

    # --- cue rules -------------------------------------------------------------------

    def _government(self, ent: Span) -> _Found | None:
        """"<demonym> government/authorities" -> the government of that country (an organisation)."""
        country = self.gaz.country_of_demonym(ent.text) if len(ent) == 1 else None
        if country is None:
            return None
        ministry = self._ministry_after(ent.start_char, ent.end, country)
        if ministry is not None:
            return ministry
        nxt = self._next_token(ent)
        if nxt is None or nxt.lower_ not in self.lex.government_nouns:
            return None
        return self._government_found(ent.start_char, nxt.idx + len(nxt.text), country)

    def _ministry_after(self, start_char: int, i: int, country: PlaceRecord) -> _Found | None:
        """"Nigerien interior ministry", "Russia's Ministry of Defence", "the Turkish defence ministry":
        a ministry of the state named by a demonym or country at ``start_char`` (tokens from ``i``)."""
        doc = self.doc
        if i < len(doc) and doc[i].text in _POSSESSIVE:
            i += 1
        j = i
        while j < len(doc) and j - i < 3 and doc[j].is_alpha and doc[j].lower_ not in {"ministry", "minister"} \
                and doc[j].lower_ not in _DETERMINERS:
            j += 1
        if j >= len(doc) or doc[j].lower_ != "ministry":
            return None
        topic_toks = list(doc[i:j])
        end = doc[j].idx + len(doc[j].text)
        if not topic_toks and j + 2 < len(doc) and doc[j + 1].lower_ == "of":
            k = j + 2
            while k < len(doc) and k - j < 6 and (doc[k].is_title or doc[k].lower_ in {"of", "and", "the"}):
                k += 1
            while k > j + 2 and doc[k - 1].lower_ in {"of", "and", "the"}:
                k -= 1
            topic_toks = list(doc[j + 2 : k])
            end = doc[k - 1].idx + len(doc[k - 1].text) if topic_toks else end
        if not topic_toks or any(t.is_sent_start for t in topic_toks):
            return None
        topic = " ".join(t.lower_ for t in topic_toks if t.lower_ not in {"of", "and", "the"})
        topic = _MINISTRY_TOPICS.get(topic, topic)
        text = self.text[start_char:end]
        key = entity_key(f"{country.name} {topic} ministry", "organization")
        return _Found(start_char, end, text, "organization", key, "cue", _ministry_name(country, topic),
                      guessed=True, country=country.country, label="ORG")

    def _capital_government(self, span: Span) -> _Found | None:
        """"Kabul government" -> the government of Afghanistan (in place of the capital); "Puntland
        government" -> the regional government.  Beside the place, kept as a place: "Yemen's internationally
        recognised government", "the authorities in Kabul", "Russia's defence ministry"."""
        country = self.gaz.country(span.text)
        if country is not None and country.kind != "country":
            country = None
        possessive = span.end < len(self.doc) and self.doc[span.end].text in _POSSESSIVE
        if country is not None and possessive:
            ministry = self._ministry_after(span.start_char, span.end, country)
            gov_end = self._government_noun_after(span)
            start = self.doc[span.end + 1].idx if span.end + 1 < len(self.doc) else span.end_char
            if ministry is not None:
                ministry.start, ministry.extra_aliases = start, [ministry.text]
                ministry.text = self.text[start:ministry.end]
                self._extras.append(ministry)
            elif gov_end is not None:
                gov = self._government_found(start, gov_end, country)
                gov.extra_aliases.append(self.text[span.start_char:gov_end])
                self._extras.append(gov)
            return None
        places = self.gaz.place(span.text)
        capital = next((p for p in places if p.capital_of), None)
        seat = self.gaz.country(capital.capital_of) if capital is not None and capital.capital_of else None
        if seat is not None and country is None and span.start >= 2:
            prev, gov = self.doc[span.start - 1], self.doc[span.start - 2]
            if prev.lower_ == "in" and gov.lower_ in self.lex.government_nouns:
                found = self._government_found(gov.idx, gov.idx + len(gov.text), seat)
                found.extra_aliases.append(self.text[gov.idx:span.end_char])
                self._extras.append(found)
                return None
        nxt = self._next_token(span)
        if nxt is None or nxt.lower_ not in self.lex.government_nouns or country is not None:
            return None
        gov_end = nxt.idx + len(nxt.text)
        if seat is not None:
            return self._government_found(span.start_char, gov_end, seat)
        region = next((p for p in places if p.kind in {"region", "province"}), None)
        if region is not None:
            name = f"{region.name} government"
            return _Found(span.start_char, gov_end, self.text[span.start_char:gov_end], "organization",
                          entity_key(name, "organization"), "cue", name, guessed=True, country=region.country,
                          label="ORG")
        return None

    def _government_noun_after(self, span: Span) -> int | None:
        """End offset of a government noun right after a span ("X government", "X's new government")."""
        doc = self.doc
        i = span.end
        possessive = i < len(doc) and doc[i].text in _POSSESSIVE
        if possessive:
            i += 1
        j = i
        while possessive and j < len(doc) and j - i < 3 and doc[j].is_lower and doc[j].is_alpha \
                and doc[j].lower_ not in self.lex.government_nouns:
            j += 1
        if j < len(doc) and doc[j].lower_ in self.lex.government_nouns:
            return doc[j].idx + len(doc[j].text)
        return None

    def _government_found(self, start: int, end: int, country: PlaceRecord) -> _Found:
        name = f"Government of {country.name}"
        return _Found(start, end, self.text[start:end], "organization", entity_key(name, "organization"), "cue",
                      name, guessed=True, country=country.country, label="ORG")

    def _administration(self, span: Span) -> _Found | None:
        """"<surname> administration", "Assad's government" is an organisation, not a person."""
        nxt = self._next_token(span)
        if nxt is not None and nxt.text in _POSSESSIVE and span.end + 1 < len(self.doc):
            nxt = self.doc[span.end + 1]
        if nxt is None or nxt.lower_ not in _LEADER_GOVERNMENT_NOUNS:
            return None
        end = nxt.idx + len(nxt.text)
        text = self.text[span.start_char:end]
        surname = strip_honorifics(span.text)[0].split()[-1] if span.text.split() else span.text
        name = f"{surname} {nxt.lower_}" if nxt.lower_ != "regime" else f"{surname} government"
        return _Found(span.start_char, end, text, "organization", entity_key(name, "organization"), "cue", name,
                      guessed=True, extra_aliases=[text], label="ORG")

    def _home_ministries(self, covered: set[int]) -> list[_Found]:
        """"the interior ministry said", "the Ministry of Defence": with no country named, a ministry of
        the country the article is about."""
        iso = self.doc_country
        home = self.gaz.country(iso) if iso else None
        out: list[_Found] = []
        doc = self.doc
        for tok in doc:
            if tok.lower_ != "ministry" or tok.idx in covered or tok.i < 2:
                continue
            i = tok.i
            while i > tok.i - 2 and doc[i - 1].lower_ in _MINISTRY_TOPIC_WORDS:
                i -= 1
            if i == tok.i or any(t.idx in covered for t in doc[i : tok.i]):
                continue
            before = doc[i - 1]
            demonym = self.gaz.country_of_demonym(before.text) if before.text[:1].isupper() else None
            if demonym is not None and before.idx not in covered:
                country, start = demonym, before.idx  # "the Nigerien interior ministry"
            elif before.lower_ == "the" and home is not None:
                country, start = home, doc[i].idx
            else:
                continue
            topic = " ".join(t.lower_ for t in doc[i : tok.i])
            topic = _MINISTRY_TOPICS.get(topic, topic)
            end = tok.idx + len(tok.text)
            out.append(_Found(start, end, self.text[start:end], "organization",
                              entity_key(f"{country.name} {topic} ministry", "organization"), "cue",
                              _ministry_name(country, topic), guessed=True, country=country.country, label="ORG"))
            covered.update(range(start, end))
        return out

    def _cue_spans(self, covered: set[int]) -> list[_Found]:
        """Unknown "<Capitalised words> Brigades/Front/Province" names the model missed."""
        out: list[_Found] = []
        group_cues = self.lex.armed_group_cues
        place_cues = {w for kind in ("province", "district") for w in self.lex.place_kind_cues.get(kind, ())}
        doc = self.doc
        i = 0
        while i < len(doc):
            tok = doc[i]
            nxt_name = i + 1 < len(doc) and self._name_word(doc[i + 1])
            cue_group = tok.text in group_cues and tok.is_title and not nxt_name
            cue_place = tok.text.lower() in place_cues and tok.is_title
            if not (cue_group or cue_place) or tok.idx in covered:
                i += 1
                continue
            j = i
            while j > max(0, i - 8) and self._name_word(doc[j - 1]) and doc[j - 1].idx not in covered:
                j -= 1
            while j < i and doc[j].lower_ in self.lex.name_particles:
                j += 1
            content = [t for t in doc[j:i] if self._distinctive(t)]
            if j < i and content and not doc[j].is_sent_start:
                span = doc[j : i + 1]
                if cue_place:
                    name = doc[j:i].text
                    kind = self.lex.place_kind_for_cue(tok.text) or "district"
                    place = self._lookup_place(doc[j:i], kind_hint=kind)
                    if place is not None:
                        out.append(_Found(span.start_char, span.end_char, span.text, place.kind, place.id, "cue",
                                          place.name, record=place, country=place.country, label="GPE"))
                    else:
                        out.append(_Found(span.start_char, span.end_char, span.text, kind, entity_key(name, kind),
                                          "cue", name, guessed=True, label="GPE"))
                else:
                    out.append(_Found(span.start_char, span.end_char, span.text, "armed_group",
                                      entity_key(span.text, "armed_group"), "cue", span.text, guessed=True,
                                      label="ORG"))
                covered.update(range(span.start_char, span.end_char))
            i += 1
        return out

    def _prefix_spans(self, covered: set[int]) -> list[_Found]:
        """Unknown groups named by an opening word: "Lashkar-e-Islam", "Saraya Ansar al-Sunna"."""
        out: list[_Found] = []
        doc = self.doc
        i = 0
        while i < len(doc):
            tok = doc[i]
            if tok.text not in self.lex.armed_group_prefixes or not tok.is_title or tok.idx in covered:
                i += 1
                continue
            j = i + 1
            while j < len(doc) and self._name_word(doc[j]) and doc[j].idx not in covered:
                j += 1
            while j > i + 1 and (doc[j - 1].lower_ in self.lex.name_particles or doc[j - 1].is_punct):
                j -= 1
            content = [t for t in doc[i + 1 : j] if self._distinctive(t) or _PARTICLE_JOINED.match(t.text)]
            if content:
                span = doc[i:j]
                out.append(_Found(span.start_char, span.end_char, span.text, "armed_group",
                                  entity_key(span.text, "armed_group"), "cue", span.text, guessed=True, label="ORG"))
                covered.update(range(span.start_char, span.end_char))
            i = max(j, i + 1)
        return out

    def _titled_people(self, covered: set[int]) -> list[_Found]:
        """People the model missed but a title announces: "Col. Souleymane Dembele said"."""
        titles = {h.rstrip(".") for h in self.lex.honorifics if h[:1].isupper()}
        doc = self.doc
        out: list[_Found] = []
        i = 0
        while i < len(doc):
            if doc[i].text.rstrip(".") not in titles or doc[i].idx in covered:
                i += 1
                continue
            j = i
            while j < len(doc) and (doc[j].text.rstrip(".") in titles or doc[j].text == "." and j > i):
                j += 1
            k = j
            while k < len(doc) and k - j < 4 and doc[k].idx not in covered and (
                    doc[k].pos_ == "PROPN" and doc[k].is_title or
                    doc[k].lower_ in self.lex.name_particles and k > j):
                k += 1
            while k > j and doc[k - 1].lower_ in self.lex.name_particles:
                k -= 1
            names = doc[j:k]
            if len(names) and all(self._distinctive(t) or t.lower_ in self.lex.name_particles for t in names) \
                    and not self.gaz.place(names.text) and not self.gaz.actor(names.text):
                titled = doc[i:k]
                out.append(_Found(names.start_char, names.end_char, names.text, "person",
                                  entity_key(names.text, "person"), "cue", names.text, guessed=True,
                                  extra_aliases=[titled.text], label="PERSON"))
                covered.update(range(titled.start_char, titled.end_char))
            i = max(k, i + 1)
        return out

    def _distinctive(self, tok: Token) -> bool:
        """A capitalised word that can make a name on its own (not "National", "Afghan", "Forces")."""
        text = tok.text
        if tok.is_punct or not text[:1].isupper() or text in self.lex.generic_name_words:
            return False
        if text in self.lex.armed_group_cues or text in self.lex.non_entities:
            return False
        return self.gaz.country_of_demonym(text) is None and self.gaz.country(text) is None

    def _name_word(self, tok: Token) -> bool:
        if tok.is_title and tok.is_alpha and tok.lower_ not in _DETERMINERS:
            return True
        if _PARTICLE_JOINED.match(tok.text):  # "al-Sunna" left as one token
            return True
        return tok.lower_ in self.lex.name_particles or tok.text in {"-", "'"}

    # --- places ------------------------------------------------------------------------

    def _lookup_place(self, span: Span, kind_hint: str | None = None) -> PlaceRecord | None:
        kind_hint = kind_hint or self._cue_kind(span)
        for name in (span.text, self._strip_kind_word(span)):
            records = self.gaz.place(name, country_hint=self.doc_country, kind_hint=kind_hint)
            if records:
                return records[0]
        return None

    def _cue_kind(self, span: Span) -> str | None:
        """Place kind stated around a span: "Kunduz province", "province of Balkh",
        "Ghazni, Laghman and Parwan Provinces"."""
        lex = self.lex
        last = span[-1]
        kind = lex.place_kind_for_cue(last.text) if len(span) > 1 else None
        if kind:
            return kind
        doc = self.doc
        k = span.end
        while k < len(doc) and k - span.end < 14:
            tok = doc[k]
            kind = lex.place_kind_for_cue(tok.text)
            if kind:
                return kind
            if not (tok.text in {",", "and", "&"} or (tok.is_title and tok.pos_ == "PROPN")):
                break
            k += 1
        return self._kind_of_before(span)

    def _kind_of_before(self, span: Span) -> str | None:
        """Kind named just before a span: "the town of X" -> district, "the province of X" -> province."""
        doc = self.doc
        if span.start < 2 or doc[span.start - 1].lower_ != "of":
            return None
        word = doc[span.start - 2].lower_
        if word in self.lex.province_of_cues:
            return "province"
        return self.lex.place_kind_for_cue(word)

    def _strip_kind_word(self, span: Span) -> str:
        if len(span) > 1 and self.lex.place_kind_for_cue(span[-1].text):
            return span[:-1].text
        return span.text

    def _main_country(self) -> str | None:
        counts: Counter[str] = Counter()
        for ent in self.ents:
            if ent.id_.startswith("place:") and len(ent.id_) == 8:
                counts[ent.id_[6:]] += 1
        return counts.most_common(1)[0][0] if counts else None

    def _apply_metonymy(self, found: list[_Found]) -> None:
        """A capital that speaks or decides ("Tehran denies") stands for its country.

        One sense per document: when a capital is never used as a location
        ("in Kabul") but at least once as its state, all its mentions count as
        the country; otherwise only the clearly metonymic ones do.
        """
        by_capital: dict[str, list[_Found]] = {}
        for item in found:
            rec = item.record
            if rec is not None and getattr(rec, "capital_of", None) and item.kind == "city":
                by_capital.setdefault(rec.id, []).append(item)
        for items in by_capital.values():
            meto = [self._metonymic(it) for it in items]
            literal = [self._literal(it) for it in items]
            if not any(meto):
                continue
            for it, is_meto, is_lit in zip(items, meto, literal, strict=True):
                if is_meto or not any(literal) and not is_lit:
                    self._to_country(it)

    def _to_country(self, item: _Found) -> None:
        rec = item.record
        iso = getattr(rec, "capital_of", None)
        country = self.gaz.country(iso) if iso else None
        if country is None:
            return
        item.kind, item.key, item.name, item.record = "country", country.id, country.name, country
        item.country, item.source, item.alias = country.country, "metonymy", False

    def _root(self, item: _Found) -> Token | None:
        span = self.doc.char_span(item.start, item.end, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    def _metonymic(self, item: _Found) -> bool:
        root = self._root(item)
        if root is None:
            return False
        while root.dep_ == "conj" and root.head is not root:
            root = root.head
        head = root.head
        if root.dep_ == "nsubj" and head.lemma_.lower() in self.lex.state_metonymy_verbs:
            return True
        if root.dep_ == "poss" and head.lemma_.lower() in self.lex.state_metonymy_nouns:
            return True
        return root.dep_ == "pobj" and head.lower_ == "by"  # "invited by Tehran", "an invitation by Tehran"

    def _literal(self, item: _Found) -> bool:
        span = self.doc.char_span(item.start, item.end, alignment_mode="expand")
        if span is None or span.start == 0:
            return False
        prev = self.doc[max(0, span.start - 4) : span.start]
        if self.doc[span.start - 1].lower_ in self.lex.locative_prepositions:
            return True
        return any(t.lower_ == "capital" for t in prev)

    # --- people -----------------------------------------------------------------------

    def _link_people(self, found: list[_Found]) -> None:
        """Join partial names to full names; surname-only ORG/GPE spans become people."""
        people = [f for f in found if f.kind == "person"]
        full_names = [self._person_name(f) for f in people if len(person_skeleton(self._person_name(f))) > 1]
        person_texts = {f.text for f in people}
        for item in found:
            if item.kind == "person" or item.record is not None or item.source == "metonymy":
                continue
            if len(item.text.split()) > 2:
                continue
            if item.text in person_texts or any(self._surname_match(item.text, full) for full in full_names):
                item.kind, item.name, item.source = "person", item.text, "link"
                people.append(item)
        for item in people:
            if item.record is None:
                self._extend_first_name(item, found)
        names = [self._person_name(f) for f in people]
        rep = link_person_names(names)
        key_of: dict[str, _Found] = {}
        for item, name in zip(people, names, strict=True):
            if item.record is not None:
                key_of.setdefault(rep[name], item)
        for item, name in zip(people, names, strict=True):
            target = rep[name]
            anchor = key_of.get(target)
            if anchor is not None and anchor.record is not None:
                item.key, item.name, item.record = anchor.key, anchor.name, anchor.record
                continue
            item.key = entity_key(target, "person")
            item.name = target

    def _bare_surnames(self, found: list[_Found]) -> None:
        """Untagged repeats of a surname ("Dembele added") join the person named in full."""
        surnames: dict[str, _Found] = {}
        for item in found:
            if item.kind != "person":
                continue
            words = self._person_name(item).split()
            if len(words) > 1 and len(words[-1]) >= 4 and words[-1][0].isupper():
                surnames.setdefault(words[-1], item)
        if not surnames:
            return
        added = False
        for tok in self.doc:
            anchor = surnames.get(tok.text)
            if anchor is None or tok.pos_ not in {"PROPN", "NOUN"} or self._overlaps(found, tok.idx, tok.idx + len(tok.text)):
                continue
            if self.gaz.place(tok.text) or self.gaz.actor(tok.text):
                continue
            self._append(found, _Found(tok.idx, tok.idx + len(tok.text), tok.text, "person", anchor.key, "link",
                                anchor.name, record=anchor.record, guessed=anchor.guessed))
            added = True
        if added:
            found.sort(key=lambda f: f.start)

    def _extend_first_name(self, item: _Found, found: list[_Found]) -> None:
        """Take in an untagged first name the model left out ("Edmund" + "Fitton-Brown")."""
        span = self.doc.char_span(item.start, item.end, alignment_mode="expand")
        if span is None or span.start == 0 or len(item.text.split()) > 2:
            return
        prev = self.doc[span.start - 1]
        if not (prev.is_title and prev.pos_ == "PROPN" and prev.is_alpha) or prev.is_sent_start:
            return
        if prev.text in self.lex.honorifics or not self._distinctive(prev):
            return
        if self.gaz.place(prev.text) or self.gaz.actor(prev.text) or self._overlaps(found, prev.idx, prev.idx + 1):
            return
        item.start = prev.idx
        self._mask = None  # coverage changed
        item.text = self.text[item.start : item.end]
        item.name = strip_honorifics(item.text)[0]

    def _person_name(self, item: _Found) -> str:
        if item.record is not None:
            return item.record.name
        return strip_honorifics(item.name)[0]

    @staticmethod
    def _surname_match(text: str, full: str) -> bool:
        short = person_skeleton(text)
        long_ = person_skeleton(full)
        return 0 < len(short) < len(long_) and same_person(text, full)

    def _strip_nationality(self, span: Span) -> Span | None:
        while len(span) > 1 and (self.gaz.country_of_demonym(span[0].text) or span[0].lower_ in _DETERMINERS):
            span = span[1:]
        if len(span) == 1 and self.gaz.country_of_demonym(span.text):
            return None
        return span

    def _not_a_person(self, span: Span) -> bool:
        words = [t.text for t in span if not t.is_punct]
        if not words or all(w in self.lex.non_person_words or w in self.lex.non_entities for w in words):
            return True
        return any(_HAS_DIGIT.search(w) for w in words)

    def _state_named(self, span: Span) -> bool:
        """A full institutional name led by a nationality ("Somali National Army", "Iraqi Security Forces")."""
        if len(span) < 3 or not all(t.is_title or t.lower_ in {"of", "and", "the"} for t in span):
            return False
        return bool(self.gaz.country_of_demonym(span[0].text) or self.gaz.country(span[0].text))

    def _state_force(self, span: Span) -> bool:
        first = span[0].text
        named_for_state = bool(self.gaz.country_of_demonym(first) or self.gaz.country(first))
        return named_for_state and span[-1].text in self.lex.state_force_heads

    def _looks_like_person(self, span: Span) -> bool:
        if len(span) > 3 or self._has_cue(span, self.lex.organization_cues | self.lex.armed_group_cues):
            return False
        return all(t.is_title or t.text == "-" for t in span)

    def _after_speech_verb(self, span: Span) -> bool:
        if span.start == 0:
            return False
        prev = self.doc[span.start - 1]
        if prev.is_punct and span.start >= 2:
            prev = self.doc[span.start - 2]
        return prev.lemma_.lower() in _SPEECH_LEMMAS

    # --- acronyms and short names ----------------------------------------------------

    def _acronyms(self, found: list[_Found]) -> None:
        """"National Resistance Front (NRF)": later bare "NRF" tokens name the same entity."""
        defined: dict[str, _Found] = {}
        overridden: set[str] = set()
        for item in found:
            match = _PAREN_ACRONYM.match(self.text, item.end)
            if match and item.kind not in {"person"}:
                acro = match.group(1)
                known = self.gaz.actor(acro)
                if known is None or known.id == item.key:
                    defined.setdefault(acro, item)
                    item.extra_aliases.append(acro)
                elif item.record is not None and _initials_fit(acro, item.name):
                    # "Somali National Army (SNA)": the article's own definition beats another
                    # group's acronym ("SNA" = Syrian National Army) within this document
                    defined.setdefault(acro, item)
                    overridden.add(acro)
        if not defined:
            return
        starts = {f.start: f for f in found}
        for tok in self.doc:
            anchor = defined.get(tok.text)
            if anchor is None:
                continue
            existing = starts.get(tok.idx)
            if existing is not None:
                if existing.key != anchor.key and (existing.record is None or tok.text in overridden):
                    self._copy_identity(existing, anchor, "acronym")
                continue
            if self._overlaps(found, tok.idx, tok.idx + len(tok.text)):
                continue
            item = _Found(tok.idx, tok.idx + len(tok.text), tok.text, anchor.kind, anchor.key, "acronym",
                          anchor.name, record=anchor.record, guessed=anchor.guessed, country=anchor.country)
            self._append(found, item)
        found.sort(key=lambda f: f.start)

    def _short_names(self, found: list[_Found]) -> None:
        """"The New York Sun" ... "the Sun": a title's last word names it within the document."""
        short: dict[str, _Found] = {}
        for item in found:
            if item.kind == "organization" and item.name.startswith("The ") and len(item.name.split()) > 2:
                short.setdefault(item.name.split()[-1], item)
        if not short:
            return
        for item in found:
            anchor = short.get(item.text)
            if anchor is not None and item.record is None and item.key != anchor.key:
                self._copy_identity(item, anchor, "link")
        for tok in self.doc:
            anchor = short.get(tok.text)
            if anchor is None or tok.i == 0 or self.doc[tok.i - 1].lower_ != "the":
                continue
            if self._overlaps(found, tok.idx, tok.idx + len(tok.text)):
                continue
            self._append(found, _Found(tok.idx, tok.idx + len(tok.text), tok.text, anchor.kind, anchor.key, "link",
                                anchor.name, record=anchor.record, guessed=anchor.guessed, country=anchor.country))
        found.sort(key=lambda f: f.start)

    @staticmethod
    def _copy_identity(item: _Found, anchor: _Found, source: str) -> None:
        item.kind, item.key, item.name, item.record = anchor.kind, anchor.key, anchor.name, anchor.record
        item.guessed, item.country, item.source = anchor.guessed, anchor.country, source

    def _append(self, found: list[_Found], item: _Found) -> None:
        """Add a mention found late, keeping the coverage mask current."""
        found.append(item)
        if self._mask is not None and self._mask_size == len(found) - 1:
            self._mask[item.start : item.end] = b"\x01" * (item.end - item.start)
            self._mask_size = len(found)

    def _overlaps(self, found: list[_Found], start: int, end: int) -> bool:
        """Whether a character range touches a found mention (a coverage mask, rebuilt when found grows)."""
        mask = self._mask
        if mask is None or self._mask_size != len(found):
            mask = bytearray(len(self.text) + 1)
            for f in found:
                mask[f.start : f.end] = b"\x01" * (f.end - f.start)
            self._mask, self._mask_size = mask, len(found)
        return any(mask[start:end])

    # --- span cleaning and filters ------------------------------------------------

    def _trim(self, ent: Span) -> Span | None:
        start, end = ent.start, ent.end
        doc = self.doc
        while start < end and (doc[start].lower_ in _DETERMINERS or doc[start].is_punct or doc[start].is_space):
            start += 1
        while end > start and (doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if start >= end:
            return None
        span = doc[start:end]
        if "\n" in span.text or span[-1].lower_ in _DANGLING:
            return None  # across lines, or cut short ("the Sons of")
        return span

    def _junk(self, text: str) -> bool:
        stripped = text.strip()
        if not stripped or len(stripped) < 2 or stripped.lower() in _PRONOUNS:
            return True
        if stripped in self.lex.non_entities or stripped.rstrip(".") in self.lex.honorifics:
            return True
        if not any(ch.isalpha() for ch in stripped) or _COUNTER.search(stripped):
            return True  # numbers and page counters ("Views 2K")
        words = stripped.split()
        if len(words) == 1 and stripped.islower():
            return True
        if all(w in self.lex.non_entities or w.lower() in _DETERMINERS for w in words):
            return True
        return all(w.rstrip(".") in self.lex.honorifics for w in words)

    def _glued(self, text: str) -> bool:
        """"USwork": a country code glued to a word by a broken page, not a name."""
        match = _GLUED.match(text)
        return bool(match and self.gaz.country(match.group(1)))

    def _has_cue(self, span: Span, cues: frozenset[str]) -> bool:
        return any(t.text in cues for t in span)

    def _before_known(self, span: Span) -> bool:
        nxt = self._next_token(span)
        return nxt is not None and bool(nxt.ent_id_) and nxt.idx == span.end_char + 1

    def _next_token(self, span: Span) -> Token | None:
        return self.doc[span.end] if span.end < len(self.doc) else None

    def _in_shouting_line(self, ent: Span) -> bool:
        """All-capitals lines (teaser headlines, section heads) yield only trusted names."""
        i = bisect_right(self._newlines, ent.start_char)
        lo = self._newlines[i - 1] + 1 if i else 0
        cached = self._shouting.get(lo)
        if cached is None:
            j = bisect_right(self._newlines, ent.end_char - 1)
            hi = self._newlines[j] if j < len(self._newlines) else len(self.text)
            line = self.text[lo:hi]
            cached = self._shouting[lo] = _is_shouting(line)
        return cached

    def _in_byline(self, span: Span) -> bool:
        """A short byline line: "By Jane Roe in Kessel", "March 3, 2024 — Jane Roe, Kessel"."""
        i = bisect_right(self._newlines, span.start_char)
        lo = self._newlines[i - 1] + 1 if i else 0
        hi = self._newlines[i] if i < len(self._newlines) else len(self.text)
        line = self.text[lo:hi].strip()
        return len(line.split()) <= 14 and bool(_BYLINE_LINE.match(line))

    @staticmethod
    def _trusted_in_shouting(ent: Span) -> bool:
        return bool(ent.id_) and len(ent.text) > 3


# --- writing to the context -----------------------------------------------------------------


def _write(ctx: ExtractionContext, found: list[_Found], settings: Settings) -> None:
    doc_id = ctx.document.id
    sents = [(s.start_char, s.end_char) for s in ctx.sdoc.sents]
    taken = bytearray(len(ctx.document.text) + 1)
    for item in found:
        if len(ctx.mentions) >= settings.max_mentions_per_document:
            break
        if any(taken[item.start : item.end]):
            continue
        if len(item.name) > settings.max_name_chars or len(item.text) > settings.max_name_chars:
            continue  # a runaway token is no name, whichever rule found it
        item.extra_aliases = [a for a in item.extra_aliases if len(a) <= settings.max_name_chars]
        taken[item.start : item.end] = b"\x01" * (item.end - item.start)
        sent_start, sent_end = _sentence(sents, item.start)
        ctx.mentions.append(Mention(
            doc_id=doc_id, start=item.start, end=item.end, text=item.text, label=item.kind,
            entity_key=item.key, sent_start=sent_start, sent_end=sent_end, source_label=item.source,
        ))
        _merge_entity(ctx, item)


def _ministry_name(country: PlaceRecord, topic: str) -> str:
    """"Russian defence ministry": named with the demonym as news writes it, else the country's name."""
    adjective = country.demonyms[0] if country.demonyms else country.name
    return f"{adjective} {topic} ministry"


def _initials_fit(acronym: str, name: str) -> bool:
    """"SNA" fits "Somali National Army": the capitals of the acronym are the name's initials."""
    initials = "".join(w[0] for w in re.split(r"[\s-]+", name) if w[:1].isupper())
    letters = "".join(ch for ch in acronym if ch.isupper())
    return len(letters) >= 2 and letters == initials


def _is_shouting(line: str) -> bool:
    """True for a short line written mostly in capitals."""
    if len(line) > _MAX_HEADLINE:
        return False
    letters = [ch for ch in line if ch.isalpha()]
    if len(letters) < 12:
        return False
    return sum(ch.isupper() for ch in letters) / len(letters) > 0.7


def _sentence(sents: list[tuple[int, int]], char: int) -> tuple[int, int]:
    """The (start, end) of the sentence holding ``char`` (sentences sorted by start)."""
    if not sents:
        return (0, 0)
    i = bisect_right(sents, (char, float("inf"))) - 1
    return sents[max(i, 0)]


def _merge_entity(ctx: ExtractionContext, item: _Found) -> None:
    entity = ctx.entities.get(item.key)
    if entity is None:
        entity = _new_entity(item)
        ctx.entities[item.key] = entity
    surfaces = [*item.extra_aliases]
    if item.alias:
        surfaces.append(item.text)
    for surface in surfaces:
        _add_alias(entity, surface)


def _new_entity(item: _Found) -> Entity:
    rec = item.record
    if rec is None:
        return Entity(key=item.key, name=item.name, kind=item.kind, aliases=[item.name],
                      country=item.country, guessed=True)
    aliases = list(dict.fromkeys(rec.names))
    lat = getattr(rec, "lat", None)
    lon = getattr(rec, "lon", None)
    if hasattr(rec, "acronyms"):
        aliases.extend(a for a in rec.acronyms if a not in aliases)  # type: ignore[union-attr]
    return Entity(key=rec.id, name=rec.name, kind=rec.kind, aliases=aliases, gazetteer_id=rec.id,
                  parent=rec.parent, country=rec.country, lat=lat, lon=lon, guessed=False)


def _add_alias(entity: Entity, surface: str) -> None:
    surface = " ".join(surface.split())
    if not surface:
        return
    if surface not in entity.aliases:
        entity.aliases.append(surface)


__all__ = ["extract_entities"]
