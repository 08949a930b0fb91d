"""Entity passes that refine what the other passes found: names that only a headline or a menu gives,
two spellings of one guessed name, a place written "A/B", a spelling of a known actor."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from sitrep.extract.entities_state import EntityState, Found, copy_identity, in_title_case_line, line_at
from sitrep.models import PLACE_KINDS
from sitrep.resolve.linking import compact, entity_key

_SPELLING_SCORE = 90  # rapidfuzz ratio from which two spellings of a name are one name
_MIN_FUZZY_CHARS = 8  # shorter names are too easily confused ("Vela" / "Vala") for fuzzy matching


def drop_headline_artefacts(st: EntityState, found: list[Found]) -> list[Found]:
    """A guessed name seen only in title-case lines (headlines, menus, teasers) is dropped: capitals
    there do not mark names ("Gunmen Kill Three Soldiers").  Kept when the line is the name itself (a
    credit line) or when the name recurs in ordinary text."""
    plain: set[str] = set()
    for item in found:
        if not in_title_case_line(st, item.start):
            plain.add(compact(item.text))
    out: list[Found] = []
    recurs: dict[str, bool] = {}
    for item in found:
        if item.record is None and in_title_case_line(st, item.start) and compact(item.text) not in plain:
            lo, hi = line_at(st, item.start)
            line = compact(st.text[lo:hi])
            if item.text not in recurs:
                recurs[item.text] = _in_plain_text(st, item.text)
            if line not in {compact(item.text), compact(item.name)} and not recurs[item.text]:
                continue
        out.append(item)
    return out


def _in_plain_text(st: EntityState, surface: str) -> bool:
    """Whether the surface occurs in a line that is not title case (one scan per distinct surface)."""
    pos = st.text.find(surface)
    while pos != -1:
        if not in_title_case_line(st, pos):
            return True
        pos = st.text.find(surface, pos + len(surface))
    return False


def slash_alternatives(st: EntityState, found: list[Found]) -> None:
    """"Sere Kaniye/Ras al-Ain": two names of one place joined by a slash; the guessed one joins the other."""
    by_start = sorted(found, key=lambda f: f.start)
    for a, b in zip(by_start, by_start[1:], strict=False):
        if a.kind not in PLACE_KINDS or b.kind not in PLACE_KINDS or st.text[a.end:b.start].strip() != "/":
            continue
        if a.record is None and b.record is not None:
            copy_identity(a, b, "link")
        elif b.record is None and a.record is not None:
            copy_identity(b, a, "link")


def join_spellings(st: EntityState, found: list[Found]) -> None:
    """Two spellings of one guessed name in a document ("Vela" and "Vella", a doubled letter; "al-Cham"
    and "al-Sham" for a known group) become one entity: places and groups only, people are linked by
    :mod:`sitrep.resolve.linking`."""
    known: dict[str, Found] = {}
    for item in found:
        if item.kind == "person":
            continue
        if item.record is not None:
            for name in item.record.names:
                known.setdefault(compact(name), item)
    guessed = [f for f in found if f.record is None and f.kind != "person"]
    known_names = list(known)
    first: dict[str, Found] = {}
    fuzzy: dict[str, str | None] = {}  # one fuzzy search per distinct name (the cost stays linear in names)
    for item in guessed:
        key = compact(item.name)
        if len(key) < 3:
            continue
        anchor = first.get(_squeeze(key))
        if anchor is not None and anchor.key != item.key and _same_family(anchor, item):
            copy_identity(item, anchor, "link")
            continue
        first.setdefault(_squeeze(key), item)
        if len(key) >= _MIN_FUZZY_CHARS and known_names:
            if key not in fuzzy:
                match = process.extractOne(key, known_names, scorer=fuzz.ratio, score_cutoff=_SPELLING_SCORE)
                fuzzy[key] = match[0] if match is not None and key[0] == match[0][0] else None
            best = fuzzy[key]
            if best is not None and _same_family(known[best], item):
                copy_identity(item, known[best], "link")


def _squeeze(key: str) -> str:
    """A name's letters with doubled letters single ("vella" -> "vela")."""
    out: list[str] = []
    for ch in key:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def _same_family(a: Found, b: Found) -> bool:
    return (a.kind in PLACE_KINDS) == (b.kind in PLACE_KINDS)


def one_sense_places(st: EntityState, found: list[Found]) -> None:
    """One sense per document: once the context shows a guessed name is a place ("Kessel village"),
    its other mentions that the model took for a person or a group are that place too; and a guessed
    person or group listed among places ("Kessel, Roe and Doe" with two of them places) is a place."""
    places: dict[str, Found] = {}
    for item in found:
        if item.kind in PLACE_KINDS and item.source in {"ner", "cue"}:
            places.setdefault(compact(item.name), item)
            places.setdefault(compact(item.text), item)
    for item in found:
        if item.record is None and item.kind not in PLACE_KINDS and item.source == "ner":
            anchor = places.get(compact(item.text))
            if anchor is not None:
                copy_identity(item, anchor, "link")
    _places_by_company(st, found)


def _places_by_company(st: EntityState, found: list[Found]) -> None:
    """Guessed names in a list ("A, B, C and D") where most of the others are places become places."""
    ordered = sorted(found, key=lambda f: f.start)
    lists: list[list[Found]] = []
    run: list[Found] = []
    for item in ordered:
        gap = st.text[run[-1].end:item.start] if run else ""
        if run and gap.strip() and gap.strip(" ,").lower() in {"", "and", "or"} and "\n" not in gap:
            # a list needs a separator: "Kessel Police" is one name, not the list "Kessel", "Police"
            run.append(item)
        else:
            if len(run) >= 3:
                lists.append(run)
            run = [item]
    if len(run) >= 3:
        lists.append(run)
    for members in lists:
        places = [m for m in members if m.kind in PLACE_KINDS]
        if len(places) * 2 <= len(members):
            continue
        anchor = next((m for m in places if m.record is None), places[0])
        for item in members:
            if item.kind not in PLACE_KINDS and item.record is None and len(item.text.split()) <= 2:
                item.kind = anchor.kind if anchor.record is None else "city"
                item.key = entity_key(item.text, item.kind, anchor.country)
                item.name, item.source, item.guessed = item.text, "link", True
                item.country = anchor.country
