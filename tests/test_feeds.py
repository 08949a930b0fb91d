"""``sitrep ingest --feed``: an Atom file (and RSS) read through the same incremental pipeline."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import require_pipeline, run_sitrep

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Arcadia Monitor</title>
  <id>urn:arcadia-monitor</id>
  <updated>2026-03-05T08:00:00Z</updated>
  <entry>
    <title>Brigade clashes near Westport</title>
    <link href="https://monitor.example/westport-clash"/>
    <id>urn:item:1</id>
    <published>2026-03-04T10:00:00Z</published>
    <author><name>Mira Tolan</name></author>
    <content type="html">&lt;p&gt;The Red Hand Brigade attacked an army post near Westport on Monday,
      killing four soldiers, the defence ministry of Arcadia said.&lt;/p&gt;
      &lt;p&gt;The Blue Lantern Front denied any role in the attack on the post.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Front pledges support</title>
    <link href="https://monitor.example/front-support"/>
    <id>urn:item:2</id>
    <updated>2026-03-05T07:00:00Z</updated>
    <summary>The Green Star Network supports the Red Hand Brigade with weapons and money, according
      to a report by observers in Arcadia released on Thursday.</summary>
  </entry>
</feed>
"""


def test_atom_file_items_become_documents_with_their_metadata(tmp_path: Path) -> None:
    require_pipeline()
    feed = tmp_path / "monitor.atom"
    feed.write_text(ATOM)
    db = tmp_path / "k.db"
    proc = run_sitrep(["ingest", "--feed", str(feed), "--db", str(db), "--json"])
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["ingested"] == 2
    from sitrep.store.sqlite import SQLiteStore

    with SQLiteStore(db, readonly=True) as store:
        docs = {d["url"]: d for d in store.list_documents()}
        runs = store.list_runs()
    first = docs["https://monitor.example/westport-clash"]
    assert first["title"] == "Brigade clashes near Westport"
    assert first["published"].startswith("2026-03-04")
    assert first["author"] == "Mira Tolan" and first["publisher"] == "Arcadia Monitor"
    assert docs["https://monitor.example/front-support"]["published"].startswith("2026-03-05")
    assert runs[-1]["inputs"] == [f"feed:{feed}"]
    again = run_sitrep(["ingest", "--feed", str(feed), "--db", str(db), "--json"])
    assert json.loads(again.stdout)["duplicates"] == 2 and json.loads(again.stdout)["ingested"] == 0


def test_unreadable_feeds_are_skipped_with_a_reason(tmp_path: Path) -> None:
    from sitrep.ingest.feeds import read_feed
    from sitrep.ingest.readers import InputError

    bad = tmp_path / "bad.xml"
    bad.write_text("this is not a feed at all")
    missing = list(read_feed(str(tmp_path / "nope.xml")))
    assert isinstance(missing[0], InputError) and "no such file" in missing[0].reason
    parsed = list(read_feed(str(bad)))
    assert isinstance(parsed[0], InputError) and parsed[0].reason
    offline = list(read_feed("http://127.0.0.1:9/feed.xml"))
    assert isinstance(offline[0], InputError) and "cannot fetch" in offline[0].reason
