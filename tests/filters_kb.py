"""An invented knowledge base for the tests of the web page's filters and of "what changed".

Written straight through ``SQLiteStore.write_batch`` (no extraction), in two recorded runs, so the
expected counts are known exactly:

* 9 articles, 8 events (one incident reported twice by different sources), 5 relation facts, one
  article without a date (its event and its relation are undated), one toll far above the others;
* the Arcadian Monitoring Office is graded A and the Lantern Press Office E (``grade`` decisions),
  every other source is F;
* run 1 stores articles 0-5, run 2 articles 6-8: a new actor, a new fact, a new dated and a new undated
  event, and a second source (graded A) for a fact one E-graded source asserted, so its corroboration
  (1 -> 2) and its credibility (4 doubtful -> 1 confirmed) change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitrep.models import Claim, DocResult, Document, Entity, Event, Mention, Relation, content_hash

ENTITIES = {
    "actor:rhb": Entity("actor:rhb", "Red Hand Brigade", "armed_group", country="XA"),
    "actor:blf": Entity("actor:blf", "Blue Lantern Front", "armed_group", country="XA"),
    "actor:gsn": Entity("actor:gsn", "Green Star Network", "armed_group", country="XA"),
    "actor:igm": Entity("actor:igm", "Iron Gate Militia", "armed_group", country="XA"),
    "actor:owl": Entity("actor:owl", "Silent Owl Cell", "armed_group", country="XA"),
    "org:amo": Entity("org:amo", "Arcadian Monitoring Office", "organization"),
    "org:lpo": Entity("org:lpo", "Lantern Press Office", "organization"),
    "place:XA": Entity("place:XA", "Arcadia", "country", country="XA", lat=10.5, lon=20.5),
    "place:XA-verin": Entity("place:XA-verin", "Port Verin", "city", country="XA", parent="place:XA",
                             lat=10.0, lon=20.0),
    "place:XA-holloway": Entity("place:XA-holloway", "Holloway", "city", country="XA", parent="place:XA",
                                lat=10.03, lon=20.04),
    "place:XA-tessel": Entity("place:XA-tessel", "Tessel", "city", country="XA", parent="place:XA",
                              lat=12.0, lon=23.0),
    "place:XA-marrow": Entity("place:XA-marrow", "Marrow", "city", country="XA", parent="place:XA",
                              lat=8.5, lon=18.0),
}
GRADED = {"Arcadian Monitoring Office": "A", "Lantern Press Office": "E"}


@dataclass
class Article:
    published: str | None
    publisher: str
    sentences: list[str]
    source: str | None = None  # who speaks in every claim of the article (None: the outlet)
    events: list[dict] = field(default_factory=list)
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)  # subject, type, object, needle


ARTICLES = [
    Article("2025-01-11", "Verin Daily", [
        "Fighters of the Red Hand Brigade attacked a checkpoint in Port Verin on 10 January, killing 4, "
        "the Arcadian Monitoring Office said.",
        "The Red Hand Brigade is allied with the Blue Lantern Front, the office said."], source="org:amo",
        events=[dict(type="Battles", place="place:XA-verin", date="2025-01-10", killed=4, perp="actor:rhb",
                     needle="attacked a checkpoint")],
        relations=[("actor:rhb", "ally_of", "actor:blf", "allied with the Blue Lantern Front")]),
    Article("2025-01-13", "Holloway Herald", [
        "The Blue Lantern Front fought soldiers in Holloway on 12 January; two people died.",
        "Residents say the Red Hand Brigade is allied with the Blue Lantern Front."],
        events=[dict(type="Battles", place="place:XA-holloway", date="2025-01-12", killed=2, perp="actor:blf",
                     needle="fought soldiers")],
        relations=[("actor:rhb", "ally_of", "actor:blf", "allied with the Blue Lantern Front")]),
    Article("2025-02-04", "Tessel Courier", [
        "Gunmen of the Iron Gate Militia killed 12 villagers near Tessel on 3 February, the Lantern Press "
        "Office said.",
        "The Iron Gate Militia supports the Red Hand Brigade, the office added."], source="org:lpo",
        events=[dict(type="Violence against civilians", place="place:XA-tessel", date="2025-02-03", killed=12,
                     perp="actor:igm", needle="killed 12 villagers")],
        relations=[("actor:igm", "supports", "actor:rhb", "supports the Red Hand Brigade")]),
    Article("2025-03-16", "Marrow Gazette", [
        "A car bomb claimed by the Green Star Network struck the market in Marrow on 15 March, and "
        "officials gave a toll of 5000.",
        "The Red Hand Brigade is hostile to the Green Star Network."],
        events=[dict(type="Explosions/Remote violence", place="place:XA-marrow", date="2025-03-15", killed=5000,
                     perp="actor:gsn", needle="car bomb")],
        relations=[("actor:rhb", "hostile_to", "actor:gsn", "hostile to the Green Star Network")]),
    Article("2025-04-21", "Verin Daily", [
        "The Red Hand Brigade raided Port Verin again on 20 April, killing 7, the Arcadian Monitoring "
        "Office said.",
        "The Red Hand Brigade operates in Port Verin, the office said."], source="org:amo",
        events=[dict(type="Battles", place="place:XA-verin", date="2025-04-20", killed=7, perp="actor:rhb",
                     needle="raided Port Verin")],
        relations=[("actor:rhb", "operates_in", "place:XA-verin", "operates in Port Verin")]),
    Article("2025-05-03", "Holloway Herald", [
        "Red Hand Brigade members beat a shopkeeper to death in Holloway on 2 May."],
        events=[dict(type="Violence against civilians", place="place:XA-holloway", date="2025-05-02", killed=1,
                     perp="actor:rhb", needle="beat a shopkeeper")]),
    # run 2
    Article(None, "Undated Leaflet", [
        "The Iron Gate Militia clashed with the Blue Lantern Front in Tessel, leaving 3 dead.",
        "The Blue Lantern Front is hostile to the Iron Gate Militia."],
        events=[dict(type="Battles", place="place:XA-tessel", date=None, killed=3, perp="actor:igm",
                     needle="clashed with the Blue Lantern Front")],
        relations=[("actor:blf", "hostile_to", "actor:igm", "hostile to the Iron Gate Militia")]),
    Article("2025-06-02", "Marrow Gazette", [
        "Hundreds marched in Marrow on 1 June; the Silent Owl Cell called the protest."],
        events=[dict(type="Protests", place="place:XA-marrow", date="2025-06-01", killed=None, perp="actor:owl",
                     needle="marched")]),
    Article("2025-01-14", "Arcadia Wire", [
        "The Blue Lantern Front fought soldiers in Holloway on 12 January, killing two, the Arcadian "
        "Monitoring Office said.",
        "The Iron Gate Militia supports the Red Hand Brigade with money, the office added."], source="org:amo",
        events=[dict(type="Battles", place="place:XA-holloway", date="2025-01-12", killed=2, perp="actor:blf",
                     needle="fought soldiers")],
        relations=[("actor:igm", "supports", "actor:rhb", "supports the Red Hand Brigade")]),
]
RUN_ONE = 6  # articles stored by the first run; the rest by the second


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind(". ", 0, pos)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", pos)
    return start, len(text) if end < 0 else end + 1


def _claim(doc: Document, needle: str, source: str | None) -> Claim:
    pos = doc.text.index(needle)
    ss, se = _sentence_bounds(doc.text, pos)
    return Claim(doc.id, pos, pos + len(needle), ss, se, doc.text[ss:se], source_key=source,
                 source_text=ENTITIES[source].name if source else None)


def article_result(i: int, a: Article) -> DocResult:
    text = " ".join(a.sentences)
    h = content_hash(text)
    doc = Document(id=h[:16], source=f"test://filters/{i}", raw=text, text=text, content_hash=h, format="txt",
                   title=f"Report {i}: {a.sentences[0][:40]}", published=a.published, publisher=a.publisher,
                   offsets=[(0, 0, len(text))])
    mentions, used = [], {}
    for key, ent in ENTITIES.items():
        pos = text.find(ent.name)
        while pos >= 0:
            ss, se = _sentence_bounds(text, pos)
            mentions.append(Mention(doc.id, pos, pos + len(ent.name), ent.name, ent.kind, key, ss, se, "test"))
            used[key] = ent
            pos = text.find(ent.name, pos + len(ent.name))
    used.setdefault("place:XA", ENTITIES["place:XA"])
    r = DocResult(document=doc, entities=list(used.values()), mentions=mentions)
    for e in a.events:
        r.events.append(Event(e["type"], None, _claim(doc, e["needle"], a.source), location_key=e["place"],
                              date=e["date"], killed=e["killed"], perpetrator_key=e["perp"], trigger=e["needle"]))
    for s, t, o, needle in a.relations:
        r.relations.append(Relation(s, t, o, _claim(doc, needle, a.source), cue=t))
    return r


def doc_ids() -> list[str]:
    return [content_hash(" ".join(a.sentences))[:16] for a in ARTICLES]


def build_filters_kb(path: Path | str, articles: list[Article] | None = None, split: int = RUN_ONE) -> Path | str:
    """Write the knowledge base to ``path`` (a SQLite file, or a store URL) in two runs (articles before
    ``split``, then the rest) and grade the two named sources.  Returns the path."""
    from sitrep.store import open_store
    from sitrep.store.decisions import decide

    articles = ARTICLES if articles is None else articles
    results = [article_result(i, a) for i, a in enumerate(articles)]
    store = open_store(str(path))
    try:
        for batch in (results[:split], results[split:]):
            run = store.begin_run("test", ["filters"])
            store.write_batch(batch)
            store.end_run(run, {"ingested": len(batch)}, [], "ok")
        for name, grade in GRADED.items():
            decide(store, "grade", {"source": name, "grade": grade}, who="test")
    finally:
        store.close()
    return path
