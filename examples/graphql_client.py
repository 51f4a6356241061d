"""Run the example GraphQL documents against a running demo server (`./dev serve`).

Run: SHOPGRAPH_API_KEY=<the key `./dev serve` printed> \
     .venv/bin/python examples/graphql_client.py [http://127.0.0.1:8000]
Without a key only the public catalog answers; the rest shows UNAUTHENTICATED errors.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import httpx

HERE = Path(__file__).parent / "graphql"
VARIABLES = {"orders.graphql": {"first": 5}}


def main(base_url: str) -> None:
    key = os.environ.get("SHOPGRAPH_API_KEY")
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    with httpx.Client(base_url=base_url, timeout=10, headers=headers) as api:
        for path in sorted(HERE.glob("*.graphql")):
            response = api.post(
                "/graphql",
                json={"query": path.read_text(), "variables": VARIABLES.get(path.name, {})},
            )
            print(f"\n== {path.name}: {response.status_code}")
            print(json.dumps(response.json(), indent=2)[:1200])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
