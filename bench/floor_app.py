"""The floor of bench/peers.py: `GET /v1/products/{id}` with nothing but Starlette, asyncpg
and orjson, on the same uvicorn (uvloop, httptools, no access log) as `shopgraph serve`.

It runs what shopgraph's REST read runs (the product and its stock level by key, the same
two statements as loaders/by_key.py compiles them, in one read-only REPEATABLE READ
transaction as db/engine.Reader opens it) and answers the same bytes
(representations.product, formats.timestamp) with the same ETag, so the difference to
shopgraph is the cost of everything else.

    .venv/bin/python bench/floor_app.py --database-url postgresql://... --port 8001
"""

from __future__ import annotations

import argparse
import hashlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shopgraph import ids
from shopgraph.formats import timestamp
from shopgraph.ids import decode, encode

PRODUCT = (
    "SELECT products.id, products.sku, products.name, products.description, "
    "products.price_amount, products.currency, products.category_id, products.created_at, "
    "products.updated_at, products.version \nFROM products \nWHERE products.id IN ($1::BIGINT)"
)
INVENTORY = (
    "SELECT inventory_levels.product_id, inventory_levels.on_hand, inventory_levels.reserved, "
    "inventory_levels.low_stock_threshold, inventory_levels.updated_at \nFROM inventory_levels "
    "\nWHERE inventory_levels.product_id IN ($1::BIGINT)"
)
NOT_FOUND = Response(b'{"status":404}', 404, media_type="application/problem+json")
pools: list[asyncpg.Pool] = []


async def product(request: Request) -> Response:
    pk = decode("Product", request.path_params["id"])
    if pk is None:
        return NOT_FOUND
    async with pools[0].acquire() as db, db.transaction(isolation="repeatable_read", readonly=True):
        row = await db.fetchrow(PRODUCT, pk)
        stock = await db.fetchrow(INVENTORY, pk) if row is not None else None
    if row is None:
        return NOT_FOUND
    category = row["category_id"]
    product_id = encode("Product", row["id"])
    category_id = None if category is None else encode("Category", category)
    body = orjson.dumps(
        {
            "id": product_id,
            "url": f"/v1/products/{product_id}",
            "category_url": None if category_id is None else f"/v1/categories/{category_id}",
            "inventory_url": f"/v1/products/{product_id}/inventory",
            "sku": row["sku"],
            "name": row["name"],
            "description": row["description"],
            "price": {"amount": row["price_amount"], "currency": row["currency"]},
            "category_id": category_id,
            "inventory": None
            if stock is None
            else {
                "on_hand": stock["on_hand"],
                "reserved": stock["reserved"],
                "available": stock["on_hand"] - stock["reserved"],
            },
            "created_at": timestamp(row["created_at"]),
            "updated_at": timestamp(row["updated_at"]),
        }
    )
    tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    return Response(body, 200, headers={"ETag": tag}, media_type="application/json")


async def healthz(_request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


def make_app(database_url: str, pool_size: int) -> Starlette:
    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        pool = await asyncpg.create_pool(database_url, min_size=pool_size, max_size=pool_size)
        # Public ids are made with the installation's key, as every shopgraph process does.
        key = os.environ.get("SHOPGRAPH_ID_KEY") or await pool.fetchval(
            "SELECT id_key FROM installation"
        )
        ids.configure(bytes.fromhex(key))
        pools.append(pool)
        try:
            yield
        finally:
            await pools.pop().close()

    routes = [Route("/v1/products/{id}", product), Route("/healthz", healthz)]
    return Starlette(routes=routes, lifespan=lifespan)


def main() -> None:
    parser = argparse.ArgumentParser(description="The floor app of bench/peers.py.")
    parser.add_argument("--database-url", required=True, help="postgresql://user@host/db")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--pool-size", type=int, default=16, help="database connections")
    args = parser.parse_args()
    uvicorn.run(
        make_app(args.database_url, args.pool_size),
        host=args.host,
        port=args.port,
        log_config=None,
        log_level="warning",
        access_log=False,
        loop="uvloop",
        http="httptools",
    )


if __name__ == "__main__":
    main()
