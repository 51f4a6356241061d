"""A tour of the REST facade against a running demo server (`./dev serve`).

Run: SHOPGRAPH_API_KEY=<the key `./dev serve` printed> \
     .venv/bin/python examples/rest_client.py [http://127.0.0.1:8000]
"""

from __future__ import annotations

import os
import sys
import uuid

import httpx


def show(title: str, response: httpx.Response) -> None:
    print(f"\n== {title}: {response.status_code} {response.headers.get('content-type', '')}")
    print(response.text[:600])


def main(base_url: str) -> None:
    key = os.environ.get("SHOPGRAPH_API_KEY")
    if not key:
        sys.exit("Set SHOPGRAPH_API_KEY to an API key (./dev serve prints a demo admin key).")
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base_url, timeout=10, headers=headers) as api:
        tag = uuid.uuid4().hex[:6]
        category = api.post("/v1/categories", json={"name": f"Examples {tag}"})
        show("create a category", category)
        product = api.post(
            "/v1/products",
            json={
                "sku": f"EX-{tag}",
                "name": "Example kettle",
                "price": {"amount": 4599, "currency": "USD"},
                "category_id": category.json()["id"],
            },
        )
        show("create a product", product)
        product_id = product.json()["id"]
        show("read it back", api.get(f"/v1/products/{product_id}"))
        show(
            "change its price",
            api.patch(
                f"/v1/products/{product_id}", json={"price": {"amount": 3999, "currency": "USD"}}
            ),
        )
        show(
            "a duplicate sku is a conflict",
            api.post(
                "/v1/products",
                json={
                    "sku": f"EX-{tag}",
                    "name": "Again",
                    "price": {"amount": 1, "currency": "USD"},
                },
            ),
        )
        show(
            "a wrong type is a validation error",
            api.post(
                "/v1/products",
                json={
                    "sku": f"EX2-{tag}",
                    "name": "Bad",
                    "price": {"amount": "12", "currency": "USD"},
                },
            ),
        )

        print("\n== walk the orders, 25 at a time, newest first")
        params: dict[str, str | int] = {"limit": 25, "sort": "created_at", "direction": "desc"}
        pages = total = 0
        while pages < 4:
            page = api.get("/v1/orders", params=params).json()
            pages += 1
            total += len(page["data"])
            if not page["has_more"]:
                break
            params["starting_after"] = page["next_cursor"]
        print(f"read {total} orders in {pages} pages; first order lines embedded:")
        first = api.get("/v1/orders", params={"limit": 1}).json()["data"][0]
        print(first["number"], first["total"], first["lines"][:2])

        show("delete the product", api.delete(f"/v1/products/{product_id}"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
