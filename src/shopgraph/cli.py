"""The `shopgraph` command: serve, migrate, seed, fetch GraphiQL's assets, check the API."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, TypeVar

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import ids
from .auth.api_keys import (
    ApiKeyInfo,
    create_api_key,
    list_api_keys,
    revoke_api_key,
    set_key_version,
)
from .db import installation
from .db.engine import Database
from .db.migrate import upgrade
from .errors import ShopgraphError
from .formats import timestamp
from .settings import get_settings
from .signing_key import MissingSecretKey, secret_key_for

app = typer.Typer(
    help="shopgraph: an e-commerce API server (GraphQL + REST).", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
assets_app = typer.Typer(help="Browser assets served by the server itself.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys for third parties.", no_args_is_help=True)
contract_app = typer.Typer(
    help="The API contract: docs/schema.graphql and docs/openapi.json.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(apikey_app, name="apikey")
app.add_typer(assets_app, name="assets")
app.add_typer(contract_app, name="contract")
operations_app = typer.Typer(
    help="Registered GraphQL operations: the allow-list (docs/persisted-operations.md).",
    no_args_is_help=True,
)
app.add_typer(operations_app, name="operations")
deprecations_app = typer.Typer(
    help="Deprecated versions and fields, and who still uses them.", no_args_is_help=True
)
app.add_typer(deprecations_app, name="deprecations")
console = Console(stderr=True)

T = TypeVar("T")
DEMO = {"customers": 50, "products": 120, "orders": 400}


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply the Alembic migrations to SHOPGRAPH_DATABASE_URL."""
    upgrade(get_settings().database_url, revision)
    console.print(f"[green]database at {revision}[/green]")


def _with_database(work: Callable[[Database], Awaitable[T]]) -> T:
    """Run `work` on the configured database; a refusal is printed with each field at fault."""

    async def run() -> T:
        settings = get_settings()
        database = Database(settings.database_url)
        try:
            key = settings.id_key
            ids.configure(bytes.fromhex(key) if key else await installation.id_key(database))
            return await work(database)
        finally:
            await database.dispose()

    upgrade(get_settings().database_url)
    try:
        return asyncio.run(run())
    except ShopgraphError as error:
        console.print(f"[red]{error.detail}[/red]")
        for item in error.errors:
            console.print(f"  [red]{_option(item.field)}[/red]: {item.message}")
        raise typer.Exit(1) from None


def _option(field: str | None) -> str:
    """`allowed_ips.0` -> `--allow-ip` (the first one): fields in the CLI's own words."""
    names = {"scopes": "--scope", "allowed_ips": "--allow-ip", "tier": "--tier", "name": "--name"}
    head = (field or "").split(".")[0]
    return names.get(head, field or "input")


def _key_json(info: ApiKeyInfo, key: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": info.id,
        "name": info.name,
        "prefix": info.prefix,
        "scopes": info.scopes,
        "tier": info.tier,
        "allowed_ips": info.allowed_ips,
        "expires_at": info.expires_at and timestamp(info.expires_at),
        "revoked_at": info.revoked_at and timestamp(info.revoked_at),
        "last_used_at": info.last_used_at and timestamp(info.last_used_at),
        "created_at": timestamp(info.created_at),
        "api_version": info.api_version,
    }
    if key is not None:
        body["key"] = key
    return body


