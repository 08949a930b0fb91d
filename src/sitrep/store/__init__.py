"""Storage: one interface (:class:`Store`), an embedded SQLite default and PostgreSQL for teams."""

from __future__ import annotations

from sitrep.store.base import Store, StoreError


def open_store(url: str, readonly: bool = False) -> Store:
    """Open a store from a path (SQLite) or a ``postgresql://`` URL."""
    if url.startswith(("postgresql://", "postgres://")):
        from sitrep.store.postgres import PostgresStore

        return PostgresStore(url, readonly=readonly)
    path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
    from sitrep.store.sqlite import SQLiteStore

    return SQLiteStore(path, readonly=readonly)


__all__ = ["Store", "StoreError", "open_store"]
