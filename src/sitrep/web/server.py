"""The HTTP server of ``sitrep serve``: uvicorn with a request deadline and a connection cap.

uvicorn times out idle keep-alive connections but not a client that sends its request headers
(or body) slowly or never finishes them, so a few hundred such connections hold every file
descriptor and lock all clients out.  :class:`GuardedH11Protocol` gives each request a deadline:
``request_timeout`` seconds from the moment the connection opens (or the previous response ends)
until the request's headers *and* body are in; past it the connection is closed.  The time the
app takes to answer is not counted.  At ``max_connections`` open connections a new one evicts
the connection that has waited longest without a complete request (or is refused when every
connection is busy), so a slow client can never keep a normal one out.

``workers > 1`` runs that many server processes on one socket (uvicorn's multiprocess mode), so
page rendering is not bound to one core by the interpreter lock; each worker builds its app from
the settings :func:`serve` hands to them (:func:`sitrep.config.hand_to_workers`), and each has its own
connection cap and per-client rate limit.
"""

from __future__ import annotations

import asyncio
import resource
import socket
import time
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from sitrep.config import from_parent, hand_to_workers

REQUEST_TIMEOUT = 10.0
FD_RESERVE = 64  # descriptors left for the database, logs and static files


def default_max_connections() -> int:
    """Open connections allowed: the soft descriptor limit minus a reserve, at most 1,000."""
    try:
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (OSError, ValueError):
        return 200
    if soft == resource.RLIM_INFINITY:
        return 1000
    return max(8, min(1000, soft - FD_RESERVE))


class GuardedH11Protocol(H11Protocol):
    """h11 protocol with a per-request deadline and a connection cap (class attributes, set by
    :func:`protocol_class`)."""

    request_timeout: float = REQUEST_TIMEOUT
    max_connections: int = 1000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_since = time.monotonic()

    # -- state -------------------------------------------------------------------------------
    def busy(self) -> bool:
        """True while a fully received request is being answered."""
        cycle = self.cycle
        return cycle is not None and not cycle.more_body and not cycle.response_complete

    def _arm(self) -> None:
        self._disarm()
        self._waiting_since = time.monotonic()
        self._deadline = self.loop.call_later(self.request_timeout, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if not self.busy():
            self._close()

    def _close(self) -> None:
        self._disarm()
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    # -- protocol events ---------------------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # asyncio sets TCP_NODELAY only on sockets whose protocol field says TCP, which a socket a
        # worker process rebuilt from a descriptor does not: without it Nagle's algorithm and delayed
        # ACKs add 40 ms to every response written in two parts
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        self._arm()
        if len(self.connections) > self.max_connections:
            waiting = [c for c in self.connections
                       if isinstance(c, GuardedH11Protocol) and c is not self and not c.busy()]
            if waiting:
                min(waiting, key=lambda c: c._waiting_since)._close()
            else:
                self._close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def protocol_class(request_timeout: float = REQUEST_TIMEOUT, max_connections: int | None = None) -> type:
    """A :class:`GuardedH11Protocol` subclass with these limits."""
    limits = {"request_timeout": float(request_timeout),
              "max_connections": int(max_connections or default_max_connections())}
    return type("SitrepH11Protocol", (GuardedH11Protocol,), limits)


class EnvGuardedH11Protocol(GuardedH11Protocol):
    """The protocol of a worker process: its limits come from the environment :func:`serve` set."""

    request_timeout = float(from_parent().get("request_timeout") or REQUEST_TIMEOUT)
    max_connections = int(from_parent().get("max_connections") or 0) or default_max_connections()


def app_from_env() -> Any:
    """The app of a worker process, built from the settings :func:`serve` handed to the workers."""
    from sitrep.web.app import create_app

    settings = dict(from_parent()["app"])
    return create_app(settings.pop("db_url"), **settings)


def make_server(app: Any, host: str, port: int, *, request_timeout: float = REQUEST_TIMEOUT,
                max_connections: int | None = None, keep_alive: float = 5.0) -> uvicorn.Server:
    """A uvicorn server for ``app`` with the request deadline and connection cap."""
    config = uvicorn.Config(app, host=host, port=port, http=protocol_class(request_timeout, max_connections),
                            ws="none", lifespan="on", log_level="warning", server_header=False,
                            proxy_headers=False, timeout_keep_alive=keep_alive, access_log=False)
    return uvicorn.Server(config)


def serve(app: Any, host: str, port: int, *, workers: int = 1, app_settings: dict[str, Any] | None = None,
          request_timeout: float = REQUEST_TIMEOUT, max_connections: int | None = None) -> None:
    """Run the server until interrupted: ``app`` in this process, or ``workers`` processes each
    building its own app from ``app_settings`` (the keyword arguments of ``create_app`` plus ``db_url``)."""
    if workers <= 1 or app_settings is None:
        make_server(app, host, port, request_timeout=request_timeout, max_connections=max_connections).run()
        return
    hand_to_workers({"app": app_settings, "request_timeout": float(request_timeout),
                     "max_connections": int(max_connections or 0)})
    uvicorn.run(f"{__name__}:app_from_env", factory=True, host=host, port=port, workers=workers,
                http=f"{__name__}:EnvGuardedH11Protocol", ws="none", lifespan="on", log_level="warning",
                server_header=False, proxy_headers=False, access_log=False)


__all__ = ["EnvGuardedH11Protocol", "GuardedH11Protocol", "app_from_env", "default_max_connections", "make_server", "protocol_class", "serve"]
