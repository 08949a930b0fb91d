"""sitrep: a source-attributed knowledge base of armed groups, built from news articles.

The pipeline, one package per stage::

    ingest  -> nlp -> extract -> resolve -> store -> query -> outputs / web
    (read,     (spaCy + (entities,  (linking,   (SQLite /   (actors,   (brief, STIX,
     clean,     domain   relations, near-dups,  PostgreSQL)  claims,    exports, page)
     metadata)  ruler)   events...) geocoding)               events)
"""

__version__ = "0.1.0"
