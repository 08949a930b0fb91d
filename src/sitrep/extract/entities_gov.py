"""Entity passes on governments: "<demonym> government", ministries, "<leader> administration",
a capital or region naming its government ("the Kabul government")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.entities_state import EntityState, Found, append, next_token, overlaps
from sitrep.resolve.linking import entity_key, strip_honorifics

if TYPE_CHECKING:
    from spacy.tokens import Span

    from sitrep.data import PlaceRecord


def government(st: EntityState, ent: Span) -> Found | None:
    """"<demonym> government/authorities" -> the government of that country (an organisation)."""
    country = st.gaz.country_of_demonym(ent.text) if len(ent) == 1 else None
    if country is None:
        return None
    ministry = ministry_after(st, ent.start_char, ent.end, country)
    if ministry is not None:
        return ministry
    nxt = next_token(st, ent)
    if nxt is None or nxt.lower_ not in st.lex.government_nouns:
        return None
    return government_found(st, ent.start_char, nxt.idx + len(nxt.text), country)


def ministry_after(st: EntityState, start_char: int, i: int, country: PlaceRecord) -> Found | None:
    """"Nigerien interior ministry", "Russia's Ministry of Defence", "the Turkish defence ministry":
    a ministry of the state named by a demonym or country at ``start_char`` (tokens from ``i``)."""
    doc = st.doc
    if i < len(doc) and doc[i].text in st.words.possessive_marks:
        i += 1
    j = i
    while j < len(doc) and j - i < 3 and doc[j].is_alpha and doc[j].lower_ not in {"ministry", "minister"} \
            and doc[j].lower_ not in st.words.determiners:
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
    topic = st.words.ministry_topics.get(topic, topic)
    text = st.text[start_char:end]
    key = entity_key(f"{country.name} {topic} ministry", "organization")
    return Found(start_char, end, text, "organization", key, "cue", ministry_name(country, topic),
                  guessed=True, country=country.country, label="ORG")


def capital_government(st: EntityState, span: Span) -> Found | None:
    """"Kabul government" -> the government of Afghanistan (in place of the capital); "Puntland
    government" -> the regional government.  Beside the place, kept as a place: "Yemen's internationally
    recognised government", "the authorities in Kabul", "Russia's defence ministry"."""
    country = st.gaz.country(span.text)
    if country is not None and country.kind != "country":
        country = None
    possessive = span.end < len(st.doc) and st.doc[span.end].text in st.words.possessive_marks
    if country is not None and possessive:
        ministry = ministry_after(st, span.start_char, span.end, country)
        gov_end = government_noun_after(st, span)
        start = st.doc[span.end + 1].idx if span.end + 1 < len(st.doc) else span.end_char
        if ministry is not None:
            ministry.start, ministry.extra_aliases = start, [ministry.text]
            ministry.text = st.text[start:ministry.end]
            st.extras.append(ministry)
        elif gov_end is not None:
            gov = government_found(st, start, gov_end, country)
            gov.extra_aliases.append(st.text[span.start_char:gov_end])
            st.extras.append(gov)
        return None
    places = st.gaz.place(span.text)
    capital = next((p for p in places if p.capital_of), None)
    seat = st.gaz.country(capital.capital_of) if capital is not None and capital.capital_of else None
    if seat is not None and country is None and span.start >= 2:
        prev, gov = st.doc[span.start - 1], st.doc[span.start - 2]
        if prev.lower_ == "in" and gov.lower_ in st.lex.government_nouns:
            found = government_found(st, gov.idx, gov.idx + len(gov.text), seat)
            found.extra_aliases.append(st.text[gov.idx:span.end_char])
            st.extras.append(found)
            return None
    nxt = next_token(st, span)
    if nxt is None or nxt.lower_ not in st.lex.government_nouns or country is not None:
        return None
    gov_end = nxt.idx + len(nxt.text)
    if seat is not None:
        return government_found(st, span.start_char, gov_end, seat)
    region = next((p for p in places if p.kind in {"region", "province"}), None)
    if region is not None:
        name = f"{region.name} government"
        return Found(span.start_char, gov_end, st.text[span.start_char:gov_end], "organization",
                      entity_key(name, "organization"), "cue", name, guessed=True, country=region.country,
                      label="ORG")
    return None


