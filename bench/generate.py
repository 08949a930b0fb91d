"""Synthetic news articles about armed groups, for benchmarks and scale tests.

Every article is built from OUR OWN sentence templates filled with actors and
places from sitrep's gazetteer (``sitrep.data.load_gazetteer``) plus invented
people and groups: an incident with a date, a place and casualty figures, a
claim of responsibility, an attributed relation between groups, a denial, a
strength estimate, background paragraphs, and page furniture (share counters,
"Leave a comment", teaser headlines, "READ MORE" links) that the cleaner has to
strip.  Article ``i`` of seed ``s`` is always the same text, so a corpus can be
extended (``--start``) without regenerating it.

Because the generator knows what it wrote, :func:`doc_result` also returns the
:class:`~sitrep.models.DocResult` of an article (mentions at exact offsets,
relations, quantities, events with their claims) without running spaCy; the
benchmark uses it to bulk-load a 100k-document database.

    python bench/generate.py 1000 --jsonl /tmp/corpus.jsonl
    python bench/generate.py 500 --txt-dir /tmp/corpus --seed 7
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `sitrep` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sitrep.models import (  # noqa: E402
    Claim,
    DocResult,
    Document,
    Entity,
    Event,
    Mention,
    Quantity,
    Relation,
    content_hash,
)

PUBLISHERS = ["Frontier Wire", "The Daily Monitor", "Regional Times", "Sahel Observer", "Gulf Herald",
              "Horn Dispatch", "Levant Post", "Asia Security Review", "World News Desk", "Conflict Report"]
FIRST_NAMES = ["Abdul", "Mohammed", "Ahmad", "Hassan", "Omar", "Yusuf", "Ibrahim", "Khalid", "Tariq", "Bilal",
               "Amina", "Fatima", "Zainab", "Hamid", "Rashid", "Nasir", "Samir", "Karim", "Idris", "Musa",
               "Jamal", "Farid", "Walid", "Salim", "Aisha", "Mariam", "Yasin", "Anwar", "Faisal", "Zaid"]
LAST_NAMES = ["Rahimi", "Karimi", "Noori", "Haidari", "Sultani", "Qaderi", "Mansour", "Haddad", "Osman",
              "Abdi", "Warsame", "Diallo", "Traore", "Coulibaly", "Bello", "Okafor", "Yusufzai", "Afridi",
              "Durrani", "Hashimi", "Saleh", "Jaber", "Nasser", "Khoury", "Farah", "Hersi", "Sangare",
              "Keita", "Baloch", "Achakzai", "Popal", "Wardak", "Stanekzai", "Mohmand", "Barakzai"]
ROLES = ["spokesman", "spokesperson", "commander", "senior commander", "deputy leader", "leader"]
OFFICIAL_ROLES = ["the provincial police chief", "a district governor", "the interior ministry spokesman",
                  "a senior security official", "the army spokesman", "a local elder"]
GROUP_PATTERNS = ["{place} Liberation Front", "{place} Defence Brigade", "Army of {place}", "{place} Mujahideen Council",
                  "Jamaat Ansar {name}", "{place} Resistance Movement", "Katibat {name}", "{place} Patriotic Forces"]
CHANNELS = ["Telegram", "website", "Amaq news agency", "social media", "radio station", "WhatsApp group"]
# organisations that publish reports and estimates (the "according to" sources)
SOURCE_WORDS = ("United Nations", "UN Monitoring", "Crisis Group", "Institute", "Human Rights", "Amnesty",
                "Center", "Centre", "Council on", "Chatham", "State Department", "Treasury", "Pentagon",
                "Command", "Inspector General", "Foreign Office", "ACLED", "Long War", "SITE Intelligence")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# -- templates: {slots} are filled with entities (E:) or plain words ------------------------------
# Entity slots: G group, G2 second group, P place (city), R region/province, C country, S source org,
# N named person (spokesman of G2), O official. Plain: n, k, w, date, when, channel, role.
EVENTS = [
    ("A suicide bomber killed {k} people and wounded {w} at a market in {P} {when}, {O} said.",
     "Explosions/Remote violence", "Suicide bomb", "suicide bomber"),
    ("At least {k} soldiers were killed when fighters from {G} attacked a checkpoint near {P} {when}.",
     "Battles", "Armed clash", "attacked"),
    ("A roadside bomb struck a police convoy outside {P} {when}, killing {k} officers and wounding {w}.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED", "roadside bomb"),
    ("Gunmen opened fire on worshippers at a mosque in {P} {when}, killing {k} and injuring {w}, {O} said.",
     "Violence against civilians", "Attack", "opened fire"),
    ("Heavy fighting broke out between government forces and {G} in {R} {when}, leaving {k} dead.",
     "Battles", "Armed clash", "fighting"),
    ("An air strike hit a compound used by {G} near {P} {when}, killing {k} militants, the military said.",
     "Explosions/Remote violence", "Air/drone strike", "air strike"),
    ("Militants abducted {k} aid workers on the road between {P} and the provincial capital {when}.",
     "Violence against civilians", "Abduction/forced disappearance", "abducted"),
    ("Mortar shells landed in a residential area of {P} {when}, killing {k} civilians, including children.",
     "Explosions/Remote violence", "Shelling/artillery/missile attack", "mortar shells"),
    ("Security forces arrested {k} suspected members of {G} in raids across {R} {when}.",
     "Strategic developments", "Arrests", "arrested"),
    ("Hundreds of protesters marched through {P} {when} to demand protection from attacks by {G}.",
     "Protests", "Peaceful protest", "marched"),
]
RESPONSIBILITY = [
    "{G} claimed responsibility for the attack in a statement posted on its {channel}.",
    "In a message on its {channel}, {G} said its fighters had carried out the operation.",
    "No group immediately claimed the attack, but officials blamed {G}, which is active in the area.",
]
RELATIONS = [  # (template, relation type, subject slot, object slot)
    ("{G} has close ties to {G2}, according to a report by the {S}.", "ally_of", "G", "G2"),
    ("The {S} said in a report that {G} receives weapons and money from {G2}.", "supports", "G2", "G"),
    ("{G} is a faction of {G2}, the {S} said.", "part_of", "G", "G2"),
    ("Analysts at the {S} say {G} and {G2} have been fighting each other for control of smuggling routes.",
     "hostile_to", "G", "G2"),
    ("{G} operates mainly in {R}, where it has bases in remote valleys, the {S} said.", "operates_in", "G", "R"),
    ("According to the {S}, {G} is allied with {G2} and the two share training camps.", "ally_of", "G", "G2"),
]
DENIALS = [
    "{N}, a {role} for {G2}, denied that the group had any links to {G}.",
    "{G2} rejected the accusation. \"We have no relationship with {G},\" said {N}, its {role}.",
    "{N}, who speaks for {G2}, dismissed reports that it was cooperating with {G} as propaganda.",
]
QUANTITIES = [  # (template, what, low, high, qualifier)
    ("The {S} estimates that {G} has between {a} and {b} fighters in {C}.", "fighters", "a", "b", "between"),
    ("{G} is believed to have about {a} fighters, according to the {S}.", "fighters", "a", "a", "about"),
    ("The group runs more than {a} training camps in {R}, the {S} said.", "training camps", "a", None, "more than"),
    ("Officials say {G} has up to {b} members across {C}.", "members", None, "b", "up to"),
]
BACKGROUND = [
    "The region has seen a sharp rise in violence since the start of the year, with attacks on security posts "
    "and markets becoming more frequent.",
    "Residents of {P} said many families had fled to neighbouring districts, fearing further attacks.",
    "Local officials have repeatedly asked the central government to send more troops to {R}.",
    "Hospitals in the area were struggling to cope with the number of wounded, a doctor told reporters.",
    "The attack came days after talks between community leaders and the authorities broke down.",
    "Humanitarian agencies warned that the fighting was cutting off access to food and medicine.",
    "Security analysts say the group has exploited local grievances over land and jobs to recruit young men.",
    "Roads leading to {P} were closed for several hours while soldiers searched the surrounding villages.",
    "The government has promised to restore order, but critics say its strategy has so far failed.",
    "Schools in the district remained closed on the following day as a precaution, parents said.",
    "The violence has displaced tens of thousands of people in {C} over the past two years.",
    "Diplomats in the capital said the incident would weigh on efforts to negotiate a ceasefire.",
    "Witnesses described hearing a loud explosion followed by sustained gunfire that lasted nearly an hour.",
    "The interior ministry said it had opened an investigation and would publish its findings within weeks.",
    "Traders in the main bazaar said business had collapsed since the latest wave of attacks began.",
    "Several of the wounded were taken to the regional hospital in critical condition, officials said.",
    "A curfew was imposed in parts of {P} and checkpoints were set up on the main highway.",
    "Observers noted that the group has changed its tactics, moving from large assaults to smaller raids.",
    "Local journalists said they had faced threats for reporting on the conflict in {R}.",
    "The United Nations has called on all sides to protect civilians and allow aid convoys to pass.",
    "Elders from the surrounding villages met on Sunday to discuss the security situation.",
    "Prices of fuel and flour have risen sharply as supply routes through {R} became unsafe.",
    "Police said they had increased patrols around government buildings and places of worship.",
    "The attack was the deadliest in {R} since a bombing at a wedding party two years ago.",
    "Officials in {P} said the number of casualties could rise as rescue teams searched the rubble.",
    "Shopkeepers pulled down their shutters and the streets emptied within minutes of the first shots.",
    "The provincial council held an emergency meeting and called for a review of security arrangements.",
    "Mobile phone networks in parts of {R} were suspended for two days, residents said.",
    "Footage shared online showed smoke rising above buildings and people running from the scene.",
    "The army said it had sent reinforcements, including special forces units, to the area.",
    "Aid workers said the needs of displaced families in {C} far exceeded the help available.",
    "Tribal leaders offered to mediate, but their proposal was rejected by both sides.",
    "Several families said they had not heard from relatives living in villages near the fighting.",
    "The conflict has drawn in neighbouring countries, which accuse each other of arming rival factions.",
    "Farmers in {R} said they had been unable to reach their fields for weeks because of the fighting.",
    "A spokesman for the health ministry said blood donations were urgently needed in {P}.",
    "The government announced three days of mourning for the victims of the attack.",
    "Analysts warned that the group could exploit the chaos to seize more territory in the coming months.",
    "Opposition politicians blamed the government for ignoring repeated warnings about the threat.",
    "Relief flights to {P} resumed on Thursday after the airport was closed for most of the week.",
]
FURNITURE_TOP = ["Share", "Share this article", "{n} shares", "Tweet", "Print", "Email", "Follow us on Twitter",
                 "Subscribe to our newsletter", "Home", "Menu", "Sign in"]
FURNITURE_MID = ["READ MORE: {teaser}", "RELATED: {teaser}", "Also read: {teaser}", "Advertisement"]
FURNITURE_END = ["Leave a comment", "{n} Comments", "Share on Facebook", "Related articles", "{TEASER}",
                 "{teaser}", "We never publish your email address.", "Back to top"]
TEASERS = ["Floods kill dozens in coastal provinces", "Fuel prices climb for third straight month",
           "Election commission announces new voting date", "Cricket board names new captain",
           "Drought threatens harvest in the north", "Minister resigns over corruption inquiry",
           "New highway opens between two provincial capitals", "Thousands attend funeral of singer"]


@dataclass
class _Ref:
    start: int
    end: int
    text: str
    entity: Entity


@dataclass
class _Fact:
    kind: str  # relation | quantity | event
    sent: int  # index of the sentence the fact is stated in
    data: dict[str, Any]


@dataclass
class Article:
    """A generated article: raw text (with furniture), cleaned text, metadata and what it states."""

    index: int
    id: str  # JSONL id
    title: str
    published: str
    publisher: str
    url: str
    raw: str
    text: str
    offsets: list[tuple[int, int, int]]
    removed: list[str]
    refs: list[_Ref] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    facts: list[_Fact] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)

    @property
    def words(self) -> int:
        return len(self.text.split())

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "published": self.published, "publisher": self.publisher,
                "url": self.url, "text": self.raw}


# -- vocabulary from the gazetteer ------------------------------------------------------------------


@dataclass
class _Vocab:
    groups: list[Entity]
    groups_by_country: dict[str, list[Entity]]
    orgs: list[Entity]
    countries: dict[str, Entity]
    cities: dict[str, list[Entity]]
    provinces: dict[str, list[Entity]]
    names: dict[str, list[str]]  # key -> spellings to use in text
    weights: list[float]


def _entity_key(name: str, kind: str) -> str:
    try:
        from sitrep.resolve.linking import entity_key
    except ImportError:  # pragma: no cover
        return f"{'person' if kind == 'person' else 'org'}:{name.lower().replace(' ', '-')}"
    return entity_key(name, kind)


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    from sitrep.data import load_gazetteer

    gaz = load_gazetteer()
    names: dict[str, list[str]] = {}

    def actor(a: Any) -> Entity:
        spellings = [a.name] + [x for x in a.aliases if len(x) > 3][:3] + list(a.acronyms[:1])
        names[a.id] = spellings
        return Entity(a.id, a.name, a.kind, aliases=list(a.aliases) + list(a.acronyms), gazetteer_id=a.id,
                      parent=a.parent, country=a.country)

    def place(p: Any) -> Entity:
        names[p.id] = [p.name]
        return Entity(p.id, p.name, p.kind, aliases=list(p.aliases), gazetteer_id=p.id, parent=p.parent,
                      country=p.country, lat=p.lat, lon=p.lon)

    groups = [actor(a) for a in gaz.actors.values() if a.kind == "armed_group"]
    orgs = [actor(a) for a in gaz.actors.values()
            if a.kind == "organization" and any(w in a.name for w in SOURCE_WORDS)]
    countries = {p.country: place(p) for p in gaz.places.values() if p.kind == "country" and p.country}
    cities: dict[str, list[Entity]] = {}
    provinces: dict[str, list[Entity]] = {}
    for p in gaz.places.values():
        if p.country and p.kind in ("city", "district"):
            cities.setdefault(p.country, []).append(place(p))
        elif p.country and p.kind == "province":
            provinces.setdefault(p.country, []).append(place(p))
    by_country: dict[str, list[Entity]] = {}
    for g in groups:
        if g.country and g.country in cities:
            by_country.setdefault(g.country, []).append(g)
    # a few groups are in the news far more than others (Zipf-like), as in real coverage
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(groups))]
    return _Vocab(groups, by_country, orgs, countries, cities, provinces, names, weights)


# -- article builder ----------------------------------------------------------------------------------


class _Builder:
    """Accumulates clean paragraphs (with entity references) and raw furniture lines."""

    def __init__(self) -> None:
        self.clean: list[str] = []
        self.raw_lines: list[tuple[str, bool]] = []  # (line, is_article_text)
        self.refs: list[_Ref] = []
        self.sentences: list[tuple[int, int]] = []
        self.facts: list[_Fact] = []
        self._pos = 0
        self._para: list[str] = []
        self._para_refs: list[_Ref] = []
        self._para_len = 0

    def furniture(self, line: str) -> None:
        self.raw_lines.append((line, False))

    def sentence(self, template: str, slots: dict[str, Any], rng: random.Random,
                 fact: tuple[str, dict[str, Any]] | None = None) -> None:
        if self._para:
            self._para.append(" ")
            self._para_len += 1
        start = self._pos + self._para_len
        out = ""
        i = 0
        while i < len(template):
            j = template.find("{", i)
            if j < 0:
                out += template[i:]
                break
            out += template[i:j]
            k = template.index("}", j)
            slot = template[j + 1:k]
            value = slots[slot]
            if isinstance(value, Entity):
                spellings = _vocab().names.get(value.key) or [value.name]
                surface = spellings[0] if rng.random() < 0.7 else rng.choice(spellings)
                if out.endswith("the ") and surface.lower().startswith("the "):
                    surface = surface[4:]
                s = start + len(out)
                self.refs.append(_Ref(s, s + len(surface), surface, value))
                out += surface
            else:
                out += str(value)
            i = k + 1
        out = out[0].upper() + out[1:]
        self._para.append(out)
        self._para_len += len(out)
        self.sentences.append((start, start + len(out)))
        if fact is not None:
            self.facts.append(_Fact(fact[0], len(self.sentences) - 1, fact[1]))

    def end_paragraph(self) -> None:
        if not self._para:
            return
        para = "".join(self._para)
        self.clean.append(para)
        self.raw_lines.append((para, True))
        self._pos += len(para) + 2  # paragraphs are separated by a blank line
        self._para, self._para_len = [], 0

    def build(self) -> tuple[str, str, list[tuple[int, int, int]], list[str]]:
        self.end_paragraph()
        text = "\n\n".join(self.clean)
        raw_parts: list[str] = []
        offsets: list[tuple[int, int, int]] = []
        removed: list[str] = []
        raw_pos, clean_pos = 0, 0
        for line, is_text in self.raw_lines:
            if is_text:
                offsets.append((clean_pos, raw_pos, len(line)))
                clean_pos += len(line) + 2
            else:
                removed.append(line)
            raw_parts.append(line)
            raw_pos += len(line) + 2
        return text, "\n\n".join(raw_parts) + "\n", offsets, removed


def _person(rng: random.Random) -> Entity:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return Entity(_entity_key(name, "person"), name, "person", guessed=True)


def _invented_group(rng: random.Random, place: Entity) -> Entity:
    name = rng.choice(GROUP_PATTERNS).format(place=place.name, name=rng.choice(LAST_NAMES))
    return Entity(_entity_key(name, "armed_group"), name, "armed_group", country=place.country, guessed=True)


def _when(rng: random.Random, published: date) -> tuple[str, str | None, date]:
    back = rng.choice([0, 1, 1, 2, 3, 5, 7])
    day = published - timedelta(days=back)
    style = rng.random()
    if back == 0:
        return "on " + WEEKDAYS[day.weekday()] if style < 0.5 else "early on " + WEEKDAYS[day.weekday()], \
            day.isoformat(), day
    if back == 1 and style < 0.5:
        return "late yesterday", day.isoformat(), day
    if style < 0.4:
        return f"on {day.day} {MONTHS[day.month - 1]}", day.isoformat(), day
    if style < 0.7:
        return f"on {MONTHS[day.month - 1]} {day.day}, {day.year}", day.isoformat(), day
    return f"on {WEEKDAYS[day.weekday()]}", day.isoformat(), day


def generate_article(index: int, seed: int = 0) -> Article:
    """Article ``index`` of corpus ``seed`` (deterministic)."""
    rng = random.Random(seed * 1_000_003 + index)
    v = _vocab()
    group = rng.choices(v.groups, weights=v.weights, k=1)[0]
    country_code = group.country if group.country in v.cities else rng.choice(sorted(v.groups_by_country))
    country = v.countries.get(country_code) or next(iter(v.countries.values()))
    city = rng.choice(v.cities[country_code])
    region = rng.choice(v.provinces.get(country_code) or [country])
    if rng.random() < 0.25:  # unknown local groups make up a share of coverage
        group = _invented_group(rng, city if rng.random() < 0.5 else region)
    peers = [g for g in v.groups_by_country.get(country_code, []) if g.key != group.key] or \
        [g for g in v.groups if g.key != group.key]
    group2 = rng.choice(peers)
    source = rng.choice(v.orgs)
    spokesman = _person(rng)
    official = rng.choice(OFFICIAL_ROLES)
    publisher = rng.choice(PUBLISHERS)
    published = date(2019, 1, 1) + timedelta(days=rng.randrange(7 * 365))
    when, event_date, _ = _when(rng, published)
    killed, wounded = rng.choice([2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 17, 20, 23, 31, 45]), rng.randrange(0, 60)
    a_num = rng.choice([200, 300, 500, 800, 1000, 1500, 2000, 3000, 4000, 6000])
    slots: dict[str, Any] = {
        "G": group, "G2": group2, "P": city, "R": region, "C": country, "S": source, "N": spokesman,
        "O": official, "k": killed, "w": wounded, "when": when, "channel": rng.choice(CHANNELS),
        "role": rng.choice(ROLES), "a": f"{a_num:,}", "b": f"{a_num * 2:,}", "n": rng.randrange(2, 9000),
    }
    background = rng.sample(BACKGROUND, len(BACKGROUND))
    b = _Builder()
    for line in rng.sample(FURNITURE_TOP, rng.randrange(1, 4)):
        b.furniture(line.format(n=rng.randrange(2, 5000)))

    ev_t, ev_type, ev_sub, trigger = rng.choice(EVENTS)
    perpetrator = group if "{G}" in ev_t else None
    b.sentence(ev_t, slots, rng, ("event", {
        "type": ev_type, "sub_type": ev_sub, "location": city if "{P}" in ev_t else region, "date": event_date,
        "date_text": when, "killed": killed if "{k}" in ev_t else None, "wounded": wounded if "{w}" in ev_t else None,
        "perpetrator": perpetrator, "trigger": trigger}))
    if rng.random() < 0.6:
        b.sentence(background.pop(), slots, rng)
    b.end_paragraph()
    if perpetrator is None or rng.random() < 0.5:
        b.sentence(rng.choice(RESPONSIBILITY), slots, rng)
    b.sentence(background.pop(), slots, rng)
    b.end_paragraph()
    if rng.random() < 0.3:
        b.furniture(rng.choice(FURNITURE_MID).format(teaser=rng.choice(TEASERS)))

    rel_t, rel_type, subj, obj = rng.choice(RELATIONS)
    b.sentence(rel_t, slots, rng, ("relation", {
        "subject": slots[subj], "type": rel_type, "object": slots[obj], "polarity": "asserted", "source": source,
        "source_text": f"the {source.name}", "cue": rel_type}))
    b.sentence(background.pop(), slots, rng)
    b.end_paragraph()
    if rel_type in ("ally_of", "supports") and rng.random() < 0.6:
        denial = rng.choice(DENIALS)
        b.sentence(denial, slots, rng, ("relation", {
            "subject": group2, "type": "ally_of", "object": group, "polarity": "denied", "source": spokesman,
            "source_text": spokesman.name, "cue": "denied"}))
        b.end_paragraph()
    if rng.random() < 0.7:
        q_t, what, lo, hi, qual = rng.choice(QUANTITIES)
        subject = group if "{G}" in q_t else group  # "the group" refers to G
        b.sentence(q_t, slots, rng, ("quantity", {
            "subject": subject, "what": what, "low": float(a_num) if lo == "a" else (None if lo is None else a_num * 2),
            "high": (float(a_num) if hi == "a" else float(a_num * 2)) if hi else None, "qualifier": qual,
            "source": source}))
        b.end_paragraph()
    for _ in range(rng.randrange(5, 10)):
        for _ in range(rng.randrange(2, 4)):
            b.sentence(background.pop() if background else rng.choice(BACKGROUND), slots, rng)
        b.end_paragraph()
    for line in rng.sample(FURNITURE_END, rng.randrange(1, 4)):
        teaser = rng.choice(TEASERS)
        b.furniture(line.format(n=rng.randrange(1, 300), teaser=teaser, TEASER=teaser.upper()))

    text, raw, offsets, removed = b.build()
    title_group = group.name
    title = rng.choice([
        f"{killed} killed in {city.name} attack", f"{title_group} blamed for deadly attack in {city.name}",
        f"Report links {title_group} to {group2.name}", f"Violence flares in {region.name}",
        f"{title_group} steps up attacks in {country.name}",
    ])
    art_id = f"syn-{seed}-{index}"
    entities = {r.entity.key: r.entity for r in b.refs}
    for f in b.facts:
        for k in ("subject", "object", "source", "location", "perpetrator"):
            e = f.data.get(k)
            if isinstance(e, Entity):
                entities.setdefault(e.key, e)
    return Article(index, art_id, title, published.isoformat(), publisher,
                   f"https://news.example/{seed}/{index}", raw, text, offsets, removed,
                   b.refs, b.sentences, b.facts, entities)


# -- outputs ---------------------------------------------------------------------------------------------


def write_jsonl(path: str | Path, n: int, seed: int = 0, start: int = 0, append: bool = False) -> int:
    """Write articles ``start .. start+n-1`` as JSONL; returns the word count of their cleaned text."""
    words = 0
    with open(path, "a" if append else "w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            a = generate_article(i, seed)
            words += a.words
            fh.write(json.dumps(a.to_json(), ensure_ascii=False) + "\n")
    return words


def real_paragraphs(dirs: list[str | Path]) -> list[str]:
    """The paragraphs (blank-line separated, after sitrep's own cleaning) of every article in ``dirs``."""
    from sitrep.config import Settings
    from sitrep.ingest.document import make_document
    from sitrep.ingest.readers import RawInput, iter_inputs

    settings = Settings()
    out: list[str] = []
    for item in iter_inputs([str(d) for d in dirs], settings):
        if not isinstance(item, RawInput):
            continue
        try:
            text = make_document(item, settings).text
        except ValueError:
            continue
        out.extend(p.strip() for p in text.split("\n\n") if len(p.split()) >= 3)
    return out


def write_real_jsonl(path: str | Path, dirs: list[str | Path], n: int, seed: int = 0,
                     paragraphs: tuple[int, int] = (4, 10)) -> dict[str, int]:
    """``n`` distinct articles of real text: each a random draw of ``paragraphs`` (low, high) paragraphs
    of the articles in ``dirs``, shuffled; returns counts (articles, words, source paragraphs)."""
    pool = real_paragraphs(dirs)
    if len(pool) < 2:
        raise ValueError(f"too few paragraphs in {', '.join(map(str, dirs))} to build a corpus")
    rng = random.Random(seed)
    seen: set[tuple[int, ...]] = set()
    words = written = 0
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n * 20):
            if written >= n:
                break
            k = min(len(pool), rng.randint(*paragraphs))
            pick = tuple(rng.sample(range(len(pool)), k))
            if pick in seen:
                continue
            seen.add(pick)
            text = "\n\n".join(pool[j] for j in pick)
            words += len(text.split())
            fh.write(json.dumps({"id": f"real-{seed}-{i}", "title": pool[pick[0]][:80],
                                 "text": text}, ensure_ascii=False) + "\n")
            written += 1
    return {"articles": written, "words": words, "paragraphs": len(pool)}


