"""Writing the found mentions of one document to its extraction context (mentions and entities)."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from sitrep.models import Entity, Mention

if TYPE_CHECKING:
    from sitrep.config import Settings
    from sitrep.extract.context import ExtractionContext
    from sitrep.extract.entities_state import Found


def write(ctx: ExtractionContext, found: list[Found], settings: Settings) -> None:
    doc_id = ctx.document.id
    sents = [(s.start_char, s.end_char) for s in ctx.sdoc.sents]
    taken = bytearray(len(ctx.document.text) + 1)
    for item in found:
        if len(ctx.mentions) >= settings.max_mentions_per_document:
            break
        if any(taken[item.start : item.end]):
            continue
        if len(item.name) > settings.max_name_chars or len(item.text) > settings.max_name_chars:
            continue  # a runaway token is no name, whichever rule found it
        item.extra_aliases = [a for a in item.extra_aliases if len(a) <= settings.max_name_chars]
        taken[item.start : item.end] = b"\x01" * (item.end - item.start)
        sent_start, sent_end = sentence(sents, item.start)
        ctx.mentions.append(Mention(
            doc_id=doc_id, start=item.start, end=item.end, text=item.text, label=item.kind,
            entity_key=item.key, sent_start=sent_start, sent_end=sent_end, source_label=item.source,
        ))
        merge_entity(ctx, item)


def sentence(sents: list[tuple[int, int]], char: int) -> tuple[int, int]:
    """The (start, end) of the sentence holding ``char`` (sentences sorted by start)."""
    if not sents:
        return (0, 0)
    i = bisect_right(sents, (char, float("inf"))) - 1
    return sents[max(i, 0)]


def merge_entity(ctx: ExtractionContext, item: Found) -> None:
    entity = ctx.entities.get(item.key)
    if entity is None:
        entity = new_entity(item)
        ctx.entities[item.key] = entity
    surfaces = [*item.extra_aliases]
    if item.alias:
        surfaces.append(item.text)
    for surface in surfaces:
        add_alias(entity, surface)


def new_entity(item: Found) -> Entity:
    rec = item.record
    if rec is None:
        return Entity(key=item.key, name=item.name, kind=item.kind, aliases=[item.name],
                      country=item.country, lat=item.lat, lon=item.lon, guessed=True)
    aliases = list(dict.fromkeys(rec.names))
    lat = getattr(rec, "lat", None)
    lon = getattr(rec, "lon", None)
    if hasattr(rec, "acronyms"):
        aliases.extend(a for a in rec.acronyms if a not in aliases)  # type: ignore[union-attr]
    return Entity(key=rec.id, name=rec.name, kind=rec.kind, aliases=aliases, gazetteer_id=rec.id,
                  parent=rec.parent, country=rec.country, lat=lat, lon=lon, guessed=False)


def add_alias(entity: Entity, surface: str) -> None:
    surface = " ".join(surface.split())
    if not surface:
        return
    if surface not in entity.aliases:
        entity.aliases.append(surface)
