"""The web page under hostile clients: slow requests are cut while normal clients are served, no open
redirect, a strict Host check, security headers on 500s, an honest /healthz, parallel requests."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from outputs_kb import build_sample_kb
from sitrep.store.sqlite import SQLiteStore
from sitrep.web.app import create_app
from sitrep.web.security import SECURITY_HEADERS, local_location
from sitrep.web.server import make_server

TOKEN = "correct-horse-battery-staple"
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(sample_kb: Path) -> Iterator[str]:
    """A real server (the one `sitrep serve` runs) with a 1 s request deadline and 8 connections."""
    port = _free_port()
    server = make_server(create_app(str(sample_kb), rate=0), HOST, port, request_timeout=1.0, max_connections=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "server did not start"
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _slow_socket(base: str, partial: bytes) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    s = socket.create_connection((host, int(port)), timeout=10)
    s.sendall(partial)
    return s


def _closed_by_server(s: socket.socket, wait: float = 10.0) -> bool:
    s.settimeout(wait)
    try:
        while True:
            data = s.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False
    finally:
        s.close()


def test_slow_headers_are_cut_and_normal_clients_served(live_server: str) -> None:
    slow = [_slow_socket(live_server, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ") for _ in range(20)]
    try:
        # more slow connections than the cap: a normal client is still answered
        for _ in range(3):
            r = httpx.get(f"{live_server}/healthz", timeout=10)
            assert r.status_code == 200 and r.json()["ok"] is True
        assert all(_closed_by_server(s) for s in slow)  # and every slow one is cut
    finally:
        for s in slow:
            s.close()


def test_slow_body_is_cut(live_server: str) -> None:
    s = _slow_socket(live_server, b"GET /api/search?q=x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nab")
    assert _closed_by_server(s)


def test_silent_connection_is_cut(live_server: str) -> None:
    assert _closed_by_server(_slow_socket(live_server, b""))


def test_keep_alive_client_keeps_working(live_server: str) -> None:
    with httpx.Client(base_url=live_server, timeout=10) as client:
        for path in ("/", "/api/graph", "/healthz"):
            assert client.get(path).status_code == 200


def test_no_open_redirect_in_token_mode(sample_kb: Path) -> None:
    app = create_app(str(sample_kb), token=TOKEN, rate=0)
    for path in ("//evil.example/", "//evil.example", "///evil.example/x"):
        client = TestClient(app)  # no cookie yet: the token comes from the URL
        r = client.get(f"http://testserver{path}?token={TOKEN}&q=1", follow_redirects=False)
        assert r.status_code == 303, path
        location = r.headers["location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
        assert "token" not in location and "q=1" in location
        assert httpx.URL("http://testserver").join(location).host == "testserver"


@pytest.mark.parametrize(("path", "location"), [("//evil.example/", "/evil.example/"),
                                                 ("/\\evil.example", "/evil.example"), ("/a b", "/a%20b")])
def test_local_location(path: str, location: str) -> None:
    assert local_location(path) == location


@pytest.mark.parametrize("host", ["[::1]evil.example", "[::1]:80evil", "localhost:80@evil.example",
                                  "127.0.0.1.evil.example", "evil.example", "localhost evil"])
def test_host_check_rejects_lookalikes(sample_kb: Path, host: str) -> None:
    client = TestClient(create_app(str(sample_kb), rate=0))
    assert client.get("/healthz", headers={"host": host}).status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost:8000", "[::1]", "[::1]:8000"])
def test_host_check_accepts_loopback(sample_kb: Path, host: str) -> None:
    client = TestClient(create_app(str(sample_kb), rate=0))
    assert client.get("/healthz", headers={"host": host}).status_code == 200


def test_500_carries_security_headers(sample_kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(SQLiteStore, "list_entities", broken)
    client = TestClient(create_app(str(sample_kb), rate=0), raise_server_exceptions=False)
    for path in ("/", "/api/search?q=Taliban"):
        r = client.get(path)
        assert r.status_code == 500
        for name, value in SECURITY_HEADERS:
            assert r.headers.get(name.decode()) == value.decode(), name
        assert "Traceback" not in r.text and "simulated" not in r.text


def test_healthz_fails_when_database_replaced(sample_kb_copy: Path, tmp_path: Path) -> None:
    client = TestClient(create_app(str(sample_kb_copy), rate=0))
    assert client.get("/healthz").status_code == 200
    other = build_sample_kb(tmp_path / "other.db")
    os.replace(other, sample_kb_copy)
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json()["ok"] is False and "replaced" in r.json()["error"]


def test_healthz_fails_when_database_deleted(sample_kb_copy: Path) -> None:
    client = TestClient(create_app(str(sample_kb_copy), rate=0))
    sample_kb_copy.unlink()
    assert client.get("/healthz").status_code == 503


def test_healthz_fails_when_database_corrupted(sample_kb_copy: Path) -> None:
    client = TestClient(create_app(str(sample_kb_copy), rate=0))
    assert client.get("/healthz").status_code == 200
    size = sample_kb_copy.stat().st_size
    with sample_kb_copy.open("r+b") as fh:  # same file, garbage in place
        fh.write(os.urandom(size))
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json()["ok"] is False


def test_requests_do_not_wait_for_each_other(sample_kb: Path) -> None:
    """Two requests hold a store each at the same time (the old app served one at a time)."""
    kb_pool = create_app(str(sample_kb), rate=0, pool_size=4).state.kb
    holding, release, second = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with kb_pool.use() as store:
            store.count_documents()
            holding.set()
            release.wait(30)

    t = threading.Thread(target=first)
    t.start()
    try:
        assert holding.wait(30)

        def other() -> None:
            with kb_pool.use() as store:
                assert store.count_documents() == 4
                second.set()

        t2 = threading.Thread(target=other)
        t2.start()
        assert second.wait(30), "a second request waited for the first one"
        t2.join(30)
    finally:
        release.set()
        t.join(30)
    kb_pool.close()


def test_pool_is_bounded(sample_kb: Path) -> None:
    kb_pool = create_app(str(sample_kb), rate=0, pool_size=2).state.kb
    stores = []
    with kb_pool.use() as a, kb_pool.use() as b:
        stores += [a, b]
        assert a is not b
        got = threading.Event()

        def third() -> None:
            with kb_pool.use() as c:
                stores.append(c)
                got.set()

        t = threading.Thread(target=third)
        t.start()
        assert not got.wait(0.3)  # both connections are out: the third request waits ...
    assert got.wait(30)  # ... and gets one as soon as they come back
    t.join(30)
    assert stores[2] in stores[:2]
    kb_pool.close()


def test_serve_with_two_workers(sample_kb: Path) -> None:
    """`sitrep serve --workers 2`: two processes on one port, each answering with the same guards."""
    import subprocess

    from conftest import sitrep_command, subprocess_env

    port = _free_port()
    proc = subprocess.Popen([*sitrep_command(), "serve", "--db", str(sample_kb), "--port", str(port), "--rate", "0",
                             "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=subprocess_env(), stdin=subprocess.DEVNULL)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        ok = False
        while time.monotonic() < deadline and proc.poll() is None and not ok:
            try:
                ok = httpx.get(f"{base}/healthz", timeout=5).status_code == 200
            except httpx.HTTPError:
                time.sleep(0.2)
        assert ok, "the server with two workers did not answer"
        with httpx.Client(base_url=base, timeout=10) as client:
            for path in ("/", "/api/graph", "/search?q=Taliban"):
                r = client.get(path)
                assert r.status_code == 200 and r.headers["x-frame-options"] == "DENY"
            assert client.get("/healthz", headers={"host": "[::1]evil.example"}).status_code == 400
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    assert "Traceback" not in err
