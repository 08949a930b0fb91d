"""Correcting from the web page in headless Chromium: merge, split, alias, reject, confirm and grade forms
record the same decisions as the CLI; grades and rejected claims show; a cross-site form is refused.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON messages
ending in NUL on file descriptors 3 and 4), so no extra client library is needed.
"""

from __future__ import annotations

import fcntl
import http.server
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from sitrep.cli import _register, app
from sitrep.web.app import create_app
from test_browser import CHROMIUM, LiveServer, _free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TOKEN = "t0ken-for-the-browser-test"
runner = CliRunner()
_register()


class Chromium:
    """One headless Chromium with one page, driven over the DevTools protocol pipe."""

    def __init__(self, profile: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 200)
        high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 200)

        def fds() -> None:  # the protocol's pipe is fd 3 (commands in) and fd 4 (answers out)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        assert CHROMIUM is not None
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: PLW1509
        for fd in (to_child_r, from_child_w, high_r, high_w):
            os.close(fd)
        self._answers: queue.Queue[dict[str, Any]] = queue.Queue()
        self._next = 0
        threading.Thread(target=self._read, daemon=True).start()
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def _read(self) -> None:
        buf = b""
        while True:
            chunk = os.read(self._from_child, 65536)
            if not chunk:
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    self._answers.put(message)

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._answers.get(timeout=60)
            if answer["id"] == self._next:
                assert "error" not in answer, answer
                return answer.get("result", {})

    def js(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", self.session, expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def wait_for(self, path: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.js("document.readyState + ' ' + location.pathname")
            if state == f"complete {path}":
                return
            time.sleep(0.1)
        raise AssertionError(f"page {path} did not load (last: {state})")

    def open(self, url: str, path: str) -> None:
        self.call("Page.navigate", self.session, url=url)
        self.wait_for(path)

    def submit(self, kind: str, **fields: str) -> str:
        """Fill the first form of this kind, click its button, and return the decision's status."""
        filled = json.dumps(fields)
        clicked = self.js(f"""(() => {{
            const form = document.querySelector('form.decide[data-kind="{kind}"]');
            if (!form) return false;
            for (const [name, value] of Object.entries({filled})) form.elements[name].value = value;
            form.querySelector('button[type=submit]').click();
            return true; }})()""")
        assert clicked, f"no {kind} form on the page"
        self.wait_for("/decide")
        return str(self.js("document.getElementById('decision-status').textContent"))

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self._to_child)


@pytest.fixture()
def live(sample_kb_copy: Path) -> Iterator[LiveServer]:
    with LiveServer(create_app(str(sample_kb_copy), token=TOKEN)) as server:
        yield server


@pytest.fixture()
def browser(live: LiveServer, tmp_path: Path) -> Iterator[Chromium]:
    chrome = Chromium(tmp_path / "profile")
    try:
        chrome.open(live.url(f"/?token={TOKEN}"), "/")  # the token becomes a cookie
        yield chrome
    finally:
        chrome.close()


