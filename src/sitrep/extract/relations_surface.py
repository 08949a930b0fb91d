"""Surface frames: the patterns of relations.yaml matched over a rendered sentence.

They catch noun-phrase relations: appositions ("X, the <region> affiliate of Y"), possessives ("Y's
new leader, P"), compounds ("Y leader P"), "alliance between X and Y", "presence of X in P".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitrep.data import language
from sitrep.extract.relations_parse import _mention_root
from sitrep.extract.relations_reader import _DocReader, _Found, _verb_subject_tokens
from sitrep.extract.relations_render import _CODE, CUES, FRAMES, _Rendered, _Unit, words
from sitrep.models import Mention

if TYPE_CHECKING:
    from spacy.tokens import Token



def _slot_mentions(r: _DocReader, rend: _Rendered, match: re.Match[str], group: str, kinds: tuple[str, ...]) -> list[Mention]:
    text = match.group(group)
    if text is None:
        return []
    if text.startswith("@"):
        return [rend.slots[text]]
    unit = rend.units[rend.unit_at(match.end(group) - 1)]
    tok = r.doc[unit.tok_end - 1]
    return r.resolve(tok, kinds) or r.body_named(tok, kinds)


def _extend_list(rend: _Rendered, unit_idx: int, codes: str, forward: bool = True) -> list[Mention]:
    """Coordinated mentions after a slot: "A, B, and C", "such as A and B".

    A run of items is only a list when a conjunction ("and", "or", "including", "such as")
    introduces its last item; "X and Y, Z is ..." does not extend to Z.
    """
    joiners = words("list_joiners")
    conj = words("list_conjunctions")
    step = 1 if forward else -1
    items: list[tuple[Mention, bool]] = []
    seen_conj = False
    i = unit_idx + step
    while 0 <= i < len(rend.units):
        u = rend.units[i]
        if u.mention is not None:
            if _CODE.get(u.mention.label, "O") not in codes:
                break
            items.append((u.mention, seen_conj))
        elif u.word not in joiners:
            break
        elif u.word in conj:
            seen_conj = True
        i += step
    last = max((k for k, (_, c) in enumerate(items) if c), default=-1)
    return [m for m, _ in items[: last + 1]]


def _surface_frames(r: _DocReader, rend: _Rendered) -> list[_Found]:
    found: list[_Found] = []
    lead_roles = {w.replace(" ", "") for w in CUES["lead_roles"]}
    role_done: set[str] = set()  # persons already given a role by a higher-priority frame
    for fr in FRAMES:
        role_now: set[str] = set()
        for m in fr.pattern.finditer(rend.text):
            if fr.type == "role" and m.group("s") in role_done:
                continue
            first = rend.unit_at(m.start())
            last = rend.unit_at(max(m.start(), m.end() - 1))
            tok_span = (rend.units[first].tok_start, rend.units[last].tok_end)
            cue_group = next((g for g in ("cue", "role", "pn") if g in fr.pattern.groupindex and m.group(g)), None)
            cue_unit = rend.units[rend.unit_at(m.start(cue_group))] if cue_group else rend.units[first]
            cue_tok = r.doc[cue_unit.tok_start]
            rtype = fr.type
            if rtype == "role":
                if fr.singular_role and cue_tok.tag_ in ("NNS", "NNPS"):
                    continue  # "US officials believe P": not a title
                if fr.obj and fr.object_may_modify:
                    after = rend.unit_at(m.end(fr.obj) - 1) + 1
                    nxt = rend.units[after] if after < len(rend.units) else None
                    if nxt is not None and nxt.word == "'s":
                        if r.kind(rend.slots[m.group(fr.obj)]) in ("country", "state"):
                            continue  # "a researcher at France's X"
                        m_dept = True
                    elif nxt is not None and nxt.mention is None and r.doc[nxt.tok_start].pos_ in ("NOUN", "PROPN"):
                        continue  # "director of the Syria programme": the name is a modifier
                    else:
                        m_dept = False
                else:
                    m_dept = False
                role_now.add(m.group("s"))
                role = re.sub(r"s$", "", m.group("role").replace(" ", ""))
                plural = cue_tok.tag_ in ("NNS", "NNPS")
                is_lead = (role in lead_roles or m.group("role").replace(" ", "") in lead_roles) and not _subordinate(rend, cue_unit)
                is_lead = (is_lead or (not plural and _heads_body(rend, cue_unit, m.group("role")))) and not (
                    plural or _one_of_several(rend, first, cue_unit))
                rtype = "leads" if is_lead and not m.groupdict().get("dept") and not m_dept else "member_of"
            elif rtype == "ally":
                rtype = "ally_of"
                if m.group("cue").rstrip("s") in CUES["ally_nouns_weak"] and not (_positive(rend) or _negated(cue_tok)):
                    continue  # "links" alone say little; "close links" and "no links" say it
            elif rtype == "hostile":
                rtype = "hostile_to"
            subj_kinds = ("person",) if rtype in ("leads", "member_of") else ("armed_group", "organization", "state", "country")
            obj_kinds = ("country", "state", "province", "city", "district", "region") if rtype == "operates_in" else ("armed_group", "organization", "state", "country")
            if rtype == "hostile_to":  # a side named by a description ("its rival") is a belligerent, not a body
                subj_kinds = obj_kinds = ("armed_group", "state", "country")
            subs = _slot_mentions(r, rend, m, fr.subj, subj_kinds) if fr.subj else _clause_subjects(r, cue_tok)
            if fr.subj_list and m.group(fr.subj).startswith("@"):
                subs += _extend_list(rend, rend.unit_at(m.start(fr.subj)), "P" if fr.type == "role" else "A")
            elif fr.type == "role" and cue_tok.tag_ in ("NNS", "NNPS") and m.start(fr.subj) < m.start("role"):
                # "P and Q, both commanders of X": a plural role after its person names them all
                subs += _extend_list(rend, rend.unit_at(m.start(fr.subj)), "P", forward=False)
            if not fr.obj and fr.type == "role":
                objs = _sole_state(r, rend)
                if not objs and fr.doc_state and not any(r.kind(u.mention) in ("state", "country")
                                                         for u in rend.units if u.mention is not None):
                    objs = _document_state(r)
                if any(c.dep_ in ("amod", "compound") and c.text[:1].isupper() and r.mention_of(c) is None for c in cue_tok.lefts):
                    # "<demonym> Prime Minister P": the state of the adjective, when the article names it
                    nation = r.demonym_country(cue_tok)
                    objs = [nation] if nation is not None else []
            elif not fr.obj:
                objs = _protected(r, rend, m, subs)
            else:
                objs = _slot_mentions(r, rend, m, fr.obj, obj_kinds)
                if not m.group(fr.obj).startswith("@") and len({s.entity_key for s in subs}) == 1 and objs and all(
                        o.entity_key == subs[0].entity_key for o in objs):  # "X, a rival of the group": another group
                    tok = r.doc[rend.units[rend.unit_at(m.end(fr.obj) - 1)].tok_end - 1]
                    ante = r.antecedent(tok, obj_kinds, exclude=subs[0].entity_key)
                    objs = [ante] if ante is not None else []
                if rtype == "part_of" and not m.group(fr.obj).startswith("@"):  # "its wing": the owner in the sentence
                    objs = [o for o in objs if rend.sent.start_char <= o.start < rend.sent.end_char]
                if fr.obj_list and m.group(fr.obj).startswith("@"):
                    codes = "CL" if rtype == "operates_in" else "AOC"
                    objs += _extend_list(rend, rend.unit_at(m.start(fr.obj)), codes)
            for s in subs:
                for o in objs:
                    found.append(_Found(s, rtype, o, cue_tok, fr.name, tok_span, clausal=fr.clause or fr.type not in ("role", "part_of")))
        role_done |= role_now
    return found


def _heads_body(rend: _Rendered, unit: _Unit, role: str) -> bool:
    """ "P, commander of the X", "X's commander, P": a heading role, singular and definite ("of" or a possessive)."""
    if role not in CUES["heading_roles"] or _regional(rend, unit, role):
        return False
    j = rend.units.index(unit) - 1
    if j >= 0 and rend.units[j].word == "'s":  # "X's commander, P": a possessive is definite
        return True
    i = rend.units.index(unit) + len(role.split())
    if i >= len(rend.units) or rend.units[i].word != "of":
        return False
    while j >= 0 and rend.units[j].word == "the":
        j -= 1
    return j < 0 or rend.units[j].word not in CUES["non_heading_modifiers"]


def _regional(rend: _Rendered, unit: _Unit, role: str) -> bool:
    """ "X's commander in P": a heading role over one place of the body, not the body itself."""
    i = rend.units.index(unit) + len(role.split())
    return (i + 1 < len(rend.units) and rend.units[i].word in ("in", "for")
            and rend.units[i + 1].mention is not None and _CODE.get(rend.units[i + 1].mention.label) in ("L", "C"))


def _one_of_several(rend: _Rendered, first: int, unit: _Unit) -> bool:
    """ "P, a senior X leader", "a regional commander of X": a modifier of the role, between the frame's
    start and the role noun, that makes it one of several leaders, not the head."""
    end = rend.units.index(unit)
    return any(u.mention is None and u.word in CUES["subordinate_lead_modifiers"] for u in rend.units[first:end])


def _subordinate(rend: _Rendered, unit: _Unit) -> bool:
    """ "sub-leader", "sub-commander": a lead role under another's, which makes a member."""
    i = rend.units.index(unit)
    return i >= 2 and rend.units[i - 1].word == "-" and rend.units[i - 2].word in CUES["subordinate_prefixes"]


