"""A small hand-made knowledge base for the output/web tests (invented articles, not the seeds).

Written straight through ``SQLiteStore.write_batch`` so the tests of briefs,
STIX, exports and the web page do not depend on extractor quality.  It holds:
a relation asserted by two independent sources and denied by a third (contested),
a part_of, a leads and a hostile_to relation, two disagreeing quantity estimates,
two events with places, and one hostile article full of HTML/JS payloads.
"""

from __future__ import annotations

from pathlib import Path

from sitrep.models import Claim, DocResult, Document, Entity, Event, Mention, Quantity, Relation, content_hash
from sitrep.store.sqlite import SQLiteStore

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '<img src=x onerror=alert(1)>'
XSS_LINK = '<a href="javascript:alert(1)">click</a>'

ENTITIES = {
    "actor:taliban": Entity("actor:taliban", "Taliban", "armed_group", aliases=["Islamic Emirate"], country="AF"),
    "actor:al-qaeda": Entity("actor:al-qaeda", "al-Qaeda", "armed_group", aliases=["AQ", "Al Qaeda"]),
    "actor:iskp": Entity("actor:iskp", "Islamic State Khorasan Province", "armed_group", aliases=["ISKP"],
                         parent="actor:islamic-state"),
    "actor:islamic-state": Entity("actor:islamic-state", "Islamic State", "armed_group", aliases=["ISIS"]),
    "actor:nrf": Entity("actor:nrf", "National Resistance Front", "armed_group", aliases=["NRF"], country="AF"),
    "person:ahmad-massoud": Entity("person:ahmad-massoud", "Ahmad Massoud", "person"),
    "person:zabihullah-mujahid": Entity("person:zabihullah-mujahid", "Zabihullah Mujahid", "person"),
    "org:un": Entity("org:un", "United Nations", "organization", aliases=["UN"]),
    "state:pakistan": Entity("state:pakistan", "Pakistan", "state", country="PK"),
    "place:AF": Entity("place:AF", "Afghanistan", "country", country="AF", lat=33.9, lon=67.7),
    "place:AF-kabul": Entity("place:AF-kabul", "Kabul", "city", country="AF", parent="place:AF", lat=34.53, lon=69.17),
    "place:AF-kunar": Entity("place:AF-kunar", "Kunar", "province", country="AF", parent="place:AF",
                             lat=34.85, lon=71.1),
}

ARTICLES = [
    {
        "title": "Resistance leader warns of militant regrouping",
        "publisher": "Example Herald", "published": "2023-06-10", "url": "https://example.org/a1",
        "text": ("Ahmad Massoud said the Taliban remain allied with al-Qaeda. "
                 "The National Resistance Front is fighting the Taliban in Kunar. "
                 "Islamic State Khorasan Province has about 4,000 fighters, Massoud said."),
        "source": "person:ahmad-massoud",
    },
    {
        "title": "UN monitors describe close ties",
        "publisher": "Example Times", "published": "2023-06-12", "url": "https://example.net/a2",
        "text": ("A United Nations report says the Taliban and al-Qaeda remain closely allied. "
                 "The report estimates ISKP has between 1,500 and 2,200 fighters. "
                 "A suicide bombing in Kabul on 2023-06-08 killed 6 people, the report said."),
        "source": "org:un",
    },
    {
        "title": "Taliban spokesman rejects claims",
        "publisher": "Example Wire", "published": "2023-06-14", "url": "javascript:alert(1)",
        "text": ("Zabihullah Mujahid denied that the Taliban are allied with al-Qaeda. "
                 "Islamic State Khorasan Province is a branch of Islamic State. "
                 "Ahmad Massoud leads the National Resistance Front. "
                 "A suicide bombing in Kabul on 2023-06-08 killed 6 people."),
        "source": "person:zabihullah-mujahid",
    },
    {
        "title": f"Hostile {XSS_SCRIPT} title {XSS_IMG}",
        "publisher": f"Evil {XSS_LINK} Press", "published": "2023-06-15", "url": "javascript:alert(1)",
        "text": (f"Taliban {XSS_SCRIPT} fighters met {XSS_IMG} near {XSS_LINK} Kabul. "
                 f"Group {XSS_SCRIPT}Name clashed with the Taliban."),
        "source": None,
        "hostile": True,
    },
]


def _sentence(text: str, needle: str, start: int | None = None) -> tuple[int, int, int, int]:
    """(start, end) of needle and (sent_start, sent_end) of its sentence."""
    start = text.index(needle) if start is None else start
    sent_start = text.rfind(". ", 0, start)
    sent_start = 0 if sent_start < 0 else sent_start + 2
    sent_end = text.find(". ", start)
    sent_end = len(text) if sent_end < 0 else sent_end + 1
    return start, start + len(needle), sent_start, sent_end


def _claim(doc: Document, needle: str, polarity: str = "asserted", source: str | None = None) -> Claim:
    s, e, ss, se = _sentence(doc.text, needle)
    return Claim(doc.id, s, e, ss, se, doc.text[ss:se], polarity=polarity, source_key=source,
                 source_text=ENTITIES[source].name if source else None)


