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

import json
from dataclasses import dataclass, field, fields
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


DATA = Path(__file__).with_name("data") / "filters_kb.json"  # the articles, one record each


def load_articles(path: Path = DATA) -> tuple[list[Article], int]:
    """The articles of ``path`` and how many of them the first run stores; unknown keys are an error."""
    data = json.loads(path.read_text(encoding="utf-8"))
    known = {f.name for f in fields(Article)}
    articles = []
    for i, rec in enumerate(data["articles"]):
        unknown = set(rec) - known
        if unknown:
            raise ValueError(f"{path.name}: article {i}: unknown key(s) {sorted(unknown)}")
        articles.append(Article(**{**rec, "relations": [tuple(r) for r in rec.get("relations", [])]}))
    return articles, int(data["run_one"])


ARTICLES, RUN_ONE = load_articles()  # RUN_ONE: articles stored by the first run; the rest by the second


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
