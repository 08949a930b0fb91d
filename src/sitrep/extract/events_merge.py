"""One event per incident within a document: the mentions of one incident (headline and body,
a later sentence that gives the toll) are folded into one event.

The body's reports are merged first and the headline joins the one with its toll (the headline's
doer and target still lead); places are compared up their chain of containers (a village in a
district in a province); a report typed by default never overrides a type read off a named target.

Candidates are indexed by the country of their place, and each new candidate is compared with
at most ``WINDOW`` earlier ones of its country (and ``WINDOW`` without a place), so merging costs
O(n) comparisons in the number of candidates; per-document facts come from :class:`DocFacts`.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass, field

from sitrep.extract.events_places import DocFacts
from sitrep.models import Event

WINDOW = 32  # earlier candidates of one country a new one is compared with (reports of one incident cluster)


@dataclass(slots=True)
class Cand:
    event: Event
    bare: bool  # a bare killing ("was killed"): typed by the incident it joins
    anaphoric: bool  # "the attack": points back to an incident already reported
    order: int
    specificity: int = -1
    generic: bool = False  # a generic act word ("attack"): a more specific report of the incident may retype it
    claimed_toll: bool = False  # the toll is what the perpetrator claims; a figure from anyone else is preferred
    summary: bool = False  # "two attacks in <place>": an event only where none of its incidents is reported
    update: bool = False  # "the death toll rose to 12": a later figure that replaces the incident's toll
    untyped: bool = False  # typed by default: an act word typed by its target whose clause names no target
    continues: bool = False  # its place is the scene the narrative is at (the clause names none)
    distinct: bool = False  # "another post", "a separate attack": not the incident reported before it
    body: bool = True  # reported in the body (not only in the headline)

    @property
    def denied(self) -> bool:
        """A version someone denies ("rejected a claim that they had killed 3 in a gunfight"): a competing
        account of an incident, which joins the asserted report of it at a compatible place whatever its type."""
        return self.event.claim.polarity == "denied"


def loc_compatible(facts: DocFacts, a: str | None, b: str | None) -> bool:
    """Same place, or one is the country (or admin parent) of the other.

    A place of unknown country (a guessed town) is taken to lie in the article's main country.
    """
    if a is None or b is None or a == b:
        return True
    ea, eb = facts.entity(a), facts.entity(b)
    if ea is None or eb is None:
        return False
    for big, small in ((ea, eb), (eb, ea)):
        if big.key in _containers_of(facts, small.key):
            return True
        small_country = facts.country_of(small.key)
        if big.kind == "country" and small_country and big.country and small_country == big.country.upper():
            return True
    return False


def _containers_of(facts: DocFacts, key: str) -> set[str]:
    """The places above ``key``: its gazetteer parents and the places the article puts it in, up the chain
    (a village in a district in a province lies in the province)."""
    out: set[str] = set()
    todo = [key]
    lookup = getattr(facts.ctx.gazetteer, "place_by_id", None)
    while todo and len(out) < 8:
        cur = todo.pop()
        ent = facts.entity(cur)
        rec = lookup(cur) if ent is None and callable(lookup) else None  # a level the article does not name
        parent = ent.parent if ent is not None else getattr(rec, "parent", None)
        for up in (parent, facts.containers.get(cur)):
            if up and up not in out and up != key:
                out.add(up)
                todo.append(up)
    return out


def _may_contain(facts: DocFacts, a: str | None, b: str | None, *, one_way: bool = False) -> bool:
    """A province (region) and a place of the same country whose province is not known: it may lie there
    (``one_way``: ``a`` is the province)."""
    ea, eb = facts.entity(a), facts.entity(b)
    if ea is None or eb is None or facts.country_of(a) != facts.country_of(b):
        return False
    for big, small in ((ea, eb),) if one_way else ((ea, eb), (eb, ea)):
        small_parent = facts.entity(small.parent)
        if big.kind in ("province", "region") and small.kind not in ("province", "region", "country") \
                and (small_parent is None or small_parent.kind == "country"):
            return True
    return False


def _same_doer(facts: DocFacts, a: str, b: str) -> bool:
    """One doer, or a group and its parent ("<group>" and "an al-Qaeda affiliate" for one ambush)."""
    if a == b:
        return True
    ea, eb = facts.entity(a), facts.entity(b)
    return (ea is not None and ea.parent == b) or (eb is not None and eb.parent == a)


def compatible(facts: DocFacts, a: Cand, b: Cand) -> bool:
    """Can ``a`` and ``b`` be reports of one incident?"""
    ea, eb = a.event, b.event
    for first, second in ((a, b), (b, a)):  # "another post": not an incident the body reported before it
        if second.distinct and first.body and first.order < second.order \
                and first.event.claim.sent_start != second.event.claim.sent_start:
            return False
    if (a.continues or b.continues) and ea.type != eb.type and not (a.bare or b.bare or a.untyped or b.untyped):
        return False  # the narrative goes on at the scene with another act ("... and jets struck the fleeing men")
    loose = a.bare or b.bare or a.denied != b.denied or a.untyped or b.untyped or a.continues or b.continues
    if not loose and (ea.type, ea.sub_type) != (eb.type, eb.sub_type) and a.generic == b.generic:
        return False
    if loose or a.generic != b.generic:
        if ea.location_key is None or eb.location_key is None:
            return False
        same_place = ea.location_key == eb.location_key
        same_toll = ea.killed is not None and ea.killed == eb.killed
        same_doer = ea.perpetrator_key is not None and ea.perpetrator_key == eb.perpetrator_key
        if not loc_compatible(facts, ea.location_key, eb.location_key) and not (
                (bool(ea.killed) and same_toll or same_doer)
                and _may_contain(facts, ea.location_key, eb.location_key)):
            return False
        # "the attack on <village>" after an incident in its district: a pointer back, at a place inside it
        if not (same_place or same_toll or same_doer or a.anaphoric or b.anaphoric or a.continues or b.continues):
            return False
    elif not loc_compatible(facts, ea.location_key, eb.location_key):
        same_toll = bool(ea.killed) and ea.killed == eb.killed
        same_doer = ea.perpetrator_key is not None and ea.perpetrator_key == eb.perpetrator_key
        if not ((same_toll or same_doer) and _may_contain(facts, ea.location_key, eb.location_key)):
            return False
    if ea.perpetrator_key and eb.perpetrator_key and not _same_doer(facts, ea.perpetrator_key, eb.perpetrator_key):
        return False
    if ea.killed and eb.killed and ea.killed != eb.killed and not (ea.killed_min or eb.killed_min) \
            and not (a.claimed_toll or b.claimed_toll or a.update or b.update):
        return False  # two tolls (a report of injuries only, killed 0, names no toll of its own)
    if ea.date and eb.date:
        return ea.date.startswith(eb.date) or eb.date.startswith(ea.date)
    dated = ea.date or eb.date
    if dated and ea.killed and eb.killed and ea.killed != eb.killed and not (a.update or b.update):
        return False  # a dated report and an undated one with other tolls: two incidents
    published = facts.ctx.document.published
    # an undated report is of a recent incident: one dated in another year than the article is another one
    return not (dated and published and dated[:4] != published[:4])


def _retypes(by: Cand, c: Cand) -> bool:
    """Does a report ``by`` give the type of the incident ``c`` was reported as (a bare killing, a generic or
    default-typed act word, a denied version)?"""
    return (c.bare and not by.bare) or (c.generic and not by.generic and not by.bare) \
        or (c.untyped and not by.untyped) or (c.denied and not by.denied)


def merge_into(keep: Cand, other: Cand, containers: dict[str, str] | None = None) -> None:
    """Fold ``other`` into ``keep``, keeping the most specific values (a place the article puts inside
    the kept one, ``containers``, is more specific)."""
    k, o = keep.event, other.event
    headline_joins = keep.body and not other.body  # the body is merged first; the headline still leads its roles
    if headline_joins and not _retypes(keep, other):
        k.trigger, k.claim = o.trigger, o.claim
    if headline_joins:
        k.perpetrator_key = o.perpetrator_key or k.perpetrator_key
        if o.target_key is not None:
            k.target_key, k.target_text = o.target_key, o.target_text
    if _retypes(other, keep):
        if not (other.untyped and not keep.untyped and not keep.denied):  # a default type never overrides evidence
            k.type, k.sub_type = o.type, o.sub_type
        if keep.bare or not other.bare:  # the act word stays the trigger when a bare killing only types it
            k.trigger, k.claim = o.trigger, o.claim
        keep.bare, keep.generic = keep.bare and other.bare, keep.generic and other.generic
        keep.untyped = keep.untyped and other.untyped
    keep.body = keep.body or other.body
    inside = o.location_key is not None and (containers or {}).get(o.location_key) == k.location_key
    if o.location_key and not other.continues and (other.specificity > keep.specificity or inside):
        k.location_key = o.location_key
        keep.specificity = max(other.specificity, keep.specificity)
    if other.claimed_toll and o.killed is not None and o.killed == k.killed:
        keep.claimed_toll = True  # the same figure, which another mention says is the doer's claim
    if other.update and o.killed is not None and other.order > keep.order and not other.claimed_toll:
        k.killed, k.killed_min = o.killed, o.killed_min  # the toll given later, in a sentence of its own
        keep.claimed_toll = False
    elif o.killed and keep.claimed_toll and not other.claimed_toll:
        k.killed, k.killed_min, keep.claimed_toll = o.killed, o.killed_min, False
    elif o.killed is not None and not (o.killed == 0 and k.killed) and (
        k.killed is None
        or k.killed == 0  # a report of injuries only names no toll
        or (k.killed_min and not o.killed_min)
        or (k.killed_min and o.killed_min and o.killed > k.killed)
    ):
        k.killed, k.killed_min = o.killed, o.killed_min
    k.wounded = k.wounded if k.wounded is not None else o.wounded
    k.perpetrator_key = k.perpetrator_key or o.perpetrator_key
    k.target_key = k.target_key or o.target_key
    k.target_text = k.target_text or o.target_text
    if o.date and (not k.date or len(o.date) > len(k.date)):
        k.date, k.date_text = o.date, o.date_text
    k.date_text = k.date_text or o.date_text


def _gives_its_toll(facts: DocFacts, prev: Cand, c: Cand) -> bool:
    """A placeless "two soldiers were killed" right after an incident that gave no toll of its own (or only the
    doer's claim): the toll of that incident, when nothing dates it elsewhere."""
    if prev.event.location_key is None or not (prev.event.killed is None or prev.claimed_toll):
        return False
    if c.event.date and prev.event.date and not (c.event.date.startswith(prev.event.date)
                                                 or prev.event.date.startswith(c.event.date)):
        return False
    gap = c.event.claim.start - prev.event.claim.end
    return 0 <= gap <= facts.cues.scene_lookback


def _fold_roles(k: Event, o: Event) -> None:
    k.perpetrator_key = k.perpetrator_key or o.perpetrator_key
    if k.target_key is None and o.target_key is not None:
        k.target_key, k.target_text = o.target_key, o.target_text


@dataclass(slots=True)
class _Index:
    """Kept candidates, by country of their place and by type, for bounded look-ups."""

    facts: DocFacts
    kept: list[Cand] = field(default_factory=list)
    by_country: dict[str | None, list[int]] = field(default_factory=dict)  # bucket -> positions in ``kept``
    orders_by_type: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # type -> sorted (order, pos)
    orders_all: list[tuple[int, int]] = field(default_factory=list)

    def bucket(self, c: Cand) -> str | None:
        key = c.event.location_key
        if key is None:
            return None
        return self.facts.country_of(key) or f"key:{key}"

    def add(self, c: Cand) -> None:
        pos = len(self.kept)
        self.kept.append(c)
        self.by_country.setdefault(self.bucket(c), []).append(pos)
        insort(self.orders_by_type.setdefault(c.event.type, []), (c.order, pos))
        insort(self.orders_all, (c.order, pos))

    def also_at(self, c: Cand, order: int) -> None:
        """Record that the kept ``c`` is also reported at ``order`` (the headline that joined it)."""
        pos = next(i for i, k in enumerate(self.kept) if k is c)
        insort(self.orders_by_type.setdefault(c.event.type, []), (order, pos))
        insort(self.orders_all, (order, pos))

    def latest_before(self, order: int, type_: str | None) -> Cand | None:
        """The kept candidate of that type (any type: None) reported last before ``order``."""
        seq = self.orders_all if type_ is None else self.orders_by_type.get(type_, [])
        i = bisect_left(seq, (order, -1))
        return self.kept[seq[i - 1][1]] if i > 0 else None

    def reported(self, c: Cand) -> bool:
        """Is an incident of the same type at a compatible place already kept (the summary's own report)?"""
        pools = [self.by_country.get(self.bucket(c), [])[-WINDOW:], self.by_country.get(None, [])[-WINDOW:]]
        return any(self.kept[p].event.type == c.event.type
                   and (loc_compatible(self.facts, self.kept[p].event.location_key, c.event.location_key)
                        or _may_contain(self.facts, c.event.location_key, self.kept[p].event.location_key,
                                        one_way=True))
                   for pool in pools for p in pool)

    def first_compatible(self, c: Cand) -> Cand | None:
        """The earliest kept candidate, among the latest ones of its country and the placeless, that may be one
        incident; one with the same toll first (a headline joins the report that gives its figure)."""
        pools = [self.by_country.get(self.bucket(c), [])[-WINDOW:], self.by_country.get(None, [])[-WINDOW:]]
        fits = [self.kept[pos] for pos in sorted({p for pool in pools for p in pool})
                if compatible(self.facts, self.kept[pos], c)]
        same_toll = [k for k in fits if c.event.killed and k.event.killed == c.event.killed]
        if c.continues and fits:  # the narrative goes on at its scene: the incident reported last there
            return max(fits, key=lambda k: k.order)
        return (same_toll or fits or [None])[0]


def _merge_one(facts: DocFacts, index: _Index, c: Cand, *, defer: bool) -> bool:
    """Fold ``c`` into the incident it reports, or keep it as a new one; False: wait (``defer``) for the headline."""
    if c.summary:
        if c.event.location_key is not None and not index.reported(c):
            index.add(c)
        return True
    if c.event.location_key is None:
        if c.anaphoric:  # "the attack" without a place: the latest incident reported before it
            prev = index.latest_before(c.order, None if c.bare else c.event.type)
            if prev is not None:
                merge_into(prev, c, facts.containers)
                return True
            prev = index.latest_before(c.order, None)
            if prev is not None:  # "the blast targeted X" after "an attack": who did it and to whom
                _fold_roles(prev.event, c.event)
                return True
            if defer:
                return False
        elif c.bare and c.event.killed is not None:
            prev = index.latest_before(c.order, None)
            if prev is not None and _gives_its_toll(facts, prev, c):
                merge_into(prev, c, facts.containers)
                return True
        index.add(c)
        return True
    target = index.first_compatible(c)
    if target is None:
        index.add(c)
    else:
        merge_into(target, c, facts.containers)
        if not c.body:
            index.also_at(target, c.order)  # the headline reports the incident too, before the body
    return True


def merge(facts: DocFacts, cands: list[Cand]) -> list[Cand]:
    """One event per incident: typed events first, then bare killings folded in where they fit.

    The body's reports come before the headline's, so that a headline joins the body's report with its own
    toll; a placeless "the attack" that finds no incident before it waits until the headline is placed."""
    index = _Index(facts)
    heads_left = sum(1 for c in cands if not c.body)
    deferred: list[Cand] = []
    for c in sorted(cands, key=lambda c: (c.summary, c.bare, not c.body, c.order)):
        if not c.body:
            heads_left -= 1
        if not _merge_one(facts, index, c, defer=heads_left > 0):
            deferred.append(c)
        if heads_left == 0 and deferred:
            for d in deferred:
                _merge_one(facts, index, d, defer=False)
            deferred = []
    for d in deferred:
        _merge_one(facts, index, d, defer=False)
    return _settle(facts, index.kept)


def _settle(facts: DocFacts, kept: list[Cand]) -> list[Cand]:
    """A second pass: a merge may have made an event's place more specific (the province of a claim became
    the village of its report), so an event kept apart from it before may now be one incident with it."""
    out: list[Cand] = []
    for c in sorted(kept, key=lambda c: c.order):
        located = c.event.location_key is not None
        target = next((k for k in out[-WINDOW:] if located and k.event.location_key is not None
                       and compatible(facts, k, c)), None)
        if target is not None:
            merge_into(target, c, facts.containers)
        else:
            out.append(c)
    return out


__all__ = ["WINDOW", "Cand", "compatible", "loc_compatible", "merge", "merge_into"]
