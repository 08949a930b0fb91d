"""The analyst's hand on the web page: grades beside every claim, rejected claims marked, a page per
source, and (behind the access token) forms that record decisions exactly as the CLI does.

* ``GET /source/NAME``: everything one source says (any spelling or an entity id): its reliability
  grade and where it comes from, each claim with polarity, sentence, document and the credibility the
  whole knowledge base gives its fact; rejected claims are listed, marked.
* ``POST /decide``: one decision (merge, split, alias_add, alias_remove, reject, confirm, grade) made
  through :func:`sitrep.store.decisions.decide`, the function behind the CLI's commands, then shown
  with its status.  Writing needs the access token (``sitrep serve --token``): without one the server
  is read-only and refuses every POST before it gets here.

CSRF protection, in depth: every page carries a per-session token (an HMAC of a random session
cookie, keyed by the access token so all server worker processes agree) in a hidden field of each
form, checked on POST; and the request must come from this site (``Sec-Fetch-Site: same-origin``
where the browser sends it, else an ``Origin`` equal to the Host).  The session cookie is
``HttpOnly`` and ``SameSite=Strict``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment

from sitrep.query import facts as qf
from sitrep.query.actors import NotFound
from sitrep.query.grading import (
    GRADES,
    grade_as_in_kb,
    grade_claims,
    grade_with,
    grades,
    legend,
    source_grade,
)
from sitrep.store import Store, StoreError, open_store
from sitrep.store import decisions as sd
from sitrep.store.base import Row
from sitrep.web.fragments import ClaimForms
from sitrep.web.security import local_location

SESSION_COOKIE = "sitrep_session"
#: decision kind -> the form fields it takes (the same arguments as the CLI's command)
FORM_KINDS: dict[str, tuple[str, ...]] = {
    "merge": ("into", "other"), "split": ("name", "alias"), "alias_add": ("name", "alias"),
    "alias_remove": ("name", "alias"), "reject": ("claim",), "confirm": ("claim",), "grade": ("source", "grade"),
}
MAX_FIELD = 300


# -- grades and rejected claims for the pages ----------------------------------------------------------
def graded_relations(store: Store, rows: list[Row], about: Row | None = None,
                     doc_id: str | None = None) -> list[dict[str, Any]]:
    """Relation facts with each claim's grade and each fact's credibility, and the rejected claims
    about ``about`` (or of document ``doc_id``) beside their facts, marked."""
    facts = qf.group_relations(rows)
    g = grades(store)
    if doc_id is not None:  # one article's facts: credibility as the whole knowledge base gives it
        rejected = [c for c in qf.rejected_claims(store, "relations") if c["doc_id"] == doc_id]
        return grade_as_in_kb(store, g, qf.with_rejected_relations(facts, rejected))
    return grade_with(g, qf.with_rejected_relations(facts, qf.rejected_claims(store, "relations", about=about)))


def graded_quantities(store: Store, rows: list[Row], about: Row | None = None) -> list[dict[str, Any]]:
    groups = qf.group_quantities(rows)
    if about is not None:
        groups = qf.with_rejected_quantities(groups, qf.rejected_claims(store, "quantities", about=about))
    return grade_with(grades(store), groups)


def graded_events(store: Store, rows: list[Row]) -> list[dict[str, Any]]:
    """Events (grouped as :func:`sitrep.query.events.group_events` does) with each report's source grade."""
    from sitrep.query.events import group_events

    events = group_events(rows)
    g = grades(store)
    for e in events:
        grade_claims(g, e["reports"])
    return events


def source_data(store: Store, name: str) -> dict[str, Any]:
    """What the source page shows: the source, its grade, and everything it says."""
    data = qf.claims_by_source(store, name, include_rejected=True)
    g = grades(store)
    grade_as_in_kb(store, g, data["relations"])
    grade_with(g, data["quantities"])
    grade_claims(g, data["events"])
    data["grade"] = {**source_grade(store, data["source"]["name"]), "why": g.why(data["source"]["name"])}
    data["legend"] = legend()
    return data


# -- CSRF ------------------------------------------------------------------------------------------------
class Csrf:
    """Per-session form tokens: HMAC-SHA256 of the session id under a key derived from the access token."""

    def __init__(self, access_token: str) -> None:
        self.key = hashlib.sha256(b"sitrep csrf|" + access_token.encode("utf-8")).digest()

    def token(self, session: str) -> str:
        return hmac.new(self.key, session.encode("utf-8"), hashlib.sha256).hexdigest()

    def check(self, session: str | None, value: str | None) -> bool:
        return bool(session and value) and hmac.compare_digest(self.token(str(session)), str(value))


