"""Relation frames over the dependency parse: verbs, places, passives, hyphenated and prefixed names.

* verb frames: subject -> verb -> object for fighting, protecting/funding/harbouring, cooperating
  and operating verbs, the subject found through relative clauses, control verbs and conjunctions;
* place frames (``relations_places``): an armed group active where its verb, activity or member noun is placed;
* passive and lead frames (``relations_passive``): "X is backed by Y", "Y, led by P", "X pledged allegiance to Y";
* hyphen and prefix frames (``relations_affixes``): "X-backed Y", "<country> militia".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.relations_reader import _children, _DocReader, _Found, _prep_objects, _verb_subject_tokens
from sitrep.extract.relations_render import CUES, words
from sitrep.models import Mention

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_MEMBER_NOUNS = words("member_nouns") | words("member_heads")
LEAD_VERBS = words("lead_verbs")
# verbs whose armed-group subject is active where the verb happens ("X stormed a base in P")
ACTIVITY_VERBS = words("activity_verbs")
# nouns for what a group does or has somewhere ("attacks in P", "a stronghold in P")
ACTIVITY_NOUNS = words("activity_nouns")
# prepositions that place an activity
_AT_PREPS = tuple(CUES["at_preps"])
_IN_PREPS = tuple(CUES["in_preps"])
_PRONOUNS = words("pronouns")
# verbs whose object is territory a group holds ("X controls the town of P")
CONTROL_VERBS = words("control_verbs")



def _sets_up_presence(v: Token) -> bool:
    """ "establish/run/open/maintain camps/bases (in P)" """
    if v.lemma_.lower() not in CUES["set_up_verbs"]:
        return False
    nouns = {w.split()[-1] for w in CUES["presence_nouns"]}
    return any(c.dep_ == "dobj" and c.lemma_.lower() in nouns for c in v.children)


def _member_is_in(v: Token, subj_toks: list[Token]) -> bool:
    """ "X's leader is in P", "X fighters remain in P": members located in a place."""
    if v.lemma_.lower() not in CUES["located_verbs"]:
        return False
    return any(s.lemma_.lower() in CUES["located_members"] for s in subj_toks)


def _group_is_in(r: _DocReader, v: Token, subj_toks: list[Token]) -> bool:
    """ "X is in P", "X remains in P": an armed group itself located in a place."""
    if v.lemma_.lower() not in CUES["located_verbs"]:
        return False
    return any(r.kind(m) == "armed_group" for s in subj_toks for m in r.resolve(s, _ARMED))


def _companion_free_with(v: Token) -> list[Token]:
    """Objects of "with" that are opponents: not "together with Y", "side by side with Y" (a companion)."""
    comitative = set(CUES["comitative_words"])
    out: list[Token] = []
    for p in v.children:
        if p.dep_ != "prep" or p.lower_ != "with":
            continue
        before = v.doc[p.i - 1].lower_ if p.i > 0 else ""
        if before in comitative or any(c.lower_ in comitative for c in p.children):
            continue
        out.extend(_children(p, ("pobj",)))
    return out


def _plural_description(r: _DocReader, tok: Token) -> bool:
    """ "the two groups", "both militias": a plural description of several groups, with no single antecedent
    ("the militants" are one group's people; "the jihadists of X" and "X rebels" name their group)."""
    lemma = tok.lemma_.lower()
    if r.mention_of(tok) is not None or tok.tag_ not in ("NNS", "NNPS") or lemma not in CUES["group_nouns"]:
        return False
    if any(r.mention_of(c) is not None or (c.dep_ == "prep" and c.lower_ == "of") for c in tok.children):
        return False
    people = lemma in _MEMBER_NOUNS or lemma in CUES["member_roles"]
    return not people or any(c.dep_ == "nummod" or c.lower_ in CUES["plural_quantifiers"] for c in tok.children)


def _verb_frames(r: _DocReader, sent: Span) -> list[_Found]:
    """Subject-verb-object relations read off the dependency parse."""
    found: list[_Found] = []
    actors = ("armed_group", "organization", "state", "country")
    hostile, support = set(CUES["hostile_verbs"]), set(CUES["support_verbs"])
    ally, operate = set(CUES["ally_verbs"]), set(CUES["operate_verbs"])
    violence, give = set(CUES["violence_verbs"]), set(CUES["give_verbs"])
    support_nouns = set(CUES["support_nouns"])
    for t in sent:
        lemma = t.lemma_.lower()
        if t.pos_ not in ("VERB", "ADJ", "AUX") and not (t.pos_ == "NOUN" and lemma in ("war", "fight")):
            continue
        subj_toks = _verb_subject_tokens(t)
        if not subj_toks and lemma in operate | ally | words("passive_relation_verbs"):
            subj_toks = _children(t, ("nsubjpass",))  # "X have been deployed in P", "X is affiliated with Y"
        if not subj_toks:
            continue
        subjects = [m for s in subj_toks if not _plural_description(r, s)
                    for m in r.resolve(s, ("armed_group", "organization", "state", "country"))]
        reciprocal = lemma in CUES["reciprocal_hostile_verbs"] or lemma in CUES["reciprocal_ally_verbs"]
        both = _both_groups(r, subj_toks[0]) if not subjects and reciprocal and len(subj_toks) == 1 else []
        subjects = subjects or both  # "the two groups clashed": the last two groups named
        if not subjects:
            continue
        pairs: list[tuple[str, list[Mention]]] = []
        coordinated = bool(both) or (len(subjects) > 1 and any(c.dep_ == "conj" for st in subj_toks for c in st.children))
        expels = lemma in CUES["expel_verbs"] and any(
            c.dep_ in ("prt", "advmod", "prep") and c.lower_ in CUES["expel_particles"] for c in t.children)
        if lemma in hostile or expels or (lemma == "take" and any(c.lower_ == "on" for c in t.children)):
            objs = _children(t, ("dobj",)) + _prep_objects(t, ("against", "on")) + _companion_free_with(t)
            if lemma == "kill":  # "killed four members of X", not "killed civilians"
                objs = [o for o in objs if o.lemma_.lower() in _MEMBER_NOUNS and r.mention_of(o) is None]
            hit = _other_sides(r, objs, actors, subjects)
            pairs.append(("hostile_to", hit))
            side_by_side = any(c.lower_ in CUES["comitative_words"] for c in t.children)  # "fought side by side"
            if (hit or side_by_side) and coordinated:  # "X and Y struck Z", "X and Y fought together"
                pairs.extend(("ally_of", [b]) for b in subjects)
            elif coordinated and lemma in CUES["reciprocal_hostile_verbs"] and not _children(t, ("dobj",)):
                pairs.extend(("hostile_to", [b]) for b in subjects)  # "X and Y clashed in P"
        if lemma in CUES["wrest_verbs"] and any(_is_ground(r, o) for o in _children(t, ("dobj",))):  # "X seized the town from Y"
            pairs.append(("hostile_to", [m for o in _prep_objects(t, ("from",)) for m in r.resolve(o, actors)
                                         if r.kind(m) in ("armed_group", "state", "country")]))
        if lemma in CUES["reciprocal_ally_verbs"] and len(subjects) > 1 and not _prep_objects(t, ("with", "to")):
            if coordinated:  # "X and Y agreed to cooperate"
                pairs.extend(("ally_of", [b]) for b in subjects)
        if lemma in hostile | violence | operate:  # "X fought alongside Y"
            pairs.append(("ally_of", [m for o in _prep_objects(t, tuple(CUES["alongside_preps"])) for m in r.resolve(o, actors)]))
        if lemma in support:
            objs = _children(t, ("dobj",)) or [d for c in t.conjuncts if c.i > t.i for d in _children(c, ("dobj",))][:2]
            pairs.append(("supports", _other_sides(r, objs, ("armed_group", "person"), subjects)))
        if lemma in give:
            dobj = _children(t, ("dobj", "dative"))
            with_obj = _prep_objects(t, ("with",))
            to_obj = _prep_objects(t, ("to", "for"))
            gifts = [x for x in dobj + with_obj if x.lemma_.lower() in support_nouns or any(c.lemma_.lower() in support_nouns for c in x.children)]
            if gifts:
                to_obj += [p for x in gifts for p in _prep_objects(x, ("to", "for"))]  # "offers [protection to X]"
                receivers = (dobj if with_obj else []) + to_obj + [d for d in _children(t, ("dative",)) if d.pos_ != "ADP"]
                if not receivers:  # "gave X weapons" parsed as "gave [X weapons]": the name before the gift
                    receivers = [c for x in gifts for c in x.children if c.dep_ == "compound" and r.mention_of(c) is not None]
                pairs.append(("supports", [m for o in receivers for m in r.resolve(o, ("armed_group", "person"))]))
        if lemma == "affiliate":
            objs = _prep_objects(t, ("with", "to"))
            pairs.append(("part_of", [m for o in objs for m in r.resolve(o, ("armed_group",))]))
        joint = lemma in CUES["join_verbs"] and any(c.dep_ == "dobj" and c.lemma_.lower() in CUES["joint_nouns"]
                                                    for c in t.children)  # "X joined forces with Y"
        if t.pos_ == "ADJ" and lemma in CUES["ally_adjectives"]:  # "X, a group loyal to Y"
            pairs.append(("ally_of", _other_sides(r, _prep_objects(t, ("to",)), actors, subjects)))
        if lemma in ally or joint:
            objs = _prep_objects(t, ("with", "to"))
            pairs.append(("ally_of", _other_sides(r, objs, actors, subjects)))
        moves = lemma in CUES["move_verbs"]
        if lemma in operate | violence or moves or _sets_up_presence(t) or _member_is_in(t, subj_toks) or _group_is_in(r, t, subj_toks):
            places: list[Token] = _prep_objects(t, _IN_PREPS)
            if lemma in CUES["move_verbs"]:  # "X relocated to P", "X spread into P"
                places += _prep_objects(t, tuple(CUES["to_preps"]))
            for o in _children(t, ("dobj", "attr")):
                places.extend(x for x in o.subtree if x.dep_ == "pobj" and x.head.lower_ in _IN_PREPS)
            if lemma in violence:
                if not any(s.dep_ == "nsubj" for s in t.children):
                    places = []
                for c in _children(t, ("advcl", "conj")):
                    if c.lemma_.lower() in violence:
                        places.extend(_prep_objects(c, _IN_PREPS))
            locs = [m for p in places for m in _places_under(r, p) if "\n" not in r.text[min(t.idx, m.start) : max(t.idx, m.start)]]
            pairs.append(("operates_in", locs))
        for rtype, objs in pairs:
            for s in subjects:
                for o in objs:
                    found.append(_Found(s, rtype, o, t, lemma, (min(t.i, sent.start), t.i + 1)))
    return found


def _other_sides(r: _DocReader, objs: list[Token], kinds: tuple[str, ...], subjects: list[Mention]) -> list[Mention]:
    """What the objects stand for, a description ("the group", "them") taken for an actor other than the
    clause's own subject ("X vowed to fight the group": an earlier group, not X)."""
    out: list[Mention] = []
    keys = {s.entity_key for s in subjects}
    for o in objs:
        found = r.resolve(o, kinds)
        if found and len(keys) == 1 and all(m.entity_key in keys for m in found) and _singular_reference(r, o):
            group = o.lemma_.lower() in CUES["group_nouns"]
            want = ("armed_group",) if group else tuple(k for k in kinds if k != "person") or kinds
            ante = r.antecedent(o, want, exclude=next(iter(keys)))
            found = [ante] if ante is not None else []
        out.extend(m for m in found if m not in out)
    return out


def _singular_reference(r: _DocReader, tok: Token) -> bool:
    """A definite singular description ("the group", "the militia"): one earlier actor (a pronoun may
    stand for anything: "shelled it" is the town)."""
    if r.mention_of(tok) is not None:
        return False
    return (tok.lemma_.lower() in CUES["group_nouns"] and tok.tag_ in ("NN", "NNP")
            and any(c.dep_ == "det" and c.lower_ in CUES["definite_determiners"] for c in tok.children))


def _both_groups(r: _DocReader, tok: Token) -> list[Mention]:
    """The two groups "the two groups" / "both groups" stands for: the last two armed groups named before it
    (in its sentence or the three before), when it is such a plural description."""
    if not _plural_description(r, tok) or not any(
            c.lower_ in ("two", "both") for c in tok.children if c.dep_ in ("nummod", "det", "predet", "amod")):
        return []
    idx = r._sent_index.get(tok.sent.start, -1)
    start = r.sents[max(0, idx - 3)].start_char if idx >= 0 else tok.sent.start_char
    seen: dict[str, Mention] = {}
    for m in reversed(r._between(start, tok.idx)):
        if r.kind(m) == "armed_group" and m.entity_key not in seen:
            seen[m.entity_key] = m
        if len(seen) == 2:
            return list(seen.values())
    return []


_ARMED = ("armed_group",)
_PLACE_LABELS = ("country", "state", "province", "city", "district", "region")
_ACTORS4 = ("armed_group", "organization", "state", "country")


def _mention_root(r: _DocReader, m: Mention) -> Token | None:
    span = r.doc.char_span(m.start, m.end, alignment_mode="expand")
    return span.root if span is not None else None


def _noun_owners(r: _DocReader, noun: Token, kinds: tuple[str, ...]) -> list[Mention]:
    """Who a noun of action belongs to: its possessor or a name before it ("X's offensive", "the X
    offensive"), an agent ("an offensive by X"), else the subject of the verb it is the object of
    ("X launched an offensive", "X waged war")."""
    owners = [c for c in noun.children if c.dep_ in ("poss", "compound") or (c.dep_ == "amod" and r.mention_of(c))]
    owners += [p for c in noun.children if c.dep_ in ("prep", "agent") and c.lower_ == "by" for p in _children(c, ("pobj",))]
    found = [m for o in owners for m in r.resolve(o, kinds)]
    if found:
        return found
    head = noun.head
    if noun.dep_ == "dobj" and head.pos_ in ("VERB", "AUX"):
        return [m for st in _verb_subject_tokens(head) for m in r.resolve(st, kinds)]
    return []


def _clause_side(r: _DocReader, noun: Token) -> list[Mention]:
    """The subject of the clause a noun of fighting is the setting of ("X lost men in clashes with Y",
    "X was weakened by fighting with Y"): one side of the fight."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in (*CUES["at_preps"], "during", "after", "amid", "by"):
        return []
    verb = prep.head
    if verb.pos_ not in ("VERB", "AUX"):
        return []
    toks = _verb_subject_tokens(verb) or _children(verb, ("nsubjpass",))
    return [m for st in toks for m in r.resolve(st, _ACTORS4)]


def _between_objects(noun: Token) -> list[Token]:
    """The sides of "fighting between X and Y", also where the between-phrase hangs elsewhere in the
    clause the noun is the subject of ("fighting has been intense in P between X and Y")."""
    scope = [noun]
    if noun.dep_ == "nsubj":
        scope = [x for x in noun.head.subtree if x.i > noun.i]
    return [p for b in scope if b.dep_ == "prep" and b.lower_ in CUES["between_preps"] for p in _children(b, ("pobj",))]


def _noun_frames(r: _DocReader, sent: Span) -> list[_Found]:
    """Relations carried by a noun of action: "X's offensive against Y" (hostile_to), "X launched an attack
    on Y", "X, with the support of Y, ..." (Y supports X)."""
    found: list[_Found] = []
    hostile = words("hostile_nouns") | words("hostile_action_nouns")
    aid = words("aid_nouns")
    for t in sent:
        lemma = t.lemma_.lower()
        if t.pos_ not in ("NOUN", "PROPN") or r.mention_of(t) is not None:
            continue
        if lemma in hostile:
            sides = [m for o in _between_objects(t) for m in (_both_groups(r, o) or r.resolve(o, _ACTORS4))]
            for i, a in enumerate(sides):
                for b in sides[i + 1:]:
                    found.append(_Found(a, "hostile_to", b, t, "noun:" + lemma, (t.i, t.i + 1)))
            if not sides and lemma in _HOSTILE_NOUNS and t.dep_ == "pobj" and t.head.head.lemma_.lower() in CUES["embroil_verbs"]:
                sides = list({m.entity_key: m for m in _clause_side(r, t)}.values())  # "X and Y are locked in fighting"
                found.extend(_Found(a, "hostile_to", b, t, "noun:" + lemma, (t.i, t.i + 1))
                             for i, a in enumerate(sides) for b in sides[i + 1:])
            preps = tuple(CUES["hostile_preps"])
            targets = _prep_objects(t, preps)
            if lemma in _HOSTILE_NOUNS:  # "X's war with Y", "clashes with Y"
                targets += _prep_objects(t, tuple(CUES["hostile_with_preps"]))
            if t.dep_ == "dobj" and t.head.pos_ == "VERB":  # "waged war on X", "launched attacks against X"
                targets += _prep_objects(t.head, preps)
            objs = [m for o in targets for m in r.resolve(o, _ACTORS4)]
            if not objs and t.dep_ == "dobj" and t.head.lemma_.lower() in CUES["defend_verbs"]:
                # "X repelled an attack by Y": the attack's doer is hostile to the defender
                doers = [m for c in t.children if c.dep_ in ("prep", "agent") and c.lower_ == "by"
                         for p in _children(c, ("pobj",)) for m in r.resolve(p, _ACTORS4)]
                doers += [m for c in t.children if c.dep_ in ("poss", "compound") for m in r.resolve(c, _ACTORS4)]
                defenders = [m for st in _verb_subject_tokens(t.head) for m in r.resolve(st, _ACTORS4)]
                found.extend(_Found(d, "hostile_to", v, t, "noun:" + lemma, (t.head.i, t.i + 1))
                             for d in doers for v in defenders if d.entity_key != v.entity_key)
            if objs:
                owners = _noun_owners(r, t, _ACTORS4)
                if not owners and lemma in _HOSTILE_NOUNS:  # "X lost ten fighters in clashes with Y": X is a side
                    owners = _clause_side(r, t)
                for s in owners:
                    for o in objs:
                        found.append(_Found(s, "hostile_to", o, t, "noun:" + lemma, (t.i, t.i + 1)))
        elif lemma in aid and t.dep_ == "pobj" and t.head.lower_ in ("with", "under"):
            backers = [m for o in _prep_objects(t, tuple(CUES["aid_from_preps"])) for m in r.resolve(o, _ACTORS4)]
            backers += [m for c in t.children if c.dep_ in ("poss", "compound") for m in r.resolve(c, _ACTORS4)]
            clause = t.head.head  # the verb the phrase modifies, or the noun ("X, with the support of Y, ...")
            if clause.pos_ in ("VERB", "AUX"):
                helped = [m for st in _verb_subject_tokens(clause) for m in r.resolve(st, _ACTORS4)]
            else:
                helped = r.resolve(clause, _ACTORS4)
            if backers:
                for s in helped:
                    for b in backers:
                        found.append(_Found(b, "supports", s, t, "with:" + lemma, (t.i, t.i + 1)))
        elif lemma in _SUPPORT_NOUNS and t.dep_ == "dobj" and t.head.lemma_.lower() in CUES["receive_verbs"]:
            # "Y receives funding / weapons from X": X supports Y
            givers = _prep_objects(t, tuple(CUES["aid_from_preps"])) + _prep_objects(t.head, ("from",))
            backers = [m for o in givers for m in r.resolve(o, _ACTORS4)]
            helped = [m for st in _verb_subject_tokens(t.head) for m in r.resolve(st, _ACTORS4 + ("person",))]
            found.extend(_Found(b, "supports", h, t, "receive:" + lemma, (min(t.head.i, t.i), t.i + 1))
                         for b in backers for h in helped if b.entity_key != h.entity_key)
        elif lemma in _ALLY_NOUNS and t.dep_ == "dobj" and t.head.pos_ in ("VERB", "AUX"):
            found.extend(_alliance_object(r, t))
        elif lemma in aid:  # "X's support for Y", "military aid from X to Y"
            helped = [m for o in _prep_objects(t, tuple(CUES["aid_to_preps"])) for m in r.resolve(o, _ACTORS4)]
            owners = [c for c in t.children if c.dep_ in ("poss", "compound")] + _prep_objects(t, ("from", "by"))
            backers = [m for o in owners for m in r.resolve(o, _ACTORS4)]
            for b in backers:
                for h in helped:
                    found.append(_Found(b, "supports", h, t, "noun:" + lemma, (t.i, t.i + 1)))
    return found


_HOSTILE_NOUNS = words("hostile_nouns")
_SUPPORT_NOUNS = words("support_nouns")
_ALLY_NOUNS = words("ally_nouns_strong") | words("ally_nouns_weak")


def _alliance_object(r: _DocReader, noun: Token) -> list[_Found]:
    """An alliance noun as a verb's object: "X and Y signed a pact" (its signers are allies), "X denied any
    links with Y" (X and Y, the denial making it denied).  A truce between enemies ("a ceasefire pact")
    is no alliance; a weak noun ("links", "contacts") needs a denial or the with-phrase."""
    verb, lemma = noun.head, noun.lemma_.lower()
    if any(c.lower_ in CUES["truce_words"] or c.lemma_.lower() in CUES["truce_words"] for c in noun.children):
        return []
    subjects = [m for st in _verb_subject_tokens(verb) for m in r.resolve(st, _ACTORS4)]
    partners = [m for o in _prep_objects(noun, ("with", "to")) for m in r.resolve(o, _ACTORS4)]
    denial = verb.lemma_.lower() in CUES["deny_verbs"]
    cue = (min(verb.i, noun.i), noun.i + 1)
    if partners and (denial or lemma in CUES["ally_nouns_strong"]) and (denial or verb.lemma_.lower() in CUES["conclude_verbs"]):
        return [_Found(s, "ally_of", o, noun, "noun:" + lemma, cue) for s in subjects for o in partners
                if s.entity_key != o.entity_key]
    if not partners and lemma in CUES["ally_nouns_strong"] and verb.lemma_.lower() in CUES["conclude_verbs"]:
        distinct = list({m.entity_key: m for m in subjects}.values())
        return [_Found(a, "ally_of", b, noun, "noun:" + lemma, cue) for i, a in enumerate(distinct) for b in distinct[i + 1:]]
    return []


def _is_ground(r: _DocReader, tok: Token) -> bool:
    """Ground held or fought over: a named place, or a noun of a place, of holding or of a position
    ("the town", "control", "the base"), not a thing received ("support", "weapons")."""
    m = r.mention_of(tok)
    if m is not None:
        return m.label in _PLACE_LABELS
    lemma = tok.lemma_.lower()
    return lemma in CUES["place_nouns"] or lemma in CUES["control_nouns"] or lemma in CUES["presence_nouns"] or (
        lemma in _MEMBER_NOUNS and lemma in CUES["activity_nouns"])


def _places_under(r: _DocReader, tok: Token) -> list[Mention]:
    """Place mentions a prepositional object stands for ("ten out of 34 Afghanistan provinces", lists)."""
    out: list[Mention] = []
    for m in r.resolve(tok, ("country", "state", "province", "city", "district", "region")):
        if m.label in ("country", "state", "province", "city", "district", "region") and m not in out:
            out.append(m)
    if not out:  # "34 Afghanistan provinces": a place naming the object's own modifier
        for t in tok.children:
            m = r.mention_of(t)
            if t.dep_ in ("compound", "nmod", "poss") and m is not None and m.label in _PLACE_LABELS and m not in out:
                out.append(m)
        for p in tok.children:  # "ten out of 34 Afghanistan provinces"
            if p.dep_ == "prep" and p.lower_ in ("out", "of"):
                for t in p.subtree:
                    m = r.mention_of(t)
                    if t.dep_ in ("compound", "nmod") and m is not None and m.label in _PLACE_LABELS and m not in out:
                        out.append(m)
    return out