@apikey_app.command("create")
def apikey_create(
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    scope: Annotated[list[str], typer.Option(help="A scope; repeat for more.")],
    tier: Annotated[str, typer.Option(help="Rate-limit tier.")] = "standard",
    allow_ip: Annotated[list[str] | None, typer.Option(help="CIDR allowed to use the key.")] = None,
    expires_in: Annotated[int | None, typer.Option(help="Days until the key expires.")] = None,
    api_version: Annotated[
        str | None, typer.Option(help="Pin it to this dated REST version (default: current).")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON (with `id` and `key`).")] = False,
) -> None:
    """Create an API key. The key is printed once and cannot be recovered."""
    info, key = _with_database(
        lambda database: create_api_key(
            database,
            name=name,
            scopes=scope,
            tier=tier,
            allowed_ips=allow_ip or [],
            expires_in=timedelta(days=expires_in) if expires_in else None,
            api_version=api_version,
        )
    )
    if json:
        typer.echo(orjson.dumps(_key_json(info, key)).decode())
        return
    console.print(
        f"[green]created {info.id}[/green] ({', '.join(info.scopes)}; tier {info.tier}; "
        f"version {info.api_version})"
    )
    console.print("Store this key now; it cannot be shown again:")
    typer.echo(key)


@apikey_app.command("list")
def apikey_list(
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List API keys (never their secrets)."""
    keys = _with_database(list_api_keys)
    if json:
        typer.echo(orjson.dumps([_key_json(info) for info in keys]).decode())
        return
    for info in keys:
        state = "revoked" if info.revoked_at else "active"
        scopes = " ".join(info.scopes)
        typer.echo(
            f"{info.id}  sg_{info.prefix}_…  {state:8} {info.tier:10} {info.api_version}  "
            f"{scopes}  {info.name}"
        )


@apikey_app.command("set-version")
def apikey_set_version(key_id: str, api_version: str) -> None:
    """Pin an API key to a dated REST version (docs/versioning.md)."""
    try:
        info = _with_database(lambda database: set_key_version(database, key_id, api_version))
    except ShopgraphError as error:
        console.print(f"[red]{error.detail}[/red]")
        raise typer.Exit(1) from None
    console.print(f"[green]{info.id} answers in version {info.api_version}[/green]")


@apikey_app.command("revoke")
def apikey_revoke(key_id: str) -> None:
    """Revoke an API key at once, in every server process."""
    info = _with_database(lambda database: revoke_api_key(database, key_id))
    console.print(f"[yellow]revoked {info.id}[/yellow]")


@deprecations_app.command("report")
def deprecations_report(
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Which consumers still use what is deprecated: uses, days, last use and the trend
    (last 7 days against the 7 before), so you know whom to contact before a sunset."""
    from rich.table import Table

    from .resolvers.deprecation_usage import report_rows
    from .versioning import deprecations

    rows = _with_database(report_rows)
    if json:
        typer.echo(
            orjson.dumps(
                [
                    {
                        **asdict(row),
                        "first_seen": timestamp(row.first_seen),
                        "last_seen": timestamp(row.last_seen),
                    }
                    for row in rows
                ]
            ).decode()
        )
        return
    sunsets = {item.subject: item.sunset for item in deprecations.every()}
    table = Table(
        "deprecated", "sunset", "consumer", "uses", "days", "last use", "7 days", "before"
    )
    for row in rows:
        sunset = sunsets.get(row.subject)
        table.add_row(
            row.subject,
            sunset.isoformat() if sunset else "",
            f"{row.consumer_kind} {row.consumer_id}",
            str(row.uses),
            str(row.days),
            timestamp(row.last_seen),
            str(row.last_7_days),
            str(row.previous_7_days),
        )
    Console().print(table if rows else "nothing deprecated has been used")


@assets_app.command("fetch")
def assets_fetch() -> None:
    """Download GraphiQL's files from the npm registry once, verified by their hashes."""
    from .ide import fetch_graphiql_assets

    for path in fetch_graphiql_assets():
        console.print(f"  {path}")


@contract_app.command("check")
def contract_check(
    against_dir: Annotated[
        Path, typer.Option(help="The committed snapshots the code must match.")
    ] = Path("docs"),
    since: Annotated[
        str | None,
        typer.Option(
            envvar="SHOPGRAPH_CONTRACT_BASE",
            help="Classify changes since the snapshots at this git revision (as CI: the "
            "branch's base), not since the committed ones.",
        ),
    ] = None,
    changelog: Annotated[Path, typer.Option(help="Where declared changes are named.")] = Path(
        "CHANGELOG.md"
    ),
) -> None:
    """Classify every API change as safe, dangerous or breaking (docs/api-changes.md).

    Fails on drift from the snapshots and on a breaking change that is not declared."""
    from .contract.report import render
    from .contract.snapshots import SnapshotUnavailable
    from .contract.verdict import check_tree

    try:
        verdict = check_tree(against_dir, changelog, since=since)
    except SnapshotUnavailable as unavailable:
        console.print(f"[red]{unavailable}[/red]")
        raise typer.Exit(1) from None
    render(verdict, console)
    if not verdict.ok:
        raise typer.Exit(1)


@operations_app.command("register")
def operations_register(
    paths: Annotated[
        list[Path],
        typer.Argument(help="`.graphql` files, or folders of them (examples/graphql).", min=1),
    ],
) -> None:
    """Register operations by the SHA-256 of their text: callers held to the allow-list
    may run them, sent in full or by hash. All are checked first; none is registered
    unless every one is valid."""
    from .resolvers.persisted_operations import register
    from .schema import build_schema
    from .schema.operation_files import (
        OperationFileError,
        check,
        graphql_files,
        operations_in,
        with_canonical_forms,
    )

    try:
        found = [op for path in graphql_files(paths) for op in operations_in(path)]
    except OperationFileError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    # The same text once; each in its canonical form too, as generated clients send it.
    operations = list({op.sha256: op for op in with_canonical_forms(found)}.values())
    problems = check(build_schema(get_settings()), operations)
    for problem in problems:
        console.print(f"[red]{problem}[/red]")
    if problems:
        raise typer.Exit(1)
    fresh = _with_database(lambda database: register(database, operations))
    for operation, new in zip(operations, fresh, strict=True):
        state = "registered" if new else "already registered"
        name = operation.name or "(anonymous)"
        typer.echo(f"{operation.sha256}  {state:18}  {name}  {operation.source}")


@operations_app.command("list")
def operations_list(
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the registered operations, by name."""
    from .resolvers.persisted_operations import list_registered

    operations = _with_database(list_registered)
    if json:
        rows = [
            {
                "sha256": op.sha256,
                "name": op.name,
                "source": op.source,
                "registered_at": op.registered_at and timestamp(op.registered_at),
            }
            for op in operations
        ]
        typer.echo(orjson.dumps(rows).decode())
        return
    for op in operations:
        typer.echo(f"{op.sha256}  {op.name or '(anonymous)'}  {op.source or ''}")


async def _seed(
    customers: int, products: int, orders: int, seed_value: int, only_if_empty: bool
) -> bool:
    from .seed import SeedCounts, is_empty, seed

    settings = get_settings()
    database = Database(settings.database_url)
    try:
        if only_if_empty and not await is_empty(database):
            return False
        columns = (
            TextColumn("{task.description:<18}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            totals = {
                "products": products,
                "inventory_levels": products,
                "customers": customers,
                "orders": orders,
                "order_lines": None,
                "inventory_movements": None,
                "payments": None,
                "refunds": None,
                "categories": None,
            }
            tasks = {name: progress.add_task(name, total=total) for name, total in totals.items()}
            await seed(
                database,
                SeedCounts(customers, products, orders),
                seed=seed_value,
                currency=settings.default_currency,
                progress=lambda table, rows: progress.advance(tasks[table], rows),
            )
        return True
    finally:
        await database.dispose()


@app.command("seed")
def seed_command(
    customers: Annotated[int, typer.Option(min=0)] = 1_000,
    products: Annotated[int, typer.Option(min=0)] = 500,
    orders: Annotated[int, typer.Option(min=0)] = 5_000,
    seed: Annotated[int, typer.Option(help="Same seed, same data.")] = 42,
) -> None:
    """Bulk-insert deterministic demo data."""
    upgrade(get_settings().database_url)
    asyncio.run(_seed(customers, products, orders, seed, only_if_empty=False))
    console.print(
        f"[green]seeded {customers} customers, {products} products, {orders} orders[/green]"
    )


@app.command("serve")
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(min=1)] = 1,
    demo: Annotated[bool, typer.Option(help="Seed a demo shop into an empty database.")] = False,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(help="Proxies trusted for X-Forwarded-For (off by default)."),
    ] = None,
) -> None:
    """Run the API server."""
    import uvicorn

    settings = get_settings()
    try:
        secret_key_for(settings.secret_key, settings.database_url)
    except MissingSecretKey as missing:
        console.print(f"[red]{missing}[/red]")
        raise typer.Exit(1) from None
    upgrade(settings.database_url)
    if demo and asyncio.run(_seed(**DEMO, seed_value=42, only_if_empty=True)):
        console.print("[green]seeded a demo shop[/green]")
        _, key = _with_database(
            lambda database: create_api_key(
                database, name="demo admin", scopes=["admin"], tier="enterprise"
            )
        )
        console.print(f"  demo admin API key (shown once): [bold]{key}[/bold]")
    base = f"http://{host}:{port}"
    console.print(
        f"\nshopgraph is starting on {base}\n"
        f"  GraphiQL      {base}/graphql\n"
        f"  REST docs     {base}/docs\n"
        f"  OpenAPI       {base}/openapi.json\n"
        f"  database      {settings.database_url}\n"
    )
    uvicorn.run(
        "shopgraph.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        loop="uvloop",
        http="httptools",
        # Client addresses decide IP allowlists: trust forwarding headers only when told to.
        proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips,
        # On SIGTERM requests in flight finish, but a request stuck on a lock must not hold
        # the process forever: after this, what is left is cancelled.
        timeout_graceful_shutdown=settings.shutdown_timeout_seconds,
    )


@app.command("worker")
def worker(
    metrics_port: Annotated[
        int | None,
        typer.Option(help="Serve this worker's Prometheus metrics on 127.0.0.1:PORT."),
    ] = None,
) -> None:
    """Deliver webhooks: claim due deliveries and post them until stopped (Ctrl-C, SIGTERM).

    Run as many as the load needs, beside the servers, on PostgreSQL; on SQLite each
    server process delivers by itself (SHOPGRAPH_WEBHOOK_DISPATCHER)."""
    import signal

    from .context import Services
    from .webhooks.dispatcher import Dispatcher

    settings = get_settings()
    try:
        secret_key_for(settings.secret_key, settings.database_url)
    except MissingSecretKey as missing:
        console.print(f"[red]{missing}[/red]")
        raise typer.Exit(1) from None
    upgrade(settings.database_url)
    if metrics_port is not None:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr="127.0.0.1")

    async def run() -> None:
        services = Services(settings)
        await services.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        dispatcher = Dispatcher(services)
        console.print("[green]delivering webhooks[/green] (Ctrl-C stops)")
        try:
            await dispatcher.run(stop)
        finally:
            await dispatcher.close()
            await services.close()

    asyncio.run(run())


if __name__ == "__main__":
    app()
