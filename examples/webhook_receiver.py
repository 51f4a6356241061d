"""A small webhook receiver: verifies each delivery, ignores repeats, answers fast.

    SHOPGRAPH_WEBHOOK_SECRET=whsec_... .venv/bin/python examples/webhook_receiver.py --port 8001

Then point an endpoint at it (http and loopback need SHOPGRAPH_WEBHOOKS_ALLOW_PRIVATE=true
on the server: local development only):

    curl -X POST localhost:8000/v1/webhook-endpoints -H "Authorization: Bearer $KEY" \\
      -H "Content-Type: application/json" -d '{"url": "http://127.0.0.1:8001/hooks"}'

What a receiver must do (docs/webhooks.md): verify the signature over the raw body with a
timestamp tolerance (the `standardwebhooks` library does both), treat `webhook-id` as an
idempotency key (delivery is at least once), and answer 2xx quickly, doing slow work later.
"""

from __future__ import annotations

import argparse
import os
from collections import OrderedDict

import uvicorn
from standardwebhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

SEEN_KEPT = 10_000  # webhook-ids remembered, to ignore redeliveries


def receiver(secret: str) -> Starlette:
    hook = Webhook(secret)
    seen: OrderedDict[str, None] = OrderedDict()

    async def receive(request: Request) -> Response:
        body = await request.body()
        try:
            event = hook.verify(body, dict(request.headers))  # signature and timestamp
        except WebhookVerificationError:
            return Response("bad signature", 400)
        if event["id"] in seen:
            return Response(status_code=204)  # a repeat: already handled
        seen[event["id"]] = None
        if len(seen) > SEEN_KEPT:
            seen.popitem(last=False)
        print(event["type"], event["data"]["object"]["id"], flush=True)
        return Response(status_code=204)

    return Starlette(routes=[Route("/hooks", receive, methods=["POST"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    secret = os.environ.get("SHOPGRAPH_WEBHOOK_SECRET")
    if not secret:
        raise SystemExit("set SHOPGRAPH_WEBHOOK_SECRET to the endpoint's whsec_... secret")
    uvicorn.run(receiver(secret), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
