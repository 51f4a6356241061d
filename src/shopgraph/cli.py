"""The `shopgraph` command: serve, migrate, seed, fetch GraphiQL's assets."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .db.engine import Database
from .db.migrate import upgrade
from .settings import get_settings

app = typer.Typer(
    help="shopgraph: an e-commerce API server (GraphQL + REST).", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
assets_app = typer.Typer(help="Browser assets served by the server itself.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(assets_app, name="assets")
console = Console(stderr=True)

DEMO = {"customers": 50, "products": 120, "orders": 400}


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply the Alembic migrations to SHOPGRAPH_DATABASE_URL."""
    upgrade(get_settings().database_url, revision)
    console.print(f"[green]database at {revision}[/green]")


@assets_app.command("fetch")
def assets_fetch() -> None:
    """Download GraphiQL's files from the npm registry once, verified by their hashes."""
    from .ide import fetch_graphiql_assets

    for path in fetch_graphiql_assets():
        console.print(f"  {path}")


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
) -> None:
    """Run the API server."""
    import uvicorn

    settings = get_settings()
    upgrade(settings.database_url)
    if demo and asyncio.run(_seed(**DEMO, seed_value=42, only_if_empty=True)):
        console.print("[green]seeded a demo shop[/green]")
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
    )


if __name__ == "__main__":
    app()
