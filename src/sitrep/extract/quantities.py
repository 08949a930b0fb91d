"""Quantities: how many fighters, camps, groups ... an actor or a place has, and who says so.

For every number phrase (``extract.numbers``) in a sentence the extractor finds what is
counted (the noun the number modifies, "the number of N", or the noun of the previous
count in the sentence for a bare "about 2,000") and whom the count is about:

* a mention on the counted noun ("400 <group> fighters", "7,000 members of the group");
* for counts of groups or incidents, the place they are in ("more than 20 networks
  operating in the country" -> the country);
* otherwise the subject of the governing verb ("The group is estimated to have 4,000
  fighters"), pronouns and descriptions resolved to the salient earlier armed group
  (:mod:`sitrep.extract.quantities_subject`);
* strength phrases that count no noun of their own: "a force of 500", "a 2,000-strong militia",
  "X is believed to number about 1,200", "put its strength at 2,500", "some 400 of its members",
  "X, with around 70 fighters, ..." (the strength label of ``data/quantity_cues.yaml``);
* people in a place ("five million people live in P", "10,000 residents fled P"): the place;
* casualty counts (killed, wounded, captured, seized) by the rules of
  :mod:`sitrep.extract.quantities_casualties`: an event's own death toll is not repeated, a claimed
  toll the article also gives in its own words is dropped, a list of counts claimed together is one
  figure, and a second sourced toll beside an event's own (``ctx.facts["events"]``) is kept for the scene.

A killing total over a period ("has killed 1,000 civilians since 2020") is the doer's; "X lost 200
fighters" is X's own; people displaced or fleeing ("displaced 10,000 people in P", "2,000 families fled
P", "forced 3,000 people to flee their homes in P") are the place's; with no event at the scene, a
sourced toll that differs from the article's own first toll ("Local officials put the toll at 45",
"the toll stood at 45, according to a hospital source") is a second figure for the scene.

Dates, years, ages, percentages, money and ordinals are skipped (words in ``data/quantity_cues.yaml``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitrep.data.language import language
from sitrep.extract.attribution import source_for
from sitrep.extract.context import ExtractionContext
from sitrep.extract.numbers import NumberSpan, NumberValue, find_numbers
from sitrep.extract.quantities_casualties import casualty_count, competing_toll, named_list, partial_count
from sitrep.extract.quantities_cues import QuantityCues, load_quantity_cues
from sitrep.extract.quantities_subject import out_of_counts, presence_place, resolve_subject, subject_of_count
from sitrep.extract.registry import extractor
from sitrep.extract.relations_reader import DocReader, verb_subject_tokens
from sitrep.models import Claim, Mention, Quantity

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_YEAR_RANGE = (1900, 2100)


def _q() -> QuantityCues:
    return load_quantity_cues()


def _month_before(text: str) -> bool:
    """Does ``text`` end with a month name or abbreviation ("5 March", "Jan. 31")?"""
    m = re.search(r"([A-Za-z]+)\.?\s*$", text)
    return m is not None and m.group(1).lower() in language().months


def _month_after(text: str) -> bool:
    m = re.match(r"\s*([A-Za-z]+)", text)
    return m is not None and m.group(1).lower() in language().months and m.group(1).lower() not in language().ambiguous_months


def _skip_number(text: str, sent_text: str, ns: NumberSpan) -> bool:
    """Dates, years, times, money, percentages, ordinals and similar non-counts."""
    v = ns.value
    q = _q()
    before = sent_text[max(0, ns.start - 12) : ns.start]
    after = sent_text[ns.end : ns.end + 14]
    if v.percent or v.vague:
        return True
    if before.rstrip().endswith(q.skip_before_marks) or re.search(r"[/:]\s*$", before) or re.match(r"^\s*[/:]\d", after):
        return True
    if q.skip_after.match(after) or _month_before(before) or _month_after(after):
        return True
    low = v.value
    lo_year, hi_year = _YEAR_RANGE
    if v.high is not None and v.qualifier == "between" and lo_year <= v.high <= hi_year and low is not None \
            and lo_year <= low <= hi_year:
        return True  # "2021-2022"
    if low is not None and v.qualifier is None and lo_year <= low <= hi_year and float(low).is_integer() \
            and re.fullmatch(r"\d{4}", ns.text.strip()):
        return True  # a year ("2,000" and "two thousand" are counts)
    words = ns.text.strip().lower().split()
    if words and words[-1].rstrip("s") in q.magnitude_words and len(words) == 1 \
            and re.search(r"\b(\w+)\s*$", before) and re.search(r"\b(\w+)\s*$", before).group(1).lower() in language().indefinite_counts:  # type: ignore[union-attr]
        return True  # "several hundred troops": an order of magnitude, not a count
    return low is not None and low > q.max_value


def _number_tokens(sent: Span, ns: NumberSpan) -> list[Token]:
    start = sent.start_char + ns.start
    end = sent.start_char + ns.end
    span = sent.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    return [t for t in span if t.idx >= start and t.idx + len(t) <= end
            and (t.like_num or t.pos_ == "NUM" or t.lower_ in _q().number_word_tokens)]


def _not_a_count(num: Token, noun: Token | None, value: float | None) -> bool:
    """Numbers that name or point back rather than count: "Tower 22", "Resolution 2254", "the two groups"."""
    prev = num.doc[num.i - 1] if num.i > num.sent.start else None
    if prev is not None and num.text[:1].isdigit() and prev.pos_ == "PROPN" and prev.text[:1].isupper() \
            and prev.i > num.sent.start and prev.ent_type_ not in ("DATE", "TIME") and not _month_before(prev.text):
        return True  # a number inside a name
    if noun is not None and value is not None and value < 10:
        if any(c.dep_ == "det" and c.lower_ in _q().back_reference_determiners and c.i < num.i for c in noun.children):
            return True  # "the three countries": refers back to things already named
    return False


def _strength_phrase(num: Token) -> Token | None:
    """The phrase whose size the number gives, where the number counts no noun of its own: "a force of 500"
    -> force, "a 2,000-strong militia" -> militia, "X is believed to number about 1,200" -> X."""
    q = _q()
    head = num.head
    if num.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in q.strength_nouns \
            and head.head.pos_ == "NOUN":
        return head.head
    if head.lemma_.lower() in q.strength_adjectives and head.dep_ == "amod" and head.head.pos_ in ("NOUN", "PROPN"):
        return head.head
    if num.dep_ in ("dobj", "npadvmod", "attr", "advmod") and head.pos_ == "VERB" \
            and head.lemma_.lower() in q.number_verbs and head.dep_ not in ("acl", "relcl"):
        subj = verb_subject_tokens(head)
        if subj and subj[0].pos_ in ("PROPN", "PRON") or subj and subj[0].lemma_.lower() in q.strength_nouns:
            return subj[0]
    return None


def _partitive(num: Token) -> Token | None:
    """ "some 400 of its members", "two of the group's commanders": the people the number is a part of."""
    for p in num.children:
        if p.dep_ == "prep" and p.lower_ == "of":
            for n in p.children:
                if n.dep_ == "pobj" and n.lemma_.lower() in _q().people_nouns:
                    return n
    return None


def _counted_noun(num: Token) -> Token | None:
    """The noun a number counts: its head for a nummod, "the number of N", or None."""
    part = _partitive(num)
    if part is not None:
        return part
    cur = num
    for _ in range(3):
        if cur.dep_ in ("nummod", "quantmod", "amod", "compound", "conj", "cc") and cur.head.i != cur.i:
            cur = cur.head
            if cur.pos_ in ("NOUN", "PROPN") and not cur.like_num:
                while cur.pos_ == "PROPN" and cur.dep_ == "compound" and cur.head.pos_ in ("NOUN", "PROPN"):
                    cur = cur.head  # "three <Name> fighters": the number counts the fighters
                return _number_of(cur)
        else:
            break
    # "Houthi forces could number as many as 350,000": what the verb's subject counts
    cur = num
    for _ in range(4):
        if cur.dep_ not in ("pobj", "prep", "advmod", "quantmod", "npadvmod", "dobj", "attr") or cur.head.i == cur.i:
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            if cur.lemma_.lower() in _q().number_verbs:
                subj = [c for c in cur.children if c.dep_ == "nsubj"]
                if subj and subj[0].pos_ == "NOUN":
                    return subj[0]
            break
    # "put the fighters of X at 900": what the estimating verb's object counts
    if num.dep_ == "pobj" and num.head.lower_ == "at":
        gov = num.head.head
        if gov.pos_ == "NOUN" and gov.dep_ == "dobj" and gov.head.lemma_.lower() in _q().estimate_verbs:
            return gov  # "put its strength at 900", the "at" read as the noun's
        if gov.lemma_.lower() in _q().estimate_verbs:
            objs = [c for c in gov.children if c.dep_ in ("dobj", "nsubjpass") and c.pos_ == "NOUN"]
            if objs:
                return objs[0]  # "its strength is put at 2,500"
            if gov.dep_ == "acl" and gov.head.pos_ == "NOUN":
                return gov.head  # "its fighters, estimated at 2,000, ..."
    # "fighters numbering about 300": the noun the participle describes
    if num.dep_ in ("dobj", "npadvmod", "advmod") and num.head.lemma_.lower() in _q().number_verbs and num.head.dep_ == "acl":
        return num.head.head
    return None


def _breakdown(num: Token) -> bool:
    """ "four districts, one in A and three in B": a bare number that splits up a count just made."""
    cur = num
    for _ in range(3):
        if cur.dep_ not in ("appos", "conj") or cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.pos_ == "NOUN" and any(c.dep_ == "nummod" for c in cur.children):
            return True
    return False


def _listed_counts(noun: Token) -> list[Token]:
    """The nouns of a list of counts of one thing ("one A soldier, two B soldiers and nine C soldiers"), the
    first first; [] when ``noun`` is in no such list."""
    lemma = noun.lemma_.lower()
    head = noun
    while head.dep_ in ("conj", "appos") and head.head.i != head.i and head.head.lemma_.lower() == lemma:
        head = head.head  # the parser may hang the list's items as conjuncts or appositions
    items, todo = [head], [head]
    while todo:
        for c in todo.pop().children:
            if c.dep_ in ("conj", "appos") and c.lemma_.lower() == lemma and c not in items:
                items.append(c)
                todo.append(c)
    items.sort(key=lambda t: t.i)
    if len(items) < 2 or any(t.lemma_.lower() != lemma or not any(c.dep_ == "nummod" for c in t.children)
                             for t in items):
        return []
    return items


def _sum_of(sent: Span, spans: list[NumberSpan], items: list[Token]) -> float | None:
    """The sum of the plain numbers counting ``items`` (None when one of them is a bound or a range)."""
    total = 0.0
    for t in items:
        nummod = next(c for c in t.children if c.dep_ == "nummod")
        at = nummod.idx - sent.start_char
        span = next((x for x in spans if x.start <= at < x.end), None)
        if span is None or span.value.low is None or span.value.low != span.value.high or span.value.qualifier:
            return None
        total += span.value.low
    return total


def _number_of(noun: Token) -> Token:
    """ "the number of soldiers" -> soldiers."""
    if noun.lemma_.lower() in _q().number_nouns:
        for p in noun.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                for n in p.children:
                    if n.dep_ == "pobj":
                        return n
    return noun


def _what(noun: Token, subject: Mention | None) -> str:
    mods = [c for c in noun.lefts if c.dep_ in ("amod", "compound") and not c.like_num]
    words = [c.text for c in mods if subject is None or not (subject.start <= c.idx < subject.end)]
    words = [w for w in words if w.lower() not in _q().label_skip]
    return " ".join([*words, noun.text]).lower()


def _modality(text: str) -> str | None:
    """The hedge of a count ("an estimated", "reportedly"), in the shared modality vocabulary."""
    hedges = language().modality_words
    return next((hedges[w] for w in re.findall(r"[a-z']+", text.lower()) if w in hedges), None)


def _claim(ctx: ExtractionContext, sent: Span, start: int, end: int) -> Claim:
    src = source_for(ctx, start, end)
    return Claim(
        doc_id=ctx.document.id, start=start, end=end, sent_start=sent.start_char, sent_end=sent.end_char,
        snippet=sent.text.strip(), source_key=src.key if src else None, source_text=src.text if src else None,
        modality=_modality(sent.text),
    )


@extractor("quantities", version="3", requires=("parse", "mentions", "entities", "sources", "events"),
           provides=("quantities",))
def extract_quantities(ctx: ExtractionContext) -> list[Quantity]:
    """Counts about actors and places, one Quantity per (subject, low, high) within the document."""
    r = DocReader(ctx)
    q = _q()
    out: list[Quantity] = []
    seen: set[tuple[str, float | None, float | None]] = set()
    tolls: set[float] = set()  # death tolls the article gives in its own words
    event_tolls: dict[str, set[float]] = {}  # place -> the death tolls of the events there
    for e in ctx.facts.get("events") or []:
        if e.killed and e.location_key:
            event_tolls.setdefault(e.location_key, set()).add(float(e.killed))
    all_tolls = {t for ts in event_tolls.values() for t in ts}
    second: list[Quantity] = []  # second figures for an event's toll
    claimed: list[Quantity] = []  # death tolls an actor claims
    for sent in r.sents:
        last: tuple[Mention, str] | None = None
        spans = find_numbers(sent.text)
        for ns in spans:
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
            if _not_a_count(num, noun, ns.value.value) or (noun is None and _breakdown(num)):
                continue
            v = ns.value
            if v.qualifier == "out of" and v.total is not None and len(toks) > 1:
                # "in ten out of 34 P provinces": the part is the actor's, the whole the place's
                actor, place, counted = out_of_counts(r, toks[0], toks[-1])
                if counted is not None:
                    label = _what(counted, place)
                    for who, n in ((actor, v.low), (place, v.total)):
                        if who is not None and (who.entity_key, n, n) not in seen:
                            seen.add((who.entity_key, n, n))
                            out.append(Quantity(
                                subject_key=who.entity_key, what=label, low=n, high=n,
                                claim=_claim(ctx, sent, sent.start_char + ns.start, sent.start_char + ns.end),
                                qualifier=v.qualifier, text=ns.text))
                    continue
            subject: Mention | None
            competing = False
            strength = _strength_phrase(num) if noun is None else None
            cas = casualty_count(r, num, noun) if strength is None else None
            if strength is not None:
                if v.value is not None and v.value < q.min_strength:
                    continue
                if strength.lemma_.lower() in q.strength_nouns and strength.pos_ == "NOUN":
                    # "X, a 2,000-strong militia": the name the phrase stands beside; else the phrase's owner
                    subject = (resolve_subject(r, strength) if strength.dep_ == "appos" else None) \
                        or subject_of_count(r, num, strength)
                else:  # "X numbers about 300": the subject is the group itself
                    subject = resolve_subject(r, strength)
                what = q.strength_label
            elif cas is not None:
                own_toll = cas.kind == "killed" and cas.subject is None and bool(cas.what) and v.value is not None
                items = _listed_counts(noun) if cas.claimed and noun is not None else []
                if items:  # "killed one A soldier, two B soldiers and nine C soldiers": one claimed figure
                    if noun.i != items[0].i:
                        continue
                    total = _sum_of(sent, spans, items)
                    if total is None:
                        continue
                    v = NumberValue(total, total)
                own_before = tolls - {v.value}  # the article's own tolls given before this one
                if cas.subject is None and cas.kind == "killed" and cas.what and (all_tolls or own_before) \
                        and v.value is not None and v.value not in all_tolls:
                    # a second figure for a toll ("Radio A counted 43 dead"): a quantity about the scene
                    cas = competing_toll(r, num, cas, ctx)
                    competing = cas.subject is not None
                if own_toll and not competing and v.value is not None:
                    tolls.add(v.value)  # the article's own toll
                if cas.subject is None or (v.value is not None and v.value < q.min_strength):
                    continue  # an event's toll, victims of no one named, or one person
                subject, what = cas.subject, cas.what
            elif noun is None or noun.lemma_.lower() not in q.count_nouns:
                place = presence_place(r, noun) if noun is not None and noun.lemma_.lower() in q.victim_people_nouns \
                    else None
                if place is not None and (v.value is None or v.value >= q.min_strength):
                    subject, what = place, _what(noun, None)  # "five million people live in P"
                elif noun is None and last is not None and (v.value is None or v.value >= q.min_strength) \
                        and not any(c.dep_ == "prep" and c.lower_ in q.owner_preps for c in num.children):
                    subject, what = last  # "from 2,000 to about 3,000": the count before it (not "one of")
                else:
                    continue
            else:
                if v.value is not None and v.value < q.min_strength and (v.high is not None or v.qualifier is None):
                    continue  # "one member of the group": an article, not a strength figure
                if noun.lemma_.lower() in q.event_nouns and v.value is not None and v.value < q.min_event_tally:
                    continue  # "two attacks last week": incidents, reported as events
                if named_list(r, noun) or partial_count(noun):
                    continue  # "two commanders, A and B", "A and two other fighters": no strength figure
                subject = subject_of_count(r, num, noun)
                if subject is None and noun.lemma_.lower() in q.people_nouns:
                    subject = presence_place(r, noun)  # "2,000 families have fled P"
                what = _what(noun, subject) if noun.lemma_.lower() not in q.strength_nouns - q.people_nouns \
                    else q.strength_label  # "put its strength at 2,500": fighters
            if subject is None:
                continue
            last = (subject, what) if cas is None else None  # casualty figures lend their noun to no one
            key = (subject.entity_key, v.low, v.high)
            if key in seen:
                continue
            seen.add(key)
            start = sent.start_char + ns.start
            out.append(Quantity(
                subject_key=subject.entity_key, what=what, low=v.low, high=v.high,
                claim=_claim(ctx, sent, start, sent.start_char + ns.end),
                qualifier=v.qualifier, text=ns.text,
            ))
            if cas is not None and cas.claimed:
                claimed.append(out[-1])
            if competing:
                second.append(out[-1])
    # a claimed toll the article also gives as its own is the event's toll, not a second figure
    drop = {id(x) for x in claimed if x.low is not None and x.low in tolls}
    # a second figure stands beside the event's own toll only where that toll is no actor's claim
    claimed_values = {x.low for x in claimed}
    # (with no event at the scene, the article's own first toll is the one it stands beside)
    drop |= {id(x) for x in second if (event_tolls.get(x.subject_key) or {None}) & claimed_values
             or (x.subject_key not in event_tolls and (x.low in tolls or not tolls or bool(event_tolls)))}
    return [x for x in out if id(x) not in drop]
