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
from sitrep.models import Claim, Mention, Quantity

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

PEOPLE_NOUNS = frozenset({
    "fighter", "member", "militant", "soldier", "troop", "combatant", "recruit", "supporter", "prisoner",
    "detainee", "operative", "commander", "man", "personnel", "insurgent", "hostage", "family", "jihadist",
    "guerrilla", "mercenary", "volunteer", "officer", "police", "policeman", "trainer", "adviser", "advisor",
    "militiaman", "follower", "loyalist", "defector", "cadre", "bodyguard",
})
GROUP_NOUNS = frozenset({"group", "network", "organization", "organisation", "faction", "militia", "movement", "cell", "outfit"})
PLACE_NOUNS = frozenset({"camp", "base", "province", "district", "village", "town", "city", "country", "neighbor", "neighbour", "stronghold", "hideout", "safe house", "region", "state"})
EVENT_NOUNS = frozenset({"incident", "attack", "bombing", "operation", "raid", "strike", "clash"})
COUNT_NOUNS = PEOPLE_NOUNS | GROUP_NOUNS | PLACE_NOUNS | EVENT_NOUNS | {"unit", "weapon", "drone", "vehicle"}
CASUALTY_WORDS = frozenset({
    "kill", "killing", "dead", "death", "die", "injure", "wound", "casualty", "victim", "injury", "toll",
    "massacre", "behead", "execute", "slay", "fatality", "abduct",
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
    return [t for t in sent if t.idx >= start and t.idx + len(t) <= end and (t.like_num or t.pos_ == "NUM")]


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
    for c in noun.children:
        if c.dep_ in ("compound", "nmod", "poss", "amod"):
            m = r.mention_of(c)
            if m is not None and r.kind(m) in kinds:
                return m
            if c.dep_ == "poss":
                res = r.resolve(c, kinds)
                if res:
                    return res[0]
        if c.dep_ == "prep" and c.lower_ in ("of", "from") and noun.lemma_.lower() in PEOPLE_NOUNS:
            for p in c.children:
                if p.dep_ == "pobj":
                    res = r.resolve(p, kinds)
                    if res:
                        return res[0]
    return None


_PLACES = ("country", "state", "province", "city", "district", "region")
_ACTORS = ("armed_group", "organization", "state", "country")


def _place_of(r: _DocReader, tok: Token) -> Mention | None:
    """A place the counted things are in: "in P", "operating in P", "a presence in P"."""
    for sub in tok.subtree:
        if sub.dep_ == "prep" and sub.lower_ in ("in", "inside", "across", "throughout", "within"):
            for p in sub.children:
                if p.dep_ == "pobj":
                    res = r.resolve(p, _PLACES)
                    if res:
                        return res[0]
    return None


def _subject(r: _DocReader, num: Token, noun: Token | None) -> Mention | None:
    """Whom the count is about."""
    lemma = noun.lemma_.lower() if noun is not None else ""
    if noun is not None:
        m = _mention_on(r, noun, _ACTORS if lemma not in ("province", "district") else _PLACES + _ACTORS)
        if m is not None:
            return m
    anchor = noun if noun is not None else num
    if lemma in GROUP_NOUNS | EVENT_NOUNS or lemma in ("neighbor", "neighbour"):
        place = _place_of(r, anchor)
        if place is None and anchor.head.pos_ in ("VERB", "AUX"):
            place = _place_of(r, anchor.head)
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
                if subj and any(r.resolve(s) for s in subj):
                    return r.resolve(subj[0], _ACTORS)[0]
            return place
    # the subject of the governing verb: "X has N fighters", "X fights N groups"
    cur = anchor
    for _ in range(4):
        if cur.dep_ in ("nsubj", "nsubjpass"):
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            for st in _verb_subject_tokens(cur):
                res = r.resolve(st, _ACTORS)
                if res:
                    return res[0]
            break
    return None


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
            num = toks[-1] if ns.value.qualifier != "out of" else toks[0]
            noun = _counted_noun(num)
            if _is_casualty(num, noun):
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
