"""The repeated parts of the pages, written in Python: claims, facts, estimates, event rows, article text.

A page lists dozens to thousands of claims; rendered through Jinja macros they were most of the
page's CPU (a macro call, and an attribute look-up that raises and catches an exception for every
``c.field`` of a dict, per claim).  These functions write the same HTML, byte for byte, as the
macros they replace did (``tests/test_web_fragments.py`` holds them to it), and they follow the same
rule as the templates: **every value is escaped** with ``markupsafe.escape`` (text and attribute
values alike; attributes are always double-quoted, and ``escape`` escapes both quote characters),
and only this module's own literal markup is left unescaped.  Article text and every stored field
is untrusted; nothing here ever passes a value through unescaped.

The templates call them as globals (``render_facts(relations, forms)``); ``forms`` carries what the
analyst's claim forms need (the session's CSRF token and the page's path) when the server takes
decisions, else None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

Row = Mapping[str, Any]
_MISSING: Any = object()
_REJECTED = ' <span class="flag">rejected</span>'


@dataclass(frozen=True, slots=True)
class ClaimForms:
    """What the reject / confirm forms beside each claim carry: the session's CSRF token and the page."""

    csrf: str
    back: str


_SPECIAL = re.compile(r"[<>&'\"]")


def _e(value: Any) -> str:
    """A value as the templates print it: escaped (``markupsafe.escape``), ``None`` as ``None``; a plain
    string with nothing to escape, an int or None is written as it is without building markup."""
    kind = value.__class__
    if kind is str:
        return value if _SPECIAL.search(value) is None else str(escape(value))
    if kind is int or value is None:
        return str(value)
    return str(escape(value))


def _hidden(kind: str, forms: ClaimForms) -> str:
    return (f'<input type="hidden" name="kind" value="{kind}"><input type="hidden" name="csrf" '
            f'value="{_e(forms.csrf)}"><input type="hidden" name="back" value="{_e(forms.back)}">')


def claim_forms(c: Row, forms: ClaimForms) -> str:
    """The reject and confirm forms of one claim (posted to ``/decide``, checked by ``web.corrections``)."""
    cid = _e(c.get("claim_id", ""))
    return ('<span class="decide-claim">\n'
            f'<form class="decide" data-kind="reject" method="post" action="/decide">{_hidden("reject", forms)}'
            f'<input type="hidden" name="claim" value="{cid}"><input name="why" placeholder="why (optional)" '
            'maxlength="300" aria-label="Why reject this claim"><button type="submit">Reject</button></form>\n'
            f'<form class="decide" data-kind="confirm" method="post" action="/decide">{_hidden("confirm", forms)}'
            f'<input type="hidden" name="claim" value="{cid}"><button type="submit">Confirm</button></form>\n'
            '</span>\n')


def entity_link(entity_id: Any, name: Any, kind: Any = None) -> Markup:
    """A link to an actor's or place's page."""
    return Markup(_entity_link(entity_id, name, kind))


def _entity_link(entity_id: Any, name: Any, kind: Any = None) -> str:
    cls = f"ent k-{_e(kind)}" if kind else "ent"
    return f'<a class="{cls}" href="/actor/{_e(entity_id)}">{_e(name)}</a>'


def _grade_badge(c: Row) -> str:
    grade = c.get("grade")
    if not grade:
        return ""
    return f' <span class="badge grade" title="source reliability: {_e(c.get("grade_meaning", ""))}">{_e(grade)}</span>'


