"""``sitrep serve``: the read-only web page over the knowledge base."""

from __future__ import annotations

import ipaddress
import secrets

import typer

from sitrep.cli import app
from sitrep.cli.common import EXIT_STORE, EXIT_USAGE, DbOption, err
from sitrep.store import StoreError


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    db: str = DbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; anything but loopback needs --token."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    token: str | None = typer.Option(
        None, "--token", envvar="SITREP_TOKEN",
        help="Require this token on every request (open http://HOST:PORT/?token=T once; a cookie keeps it). "
             "Use 'auto' to generate one."),
    rate: float = typer.Option(20.0, "--rate", min=0, help="Requests per second per client (0 = no limit)."),
    burst: int = typer.Option(100, "--burst", min=1, help="Burst size of the per-client rate limit."),
    workers: int = typer.Option(1, "--workers", min=1, max=32,
                                help="Server processes (each with its own rate limit); more use more cores."),
) -> None:
    """Serve the read-only web page: search, actor pages, network graph, map, timeline, documents.

    Binds 127.0.0.1 by default. Binding any other address is refused unless --token is
    given, and then every request must carry the token.
    """
    from sitrep.web.app import available_vendor, create_app

    if token == "auto":
        token = secrets.token_urlsafe(24)
    if token is not None and len(token) < 12:
        err.print("error: --token must be at least 12 characters", style="red")
        raise typer.Exit(EXIT_USAGE)
    if not is_loopback(host) and not token:
        err.print(f"error: refusing to serve on {host} without --token: the page would be open to your "
                  "network. Use --token T (or --token auto), or bind 127.0.0.1.", style="red", markup=False)
        raise typer.Exit(EXIT_USAGE)
    try:
        web = create_app(db, token=token, rate=rate, burst=burst)
    except StoreError as exc:
        err.print(f"error: {exc}", style="red", markup=False)
        raise typer.Exit(EXIT_STORE) from exc
    if not is_loopback(host):
        err.print(f"WARNING: serving on {host}, reachable from other machines; every request needs the token.",
                  style="bold yellow", markup=False)
    if not available_vendor():
        err.print("note: JavaScript libraries not installed (scripts/install_web_assets.sh); the graph and map "
                  "use simple fallback drawings.", style="yellow", markup=False)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    err.print(f"sitrep: serving {db} read-only at {url}", markup=False, highlight=False)
    from sitrep.web.server import serve as run_server  # a request deadline and a connection cap

    run_server(web, host, port, workers=workers,
               app_settings={"db_url": db, "token": token, "rate": rate, "burst": burst})
