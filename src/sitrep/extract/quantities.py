"""Quantities: how many fighters, camps, groups ... an actor or a place has, and who says so.

For every number phrase (``extract.numbers``) in a sentence the extractor finds what is
counted (the noun the number modifies, "the number of N", or the noun of the previous
count in the sentence for a bare "about 2,000") and whom the count is about:

* a mention on the counted noun ("400 al Qaeda fighters", "34 Afghanistan provinces",
  "7,000 members of the group");
* for counts of groups or incidents, the place they are in ("more than 20 networks
  operating in the country" -> the country);
* otherwise the subject of the governing verb ("The group is estimated to have 4,000
  fighters", "X reduced to 2,500 the number of soldiers"), pronouns and descriptions
  resolved to the salient earlier armed group.

Dates, years, ages, percentages, money, ordinals and casualty counts of attacks are skipped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitrep.extract.context import ExtractionContext
from sitrep.extract.numbers import NumberSpan, find_numbers
from sitrep.extract.relations import _DocReader, _verb_subject_tokens
from sitrep.models import Claim, Entity, Mention, Quantity

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

PEOPLE_NOUNS = frozenset({
    "fighter", "member", "militant", "soldier", "troop", "combatant", "recruit", "supporter", "prisoner",
    "detainee", "operative", "commander", "man", "personnel", "insurgent", "hostage", "family", "jihadist",
    "guerrilla", "mercenary", "volunteer", "officer", "police", "policeman", "trainer", "adviser", "advisor",
    "militiaman", "follower", "loyalist", "defector", "cadre", "bodyguard", "force", "marine", "sailor",
})
GROUP_NOUNS = frozenset({"group", "network", "organization", "organisation", "faction", "militia", "movement", "cell", "outfit"})
PLACE_NOUNS = frozenset({"camp", "base", "province", "district", "village", "town", "city", "country", "neighbor", "neighbour", "stronghold", "hideout", "safe house", "region", "state"})
EVENT_NOUNS = frozenset({"incident", "attack", "bombing", "operation", "raid", "strike", "clash", "airstrike", "sortie"})
TARGET_NOUNS = frozenset({"target", "location", "site", "position"})
WEAPON_NOUNS = frozenset({
    "weapon", "drone", "vehicle", "jet", "aircraft", "warplane", "plane", "helicopter", "missile", "rocket",
    "tank", "warship", "ship", "vessel", "boat",
})
COUNT_NOUNS = PEOPLE_NOUNS | GROUP_NOUNS | PLACE_NOUNS | EVENT_NOUNS | TARGET_NOUNS | WEAPON_NOUNS | {"unit"}
# verbs by which an actor has, not meets, the weapons counted ("X fields 40 drones", not "X shot down 18 drones")
HOLD_VERBS = frozenset({
    "have", "own", "possess", "operate", "deploy", "field", "use", "acquire", "include", "number", "maintain",
    "keep", "command", "retain", "control", "station", "launch", "fire", "send", "receive", "buy", "build",
})
SAY_VERBS = frozenset({"say", "tell", "confirm", "report", "add", "speak", "describe", "note", "deny", "warn"})
# nouns that describe, not name, a group ("the force", "the mission") and may be matched to a name containing them
_NAME_WORDS_SKIP = frozenset({
    "state", "group", "country", "government", "province", "region", "party", "people", "army", "organization",
    "organisation", "network", "cell", "outfit", "faction",
})
CASUALTY_WORDS = frozenset({
    "kill", "killing", "dead", "death", "die", "injure", "wound", "casualty", "victim", "injury", "toll",
    "massacre", "behead", "execute", "slay", "fatality", "abduct", "lose", "loss",
})
_SKIP_AFTER = re.compile(
    r"^\s*(?:-?\s*year|-?\s*month|-?\s*week|-?\s*day|-?\s*hour|-?\s*minute|decade|century|%|per\s?cent|percent|"
    r"st\b|nd\b|rd\b|th\b|am\b|pm\b|a\.m|p\.m|(?:dollar|euro|pound|afghani|rupee|km|mile|meter|metre|kg|ton)s?\b|"
    r"kilomet|(?:million|billion|bn)\s+(?:dollar|euro))",
    re.I,
)
_MONTHS = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s*$",
    re.I,
)


def _skip_number(text: str, sent_text: str, ns: NumberSpan) -> bool:
    """Dates, years, times, money, percentages, ordinals and similar non-counts."""
    v = ns.value
    before = sent_text[max(0, ns.start - 12) : ns.start]
    after = sent_text[ns.end : ns.end + 14]
    if v.percent or v.vague:
        return True
    if before.rstrip().endswith(("$", "€", "£", "#", "No.", "no.")) or re.search(r"[/:]\s*$", before) or re.match(r"^\s*[/:]\d", after):
        return True
    if _SKIP_AFTER.match(after) or _MONTHS.search(before) or re.match(r"^\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", after, re.I):
        return True
    low = v.value
    if v.high is not None and v.qualifier == "between" and 1900 <= v.high <= 2100 and low is not None and 1900 <= low <= 2100:
        return True  # "2021-2022"
    if low is not None and v.qualifier is None and 1900 <= low <= 2100 and float(low).is_integer():
        return True  # a year
    if re.fullmatch(r"(?i)(?:hundred|thousand|million)s?", ns.text.strip()) and re.search(r"(?i)\b(?:several|a few|few|many|some)\s*$", before):
        return True  # "several hundred troops": an order of magnitude, not a count
    if re.fullmatch(r"(?i)one|a|an", ns.text.strip()):
        return True  # "one member state": an article, not a count
    return low is not None and low > 10_000_000


def _number_tokens(sent: Span, ns: NumberSpan) -> list[Token]:
    start = sent.start_char + ns.start
    end = sent.start_char + ns.end
    span = sent.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    return [t for t in span if t.idx >= start and t.idx + len(t) <= end
            and (t.like_num or t.pos_ == "NUM" or t.lower_ in ("dozen", "hundred", "thousand", "million"))]


def _not_a_count(num: Token, noun: Token | None, value: float | None) -> bool:
    """Numbers that name or point back rather than count: "Tower 22", "Resolution 2254", "the two groups"."""
    prev = num.doc[num.i - 1] if num.i > num.sent.start else None
    if prev is not None and num.text[:1].isdigit() and prev.pos_ == "PROPN" and prev.text[:1].isupper() \
            and prev.i > num.sent.start and prev.ent_type_ not in ("DATE", "TIME") and not _MONTHS.search(prev.text):
        return True  # a number inside a name
    if noun is not None and value is not None and value < 10:
        if any(c.dep_ == "det" and c.lower_ in ("the", "these", "those", "both") and c.i < num.i for c in noun.children):
            return True  # "the three countries": refers back to things already named
    return False


def _counted_noun(num: Token) -> Token | None:
    """The noun a number counts: its head for a nummod, "the number of N", or None."""
    head = num.head
    cur = num
    for _ in range(3):
        if cur.dep_ in ("nummod", "quantmod", "amod", "compound", "conj", "cc") and cur.head.i != cur.i:
            cur = cur.head
            if cur.pos_ in ("NOUN", "PROPN") and not cur.like_num:
                return _number_of(cur)
        else:
            break
    if num.dep_ in ("pobj", "dobj") and head.lemma_.lower() in ("to", "by", "at"):
        gov = head.head
        for c in gov.children:  # "reduced to 2,500 the number of soldiers"
            if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in ("number", "total", "count"):
                for p in c.children:
                    if p.dep_ == "prep" and p.lower_ == "of":
                        for n in p.children:
                            if n.dep_ == "pobj":
                                return n
    # "Houthi forces could number as many as 350,000": what the verb's subject counts
    cur = num
    for _ in range(4):
        if cur.dep_ not in ("pobj", "prep", "advmod", "quantmod", "npadvmod", "dobj", "attr") or cur.head.i == cur.i:
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            if cur.lemma_.lower() in ("number", "total"):
                subj = [c for c in cur.children if c.dep_ == "nsubj"]
                if subj and subj[0].pos_ == "NOUN":
                    return subj[0]
            break
    # "ten out of 34 Afghanistan provinces": ten counts what 34 counts
    for c in num.children:
        if c.dep_ == "prep" and c.lower_ in ("out", "of"):
            for sub in c.subtree:
                if sub.pos_ == "NOUN" and sub.lemma_.lower() in COUNT_NOUNS:
                    return sub
    return None


def _number_of(noun: Token) -> Token:
    """ "the number of soldiers" -> soldiers."""
    if noun.lemma_.lower() in ("number", "total", "count", "tally"):
        for p in noun.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                for n in p.children:
                    if n.dep_ == "pobj":
                        return n
    return noun


def _is_casualty(num: Token, noun: Token | None) -> bool:
    for t in [num, num.head, num.head.head, *(list(noun.ancestors)[:2] if noun is not None else [])]:
        if t.lemma_.lower() in CASUALTY_WORDS or t.lower_ in CASUALTY_WORDS:
            return True
    return noun is not None and noun.lemma_.lower() in CASUALTY_WORDS


def _what(noun: Token, subject: Mention | None) -> str:
    mods = [c for c in noun.lefts if c.dep_ in ("amod", "compound") and not c.like_num]
    words = [c.text for c in mods if subject is None or not (subject.start <= c.idx < subject.end)]
    words = [w for w in words if w.lower() not in ("new", "known", "more", "other", "estimated")]
    return " ".join([*words, noun.text]).lower()


def _mention_on(r: _DocReader, noun: Token, kinds: tuple[str, ...]) -> Mention | None:
    """An actor named on the counted noun: "US troops", "Royal Air Force Typhoon jets", "the group's fighters",
    "fighters of/from X"."""
    for c in noun.children:
        if c.dep_ in ("compound", "nmod", "poss", "amod"):
            m = r.mention_of(c)
            if m is not None and r.kind(m) in kinds:
                return m
            if c.dep_ == "poss":
                res = [x for x in r.resolve(c, kinds) if r.kind(x) in kinds]
                if res:
                    return res[0]
            if c.dep_ in ("compound", "nmod") and m is None:
                for sub in c.subtree:  # a name nested in a compound chain
                    sm = r.mention_of(sub)
                    if sm is not None and r.kind(sm) in kinds:
                        return sm
        if c.dep_ == "prep" and c.lower_ in ("of", "from") and noun.lemma_.lower() in PEOPLE_NOUNS:
            for p in c.children:
                if p.dep_ == "pobj":
                    m = _resolve_subject(r, p, kinds)
                    if m is not None:
                        return m
    return None


_PLACES = ("country", "state", "province", "city", "district", "region")
_ACTORS = ("armed_group", "organization", "state", "country")
_FORCES = ("armed_group", "state", "country")  # who launches attacks and strikes targets
_CLAUSES = ("advcl", "ccomp", "xcomp", "conj", "parataxis", "relcl", "acl", "csubj")
_DEFINITE = ("the", "this", "that", "these", "those", "its", "their")


def _place_of(r: _DocReader, tok: Token, deep: bool = True) -> Mention | None:
    """A place the counted things are in: "in P", "operating in P", "a presence in P" (``deep``: anywhere
    below ``tok``; else not inside the clauses hanging off ``tok``, so "..., saying they act in P" is not read)."""
    subs = tok.subtree if deep else (
        sub for c in tok.children if c.dep_ not in _CLAUSES for sub in c.subtree)
    for sub in subs:
        if sub.dep_ == "prep" and sub.lower_ in ("in", "inside", "across", "throughout", "within"):
            for p in sub.children:
                if p.dep_ == "pobj":
                    res = [x for x in r.resolve(p, _PLACES) if r.kind(x) in _PLACES]
                    if res:
                        return res[0]
    return None


def _demonym(r: _DocReader, noun: Token) -> Mention | None:
    """ "Russian personnel", "American troops": the country of an adjective of nationality."""
    for c in noun.children:
        if c.dep_ not in ("amod", "compound", "nmod") or not c.text[:1].isupper() or r.mention_of(c) is not None:
            continue
        rec = r.ctx.gazetteer.country_of_demonym(c.text)
        if rec is None:
            continue
        if rec.id not in r.ctx.entities:
            r.ctx.entities[rec.id] = Entity(
                key=rec.id, name=rec.name, kind=rec.kind, aliases=list(dict.fromkeys([rec.name, *rec.aliases])),
                gazetteer_id=rec.id, parent=rec.parent, country=rec.country, lat=rec.lat, lon=rec.lon,
            )
        return Mention(doc_id=r.ctx.document.id, start=c.idx, end=c.idx + len(c), text=c.text, label=rec.kind,
                       entity_key=rec.id, source_label="demonym")
    return None


def _name_match(r: _DocReader, tok: Token, kinds: tuple[str, ...]) -> Mention | None:
    """ "the force" -> the Popular Mobilization Forces, "the mission" -> the ... Mission in Somalia: the latest
    earlier actor (within a few sentences) whose name contains the descriptive noun."""
    lemma = tok.lemma_.lower()
    if lemma in _NAME_WORDS_SKIP or len(lemma) < 4:
        return None
    for m in reversed(r.ctx.mentions_in(max(0, tok.idx - 1500), tok.left_edge.idx)):
        if r.kind(m) not in kinds:
            continue
        ent = r.ctx.entities.get(m.entity_key)
        names = [ent.name, *ent.aliases] if ent is not None else [m.text]
        for name in names:
            words = re.findall(r"[a-z]+", name.lower())
            if lemma in words or lemma + "s" in words or (lemma.endswith("y") and lemma[:-1] + "ies" in words):
                return m
    return None


def _salient(r: _DocReader, tok: Token, kinds: tuple[str, ...]) -> Mention | None:
    """The actor a description ("the group", "most cells", "the strikes") points back to: the latest one
    earlier in the sentence, else the nearest earlier sentence's subject among the last three sentences,
    else the latest one named in the nearest sentence naming any."""
    sent = tok.sent
    same = [m for m in r.ctx.mentions_in(sent.start_char, tok.left_edge.idx) if r.kind(m) in kinds]
    if same:
        return same[-1]
    idx = r._sent_index.get(sent.start, -1)
    fallback: Mention | None = None
    for back in range(1, 4):
        if idx - back < 0:
            break
        prev = r.sents[idx - back]
        cands = [m for m in r.ctx.mentions_in(prev.start_char, prev.end_char) if r.kind(m) in kinds]
        subj = [m for m in cands if r._is_subject(m)]
        heads = [m for m in subj if all(t.dep_ != "conj" for t in r._tokens(m)[-1:])]
        if subj:
            return (heads or subj)[-1]  # "The United States and Britain struck ...": the first conjunct
        if cands and fallback is None:
            fallback = cands[-1]
    return fallback


def _resolve_subject(r: _DocReader, tok: Token, kinds: tuple[str, ...] = _ACTORS) -> Mention | None:
    """The actor a subject (or owner) noun phrase stands for."""
    for _ in range(4):
        m = r.mention_of(tok)
        if m is not None:
            return m if r.kind(m) in kinds else None
        if tok.lower_ in ("that", "which", "who") and tok.head.dep_ == "relcl":
            tok = tok.head.head  # "militias that have ..." -> militias
            continue
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.dep_ == "appos":
            tok = tok.head.head  # "a coalition of militias" -> the coalition
            continue
        if tok.dep_ == "appos" and tok.pos_ == "NOUN":
            # "X, a loose coalition ...": the name just before the apposition, however it was attached
            prev = tok.doc[tok.left_edge.i - 1] if tok.left_edge.i > tok.sent.start else None
            if prev is not None and prev.is_punct and prev.i > tok.sent.start:
                prev = tok.doc[prev.i - 1]
            pm = r.mention_of(prev) if prev is not None else None
            if pm is not None:
                return pm if r.kind(pm) in kinds else None
            tok = tok.head
            continue
        break
    lemma = tok.lemma_.lower()
    dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss")}
    if any(c.dep_ == "nummod" for c in tok.children) and dets & {"the", "these", "those"}:
        return None  # "the three countries": several actors at once
    m = _mention_on(r, tok, kinds)
    if m is None and "country" in kinds:
        m = _demonym(r, tok)
    if m is not None:
        return m
    if tok.pos_ == "NOUN" and (lemma in GROUP_NOUNS or lemma in ("force", "mission", "coalition", "alliance", "front")):
        if dets & set(_DEFINITE) or tok.tag_ == "NNS":
            words = [t for t in tok.subtree if t.dep_ not in ("relcl", "prep", "acl", "punct")]
            phrase = " ".join(t.lower_ for t in words if t.lower_ not in _DEFINITE)
            if phrase in r.descriptors or lemma in r.descriptors:  # "the terrorist organization Al Qaeda" earlier
                m = r.antecedent(tok, ("armed_group",))
                if m is not None:
                    return m
            m = _name_match(r, tok, kinds)
            if m is None and (lemma in GROUP_NOUNS or lemma == "force"):
                m = _salient(r, tok, ("armed_group",))
            return m
    if tok.pos_ == "NOUN" and lemma in EVENT_NOUNS and dets & set(_DEFINITE):
        return _salient(r, tok, _FORCES)  # "The strikes hit ..." -> who carried them out
    res = [x for x in r.resolve(tok, kinds) if r.kind(x) in kinds]
    return res[0] if res else None


def _acl_agent(r: _DocReader, noun: Token) -> Mention | None:
    """ "drones fired by the group", "troops deployed by Kenya" (also on the last item of a list)."""
    items = [noun, *(c for c in noun.conjuncts if c.i != noun.i)]
    items += [c for it in list(items) for c in it.children if c.dep_ == "appos"]
    items += [c for it in list(items) for c in it.conjuncts if c.i != it.i and c not in items]
    for it in items:
        for acl in it.children:
            if acl.dep_ != "acl":
                continue
            for ag in acl.children:
                if ag.dep_ == "agent":
                    for p in ag.children:
                        if p.dep_ == "pobj":
                            return _resolve_subject(r, p)
    return None


def _verb_actor(r: _DocReader, anchor: Token, kinds: tuple[str, ...], verbs: frozenset[str] | None = None) -> Mention | None:
    """The subject of the verb governing ``anchor`` ("X has N fighters", "X launched N attacks")."""
    cur = anchor
    for _ in range(4):
        if cur.dep_ in ("nsubj", "nsubjpass"):
            return None
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            if verbs is not None and cur.lemma_.lower() not in verbs:
                return None
            for st in _verb_subject_tokens(cur):
                m = _resolve_subject(r, st, kinds)
                if m is not None:
                    return m
            return None
    return None


def _subject(r: _DocReader, num: Token, noun: Token | None) -> Mention | None:
    """Whom the count is about."""
    lemma = noun.lemma_.lower() if noun is not None else ""
    if noun is not None:
        if lemma in PEOPLE_NOUNS and noun.dep_ == "nsubj" and noun.head.lemma_.lower() in SAY_VERBS:
            return None  # "two officers said": sources, not a count
        m = _mention_on(r, noun, _ACTORS if lemma not in ("province", "district") else _PLACES + _ACTORS)
        if m is None:
            m = _acl_agent(r, noun)
        if m is None and lemma in PEOPLE_NOUNS:
            m = _demonym(r, noun)
        if m is not None:
            return m
    anchor = noun if noun is not None else num
    if lemma in EVENT_NOUNS | TARGET_NOUNS:
        m = _verb_actor(r, anchor, _FORCES)
        if m is not None:
            return m
    if lemma in GROUP_NOUNS | EVENT_NOUNS or lemma in ("neighbor", "neighbour"):
        place = _place_of(r, anchor)
        if place is None and anchor.head.pos_ in ("VERB", "AUX"):
            place = _place_of(r, anchor.head, deep=False)
        if place is None and lemma in ("neighbor", "neighbour"):
            cur = anchor
            for _ in range(4):  # "a country with ... six neighbours"
                cur = cur.head
                if cur.lemma_.lower() in ("country", "nation", "state") and r.main_country_key:
                    return next((m for m in r.mentions if m.entity_key == r.main_country_key), None)
        if place is None and lemma in EVENT_NOUNS and r.main_country_key:
            place = next((m for m in r.mentions if m.entity_key == r.main_country_key), None)
        if place is not None:
            if lemma in GROUP_NOUNS:
                gov = anchor.head
                subj = _verb_subject_tokens(gov) if gov.pos_ in ("VERB", "AUX") and anchor.dep_ != "nsubj" else []
                for st in subj[:1]:
                    owner = _resolve_subject(r, st)
                    if owner is not None:
                        return owner
            return place
    if lemma in TARGET_NOUNS:
        return None
    # the subject of the governing verb: "X has N fighters", "X fields 40 drones" (not "X shot down 18 drones")
    return _verb_actor(r, anchor, _ACTORS, HOLD_VERBS if lemma in WEAPON_NOUNS else None)


def _owner(r: _DocReader, num: Token) -> Mention | None:
    """The subject of the clause a number sits in."""
    cur = num
    for _ in range(5):
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            for st in _verb_subject_tokens(cur):
                res = r.resolve(st, _ACTORS)
                if res:
                    return res[0]
            return None
    return None


def _claim(ctx: ExtractionContext, sent: Span, start: int, end: int) -> Claim:
    src = ctx.sources.get(sent.start_char)
    return Claim(
        doc_id=ctx.document.id, start=start, end=end, sent_start=sent.start_char, sent_end=sent.end_char,
        snippet=sent.text.strip(), source_key=src.key if src else None, source_text=src.text if src else None,
        modality="estimated" if re.search(r"\bestimat", sent.text, re.I) else None,
    )


def extract_quantities(ctx: ExtractionContext) -> list[Quantity]:
    """Counts about actors and places, one Quantity per (subject, low, high) within the document."""
    r = _DocReader(ctx)
    out: list[Quantity] = []
    seen: set[tuple[str, float | None, float | None]] = set()
    for sent in r.sents:
        last: tuple[Mention, str] | None = None
        for ns in find_numbers(sent.text):
            if _skip_number(ctx.document.text, sent.text, ns):
                continue
            toks = _number_tokens(sent, ns)
            if not toks:
                continue
            # the number's token whose head lies outside the phrase ("600-1,000": 1,000 may hang on 600)
            roots = [t for t in toks if t.head not in toks or t.head.i == t.i]
            num = (roots or toks)[-1] if ns.value.qualifier != "out of" else toks[0]
            noun = _counted_noun(num)
            if noun is not None and any(c.dep_ == "nummod" and c.i > num.i and c not in toks for c in noun.children):
                noun = None  # "from about 200 two years ago": the noun is counted by the nearer number
            if _is_casualty(num, noun) or _not_a_count(num, noun, ns.value.value):
                continue
            subject: Mention | None
            if noun is None or noun.lemma_.lower() not in COUNT_NOUNS:
                if noun is None and last is not None:
                    subject, what = last
                else:
                    continue
            else:
                subject = _subject(r, num, noun)
                what = _what(noun, subject)
            if subject is None:
                continue
            last = (subject, what)
            v = ns.value
            found = [(subject, what, v.low, v.high)]
            if v.total is not None and noun is not None:
                place = _mention_on(r, noun, _PLACES)
                if place is not None:
                    # "X operates camps in ten out of 34 P provinces": ten is X's, 34 is P's
                    found = [(place, noun.lemma_.lower() + "s", v.total, v.total)]
                    owner = _owner(r, num)
                    if owner is not None and owner.entity_key != place.entity_key:
                        found.insert(0, (owner, f"{noun.lemma_.lower()}s of {place.text}", v.low, v.high))
            for subj, wh, low, high in found:
                key = (subj.entity_key, low, high)
                if key in seen:
                    continue
                seen.add(key)
                start = sent.start_char + ns.start
                out.append(Quantity(
                    subject_key=subj.entity_key, what=wh, low=low, high=high,
                    claim=_claim(ctx, sent, start, sent.start_char + ns.end),
                    qualifier=v.qualifier, text=ns.text,
                ))
    return out
