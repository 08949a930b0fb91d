"""Feeds: RSS and Atom as an input source (``sitrep ingest --feed FEED``).

A feed is a file or an ``http(s)://`` URL, parsed with ``feedparser``.  Each item becomes
the same :class:`~sitrep.ingest.readers.RawInput` a reader produces, so it goes through the
same incremental pipeline as any file: its link, title, date, author and publisher (the feed's
title) are the document's metadata, and its full content (or, without one, its summary) is the
text.  An item is known by its link (or ``FEED#id`` without one), so a corrected item replaces
its earlier version.  A feed that cannot be read or parsed, and an item without text, is an
:class:`~sitrep.ingest.readers.InputError` naming it and the reason; nothing here raises for
bad input.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sitrep.config import Settings
from sitrep.ingest.readers import InputError, Item, RawInput, display_path

FETCH_TIMEOUT_S = 20
_HTML_MARK = ("<p", "<div", "<br", "<a ", "<span", "<h1", "<h2", "<h3", "<ul", "<ol", "<blockquote", "<em", "<strong")


class FeedInputs:
    """The items of several feeds, in order; ``names`` are the feeds as given (recorded with the run)."""

    def __init__(self, feeds: list[str], settings: Settings | None = None) -> None:
        self.names = [f"feed:{f}" for f in feeds]
        self._feeds = feeds
        self._settings = settings or Settings()

    def __iter__(self) -> Iterator[Item]:
        for feed in self._feeds:
            yield from read_feed(feed, self._settings)


def is_url(feed: str) -> bool:
    return feed.lower().startswith(("http://", "https://"))


def _fetch(feed: str, settings: Settings) -> bytes | str:
    """The bytes of a feed (file or URL), or the reason they cannot be had."""
    limit = settings.max_document_bytes * 4
    if is_url(feed):
        request = urllib.request.Request(feed, headers={"User-Agent": "sitrep feed reader"})
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as resp:  # noqa: S310 - http(s) only
                data = resp.read(limit + 1)
        except urllib.error.HTTPError as exc:
            return f"the server answered HTTP {exc.code}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return f"cannot fetch the feed (no network, or the host cannot be reached: {reason})"
    else:
        path = Path(feed)
        if not path.exists():
            return "no such file"
        if not path.is_file():
            return "not a file"
        try:
            with path.open("rb") as fh:
                data = fh.read(limit + 1)
        except OSError as exc:
            return f"cannot read: {exc.strerror or exc}"
    if len(data) > limit:
        return f"feed is over the {limit}-byte limit (4 x SITREP_MAX_DOCUMENT_BYTES)"
    if not data.strip():
        return "empty feed"
    return data


def _iso(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", value)
    return None


def _content(entry: Any) -> tuple[str, str]:
    """The item's text and its format: the fullest ``content`` if any, else the summary."""
    best = ""
    for part in entry.get("content") or []:
        value = part.get("value") or ""
        if len(value) > len(best):
            best = value
    if not best:
        best = entry.get("summary") or entry.get("description") or ""
    low = best.lower()
    if any(mark in low for mark in _HTML_MARK):
        return f"<html><body><article>{best}</article></body></html>", "html"
    return best, "txt"


def read_feed(feed: str, settings: Settings | None = None) -> Iterator[Item]:
    """The items of one RSS or Atom feed as raw inputs (or input errors naming the reason)."""
    import feedparser

    settings = settings or Settings()
    name = feed if is_url(feed) else display_path(feed)
    data = _fetch(feed, settings)
    if isinstance(data, str):
        yield InputError(name, data)
        return
    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        reason = f"not an RSS or Atom feed ({str(problem).splitlines()[0][:200]})" if problem else "no items in the feed"
        yield InputError(name, reason)
        return
    publisher = (parsed.feed.get("title") or "").strip() or None
    for n, entry in enumerate(parsed.entries, 1):
        link = (entry.get("link") or "").strip()
        ident = (entry.get("id") or "").strip()
        source = link or (f"{name}#{ident}" if ident else f"{name}#{n}")
        text, fmt = _content(entry)
        if not text.strip():
            yield InputError(name, f"item {n} ({source}) has neither content nor a summary")
            continue
        meta: dict[str, Any] = {"title": entry.get("title"), "published": _iso(entry),
                                "author": entry.get("author"), "publisher": publisher,
                                "feed": name}
        if link.lower().startswith(("http://", "https://")):
            meta["url"] = link
        yield RawInput(source, text, fmt, {k: v for k, v in meta.items() if v})