def _claim(c: Row, forms: ClaimForms | None) -> str:
    g = c.get
    rejected = g("rejected")
    source = _e(g("source", ""))
    who = f'<a href="/source/{_e(g("source_id"))}">{source}</a>' if g("source_id") else source
    modality = f' <em>({_e(g("modality"))})</em>' if g("modality") else ""
    published = f', {_e(g("published"))}' if g("published") else ""
    page = f', p. {_e(g("page"))}' if g("page") else ""
    out = [f'<li class="claim {_e(g("polarity", ""))}{" rejected" if rejected else ""}" '
           f'data-claim="{_e(g("claim_id", ""))}">\n',
           f'  <span class="pol">{"denies" if g("polarity") == "denied" else "says"}</span>\n',
           f'  <strong>{who}</strong>{_grade_badge(c)}{modality}',
           f'  — <a href="/doc/{_e(g("doc_id", ""))}">{_e(g("doc_title") or g("doc_id", ""))}</a>\n',
           f'  <span class="muted">{_e(g("publisher") or "")}{published}{page}</span>\n']
    if rejected:
        why = f': {_e(g("rejected_why"))}' if g("rejected_why") else ""
        out.append(f'<span class="flag">rejected</span> <span class="muted">by {_e(g("rejected_by") or "an analyst")}'
                   f'{why}</span>')
    out.append(f'  <q>{_e(g("sentence", ""))}</q>\n')
    if g("claim_id"):
        out.append(f'<span class="muted claim-id">{_e(g("claim_id"))}</span>')
        if forms is not None and not rejected:
            out.append(claim_forms(c, forms))
    out.append("</li>\n")
    return "".join(out)


def render_claims(claims: Iterable[Row], forms: ClaimForms | None = None) -> Markup:
    """Claims as list items (polarity, source and its grade, document, sentence, claim id)."""
    return Markup("".join(_claim(c, forms) for c in claims))


def _plural(n: Any, word: str) -> str:
    return f"{_e(n)} {word}{'' if n == 1 else 's'}"


def _fact(f: Row, forms: ClaimForms | None) -> str:
    g = f.get
    asserted, denied = g("asserted") or {}, g("denied") or {}
    kind = _e(g("type", ""))
    claims = g("claims") or []
    out = [f'<li class="fact{" contested" if g("contested") else ""}">\n',
           '  <div class="fact-head">\n',
           f'    {_entity_link(g("subject_id", ""), g("subject", ""))} <span class="rel rel-{kind}">'
           f'{kind.replace("_", " ")}</span> {_entity_link(g("object_id", ""), g("object", ""))}\n',
           f'    <span class="badge" title="independent sources asserting">{_plural(asserted.get("sources", ""), "source")}'
           '</span>\n']
    if denied.get("sources"):
        out.append(f'<span class="badge deny" title="sources denying">{_e(denied["sources"])} deny</span>')
    if g("contested"):
        out.append('<span class="flag">contested</span>')
    if g("credibility"):
        out.append(f'<span class="badge cred" title="{_e(g("credibility_why", ""))}">credibility '
                   f'{_e(g("credibility"))}: {_e(g("credibility_label", ""))}</span>')
    if g("rejected"):
        out.append('<span class="flag">rejected</span>')
    out += ['  </div>\n',
            f'  <details><summary>{_plural(len(claims), "claim")}</summary>\n',
            f'    <ul class="claims">{"".join(_claim(c, forms) for c in claims)}</ul>\n',
            '  </details>\n',
            '</li>\n']
    return "".join(out)


def render_facts(facts: Iterable[Row], forms: ClaimForms | None = None) -> Markup:
    """Relation facts as list items: subject, relation, object, sources, credibility, then their claims."""
    return Markup("".join(_fact(f, forms) for f in facts))


def _number(value: Any) -> str:
    return "?" if value is None else _e(f"{value:,.0f}")


