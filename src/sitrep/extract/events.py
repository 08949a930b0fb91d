"""Events: incidents an article reports as having happened, coded in ACLED's scheme.

For every clause of every sentence (the headline included) the extractor

1. finds the most specific event trigger (cues in ``sitrep/data/event_cues.yaml``,
   :mod:`sitrep.extract.events_clauses`);
2. keeps it only when the clause reports a happened incident: not a threat, plan, pledge,
   ability, question or negation, not a generic plural ("attacks in several countries")
   without a casualty figure, not an aggregate over a whole country and period;
3. reads the type/sub-type (for attacks, from the kind of target), the perpetrator and target
   (:mod:`~sitrep.extract.events_actors`: claims of responsibility, blame, and a subject that is a
   description or pronoun, "the militants", "its fighters", resolved to the group it refers to), the
   location (the most specific place of the clause that is not only where the doer aims to be, else
   the scene the narrative is at, a nationality adjective as a last resort,
   :mod:`~sitrep.extract.events_places`), the date (resolved against the publication date; for a
   placeless clause, the date of the sentence that named its scene) and the casualties
   (:mod:`~sitrep.extract.events_casualties`);
4. merges the mentions of one incident (headline and body, a denied version, a later death toll,
   a placeless "two soldiers were killed" right after an incident without a toll, a follow-up whose
   place is the narrative's scene, a summary "two attacks in <place>" only where none of them is
   reported) into one event, keeping apart what the text marks as other ("another post", "a separate
   attack") (:mod:`~sitrep.extract.events_merge`).

An act word typed by its target ("attack", "stormed", a bare "killed") whose clause names no target
is typed by default and takes the type of any report of the incident that names one; a comparison
("one of the deadliest attacks in <region>") reports no incident and names no scene; a place that only
qualifies a monitor or a border ("a <country>-based monitor", "near the <nation> border") is never
the scene; a date that "after"/"before" separates from the act word dates another happening.

The work is linear in the number of clauses: per-document facts are computed once and merging
compares each candidate with a bounded number of earlier ones.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from sitrep.data.language import language
from sitrep.extract.attribution import source_for
from sitrep.extract.dates import date_in_text, find_dates, resolve_relative
from sitrep.extract.events_actors import actor_mentions, perpetrator, target
from sitrep.extract.events_casualties import Casualties, casualties
from sitrep.extract.events_clauses import (
    Clause,
    Hit,
    clauses,
    find_triggers,
    governing_verb,
    is_factual,
    is_plural,
)
from sitrep.extract.events_cues import Cues, load_cues
from sitrep.extract.events_merge import Cand, merge
from sitrep.extract.events_places import (
    SPECIFICITY,
    DocFacts,
    PlaceCand,
    choose_place,
    coordinated_scenes,
    home_country,
    main_country,
    place_candidates,
    recent_scene,
    refine_place,
    taken_place,
)
from sitrep.extract.numbers import parse_cardinal
from sitrep.extract.registry import extractor
from sitrep.models import Claim, Event, Mention

if TYPE_CHECKING:
    from sitrep.extract.context import ExtractionContext

_WORD = re.compile(r"[\w']+")
_DAY_WORDS = re.compile(r"\d|day|night|yesterday|today", re.I)
_LIST_SEP = re.compile(r",\s*|\s+and\s+|;\s*")
_PERIOD_START = re.compile(r"(?:in|since|during|by)\b", re.I)


def decide_type(hit: Hit, text: str, cues: Cues) -> tuple[str, str | None]:
    """Type and sub-type of a hit, using the targets named in its clause."""
    trig = hit.trigger
    if trig.cls in ("vac", "attack", "bare", "toll"):
        civ = bool(cues.civilian.search(text))
        mil = bool(cues.military.search(text))
        if trig.cls == "attack":
            return ("Violence against civilians", "Attack") if civ and not mil else ("Battles", "Armed clash")
        if mil and not civ:
            return "Battles", "Armed clash"
        return trig.type, trig.sub_type
    if trig.cls == "protest":
        if cues.protest_force.search(text):
            return "Protests", "Excessive force against protesters"
        if cues.protest_violence.search(text):
            return "Riots", "Violent demonstration"
        if cues.protest_intervention.search(text):
            return "Protests", "Protest with intervention"
    return trig.type, trig.sub_type


def _clause_casualties(facts: DocFacts, clause: Clause, line: list[tuple[Clause, list[Hit]]]) -> Casualties:
    """Casualties of a clause; when it gives none, those of a trigger-less clause of the same line."""
    doc_text = facts.ctx.document.text
    for c, hits in [(clause, []), *((c, h) for c, h in line if c is not clause)]:
        if c is not clause and any(h.trigger.cls not in ("bare", "toll") for h in hits):
            continue
        span = c.sent.char_span(c.start - c.sent.start_char, c.end - c.sent.start_char, alignment_mode="expand")
        cas = casualties(c.text(doc_text), span)
        if cas.killed is not None or cas.wounded is not None:
            return cas
    return Casualties()


def _weapon_doer(hit: Hit, cues: Cues) -> str | None:
    """The sub-type of the weapon that is the doer of a bare killing: the subject of its verb ("a bomb
    ... killed"), or the noun a relative clause hangs on ("a shell that killed two"); else None."""
    verb = hit.head
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    doers = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.dep_ == "relcl":
        doers.append(verb.head)
    for doer in doers:
        sub = cues.instruments.get(doer.lemma_.lower())
        if sub is not None:
            return sub
    return None


def _counted(hit: Hit) -> int:
    """The number counting a plural act word ("two attacks" -> 2), else 0."""
    if hit.head is None or not is_plural(hit):
        return 0
    for c in hit.head.children:
        if c.dep_ == "nummod":
            parsed = parse_cardinal(c.text)
            if parsed is not None and not parsed[1]:
                return int(parsed[0])
    return 0


def _generic_plural(hit: Hit) -> bool:
    """"the increase in attacks", "a wave of bombings": plurals that a noun counts, not incidents."""
    tok = hit.head
    return tok is not None and tok.dep_ == "pobj" and tok.head.head.pos_ == "NOUN" and tok.head.lower_ != "with"


def _territory_sub_type(facts: DocFacts, perp: Mention | None) -> str:
    """ACLED's sub-type of a capture: the state's forces regain territory, other groups overtake it."""
    ent = facts.entity(perp.entity_key) if perp is not None else None
    if ent is not None and (ent.kind in ("state", "country") or ent.kind == "organization" and ent.country):
        return "Government regains territory"
    return "Non-state actor overtakes territory"


def _without_doer(facts: DocFacts, clause: Clause, hit: Hit) -> str:
    """The clause's text with the doer's phrase blanked out (the subject of the act's verb), so that the words
    that type an attack by its target ("soldiers", "villagers") are not read off the attackers ("militants")."""
    doc_text = facts.ctx.document.text
    text = clause.text(doc_text)
    head = hit.head
    if head is None:
        return text
    speech = language().speech_verbs
    said = [t for t in clause.tokens_in(clause.start, clause.end) if t.lemma_.lower() in speech and t.i != head.i]
    subjects = [c for t in said for c in t.children if c.dep_ == "nsubj"]  # "..., police said": the teller
    verb = head if head.pos_ == "VERB" else governing_verb(head)
    if verb is not None and not any(c.dep_ == "nsubjpass" for c in verb.children):
        subjects += [c for c in verb.children if c.dep_ == "nsubj"]
    for subj in subjects:
        lo = max(subj.left_edge.idx, clause.start) - clause.start
        hi = min(subj.right_edge.idx + len(subj.right_edge.text), clause.end) - clause.start
        if 0 <= lo < hi:
            text = text[:lo] + " " * (hi - lo) + text[hi:]
    return text


def _has_day_date(text: str) -> bool:
    """Does the text name a day ("on Monday", "5 March", "yesterday")?"""
    return any(not _PERIOD_START.match(dm.text) and _DAY_WORDS.search(dm.text) for dm in find_dates(text))


def _event_date(facts: DocFacts, clause: Clause, at: int | None = None) -> tuple[str | None, str | None]:
    """The clause's date phrase (else the line's), resolved against the publication date; not one that
    "after"/"before" separates from the act word at ``at`` ("mourning began on Saturday after gunmen killed
    ...": Saturday is the mourning's day)."""
    doc_text = facts.ctx.document.text
    any_kill = facts.cues.casualties.any_kill
    for toll_side in (False, True):
        for s, e in ((clause.start, clause.end), (clause.line_start, clause.line_end)):
            for dm in find_dates(doc_text[s:e]):
                if dm.text.lower().startswith("since"):
                    continue
                if at is not None:
                    lo, hi = sorted((s + dm.start, at))
                    seq = facts.cues.sequence.search(doc_text[lo:hi])
                    # "a boy was killed on Tuesday after he stepped on a landmine": failing a date on the act
                    # word's side, the day of the deaths on the far side is the incident's
                    if seq and not (toll_side and lo < at and any_kill.search(doc_text[s:lo + seq.start()])):
                        continue
                return resolve_relative(dm.text, facts.ctx.document.published)
    return None, None


@lru_cache(maxsize=1)
def _day_possessive() -> re.Pattern[str]:
    """"Tuesday's", "yesterday's", "last week's": a day named as the owner of an act word."""
    lang = language()
    days = sorted({*lang.weekdays, *lang.day_offsets, "last week", "this week", "last month"}, key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(re.escape(d) for d in days)})['’]s\s+$", re.I)


def _points_back(text: str, before: str, hit: Hit, cues: Cues) -> bool:
    """Does the act word point back to an incident already reported? "the attack", "this ambush",
    "its raid", and "Tuesday's ambush" (a day's act is the one the article is about)."""
    dets = "|".join(cues.anaphor_determiners)
    nominal = hit.head is None or hit.head.pos_ in ("NOUN", "PROPN")  # "reported that X killed": no determiner
    if nominal and re.search(rf"\b(?:{dets})\s+(?:\w+\s+)?{re.escape(hit.text)}", text, re.I):
        return True
    return _day_possessive().search(before) is not None


def _date_of_sentence(facts: DocFacts, offset: int) -> tuple[str | None, str | None]:
    """The date phrase of the sentence around ``offset``, resolved against the publication date."""
    sent = facts.ctx.sentence_of(offset)
    if sent is None:
        return None, None
    for dm in find_dates(facts.ctx.document.text[sent.start_char : sent.end_char]):
        if not dm.text.lower().startswith("since"):
            return resolve_relative(dm.text, facts.ctx.document.published)
    return None, None


def make_claim(ctx: ExtractionContext, clause: Clause, hit: Hit, cues: Cues) -> Claim:
    """The provenance of an event: the trigger's span, its line, who says so, hedged or denied.

    The one place where events build their Claim (attribution may credit a span here instead).
    """
    src = source_for(ctx, hit.start, hit.end)
    text = clause.text(ctx.document.text)
    hedges = language().modality_words
    mod = next((hedges[w.lower()] for w in _WORD.findall(text) if w.lower() in hedges), None)
    denies = language().deny_verbs
    denied = hit.head is not None and any(a.lemma_.lower() in denies for a in hit.head.ancestors)
    return Claim(
        doc_id=ctx.document.id,
        start=hit.start,
        end=hit.end,
        sent_start=clause.line_start,
        sent_end=clause.line_end,
        snippet=ctx.document.text[clause.line_start : clause.line_end].strip(),
        polarity="denied" if denied and not clause.headline else "asserted",
        modality=mod,
        source_key=src.key if src else None,
        source_text=src.text if src else None,
    )


def _in_aim(facts: DocFacts, place: PlaceCand, hit: Hit) -> bool:
    """A place inside a clause of aim or plan that the act word is not part of ("..., as the group seeks
    to establish roots in <region>"): where the doer wants to be, not the scene."""
    if hit.head is None:
        return False
    span = facts.ctx.sdoc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None:
        return False
    above_act = {t.i for t in hit.head.ancestors} | {hit.head.i}
    for anc in span.root.ancestors:
        if anc.i in above_act:
            return False
        if anc.lemma_.lower() in facts.cues.hypothetical_lemmas or anc.lemma_.lower() in facts.cues.hypothetical_nouns:
            return True
    return False


def _scene_needed(hit: Hit, place: PlaceCand | None) -> bool:
    """A plural act word ("bombings") is one incident only at a named town ("explosions in <town>")."""
    return not (hit.trigger.cls == "fixed" and not _generic_plural(hit) and place is not None
                and place.is_scene and place.specificity >= 3)


def clause_event(facts: DocFacts, clause: Clause, hits: list[Hit], order: int,
                 line: list[tuple[Clause, list[Hit]]]) -> list[Cand] | None:
    """The candidate events of one clause (one per listed scene), or None."""
    ctx, cues = facts.ctx, facts.cues
    doc_text = ctx.document.text
    text = clause.text(doc_text)
    hits = [h for h in hits if is_factual(h, clause, doc_text, cues)
            and not cues.comparison.search(doc_text[max(clause.start, h.start - 80) : h.start])]
    if not hits:
        return None
    hit = hits[0]
    if cues.crowd.search(text):  # "protesters clashed with police": the crowd's event, not a battle
        hit = next((h for h in hits if h.trigger.type in ("Protests", "Riots")), hit)
    # "carried out two attacks in <place>": a summary, kept only where no incident of it is reported
    summary = _counted(hit) >= 2
    cas = _clause_casualties(facts, clause, line)
    bare = hit.trigger.cls in ("bare", "toll")
    if bare and (cas.killed is None or (cas.killed_min and cas.killed >= cues.casualties.tally_at_least)):
        return None  # a bare "killing hundreds" is a tally, not an incident
    if cues.durative.search(text) and not _has_day_date(text):
        return None  # "since 2015", "for years": a tally over a period
    plural_needs_scene = is_plural(hit) and not hit.trigger.plural_ok and not cas.killed
    done_to = _without_doer(facts, clause, hit)  # "militants attacked a village": the village says who was hit
    etype, sub = decide_type(hit, done_to, cues)
    if bare and cues.military.search(done_to) and not cues.civilian.search(done_to):
        etype, sub = "Battles", "Armed clash"
    weapon = _weapon_doer(hit, cues) if bare else None
    if weapon is not None:  # "a bomb hidden in a cart killed three": the weapon says the act
        etype, sub = "Explosions/Remote violence", weapon
    # typed by default: an act word typed by its target ("attack", a bare "killed") whose clause names none
    untyped = weapon is None and hit.trigger.cls in ("attack", "bare", "toll") and not (
        cues.civilian.search(done_to) or cues.military.search(done_to))
    perp = perpetrator(facts, clause, hit)
    compared = cues.comparison_at.search(text)  # "..., one of the deadliest attacks in <region>": not the scene
    cut = clause.start + compared.start() if compared and compared.start() > hit.end - clause.start else clause.end
    places = [p for p in place_candidates(facts, clause) if not _in_aim(facts, p, hit) and p.start < cut]
    anaphoric = _points_back(text, doc_text[clause.start : hit.start], hit, cues)
    anaphoric = anaphoric or (bare and bool(cues.anaphor.search(text)))
    if anaphoric:  # "the attack on the army camp", "the group's <region> affiliate": no scene
        places = [p for p in places if not p.actor_modifier]
    place = choose_place(places, (perp.start, perp.end) if perp else None, hit.start, doc_text)
    if hit.trigger.cls == "territory":
        place = taken_place(facts, places, hit) or place
        etype, sub = "Battles", _territory_sub_type(facts, perp)
    if hit.trigger.cls != "territory":
        place = refine_place(facts, clause, place) or place
    if place is None and hit.trigger.national:
        place = home_country(facts)  # an agreement named nowhere: the article's country, not the last scene
    scene: PlaceCand | None = None  # the scene the narrative is at, when the clause names none
    if place is None and not anaphoric and not bare:
        place = scene = recent_scene(facts, clause)
    elif place is not None and place.actor_modifier and not anaphoric:
        # "killed four <nation> soldiers": the place says whose soldiers; the narrative's scene says where (a
        # province if it named no town), else the article's country ("according to a <country>-based monitor")
        scene = recent_scene(facts, clause) or (recent_scene(facts, clause, finest=1) if place.hyphenated else None)
        place = scene or (home_country(facts) if place.hyphenated else None) or place
    if plural_needs_scene and _scene_needed(hit, place) and not (summary and place is not None and place.is_scene):
        return None  # "bombings" in general
    if place is not None and place.kind == "country" and cues.aggregate.search(text):
        return None
    date_iso, date_text = _event_date(facts, clause, hit.start)
    if is_plural(hit) and not summary and cas.killed_min and (place is None or place.specificity < 3) \
            and date_iso is not None and len(date_iso) == 4:
        return None  # "in 2023, more than 300 people were killed in attacks in <province>": a year's tally
    if date_text is None and scene is not None:  # "On <day>, troops raided <village>. ... a firefight": its day
        date_iso, date_text = _date_of_sentence(facts, scene.start)
    ev = Event(
        type=etype, sub_type=sub, claim=make_claim(ctx, clause, hit, cues),
        location_key=place.key if place else None, date=date_iso, date_text=date_text,
        killed=cas.killed, killed_min=cas.killed_min, wounded=cas.wounded,
        perpetrator_key=perp.entity_key if perp else None, target_text=target(facts, hit.head), trigger=hit.text,
    )
    if ev.target_text:
        tm = [m for m in actor_mentions(facts, clause.start, clause.end) if m.text in ev.target_text and m is not perp]
        ev.target_key = tm[0].entity_key if tm else None
    spec = SPECIFICITY.get(place.kind, 0) if place else -1
    generic = hit.trigger.cls == "attack"
    toks = clause.tokens_in(clause.start, clause.end)
    # the toll is the doer's own claim: "X claimed ...", or the doer speaking ("we attacked ..., killing 30")
    claimed = cas.killed is not None and any(t.lemma_.lower() in cues.claim_verbs or (
        t.pos_ == "PRON" and t.lower_ in cues.first_person) for t in toks)
    update = any(h.trigger.cls == "toll" for h in hits)  # "the death toll rose to 12": a later figure
    distinct = bool(cues.distinct.search(text))
    flags = dict(untyped=untyped, continues=scene is not None and place is scene, distinct=distinct,
                 body=not clause.headline)
    out = [Cand(ev, bare, anaphoric, order, spec, generic, claimed, summary, update, **flags)]
    for other in coordinated_scenes(facts, places, place):
        out.append(Cand(replace(ev, location_key=other.key), bare, anaphoric, order, spec, generic, claimed, summary,
                        update, **flags))
    return out


def _keep(c: Cand, cues: Cues) -> bool:
    """Final precision filter: a located event; a bare killing needs a perpetrator or named victims."""
    ev = c.event
    if ev.location_key is None:
        return False
    if c.bare:
        snippet = ev.claim.snippet
        armed = cues.civilian.search(snippet) or cues.military.search(snippet)
        return ev.killed is not None and (ev.perpetrator_key is not None or bool(armed))
    return True


def _split_repeated(facts: DocFacts, clause: Clause, hits: list[Hit]) -> list[Clause]:
    """"the May attack on a post in A and yesterday's attack in B": one clause per repeated act word,
    cut where a subordinate clause starts (", where ...") else at the last "and" or comma before each
    repetition, when every part names its own place or date."""
    top = [h for h in hits if h.trigger is hits[0].trigger]
    if len(top) < 2:
        return [clause]
    doc_text = facts.ctx.document.text
    cuts = [clause.start]
    for prev, nxt in zip(top, top[1:], strict=False):
        gap = doc_text[prev.end : nxt.start]
        bound = facts.cues.clause_boundary.search(gap)  # ", where ... an ambush": the new clause starts there
        seps = list(_LIST_SEP.finditer(gap))
        cuts.append(prev.end + (bound.end() if bound else seps[-1].end()) if bound or seps else nxt.start)
    cuts.append(clause.end)
    parts = [replace(clause, start=a, end=b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    own = [bool(facts.ctx.mentions_in(p.start, p.end)) or bool(find_dates(doc_text[p.start : p.end])) for p in parts]
    return parts if len(parts) == len(top) and all(own) else [clause]


@extractor("events", version="3", requires=("parse", "mentions", "entities", "sources"), provides=("events",))
def extract_events(ctx: ExtractionContext) -> list[Event]:
    """Events the document reports as having happened, one per incident."""
    cues = load_cues()
    facts = DocFacts.of(ctx, cues)
    doc_text = ctx.document.text
    cands: list[Cand] = []
    order = 0
    for group in clauses(ctx, cues):
        line = [(c, find_triggers(c, doc_text, cues)) for c in group]
        line = [(part, find_triggers(part, doc_text, cues) if len(parts) > 1 else hits)
                for c, hits in line for parts in [_split_repeated(facts, c, hits) if hits else [c]] for part in parts]
        for clause, hits in line:
            order += 1
            if not hits:
                continue
            try:
                found = clause_event(facts, clause, hits, order, line)
            except Exception:  # noqa: BLE001 - one odd clause must not lose the document's other events
                found = None
            if found:
                cands.extend(found)
    merged = merge(facts, cands)
    return [replace(c.event) for c in sorted(merged, key=lambda c: c.order) if _keep(c, cues)]


__all__ = ["Casualties", "casualties", "date_in_text", "decide_type", "extract_events", "load_cues", "main_country"]