def _clause_subjects(r: _DocReader, tok: Token) -> list[Mention]:
    """The subject of the clause a cue noun sits in ("X discussed ... in cooperation with Y" -> X)."""
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX"):
            return [m for st in _verb_subject_tokens(cur) for m in r.resolve(st, ("armed_group", "organization", "state", "country"))]
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return []


def _sole_state(r: _DocReader, rend: _Rendered) -> list[Mention]:
    """The one state/country named in a sentence (the state a bare "President X" heads)."""
    states = {u.mention.entity_key: u.mention for u in rend.units if u.mention is not None and r.kind(u.mention) in ("state", "country")}
    if len(states) != 1:
        return []
    st = next(iter(states.values()))
    root = _mention_root(r, st)
    if root is not None and root.dep_ in ("compound", "amod", "nmod") and root.head.pos_ == "NOUN":
        return []  # "the US strikes": the state only modifies another noun
    return [st]


def _document_state(r: _DocReader) -> list[Mention]:
    """The state a document is about: the country named most often (by name or by its adjective of
    nationality, "Colombian troops"), when it is named more than any other."""
    counts: dict[str, int] = {}
    first: dict[str, Mention] = {}
    for m in r.ctx.mentions:
        if r.kind(m) in ("state", "country"):
            counts[m.entity_key] = counts.get(m.entity_key, 0) + 1
            first.setdefault(m.entity_key, m)
    for tok in r.doc:
        if tok.pos_ != "ADJ" or not tok.text[:1].isupper() or r.mention_of(tok) is not None:
            continue
        rec = r.ctx.gazetteer.country_of_demonym(tok.text)
        if rec is None:
            continue
        counts[rec.id] = counts.get(rec.id, 0) + 1  # a country the article never names still competes
        ent = r.ctx.entities.get(rec.id)
        if ent is not None and ent.kind in ("state", "country"):
            first.setdefault(ent.key, Mention(r.ctx.document.id, tok.idx, tok.idx + len(tok.text), tok.text,
                                              ent.kind, ent.key, source_label="demonym"))
    ranked = sorted(counts, key=lambda k: counts[k], reverse=True)
    if not ranked or (len(ranked) > 1 and counts[ranked[1]] >= counts[ranked[0]]) or ranked[0] not in first:
        return []
    return [first[ranked[0]]]


def _protected(r: _DocReader, rend: _Rendered, m: re.Match[str], protectors: list[Mention]) -> list[Mention]:
    """Who is "under the protection of X": the subject of the clause, else the nearest group before."""
    cue_unit = rend.units[rend.unit_at(m.start())]
    tok = r.doc[cue_unit.tok_start]
    cands: list[Mention] = []
    head = tok.head
    for _ in range(4):
        if head.pos_ in ("VERB", "AUX"):
            for st in _verb_subject_tokens(head):
                cands.extend(r.resolve(st, ("armed_group",)))
            break
        if head.head.i == head.i:
            break
        head = head.head
    return [c for c in cands if all(c.entity_key != p.entity_key for p in protectors)]


def _negated(tok: Token) -> bool:
    """ "no links", "any links" under a denial: the noun is negated or is what a denial verb rejects."""
    if any(c.dep_ == "det" and c.lower_ in language().negation_words for c in tok.children):
        return True
    return tok.dep_ == "dobj" and tok.head.lemma_.lower() in CUES["deny_verbs"]


def _positive(rend: _Rendered) -> bool:
    words = set(rend.text.split())
    return any(w in words or (" " in w and f" {w} " in f" {rend.text} ") for w in CUES["ally_positive"])
