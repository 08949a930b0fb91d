"""Request guards of the read-only web page, as one ASGI middleware.

In order: optional access token, Host check (DNS-rebinding defence when no token
is set), method allow-list (GET/HEAD), request body size limit, per-client rate
limit (token bucket).  Every response, including refusals and static files,
gets the security headers (strict CSP without inline scripts or styles).
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
]
SAFE_METHODS = frozenset({"GET", "HEAD"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
TOKEN_COOKIE = "sitrep_token"


class TokenBucket:
    """Per-client token buckets: ``rate`` requests per second, bursts up to ``burst``."""

    def __init__(self, rate: float, burst: int, max_clients: int = 10_000) -> None:
        self.rate, self.burst, self.max_clients = rate, float(burst), max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            ok = tokens >= 1.0
            self._buckets[client] = (tokens - 1.0 if ok else tokens, now)
            if len(self._buckets) > self.max_clients:  # forget the longest-idle clients
                for key, _ in sorted(self._buckets.items(), key=lambda kv: kv[1][1])[: self.max_clients // 2]:
                    del self._buckets[key]
            return ok


_HOST = re.compile(r"^(?:(\[[0-9a-f:.]+\])|([a-z0-9.-]+))(?::\d{1,5})?$")
LOG = logging.getLogger("sitrep.web")


def _host_name(host_header: str) -> str:
    """The host of a Host header (``name``, ``name:port``, ``[v6]``, ``[v6]:port``); "" when malformed,
    so that ``[::1]evil.example`` or ``localhost:80@evil`` never pass for a loopback name."""
    m = _HOST.match(host_header.strip().lower())
    if not m:
        return ""
    return m.group(1) or m.group(2)


def local_location(path: str, query: str = "") -> str:
    """A redirect target that stays on this site: one leading slash (``//evil.example`` and
    ``/\\evil.example`` would leave it), the path percent-encoded."""
    path = "/" + path.lstrip("/\\")
    return quote(path, safe="/:@!$&'()*+,;=-._~%") + (("?" + query) if query else "")


class GuardMiddleware:
    def __init__(self, app: ASGIApp, token: str | None = None, rate: float = 20.0, burst: int = 100,
                 max_body: int = 64 * 1024, allowed_hosts: set[str] | None = None) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body
        self.bucket = TokenBucket(rate, burst) if rate > 0 else None
        self.allowed_hosts = {h.lower() for h in allowed_hosts} if allowed_hosts is not None else None

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def _headers(scope: Scope) -> dict[str, str]:
        return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}

    def _token_ok(self, scope: Scope, headers: dict[str, str]) -> tuple[bool, bool]:
        """(authorised, came from the query string)."""
        assert self.token is not None
        candidates: list[tuple[str, bool]] = []
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            candidates.append((auth[7:].strip(), False))
        if "x-sitrep-token" in headers:
            candidates.append((headers["x-sitrep-token"], False))
        if "cookie" in headers:
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(headers["cookie"])
            except Exception:  # noqa: BLE001 - a malformed cookie is simply no token
                cookie = SimpleCookie()
            if TOKEN_COOKIE in cookie:
                candidates.append((cookie[TOKEN_COOKIE].value, False))
        query = scope.get("query_string", b"").decode("latin-1")
        for k, v in parse_qsl(query, keep_blank_values=True):
            if k == "token":
                candidates.append((v, True))
        for value, from_query in candidates:
            if hmac.compare_digest(value.encode(), self.token.encode()):
                return True, from_query
        return False, False

    async def _respond(self, send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]] = ()) -> None:
        body = json.dumps({"error": message, "status": status}).encode()
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"), *SECURITY_HEADERS, *extra]})
        await send({"type": "http.response.body", "body": body})

    # -- ASGI -------------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = self._headers(scope)
        method = scope.get("method", "GET").upper()
        authorised = False
        if self.token is not None:
            authorised, from_query = self._token_ok(scope, headers)
            if not authorised:
                await self._respond(send, 401, "a valid token is required (?token=, Authorization: Bearer, "
                                               "or the sitrep_token cookie)", [(b"www-authenticate", b"Bearer")])
                return
            if from_query and method in SAFE_METHODS:  # swap the URL token for a cookie, then drop it from the URL
                rest = [(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                                                     keep_blank_values=True) if k != "token"]
                location = local_location(scope.get("path", "/"), urlencode(rest) if rest else "")
                cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict".encode()
                await send({"type": "http.response.start", "status": 303, "headers": [
                    (b"location", location.encode("latin-1", "replace")), (b"set-cookie", cookie),
                    (b"content-length", b"0"), *SECURITY_HEADERS]})
                await send({"type": "http.response.body", "body": b""})
                return
        elif self.allowed_hosts is not None and _host_name(headers.get("host", "")) not in self.allowed_hosts:
            await self._respond(send, 400, "unexpected Host header")
            return
        if method not in SAFE_METHODS and not authorised:
            await self._respond(send, 405, "read-only: only GET and HEAD are allowed", [(b"allow", b"GET, HEAD")])
            return
        try:
            length = int(headers.get("content-length", "0") or 0)
        except ValueError:
            length = self.max_body + 1
        if length > self.max_body or ("transfer-encoding" in headers and method in SAFE_METHODS):
            await self._respond(send, 413, f"request body too large (limit {self.max_body} bytes)")
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        if self.bucket is not None and not self.bucket.allow(client):
            await self._respond(send, 429, "too many requests; slow down", [(b"retry-after", b"1")])
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise ValueError("request body too large")
            return message

        head = method == "HEAD"
        if head:  # answer HEAD like GET, without the body
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in SECURITY_HEADERS if h[0] not in names]
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send_with_headers(message)

        try:
            await self.app(scope, limited_receive, send_tracked)
        except Exception as exc:  # noqa: BLE001 - one line in the log, a clean 500 with the headers
            LOG.error("error serving %s: %s: %s", scope.get("path"), type(exc).__name__, exc)
            if not started:
                await self._respond(send, 500, "internal error")
