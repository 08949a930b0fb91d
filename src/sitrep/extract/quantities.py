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
* casualty counts (killed, wounded, captured, seized) by the rules of
  :mod:`sitrep.extract.quantities_casualties`: an event's own death toll is not repeated.

Dates, years, ages, percentages, money and ordinals are skipped (words in ``data/quantity_cues.yaml``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitrep.data.language import language
from sitrep.extract.attribution import source_for
from sitrep.extract.context import ExtractionContext
from sitrep.extract.numbers import NumberSpan, find_numbers
from sitrep.extract.quantities_casualties import casualty_count
from sitrep.extract.quantities_cues import QuantityCues, load_quantity_cues
from sitrep.extract.quantities_subject import subject_of_count
from sitrep.extract.registry import extractor
from sitrep.extract.relations_reader import DocReader
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
    if low is not None and v.qualifier is None and lo_year <= low <= hi_year and float(low).is_integer():
        return True  # a year
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
            and (t.like_num or t.pos_ == "NUM" or t.lower_ in ("dozen", "hundred", "thousand", "million"))]


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


def _counted_noun(num: Token) -> Token | None:
    """The noun a number counts: its head for a nummod, "the number of N", or None."""
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
    if num.dep_ == "pobj" and num.head.lower_ == "at" and num.head.head.lemma_.lower() in _q().estimate_verbs:
        objs = [c for c in num.head.head.children if c.dep_ == "dobj" and c.pos_ == "NOUN"]
        if objs:
            return objs[0]
    # "fighters numbering about 300": the noun the participle describes
    if num.dep_ in ("dobj", "npadvmod", "advmod") and num.head.lemma_.lower() in _q().number_verbs and num.head.dep_ == "acl":
        return num.head.head
    return None


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


@extractor("quantities", version="1", requires=("parse", "mentions", "entities", "sources"), provides=("quantities",))
def extract_quantities(ctx: ExtractionContext) -> list[Quantity]:
    """Counts about actors and places, one Quantity per (subject, low, high) within the document."""
    r = DocReader(ctx)
    q = _q()
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
            if _not_a_count(num, noun, ns.value.value):
                continue
            v = ns.value
            subject: Mention | None
            cas = casualty_count(r, num, noun)
            if cas is not None:
                if cas.subject is None or (v.value is not None and v.value < q.min_strength):
                    continue  # an event's toll, victims of no one named, or one person
                subject, what = cas.subject, cas.what
            elif noun is None or noun.lemma_.lower() not in q.count_nouns:
                if noun is None and last is not None:
                    subject, what = last
                else:
                    continue
            else:
                if v.value is not None and v.value < q.min_strength and (v.high is not None or v.qualifier is None):
                    continue  # "one member of the group": an article, not a strength figure
                if noun.lemma_.lower() in q.event_nouns and v.value is not None and v.value < q.min_event_tally:
                    continue  # "two attacks last week": incidents, reported as events
                subject = subject_of_count(r, num, noun)
                what = _what(noun, subject)
            if subject is None:
                continue
            last = (subject, what)
            found = [(subject, what, v.low, v.high)]
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