def _document(a: dict, i: int) -> Document:
    text = a["text"]
    h = content_hash(text)
    return Document(id=h[:16], source=f"test://article/{i}", raw=text, text=text, content_hash=h,
                    format="txt", title=a["title"], published=a["published"], publisher=a["publisher"],
                    url=a["url"], offsets=[(0, 0, len(text))],
                    removed=["Subscribe to our newsletter", f"Share {XSS_SCRIPT}"] if a.get("hostile") else
                    ["Subscribe to our newsletter"])


def _mentions(doc: Document) -> tuple[list[Mention], list[Entity]]:
    out, used = [], {}
    for key, ent in ENTITIES.items():
        for name in {ent.name, *ent.aliases}:
            pos = doc.text.find(name)
            while pos >= 0:
                _, _, ss, se = _sentence(doc.text, name, pos)
                out.append(Mention(doc.id, pos, pos + len(name), name, ent.kind, key, ss, se, "test"))
                used[key] = ent
                pos = doc.text.find(name, pos + len(name))
    hostile = "Group <script>alert(1)</script>Name"
    if hostile in doc.text:
        key = "actor:hostile"
        ent = Entity(key, f"{XSS_SCRIPT}Name {XSS_IMG}", "armed_group", aliases=[XSS_LINK], guessed=True)
        pos = doc.text.index(hostile)
        out.append(Mention(doc.id, pos, pos + len(hostile), hostile, "armed_group", key, pos, pos + 40, "test"))
        used[key] = ent
    return out, list(used.values())


def build_results() -> list[DocResult]:
    results = []
    for i, a in enumerate(ARTICLES):
        doc = _document(a, i)
        mentions, ents = _mentions(doc)
        # the parents and sources must exist as entities too
        for key in ("actor:islamic-state", "place:AF", a["source"]):
            if key and ENTITIES[key] not in ents:
                ents.append(ENTITIES[key])
        r = DocResult(document=doc, entities=ents, mentions=mentions)
        src = a["source"]
        if i == 0:
            r.relations.append(Relation("actor:taliban", "ally_of", "actor:al-qaeda",
                                        _claim(doc, "allied with al-Qaeda", source=src), cue="allied"))
            r.relations.append(Relation("actor:nrf", "hostile_to", "actor:taliban",
                                        _claim(doc, "fighting the Taliban"), cue="fighting"))
            r.relations.append(Relation("actor:nrf", "operates_in", "place:AF-kunar",
                                        _claim(doc, "in Kunar"), cue="in"))
            r.quantities.append(Quantity("actor:iskp", "fighters", 4000, 4000,
                                         _claim(doc, "about 4,000 fighters", source=src), "about", "about 4,000"))
        elif i == 1:
            r.relations.append(Relation("actor:al-qaeda", "ally_of", "actor:taliban",
                                        _claim(doc, "closely allied", source=src), cue="allied"))
            r.quantities.append(Quantity("actor:iskp", "fighters", 1500, 2200,
                                         _claim(doc, "between 1,500 and 2,200 fighters", source=src),
                                         "between", "between 1,500 and 2,200"))
            r.events.append(Event("Explosions/Remote violence", "Suicide bomb", _claim(doc, "suicide bombing", source=src),
                                  location_key="place:AF-kabul", date="2023-06-08", killed=6,
                                  perpetrator_key="actor:iskp", trigger="suicide bombing"))
        elif i == 2:
            r.relations.append(Relation("actor:taliban", "ally_of", "actor:al-qaeda",
                                        _claim(doc, "allied with al-Qaeda", polarity="denied", source=src),
                                        cue="denied"))
            r.relations.append(Relation("actor:iskp", "part_of", "actor:islamic-state",
                                        _claim(doc, "a branch of Islamic State"), cue="branch"))
            r.relations.append(Relation("person:ahmad-massoud", "leads", "actor:nrf",
                                        _claim(doc, "leads the National"), cue="leads"))
            r.events.append(Event("Explosions/Remote violence", "Suicide bomb", _claim(doc, "suicide bombing"),
                                  location_key="place:AF-kabul", date="2023-06-08", killed=6,
                                  perpetrator_key="actor:iskp", trigger="suicide bombing"))
        else:
            r.relations.append(Relation("actor:hostile", "hostile_to", "actor:taliban",
                                        _claim(doc, "clashed with the Taliban"), cue=XSS_SCRIPT))
            r.events.append(Event("Battles", XSS_SCRIPT, _claim(doc, "clashed"), location_key="place:AF-kabul",
                                  date="2023-06-15", perpetrator_key="actor:hostile", target_text=XSS_IMG,
                                  trigger="clashed"))
        results.append(r)
    return results


def build_sample_kb(path: Path) -> Path:
    """Write the sample knowledge base to ``path`` (a new SQLite file) and return the path."""
    store = SQLiteStore(path)
    try:
        store.write_batch(build_results())
    finally:
        store.close()
    return path


def doc_id(index: int) -> str:
    return content_hash(ARTICLES[index]["text"])[:16]


SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"