def same_origin(request: Request) -> bool:
    """The request comes from a page of this site (a browser says so in ``Sec-Fetch-Site``, or in an
    ``Origin`` that names this host); a client that sends neither is no browser, so no CSRF victim."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    return origin in (f"http://{host}", f"https://{host}")


def _session(request: Request) -> str | None:
    return getattr(request.state, "sitrep_session", None) or request.cookies.get(SESSION_COOKIE)


def _field(form: dict[str, str], name: str) -> str:
    value = " ".join(form.get(name, "").split())
    if not value:
        raise HTTPException(400, f"{name}: must not be empty")
    if len(value) > MAX_FIELD:
        raise HTTPException(400, f"{name}: at most {MAX_FIELD} characters")
    return value


def decision_args(form: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The decision a form asks for: its kind and arguments, checked as the CLI checks them."""
    kind = form.get("kind", "")
    if kind not in FORM_KINDS:
        raise HTTPException(400, f"kind: one of {', '.join(FORM_KINDS)}, not {kind[:40]!r}")
    args = {name: _field(form, name) for name in FORM_KINDS[kind]}
    if kind == "grade":
        grade = args["grade"].upper()
        if grade not in GRADES:
            raise HTTPException(400, f"grade: one of {', '.join(GRADES)}, not {args['grade'][:10]!r}")
        args["grade"] = grade
    return kind, args


def _analyst() -> str:
    from sitrep.config import SettingsError, analyst, build_settings

    try:
        return analyst(build_settings())
    except SettingsError:
        return "web"


def register(app: FastAPI, env: Environment, kb: Any, token: str | None,
             page: Callable[..., HTMLResponse]) -> None:
    """Add the source page and, with an access token, the decision forms and their POST route."""
    editing = token is not None
    csrf = Csrf(token) if token is not None else None
    env.globals["editing"] = editing
    env.globals["csrf_token"] = lambda request: csrf.token(_session(request) or "") if csrf and request else ""
    env.globals["claim_forms_for"] = lambda request: (  # what the forms beside each claim carry
        ClaimForms(csrf.token(_session(request) or ""), request.url.path) if csrf and request else None)
    env.globals["grade_letters"] = GRADES

    if editing:
        @app.middleware("http")
        async def session_cookie(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
            """Give each browser a session id (for its form tokens) the first time it asks for a page."""
            new = None
            if not request.cookies.get(SESSION_COOKIE):
                new = secrets.token_urlsafe(24)
                request.state.sitrep_session = new
            response = await call_next(request)
            if new is not None and response.status_code < 400:
                response.set_cookie(SESSION_COOKIE, new, httponly=True, samesite="strict", path="/")
            return response

    @app.get("/source/{name:path}", response_class=HTMLResponse)
    def source_page(request: Request, name: str = PathParam(..., max_length=300)) -> HTMLResponse:
        with kb.use() as store:
            try:
                data = source_data(store, name)
            except NotFound as exc:
                raise HTTPException(404, str(exc)) from None
        return page("source.html", request, **data)

    @app.post("/decide", response_class=HTMLResponse)
    async def decide(request: Request) -> HTMLResponse:
        if csrf is None:  # unreachable behind the guard (no token: read-only), refused all the same
            raise HTTPException(405, "read-only: start the server with a token to correct from the page")
        if not same_origin(request):
            raise HTTPException(403, "cross-site request refused")
        body = (await request.body()).decode("utf-8", "replace")
        form = dict(parse_qsl(body, keep_blank_values=True))
        if not csrf.check(request.cookies.get(SESSION_COOKIE), form.get("csrf")):
            raise HTTPException(403, "the form's session token is missing or wrong: reload the page and try again")
        kind, args = decision_args(form)
        why = " ".join(form.get("why", "").split())[:MAX_FIELD] or None
        back = local_location(form.get("back") or "/")
        try:
            store = open_store(kb.db_url)
        except StoreError as exc:
            raise HTTPException(503, f"the knowledge base cannot be written: {exc}") from None
        try:
            row, new, outcome = sd.decide(store, kind, args, _analyst(), why)
        except sd.DecisionError as exc:
            raise HTTPException(404 if exc.missing else 400, str(exc)) from None
        finally:
            store.close()
        return page("decided.html", request, decision=row, new=new, outcome=outcome.status, back=back)