def government_noun_after(st: EntityState, span: Span) -> int | None:
    """End offset of a government noun right after a span ("X government", "X's new government")."""
    doc = st.doc
    i = span.end
    possessive = i < len(doc) and doc[i].text in st.words.possessive_marks
    if possessive:
        i += 1
    j = i
    while possessive and j < len(doc) and j - i < 3 and doc[j].is_lower and doc[j].is_alpha \
            and doc[j].lower_ not in st.lex.government_nouns:
        j += 1
    if j < len(doc) and doc[j].lower_ in st.lex.government_nouns:
        return doc[j].idx + len(doc[j].text)
    return None


def government_found(st: EntityState, start: int, end: int, country: PlaceRecord) -> Found:
    """A country's government: the state acting (kind ``state``), an entity beside the country as place."""
    name = f"Government of {country.name}"
    return Found(start, end, st.text[start:end], "state", entity_key(name, "organization"), "cue",
                  name, guessed=True, country=country.country, label="ORG")


def administration(st: EntityState, span: Span) -> Found | None:
    """"<surname> administration", "Assad's government" is an organisation, not a person."""
    nxt = next_token(st, span)
    if nxt is not None and nxt.text in st.words.possessive_marks and span.end + 1 < len(st.doc):
        nxt = st.doc[span.end + 1]
    if nxt is None or nxt.lower_ not in st.words.leader_government_nouns:
        return None
    end = nxt.idx + len(nxt.text)
    text = st.text[span.start_char:end]
    surname = strip_honorifics(span.text)[0].split()[-1] if span.text.split() else span.text
    name = f"{surname} {nxt.lower_}" if nxt.lower_ != "regime" else f"{surname} government"
    return Found(span.start_char, end, text, "organization", entity_key(name, "organization"), "cue", name,
                  guessed=True, extra_aliases=[text], label="ORG")


def home_ministries(st: EntityState, covered: set[int]) -> list[Found]:
    """"the interior ministry said", "the Ministry of Defence": with no country named, a ministry of
    the country the article is about."""
    iso = st.doc_country
    home = st.gaz.country(iso) if iso else None
    out: list[Found] = []
    doc = st.doc
    for tok in doc:
        if tok.lower_ != "ministry" or tok.idx in covered or tok.i < 2:
            continue
        i = tok.i
        while i > tok.i - 2 and doc[i - 1].lower_ in st.words.ministry_topic_words:
            i -= 1
        if i == tok.i or any(t.idx in covered for t in doc[i : tok.i]):
            continue
        before = doc[i - 1]
        demonym = st.gaz.country_of_demonym(before.text) if before.text[:1].isupper() else None
        if demonym is not None and before.idx not in covered:
            country, start = demonym, before.idx  # "the Nigerien interior ministry"
        elif before.lower_ == "the" and home is not None:
            country, start = home, doc[i].idx
        else:
            continue
        topic = " ".join(t.lower_ for t in doc[i : tok.i])
        topic = st.words.ministry_topics.get(topic, topic)
        end = tok.idx + len(tok.text)
        out.append(Found(start, end, st.text[start:end], "organization",
                          entity_key(f"{country.name} {topic} ministry", "organization"), "cue",
                          ministry_name(country, topic), guessed=True, country=country.country, label="ORG"))
        covered.update(range(start, end))
    return out


def leader_governments(st: EntityState, found: list[Found]) -> None:
    """"Bashar al-Assad's government", "the Assad regime": the leader's government, an organisation
    beside the person (the person keeps its own mention)."""
    added = []
    doc = st.doc
    for item in found:
        if item.kind != "person" or item.record is None:
            continue
        span = doc.char_span(item.start, item.end, alignment_mode="expand")
        if span is None:
            continue
        i = span.end
        if i < len(doc) and doc[i].text in st.words.possessive_marks:
            i += 1
        if i >= len(doc) or doc[i].lower_ not in st.words.leader_government_nouns:
            continue
        gov = doc[i]
        surname = item.record.name.split()[-1]
        surname = surname.split("-")[-1] if "-" in surname and surname[:3].lower() in {"al-", "el-"} else surname
        name = f"{surname} government"
        added.append(Found(gov.idx, gov.idx + len(gov.text), gov.text, "organization",
                            entity_key(name, "organization"), "cue", name, guessed=True, alias=False,
                            extra_aliases=[st.text[item.start:gov.idx + len(gov.text)]], label="ORG"))
    for item in added:
        if not overlaps(st, found, item.start, item.end):
            append(st, found, item)
    if added:
        found.sort(key=lambda f: f.start)


def ministry_name(country: PlaceRecord, topic: str) -> str:
    """"Russian defence ministry": named with the demonym as news writes it, else the country's name."""
    adjective = country.demonyms[0] if country.demonyms else country.name
    return f"{adjective} {topic} ministry"