def _quantity(q: Row, show_subject: bool) -> str:
    g = q.get
    estimates = g("estimates") or []
    rng = g("range") or {}
    subject = f'{_entity_link(g("subject_id"), g("subject", ""))}: ' if show_subject and g("subject_id") else ""
    what = estimates[0].get("what", "") if estimates else g("what", "")
    out = [f'<li class="fact{" contested" if g("disagreement") else ""}">\n',
           f'  <div class="fact-head">{subject}<strong>{_e(what)}</strong>:\n',
           f'{_number(rng.get("low"))}–{_number(rng.get("high"))}',
           f'    <span class="badge">{_plural((g("corroboration") or {}).get("sources", ""), "source")}</span>\n']
    if g("disagreement"):
        out.append('<span class="flag">estimates disagree</span>')
    if g("credibility"):
        out.append(f'<span class="badge cred" title="{_e(g("credibility_why", ""))}">credibility '
                   f'{_e(g("credibility"))}: {_e(g("credibility_label", ""))}</span>')
    out.append("</div>\n  <ul class=\"claims\">\n")
    for e in estimates:
        h = e.get
        rejected = h("rejected")
        out.append(f'    <li class="claim{" rejected" if rejected else ""}" data-claim="{_e(h("claim_id", ""))}">'
                   f'<strong>{_e(h("text") or h("low", ""))}</strong> — {_e(h("source", ""))}{_grade_badge(e)}, '
                   f'<a href="/doc/{_e(h("doc_id", ""))}">{_e(h("doc_title") or h("doc_id", ""))}</a> '
                   f'<span class="muted">{_e(h("published") or "")}</span>'
                   f'{_REJECTED if rejected else ""} <q>{_e(h("sentence", ""))}</q></li>\n')
    out.append("  </ul>\n</li>\n")
    return "".join(out)


def render_quantities(groups: Iterable[Row], show_subject: bool = True) -> Markup:
    """Groups of estimates as list items: the quantity, its range, sources, credibility and each estimate."""
    return Markup("".join(_quantity(q, show_subject) for q in groups))


def _event_row(e: Row) -> str:
    g = e.get
    sub = f'<br><span class="muted">{_e(g("sub_type"))}</span>' if g("sub_type") else ""
    place = _entity_link(g("location_id"), g("location", "")) if g("location_id") else ""
    doer = _entity_link(g("perpetrator_id"), g("perpetrator", "")) if g("perpetrator_id") else ""
    killed = g("killed", _MISSING)
    toll = ""
    if killed is not None:
        toll = ("≥" if g("killed_min") else "") + ("" if killed is _MISSING else _e(killed))
    reports = g("reports") or []
    by = ", ".join(f'<a href="/doc/{_e(r.get("doc_id", ""))}" title="{_e(r.get("sentence", ""))}">'
                   f'{_e(r.get("source", ""))}</a>{_grade_badge(r)}' for r in reports)
    return (f'<tr>\n  <td>{_e(g("date") or ("? " + str(g("date_text") or "")))}</td>\n'
            f'  <td>{_e(g("type", ""))}{sub}</td>\n  <td>{place}</td>\n  <td>{doer}</td>\n  <td>{toll}</td>\n'
            f'  <td>{by}</td>\n</tr>\n')


def render_event_table(events: Iterable[Row]) -> Markup:
    """Events as a table: date, type, place, perpetrator, toll and who reported each (with grades)."""
    rows = "".join(_event_row(e) for e in events)
    return Markup('<table class="events">\n  <thead><tr><th>Date</th><th>Type</th><th>Place</th><th>Perpetrator</th>'
                  f'<th>Killed</th><th>Reported by</th></tr></thead>\n  <tbody>{rows}</tbody>\n</table>\n')


def render_segments(segments: Iterable[Row]) -> Markup:
    """An article's text from :func:`sitrep.web.render.highlight_segments`: mentions as links, all escaped."""
    out = []
    for s in segments:
        m = s.get("mention")
        if m:
            kind = _e(m.get("kind", ""))
            out.append(f'<a class="mention k-{kind}" href="/actor/{_e(m.get("entity_id", ""))}" '
                       f'title="{_e(m.get("name", ""))} ({kind})">{_e(s.get("text", ""))}</a>')
        else:
            out.append(_e(s.get("text", "")))
    return Markup("".join(out))


#: the globals the templates call
GLOBALS = {"entity_link": entity_link, "render_claims": render_claims, "render_facts": render_facts,
           "render_quantities": render_quantities, "render_event_table": render_event_table,
           "render_segments": render_segments}