def write_txt_folder(folder: str | Path, n: int, seed: int = 0, start: int = 0) -> int:
    """One ``.txt`` per article (title line, blank line, raw text); returns the word count."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for i in range(start, start + n):
        a = generate_article(i, seed)
        words += a.words
        (folder / f"article-{seed}-{i:06d}.txt").write_text(f"{a.title}\n\n{a.raw}", encoding="utf-8")
    return words


def doc_result(article: Article, with_simhash: bool = True) -> DocResult:
    """The DocResult the pipeline would ideally produce for ``article`` (no NLP involved)."""
    digest = content_hash(article.raw)
    doc = Document(id=digest[:16], source=f"synthetic.jsonl#{article.id}", raw=article.raw, text=article.text,
                   content_hash=digest, format="jsonl", title=article.title, published=article.published,
                   publisher=article.publisher, url=article.url, offsets=article.offsets, removed=article.removed,
                   meta={"id": article.id})
    if with_simhash:
        from sitrep.resolve.dedup import simhash

        doc.meta["simhash"] = simhash(article.text)

    def sentence_of(pos: int) -> tuple[int, int]:
        for s, e in article.sentences:
            if s <= pos < e:
                return s, e
        return pos, pos

    r = DocResult(document=doc, entities=list(article.entities.values()))
    for ref in article.refs:
        ss, se = sentence_of(ref.start)
        r.mentions.append(Mention(doc.id, ref.start, ref.end, ref.text, ref.entity.kind, ref.entity.key, ss, se,
                                  "ruler" if ref.entity.gazetteer_id else "ner"))
    for f in article.facts:
        ss, se = article.sentences[f.sent]
        d = f.data
        src = d.get("source")
        claim = Claim(doc.id, ss, se, ss, se, article.text[ss:se], polarity=d.get("polarity", "asserted"),
                      source_key=src.key if isinstance(src, Entity) else None, source_text=d.get("source_text"))
        if f.kind == "relation":
            r.relations.append(Relation(d["subject"].key, d["type"], d["object"].key, claim, cue=d["cue"]))
        elif f.kind == "quantity":
            r.quantities.append(Quantity(d["subject"].key, d["what"], d["low"], d["high"], claim,
                                         qualifier=d["qualifier"]))
        elif f.kind == "event":
            loc, perp = d["location"], d["perpetrator"]
            r.events.append(Event(d["type"], d["sub_type"], claim, location_key=loc.key if loc else None,
                                  date=d["date"], date_text=d["date_text"], killed=d["killed"], wounded=d["wounded"],
                                  perpetrator_key=perp.key if perp else None, trigger=d["trigger"]))
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0, help="index of the first article (to extend a corpus)")
    ap.add_argument("--jsonl", help="write (or with --append, extend) this JSONL file")
    ap.add_argument("--append", action="store_true")
    ap.add_argument("--txt-dir", help="write one .txt per article into this folder")
    args = ap.parse_args(argv)
    if not args.jsonl and not args.txt_dir:
        ap.error("give --jsonl and/or --txt-dir")
    if args.jsonl:
        words = write_jsonl(args.jsonl, args.n, args.seed, args.start, args.append)
        print(f"{args.jsonl}: {args.n} articles, {words} words", file=sys.stderr)
    if args.txt_dir:
        words = write_txt_folder(args.txt_dir, args.n, args.seed, args.start)
        print(f"{args.txt_dir}: {args.n} articles, {words} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
