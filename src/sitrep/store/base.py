"""The one storage interface the rest of sitrep uses.

Write side: the pipeline hands over :class:`~sitrep.models.DocResult` batches,
each written in one transaction (a crash never leaves half a document).
Read side: plain dict rows, consumed by :mod:`sitrep.query`.

Facts are stored one row per claim; the rows of one fact share a ``fact_key``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal

from sitrep.models import DocResult

Row = dict[str, Any]
DocState = Literal["new", "duplicate", "changed"]

SCHEMA_VERSION = 6

#: the columns of :meth:`Store.relation_edge_tuples`, in order
EDGE_COLUMNS = ("fact_key", "subject_id", "type", "object_id", "polarity", "modality", "source_id", "source",
                "source_text", "doc_id", "start", "end", "publisher", "near_duplicate_of", "doc_published")


class StoreError(RuntimeError):
    """A storage problem the user can act on (bad URL, newer schema, locked file)."""


class Store(ABC):
    """Abstract knowledge-base store."""

    url: str

    # -- lifecycle ------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def schema_version(self) -> int: ...

    # -- write side -------------------------------------------------------------
    @abstractmethod
    def has_content(self, content_hash: str) -> bool:
        """True when a document with exactly this content is stored."""

    @abstractmethod
    def document_state(self, source: str, content_hash: str) -> tuple[DocState, str | None]:
        """Classify an incoming article: new, an exact duplicate, or a changed version of
        a known source (then the old document id is returned so it can be replaced)."""

    @abstractmethod
    def stale_versions(self, source: str, content_hash: str) -> list[str]:
        """Ids of stored documents from ``source`` whose content is not ``content_hash``."""

    @abstractmethod
    def update_metadata(self, content_hash: str, values: dict[str, str], *,
                        normalise: Callable[[], dict[str, str]] | None = None) -> list[str]:
        """Update title/published/publisher/author/url of the document with this content where
        ``values`` differ; return the fields changed.  With ``normalise``, ``values`` are the fields as
        the input gave them: when each equals the stored value nothing changed, else ``normalise()``
        gives the values to compare and store (so an unchanged input is never normalised)."""

    @abstractmethod
    def write_batch(self, results: Sequence[DocResult], replace: Sequence[str] = (), *,
                    moves: dict[str, str] | None = None, failed: dict[str, str] | None = None,
                    near_duplicate_threshold: int = 6) -> list[str]:
        """Write documents with all their facts in ONE transaction, first deleting the
        documents listed in ``replace`` and giving the documents in ``moves`` their new source.
        Returns the ids written (exact duplicates that slipped in concurrently are skipped).
        With ``failed``, a document whose values cannot be stored is left out and its reason
        recorded there; an engine failure raises :class:`StoreError` and writes nothing."""

    driver_errors: tuple[type[BaseException], ...] = ()  # errors of the engine behind this store

    def explain(self, exc: BaseException) -> str:
        """One line for an engine error met while using this store."""
        return f"{self.url}: {exc}"

    @abstractmethod
    def delete_document(self, doc_id: str) -> bool: ...

    # -- documents ---------------------------------------------------------------
    @abstractmethod
    def get_document(self, doc_id: str) -> Row | None: ...

    @abstractmethod
    def list_documents(self, limit: int = 100, offset: int = 0) -> list[Row]: ...

    @abstractmethod
    def iter_document_ids(self) -> Iterator[str]: ...

    @abstractmethod
    def count_documents(self) -> int: ...

    # -- entities ------------------------------------------------------------------
    @abstractmethod
    def get_entity(self, entity_id: int) -> Row | None: ...

    @abstractmethod
    def entity_by_key(self, key: str) -> Row | None: ...

    @abstractmethod
    def find_entities(self, name: str, limit: int = 20) -> list[Row]:
        """Entities any of whose spellings equals ``name`` (normalised), best first."""

    @abstractmethod
    def list_entities(
        self, kind: str | None = None, places: bool | None = None, q: str | None = None,
        limit: int = 100, offset: int = 0,
    ) -> list[Row]:
        """Entities with ``mentions`` and ``documents`` counts, most mentioned first."""

    @abstractmethod
    def aliases(self, entity_id: int) -> list[str]: ...

    @abstractmethod
    def mentions(self, entity_id: int | None = None, doc_id: str | None = None, limit: int = 1000) -> list[Row]: ...

    @abstractmethod
    def mention_counts(self, entity_ids: Sequence[int]) -> dict[int, Row]:
        """``{id: {"mentions": n, "documents": m}}`` for just these entities."""

    @abstractmethod
    def places_within(self, entity_id: int) -> list[int]:
        """The place itself and every place inside it (same country for a country, children by admin parent)."""

    @abstractmethod
    def entity_documents(self, entity_id: int, limit: int = 200) -> list[Row]: ...

    # -- facts ----------------------------------------------------------------------
    @abstractmethod
    def relation_rows(
        self, entity_id: int | None = None, type: str | None = None, doc_id: str | None = None,
        limit: int = 5000, *, fact_keys: Sequence[str] | None = None,
        date_from: str | None = None, date_to: str | None = None,
    ) -> list[Row]:
        """Relation claims; with ``date_from``/``date_to`` rows whose article is dated outside the range
        may be left out (never one inside it, nor an undated one): callers apply the exact date test."""

    def relation_edge_rows(self, entity_id: int | None = None, type: str | None = None,
                           date_from: str | None = None, date_to: str | None = None,
                           limit: int = 100_000) -> list[Row]:
        """The few columns the actor graph reads of each relation claim (``fact_key``, ``subject_id``,
        ``type``, ``object_id``, ``polarity``, ``modality``, ``source_id``, ``source``, ``source_text``,
        ``doc_id``, ``start``, ``end``, ``publisher``, ``near_duplicate_of``, ``doc_published``), in ``relation_rows``' order.
        With a date range, rows whose article is dated outside it may be left out (never a row inside
        it, nor an undated one): callers still apply the exact date test."""
        return self.relation_rows(entity_id=entity_id, type=type, limit=limit, date_from=date_from, date_to=date_to)

    def relation_edge_tuples(self, entity_id: int | None = None, type: str | None = None,
                             date_from: str | None = None, date_to: str | None = None,
                             limit: int = 100_000) -> list[tuple[Any, ...]]:
        """:meth:`relation_edge_rows` as tuples of the :data:`EDGE_COLUMNS` (no dict per claim: the actor
        graph of a large actor reads tens of thousands)."""
        return [tuple(r.get(c) for c in EDGE_COLUMNS)
                for r in self.relation_edge_rows(entity_id, type, date_from, date_to, limit)]

    def entities_by_id(self, entity_ids: Sequence[int]) -> dict[int, Row]:
        """``{id: entity row}`` for those of these ids that exist."""
        return {i: row for i in entity_ids if (row := self.get_entity(i)) is not None}

    @abstractmethod
    def quantity_rows(self, entity_id: int | None = None, doc_id: str | None = None, limit: int = 5000, *,
                      fact_keys: Sequence[str] | None = None) -> list[Row]: ...

    @abstractmethod
    def event_rows(
        self, entity_id: int | None = None, place_ids: Sequence[int] | None = None, since: str | None = None,
        type: str | None = None, doc_id: str | None = None, limit: int = 5000, *,
        fact_keys: Sequence[str] | None = None,
    ) -> list[Row]: ...

    # -- search and health ---------------------------------------------------------------
    @abstractmethod
    def search_documents(self, q: str, limit: int = 20) -> list[Row]: ...

    @abstractmethod
    def integrity_problems(self) -> list[str]:
        """Consistency checks (engine integrity, orphan rows). Empty when healthy."""

    @abstractmethod
    def stats(self) -> Row: ...
