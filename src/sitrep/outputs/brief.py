"""Situation report: per actor, who it is, its relations, numbers, recent events and contested claims.

The report is built once as plain data (:class:`Brief`) and rendered to
Markdown (terminal, default) or one self-contained HTML file.  Every content
line is made of parts, each followed by the numbers of the citations backing
it, so no statement appears without a footnote.  Each relation and number carries
its credibility (1-6) and each citation its source's reliability grade (A-F), from
:mod:`sitrep.query.grading`, with a short legend of both scales.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from sitrep.data import schema
from sitrep.ingest.paged import page_of
from sitrep.models import PLACE_KINDS
from sitrep.outputs.citations import Citation, Citations, one_line
from sitrep.query.actors import list_actors, resolve_entity
from sitrep.query.events import group_events
from sitrep.query.facts import group_quantities, group_relations
from sitrep.query.grading import Grades, grade_with, grades, legend
from sitrep.store.base import Row, Store

KIND_LABELS = {
    "armed_group": "an armed group", "person": "a person", "organization": "an organisation",
    "state": "a state", "country": "a country", "province": "a province", "city": "a city",
    "district": "a district", "region": "a region",
}

# (relation type, the actor is the subject?) -> section title; symmetric types match either side.
SECTIONS: list[tuple[str, str, bool | None]] = [
    ("Allies", "ally_of", None),
    ("Supported by", "supports", False),
    ("Supports", "supports", True),
    ("Enemies", "hostile_to", None),
    ("Branches and affiliates", "part_of", False),
    ("Part of", "part_of", True),
    ("Leaders", "leads", False),
    ("Leads", "leads", True),
    ("Members", "member_of", False),
    ("Member of", "member_of", True),
    ("Operates in", "operates_in", True),
    ("Active actors", "operates_in", False),
]

#: relation type -> its phrase in prose ("is allied with"): src/sitrep/data/schema.yaml
RELATION_WORDS = {name: spec.phrase for name, spec in schema().relations.items()}


@dataclass(slots=True)
class Part:
    """A piece of text and the citations that back it."""

    text: str
    cites: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Line:
    parts: list[Part]
    contested: bool = False


@dataclass(slots=True)
class Section:
    title: str
    lines: list[Line]


@dataclass(slots=True)
class Contest:
    claim: str
    asserted: list[Part]
    denied: list[Part]


@dataclass(slots=True)
class ActorBrief:
    id: int
    name: str
    kind: str
    summary: Line
    sections: list[Section]
    contested: list[Contest]


@dataclass(slots=True)
class Brief:
    title: str
    generated: str
    since: str | None
    documents: int
    store: str
    actors: list[ActorBrief]
    citations: list[Citation]
    grades: dict[int, str] = field(default_factory=dict)  # citation number -> its source's reliability (A-F)
    legend: dict[str, dict[str, str]] = field(default_factory=dict)  # the two scales (grading.legend())


# -- building ---------------------------------------------------------------------------------

def _since_ok(row: Row, since: str | None) -> bool:
    published = row.get("doc_published")
    return not since or not published or str(published) >= since


def _num(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.1f}"


def format_range(low: float | None, high: float | None, qualifier: str | None = None) -> str:
    """'2,000', '2,000–4,000', 'more than 20', 'up to 500'."""
    if low is not None and high is not None:
        text = _num(low) if low == high else f"{_num(low)}–{_num(high)}"
        if qualifier and low == high and qualifier not in ("between",):
            text = f"{qualifier} {text}"
        return text
    if low is not None:
        return f"{qualifier or 'at least'} {_num(low)}"
    if high is not None:
        return f"{qualifier or 'up to'} {_num(high)}"
    return "an unknown number"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _who(claims: list[dict[str, Any]]) -> str:
    names: list[str] = []
    for c in claims:
        name = f"{c['source']} ({c['grade']})" if c.get("grade") else c["source"]  # with its reliability
        if name not in names:
            names.append(name)
    shown = ", ".join(names[:4])
    return shown + (f" and {len(names) - 4} more" if len(names) > 4 else "")


def _summary(store: Store, ent: Row, cites: Citations, since: str | None = None) -> Line:
    """Who it is: kind, spellings, parent, country; backed by the first mentions in its top documents."""
    aliases = [a for a in store.aliases(ent["id"]) if a != ent["name"]]
    parent = store.entity_by_key(ent["parent_key"]) if ent.get("parent_key") else None
    bits = [f"{ent['name']} is {KIND_LABELS.get(ent['kind'], ent['kind'])}"
            + (" (kind guessed from context)" if ent.get("guessed") else "")]
    if aliases:
        bits.append(f"also called {', '.join(aliases[:8])}")
    if parent:
        bits.append(f"listed as part of {parent['name']}")
    if ent.get("country"):
        bits.append(f"country {ent['country']}")
    docs = store.entity_documents(ent["id"], limit=50)
    text = "; ".join(bits) + f". It is mentioned in {_plural(len(docs), 'document')}"
    numbers: list[int] = []
    seen_docs: set[str] = set()
    for m in store.mentions(entity_id=ent["id"], limit=500):
        if m["doc_id"] in seen_docs:
            continue
        seen_docs.add(m["doc_id"])
        doc = cites.document(m["doc_id"])
        if not _since_ok({"doc_published": doc.get("published")}, since):
            continue
        sentence = (doc.get("text") or "")[m["sent_start"]:m["sent_end"]] or m["text"]
        numbers.append(cites.add(m["doc_id"], doc.get("publisher") or "the article", sentence,
                                 page_of(doc.get("meta"), m.get("start"))))
        if len(numbers) >= 2:
            break
    if not numbers and since:  # nothing reported since: back the identity with older mentions
        return _summary(store, ent, cites, None)
    return Line([Part(text + ".", numbers)])


def credibility_note(fact: dict[str, Any]) -> str:
    """' (credibility 2: probably true)' for a graded fact, '' otherwise."""
    if not fact.get("credibility"):
        return ""
    return f" (credibility {fact['credibility']}: {fact.get('credibility_label') or ''})"


def _relation_line(fact: dict[str, Any], other: str, cites: Citations) -> Line:
    asserted = [c for c in fact["claims"] if c["polarity"] == "asserted"]
    denied = [c for c in fact["claims"] if c["polarity"] != "asserted"]
    parts: list[Part] = []
    other += credibility_note(fact)
    if asserted:
        a = fact["asserted"]
        parts.append(Part(f"{other}: asserted by {_plural(a['sources'], 'independent source')} in "
                          f"{_plural(a['documents'], 'document')} ({_who(asserted)})", cites.claims(asserted)))
    else:
        parts.append(Part(f"{other}: no source asserts this", cites.claims(denied, limit=1)))
    if denied:
        parts.append(Part(f"; denied by {_plural(fact['denied']['sources'], 'source')} ({_who(denied)})",
                          cites.claims(denied)))
    return Line(parts, contested=fact["contested"])


def _relation_sections(ent: Row, facts: list[dict[str, Any]], cites: Citations) -> list[Section]:
    sections: list[Section] = []
    for title, rtype, as_subject in SECTIONS:
        lines = []
        for f in facts:
            if f["type"] != rtype:
                continue
            is_subject = f["subject_id"] == ent["id"]
            if as_subject is not None and not schema().is_symmetric(rtype) and is_subject != as_subject:
                continue
            other = f["object"] if is_subject else f["subject"]
            lines.append(_relation_line(f, other, cites))
        if lines:
            sections.append(Section(title, lines))
    return sections


def _quantity_section(qts: list[dict[str, Any]], cites: Citations) -> Section | None:
    lines = []
    for q in qts:
        r = q["range"]
        what = q["estimates"][0]["what"] if q["estimates"] else q["what"]
        head = (f"{what}: {format_range(r['low'], r['high'])} across "
                f"{_plural(len(q['estimates']), 'estimate')} from {_plural(q['corroboration']['sources'], 'source')}"
                + ("; the estimates disagree" if q["disagreement"] else "") + credibility_note(q))
        parts = [Part(head, cites.claims(q["estimates"]))]
        for est in q["estimates"][:8]:
            when = est.get("published") or "undated"
            graded = f"graded {est['grade']}, " if est.get("grade") else ""
            parts.append(Part(f"; {format_range(est['low'], est['high'], est.get('qualifier'))} {est['what']} "
                              f"according to {est['source']} ({graded}{when})", [cites.claim(est)]))
        lines.append(Line(parts, contested=q["disagreement"]))
    return Section("Numbers", lines) if lines else None


def _event_line(e: dict[str, Any], cites: Citations) -> Line:
    when = e["date"] or (f"undated ({e['date_text']})" if e.get("date_text") else f"reported {e['reported'] or '?'}")
    text = f"{when}: {e['type']}" + (f" ({e['sub_type']})" if e.get("sub_type") else "")
    if e.get("location"):
        text += f" in {e['location']}"
    if e.get("killed") is not None:
        text += f", {'at least ' if e.get('killed_min') else ''}{e['killed']} killed"
    if e.get("wounded") is not None:
        text += f", {e['wounded']} wounded"
    if e.get("perpetrator"):
        text += f"; perpetrator: {e['perpetrator']}"
    if e.get("target"):
        text += f"; target: {e['target']}"
    text += f"; {_plural(e['sources'], 'source')}"
    return Line([Part(text, cites.claims(e["reports"]))])


def _contests(facts: list[dict[str, Any]], cites: Citations) -> list[Contest]:
    out = []
    for f in facts:
        if not f["contested"]:
            continue
        claim = f"{f['subject']} {schema().phrase(f['type'])} {f['object']}{credibility_note(f)}"
        sides: dict[str, list[Part]] = {"asserted": [], "denied": []}
        for c in f["claims"]:
            side = sides["asserted" if c["polarity"] == "asserted" else "denied"]
            quote = one_line(c["sentence"])
            quote = quote if len(quote) <= 160 else quote[:157] + "…"
            side.append(Part(f"{c['source']}: “{quote}”", [cites.claim(c)]))
        out.append(Contest(claim, sides["asserted"], sides["denied"]))
    return out


def actor_brief(store: Store, ent: Row, cites: Citations, since: str | None = None,
                max_events: int = 10, graded: Grades | None = None) -> ActorBrief:
    rel_rows = [r for r in store.relation_rows(entity_id=ent["id"]) if _since_ok(r, since)]
    facts = group_relations(rel_rows)
    qts = group_quantities([r for r in store.quantity_rows(entity_id=ent["id"]) if _since_ok(r, since)])
    g = graded or grades(store)
    grade_with(g, facts)
    grade_with(g, qts)
    if ent["kind"] in PLACE_KINDS:
        ev_rows = store.event_rows(place_ids=store.places_within(ent["id"]), since=since)
    else:
        ev_rows = store.event_rows(entity_id=ent["id"], since=since)
    evs = sorted(group_events(ev_rows), key=lambda e: e["date"] or e["reported"] or "", reverse=True)

    summary = _summary(store, ent, cites, since)
    sections = _relation_sections(ent, facts, cites)
    numbers = _quantity_section(qts, cites)
    if numbers:
        sections.append(numbers)
    if evs:
        sections.append(Section("Recent events", [_event_line(e, cites) for e in evs[:max_events]]))
    return ActorBrief(ent["id"], ent["name"], ent["kind"], summary, sections, _contests(facts, cites))


def build_brief(store: Store, actor: str | None = None, since: str | None = None, top: int = 5) -> Brief:
    """Build the report for one actor (any spelling; raises NotFound) or the ``top`` armed groups."""
    if actor:
        ents = [resolve_entity(store, actor)]
    else:
        ents = list_actors(store, kind="armed_group", limit=top) or list_actors(store, limit=top)
    cites = Citations(store)
    g = grades(store)
    actors = [actor_brief(store, e, cites, since=since, graded=g) for e in ents]
    title = f"Situation report: {ents[0]['name']}" if actor and ents else "Situation report"
    return Brief(
        title=title,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        since=since,
        documents=store.count_documents(),
        store=Path(store.url).name if "://" not in store.url else "database",
        actors=actors,
        citations=cites.items,
        grades={c.n: g.of(c.source) for c in cites.items},
        legend=legend(),
    )


# -- Markdown ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown/HTML punctuation so article text renders as literal text."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def _md_cites(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _md_parts(parts: list[Part]) -> str:
    return "".join(f"{md_escape(p.text)}{' ' + _md_cites(p.cites) if p.cites else ''}" for p in parts)


def render_markdown(brief: Brief) -> str:
    out = [f"# {md_escape(brief.title)}", ""]
    meta = f"_Generated {brief.generated} from {brief.documents} documents in {md_escape(brief.store)}"
    meta += f"; reporting published since {md_escape(brief.since)}._" if brief.since else "._"
    out += [meta, ""]
    if not brief.actors:
        out += ["_No actors in the knowledge base yet._", ""]
    for a in brief.actors:
        out += [f"## {md_escape(a.name)}", "", _md_parts(a.summary.parts), ""]
        for s in a.sections:
            out += [f"### {s.title}", ""]
            out += [f"- {'**CONTESTED** ' if line.contested else ''}{_md_parts(line.parts)}" for line in s.lines]
            out.append("")
        if a.contested:
            out += ["### Contested claims", "", "| Claim | Asserted by | Denied by |", "|---|---|---|"]
            for c in a.contested:
                cells = [md_escape(c.claim) + " " + _md_cites(sorted({n for p in c.asserted + c.denied
                                                                        for n in p.cites}))]
                cells += ["<br>".join(_md_parts([p]) for p in side) for side in (c.asserted, c.denied)]
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
    if brief.legend and brief.citations:
        out += ["## Grades", "", f"_{md_escape(legend_text(brief.legend))}_", ""]
    if brief.citations:
        out += ["## Sources", ""]
        for c in brief.citations:
            line = f"[{c.n}] doc {c.doc_id}: “{md_escape(c.title or 'untitled')}”, {md_escape(c.publisher or 'unknown publisher')}"
            line += f", {md_escape(c.published or 'undated')}{f', p. {c.page}' if c.page else ''}"
            grade = f", graded {brief.grades[c.n]}" if c.n in brief.grades else ""
            line += f". Source: {md_escape(c.source)}{grade}. “{md_escape(c.sentence)}”"
            if c.url:
                line += f" <{c.url}>"
            out.append(line)
        out.append("")
    return "\n".join(out)


def legend_text(scales: dict[str, dict[str, str]]) -> str:
    """The two Admiralty scales in two sentences, for the briefing's legend."""
    rel = "; ".join(f"{k} {v}" for k, v in scales.get("reliability", {}).items())
    cred = "; ".join(f"{k} {v}" for k, v in scales.get("credibility", {}).items())
    return (f"Each source is graded for reliability ({rel}). Each fact has a credibility computed from its "
            f"sources ({cred}).")


# -- HTML ----------------------------------------------------------------------------------------

_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(brief: Brief) -> str:
    """One self-contained HTML file: inline CSS, no scripts, every text node escaped by Jinja2."""
    return _env.get_template("brief.html").render(brief=brief, legend=legend_text(brief.legend))


def render(brief: Brief, fmt: str = "md") -> str:
    if fmt == "html":
        return render_html(brief)
    if fmt == "md":
        return render_markdown(brief)
    raise ValueError(f"unknown format {fmt!r} (md or html)")


def render_pdf(brief: Brief) -> bytes:
    """The HTML brief printed to PDF by weasyprint: the same content and citations."""
    from weasyprint import HTML

    return bytes(HTML(string=render_html(brief)).write_pdf())