def cli(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stdout
    return json.loads(result.stdout)


def entity_id(live: LiveServer, name: str) -> int:
    ents = httpx.get(live.url("/api/search"), params={"q": name}, headers={"authorization": f"Bearer {TOKEN}"})
    return next(e["id"] for e in ents.json()["entities"] if e["name"] == name)


def same_as_cli(web_db: Path, sample_kb: Path, tmp_path: Path, *command: str) -> None:
    """The CLI making the same decision in a copy of the knowledge base records the same decision
    (id, kind, arguments, status) and leaves the same relations."""
    cli_db = tmp_path / "cli.db"
    shutil.copy(sample_kb, cli_db)
    cli(*command, "--db", str(cli_db))
    keep = ("id", "kind", "args", "status")
    web = [{k: d[k] for k in keep} for d in cli("decisions", "--db", str(web_db))]
    by_cli = [{k: d[k] for k in keep} for d in cli("decisions", "--db", str(cli_db))]
    assert web == by_cli
    assert cli("relations", "--db", str(web_db)) == cli("relations", "--db", str(cli_db))


def test_merge_from_the_actor_page(browser: Chromium, live: LiveServer, sample_kb_copy: Path, sample_kb: Path,
                                   tmp_path: Path) -> None:
    browser.open(live.url(f"/actor/{entity_id(live, 'Islamic State')}"), f"/actor/{entity_id(live, 'Islamic State')}")
    status = browser.submit("merge", other="Islamic State Khorasan Province", why="one group here")
    assert status == "applied"
    assert "Islamic State Khorasan Province" not in {a["name"] for a in cli("actors", "--db", str(sample_kb_copy))}
    same_as_cli(sample_kb_copy, sample_kb, tmp_path, "merge", "Islamic State", "Islamic State Khorasan Province",
                "--why", "one group here")


def test_split_and_alias_forms(browser: Chromium, live: LiveServer, sample_kb_copy: Path, sample_kb: Path, tmp_path: Path) -> None:
    aq = entity_id(live, "al-Qaeda")
    browser.open(live.url(f"/actor/{aq}"), f"/actor/{aq}")
    assert browser.submit("alias_add", alias="The Base Network") == "applied"
    assert "The Base Network" in cli("actor", "al-Qaeda", "--db", str(sample_kb_copy))["aliases"]
    browser.open(live.url(f"/actor/{aq}"), f"/actor/{aq}")
    assert browser.submit("alias_remove", alias="The Base Network") == "applied"
    assert "The Base Network" not in cli("actor", "al-Qaeda", "--db", str(sample_kb_copy))["aliases"]
    browser.open(live.url(f"/actor/{aq}"), f"/actor/{aq}")
    assert browser.submit("split", alias="AQ") == "applied"
    assert cli("actor", "AQ", "--db", str(sample_kb_copy))["entity"]["name"] == "AQ"
    cli_db = tmp_path / "cli.db"
    shutil.copy(sample_kb, cli_db)
    cli("alias", "add", "al-Qaeda", "The Base Network", "--db", str(cli_db))
    cli("alias", "remove", "al-Qaeda", "The Base Network", "--db", str(cli_db))
    cli("split", "al-Qaeda", "--alias", "AQ", "--db", str(cli_db))
    keep = ("id", "kind", "args", "status")
    assert ([{k: d[k] for k in keep} for d in cli("decisions", "--db", str(sample_kb_copy))]
            == [{k: d[k] for k in keep} for d in cli("decisions", "--db", str(cli_db))])


def _first_claim(browser: Chromium) -> str:
    return str(browser.js("document.querySelector('form.decide[data-kind=\"reject\"] [name=claim]').value"))


def test_reject_marks_the_claim_and_confirm_grades_it(browser: Chromium, live: LiveServer, sample_kb_copy: Path,
                                                      sample_kb: Path, tmp_path: Path) -> None:
    tid = entity_id(live, "Taliban")
    browser.open(live.url(f"/actor/{tid}"), f"/actor/{tid}")
    assert browser.js("document.querySelectorAll('li.claim .badge.grade').length") > 0  # grades beside claims
    assert browser.js("document.querySelectorAll('.badge.cred').length") > 0  # credibility beside facts
    claim = _first_claim(browser)
    assert browser.submit("reject", why="misread by the extractor") == "applied"
    browser.open(live.url(f"/actor/{tid}"), f"/actor/{tid}")
    marked = browser.js(f"(() => {{ const li = document.querySelector('li.claim[data-claim=\"{claim}\"]');"
                        " return li ? li.className + ' ' + li.textContent : ''; })()")
    assert "rejected" in marked and "misread by the extractor" in marked
    same_as_cli(sample_kb_copy, sample_kb, tmp_path, "reject", claim, "--why", "misread by the extractor")
    # confirm another claim: its fact becomes credibility 1 in the CLI's view
    other = _first_claim(browser)
    assert other != claim
    assert browser.submit("confirm") == "applied"
    confirmed = [d for d in cli("decisions", "--db", str(sample_kb_copy)) if d["kind"] == "confirm"]
    assert [d["args"]["claim"] for d in confirmed] == [other] and confirmed[0]["status"] == "applied"
    fact = next(f for f in cli("claims", "Taliban", "--db", str(sample_kb_copy))["relations"]
                if other in {c["claim_id"] for c in f["claims"]})
    assert fact["credibility"] in (1, 4, 5)  # confirmed, unless a source graded as well denies it


def test_source_page_and_grade_form(browser: Chromium, live: LiveServer, sample_kb_copy: Path) -> None:
    browser.open(live.url("/source/United%20Nations"), "/source/United%20Nations")
    assert browser.js("document.getElementById('source-grade').dataset.grade") == "B"  # the default
    assert browser.js("document.querySelectorAll('li.claim').length") > 0
    assert "Grades" in browser.js("document.body.textContent")
    assert browser.submit("grade", grade="D", why="invented test grade") == "applied"
    browser.open(live.url("/source/United%20Nations"), "/source/United%20Nations")
    assert browser.js("document.getElementById('source-grade').dataset.grade") == "D"
    assert cli("decisions", "--db", str(sample_kb_copy))[0]["args"] == {"source": "United Nations", "grade": "D"}


class _Evil(http.server.BaseHTTPRequestHandler):
    target = ""

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        page = (f'<form id="f" method="post" action="{self.target}/decide">'
                '<input name="kind" value="merge"><input name="into" value="Taliban">'
                '<input name="other" value="al-Qaeda"></form><script>document.getElementById("f").submit()</script>')
        body = page.encode()
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_cross_site_form_records_nothing(browser: Chromium, live: LiveServer, sample_kb_copy: Path) -> None:
    _Evil.target = live.url("")
    port = _free_port()
    evil = http.server.HTTPServer(("127.0.0.1", port), _Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        # another port of the same host is the same site: the browser sends the access-token cookie,
        # so it is the form's missing session token and the Sec-Fetch-Site check that refuse it
        browser.call("Page.navigate", browser.session, url=f"http://127.0.0.1:{port}/")
        browser.wait_for("/decide")
        text = str(browser.js("document.body.textContent"))
        assert "cross-site request refused" in text
    finally:
        evil.shutdown()
    assert cli("decisions", "--db", str(sample_kb_copy)) == []
    assert "al-Qaeda" in {a["name"] for a in cli("actors", "--db", str(sample_kb_copy))}
