"""Property tests: any interleaving of payments, captures and refunds keeps the money right.

Hypothesis generates a plan: an order's price, then batches of steps, a batch of one step
running alone and a batch of two or three running at once (`asyncio.gather`). A step picks
a surface (REST or GraphQL), an operation (pay, with an optional partial amount, a card
token and capture or authorize only; capture a known payment; refund a known payment,
with an optional amount) and an idempotency key (none, a fresh one, or one used before,
with the same parameters or with other ones). Each example runs against the real app, the
real database and the real sandbox provider, on a fresh order.

A model of the keys follows every answer: a key is bound to the parameters of the first
request that kept it (an outcome, or a payment booked before a 503), unbound while only
invalid input or in-progress refusals were answered. Checked after every batch:

- every answer is a documented one (201/200, 402 for a declining card, 409, 422, 503 for
  tok_flaky), never a 500 or a GraphQL error;
- a key reused with its parameters answers its first outcome (the same resource id, a
  replay, byte for byte on REST); with other parameters IDEMPOTENCY_KEY_REUSED, and a
  refused request changed nothing; the key's row agrees with the model;
- a step running alone answers what the order's state before it says it must (balance,
  payment state, refundable amount), and changes exactly what its answer says;
- the order's status follows its captures and refunds.

At the end of each example every 503 is retried with its key (as the docs tell clients
to), then: captures never exceed the order's total, refunds never exceed a payment's
capture (through `GET /v1/payments/{id}` and in the database), the sandbox's books hold
exactly one charge per recorded success for the same amount and every refund, the stock
is held or released as the order's status says, and `tests/invariants.py` holds.

Each example runs on its own event loop in a worker thread, with its own `Services`, so the
test is a plain function Hypothesis can drive. The plans are derandomized (the same 50
every run); `SHOPGRAPH_PROPERTY_EXAMPLES=500` runs that many random ones instead.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

import httpx
import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from starlette.applications import Starlette

from shopgraph import ids
from shopgraph.app import create_app
from shopgraph.context import Services
from shopgraph.db.models import idempotency_keys, orders, payments, refunds, sandbox_calls
from shopgraph.settings import Settings

from .conftest import ADMIN, bearer
from .invariants import assert_money_invariants, assert_provider_agrees, assert_stock_invariants
from .test_orders import _customer, _product

T = TypeVar("T")
# The same 50 plans every run, unless SHOPGRAPH_PROPERTY_EXAMPLES asks for that many new ones.
EXAMPLES = int(os.environ.get("SHOPGRAPH_PROPERTY_EXAMPLES", "50"))
DERANDOMIZE = "SHOPGRAPH_PROPERTY_EXAMPLES" not in os.environ
STOCK = 5
# Seconds per sandbox call: enough for concurrent steps to overlap inside the provider.
LATENCY = 0.005
EXAMPLE_TIMEOUT = 120.0

# Weighted by repetition; Hypothesis shrinks towards the first.
SOURCES = ("tok_visa", "tok_visa", "tok_mastercard", "tok_visa", "tok_chargeDeclined", "tok_flaky")
SUCCEEDING = frozenset({"tok_visa", "tok_mastercard"})
# Payments that hold money against their order's balance (docs/write-path.md).
HOLDING = frozenset({"processing", "capturing", "authorized", "succeeded", "needs_review"})
REFUNDING = frozenset({"processing", "succeeded", "needs_review"})
REUSED = "IDEMPOTENCY_KEY_REUSED"
GRAPHQL_STATUS = {
    "PAYMENT_DECLINED": 402,
    "CONFLICT": 409,
    REUSED: 422,
    "VALIDATION_FAILED": 422,
    "SERVICE_UNAVAILABLE": 503,
    "PAYMENT_PROVIDER_ERROR": 502,
    "NOT_FOUND": 404,
}

# --- plans ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pay:
    source: str
    amount: int | None
    capture: bool

    def __str__(self) -> str:
        return f"pay({self.source}, amount={self.amount}, capture={self.capture})"


@dataclass(frozen=True)
class Capture:
    target: int  # the n-th payment of the order (modulo how many it has)

    def __str__(self) -> str:
        return f"capture(payment #{self.target})"


@dataclass(frozen=True)
class Refund:
    target: int
    amount: int | None

    def __str__(self) -> str:
        return f"refund(payment #{self.target}, amount={self.amount})"


KeyKind = Literal["none", "fresh", "same", "other"]


@dataclass(frozen=True)
class Step:
    surface: Literal["rest", "graphql"]
    op: Pay | Capture | Refund
    key: KeyKind
    earlier: int  # for same/other: which earlier key (modulo how many there are)
    explicit: bool  # spell out default parameters (amount null, capture true)

    def __str__(self) -> str:
        key = f"{self.key}({self.earlier})" if self.key in ("same", "other") else self.key
        return f"{self.surface} {self.op} key={key}{' explicit' if self.explicit else ''}"


@dataclass(frozen=True)
class Plan:
    price: int
    batches: tuple[tuple[Step, ...], ...]

    def __str__(self) -> str:
        lines = [f"Plan(price={self.price}"]
        for index, batch in enumerate(self.batches):
            together = " || " if len(batch) > 1 else " "
            lines.append(f"  b{index}:{together}" + " || ".join(str(step) for step in batch))
        return "\n".join(lines) + "\n)"

    def _repr_pretty_(self, printer: Any, _cycle: bool) -> None:
        printer.text(str(self))


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    price = draw(st.integers(1000, 5000))
    amounts = st.one_of(
        st.none(),
        st.sampled_from([price // 2, price // 3, price - price // 3, price]),
        st.integers(1, price + price // 4),
    )
    ops: dict[str, st.SearchStrategy[Pay | Capture | Refund]] = {
        "pay": st.builds(
            Pay, st.sampled_from(SOURCES), amounts, st.sampled_from([True, True, False])
        ),
        "capture": st.builds(Capture, st.integers(0, 5)),
        "refund": st.builds(Refund, st.integers(0, 5), amounts),
    }
    kinds: tuple[KeyKind, ...] = ("none", "fresh", "fresh", "same", "other")
    step = st.builds(
        Step,
        st.sampled_from(["rest", "graphql"]),
        st.sampled_from(["pay", "pay", "refund", "capture", "refund"]).flatmap(ops.__getitem__),
        st.sampled_from(kinds),
        st.integers(0, 7),
        st.booleans(),
    )
    sizes = st.sampled_from([1, 1, 1, 2, 3])  # one step alone, or two or three at once
    batch = sizes.flatmap(lambda n: st.lists(step, min_size=n, max_size=n)).map(tuple)
    return Plan(price, tuple(draw(st.lists(batch, min_size=2, max_size=12))))


# --- requests and answers ---------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    """What a request asks, as its idempotency key's fingerprint covers it."""

    operation: Literal["pay", "capture", "refund"]
    target: str  # the order (pay) or payment id
    source: str | None = None
    amount: int | None = None
    capture: bool | None = None

    def __str__(self) -> str:
        if self.operation == "pay":
            return f"pay({self.source}, amount={self.amount}, capture={self.capture})"
        if self.operation == "capture":
            return f"capture({self.target})"
        return f"refund({self.target}, amount={self.amount})"


@dataclass(frozen=True)
class Request:
    surface: Literal["rest", "graphql"]
    params: Params
    key: str | None
    label: str  # how the transcript names the key: "K2 fresh", "K0 same", ...
    explicit: bool


@dataclass(frozen=True)
class Answer:
    status: int  # REST's status; GraphQL's userError code as REST would answer it
    code: str | None
    resource_id: str | None
    message: str
    replayed: bool | None  # Idempotent-Replayed, or GraphQL's extensions.idempotency
    body: bytes | None = None  # REST only
    payment_id: str | None = None  # a REST decline names the failed payment
    location: str | None = None  # REST only
    amount: int | None = None  # of the payment or refund answered

    @property
    def transient(self) -> bool:
        """Refused for now (another request holds the key or the row), nothing decided."""
        return self.status == 409 and "retry" in self.message

    @property
    def kept(self) -> bool:
        """An outcome a keyed write keeps and replays to every retry."""
        return self.status in (200, 201, 402, 502) or (self.status == 409 and not self.transient)

    def outcome(self) -> tuple[int, str | None, str | None, int | None]:
        return (self.status, self.code, self.resource_id, self.amount)

    def __str__(self) -> str:
        text = " ".join(str(part) for part in (self.status, self.code, self.resource_id) if part)
        return text + (" (replayed)" if self.replayed else "")


PAYMENT_FIELDS = "id status amount { amount } captured { amount } refunded { amount }"
PAY = f"""
mutation($o: ID!, $input: PaymentInput!, $k: String) {{
  payOrder(orderId: $o, input: $input, idempotencyKey: $k) {{
    payment {{ {PAYMENT_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""
CAPTURE = f"""
mutation($id: ID!) {{
  capturePayment(id: $id) {{
    payment {{ {PAYMENT_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""
REFUND = """
mutation($p: ID!, $input: RefundInput!, $k: String) {
  refundPayment(paymentId: $p, input: $input, idempotencyKey: $k) {
    refund { id status amount { amount } payment { id } }
    userErrors { field code message }
  }
}"""


def _pay_input(params: Params, explicit: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"source": params.source}
    if params.amount is not None or explicit:
        body["amount"] = params.amount
    if params.capture is not True or explicit:
        body["capture"] = params.capture
    return body


def _refund_input(params: Params, explicit: bool) -> dict[str, Any]:
    return {"amount": params.amount} if params.amount is not None or explicit else {}


async def _rest(http: httpx.AsyncClient, request: Request) -> Answer:
    params = request.params
    headers = {} if request.key is None else {"Idempotency-Key": request.key}
    if params.operation == "pay":
        body = _pay_input(params, request.explicit)
        response = await http.post(
            f"/v1/orders/{params.target}/payments", json=body, headers=headers
        )
    elif params.operation == "capture":
        response = await http.post(f"/v1/payments/{params.target}/capture")
    else:
        body = _refund_input(params, request.explicit)
        response = await http.post(
            f"/v1/payments/{params.target}/refunds", json=body, headers=headers
        )
    try:
        data: dict[str, Any] = response.json()
    except ValueError:
        data = {}
    replayed = response.headers.get("idempotent-replayed") == "true"
    if response.status_code in (200, 201):
        return Answer(
            response.status_code,
            None,
            data.get("id"),
            "",
            replayed,
            response.content,
            location=response.headers.get("location"),
            amount=data["amount"]["amount"],
        )
    return Answer(
        response.status_code,
        data.get("code"),
        None,
        str(data.get("detail", response.text)),
        replayed,
        response.content,
        data.get("payment_id"),
    )


async def _graphql(http: httpx.AsyncClient, request: Request) -> Answer:
    params = request.params
    variables: dict[str, Any]
    if params.operation == "pay":
        query, name, made = PAY, "payOrder", "payment"
        variables = {"o": params.target, "input": _pay_input(params, request.explicit)}
    elif params.operation == "capture":
        query, name, made = CAPTURE, "capturePayment", "payment"
        variables = {"id": params.target}
    else:
        query, name, made = REFUND, "refundPayment", "refund"
        variables = {"p": params.target, "input": _refund_input(params, request.explicit)}
    if params.operation != "capture" and (request.key is not None or request.explicit):
        variables["k"] = request.key
    response = await http.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json() if response.status_code == 200 else {}
    if response.status_code != 200 or body.get("errors") or not body.get("data"):
        return Answer(response.status_code or 500, "GRAPHQL_ERROR", None, response.text, None)
    payload = body["data"][name]
    entries = body.get("extensions", {}).get("idempotency", [])
    replayed = entries[0]["replayed"] if entries else None
    success = 200 if params.operation == "capture" else 201
    if payload[made] is not None:
        found = payload[made]
        return Answer(success, None, found["id"], "", replayed, amount=found["amount"]["amount"])
    error = payload["userErrors"][0]
    code = error["code"]
    if code not in GRAPHQL_STATUS and error["field"] is not None:
        code = "VALIDATION_FAILED"  # a field's reason (OUT_OF_RANGE, ...): REST's 422
    return Answer(GRAPHQL_STATUS.get(code, 500), code, None, error["message"], replayed)


async def send(http: httpx.AsyncClient, request: Request) -> Answer:
    if request.surface == "rest":
        return await _rest(http, request)
    return await _graphql(http, request)


# --- what the database holds ------------------------------------------------------------


@dataclass(frozen=True)
class PaymentRow:
    status: str
    amount: int
    captured: int
    refunded: int
    failure_code: str | None


@dataclass(frozen=True)
class RefundRow:
    payment_id: str
    status: str
    amount: int


@dataclass(frozen=True)
class Snapshot:
    order_status: str
    payments: dict[str, PaymentRow]  # by public id, in the order they were made
    refunds: dict[str, RefundRow]
    provider_calls: int  # rows in the sandbox's books, all orders
    keys: dict[str, tuple[str, int | None]]  # key -> (state, status code), rows that exist

    def captured(self) -> int:
        return sum(p.captured for p in self.payments.values() if p.status == "succeeded")

    def refunded(self) -> int:
        return sum(r.amount for r in self.refunds.values() if r.status == "succeeded")


@dataclass
class KeyState:
    """The model of one idempotency key."""

    name: str  # K0, K1, ... in the transcript
    key: str
    origin: Params  # what its first request asked; `same` reuses ask it again
    bound: Params | None = None  # what the key names now, if its row exists
    decided: Answer | None = None  # its kept outcome, once there is one
    booked: str | None = None  # the payment a 503 left in flight under the key

    @property
    def pending(self) -> bool:
        return self.bound is not None and self.decided is None


@dataclass(frozen=True)
class Expected:
    """What a step running alone must answer and change, from the state before it."""

    status: int
    code: str | None = None
    new_payment: PaymentRow | None = None
    changed: tuple[str, PaymentRow] | None = None
    new_refund: RefundRow | None = None


def _expected(before: Snapshot, total: int, params: Params, keyed: bool) -> Expected:
    if params.operation == "pay":
        balance = total - sum(p.amount for p in before.payments.values() if p.status in HOLDING)
        if before.order_status != "pending" or balance <= 0:
            return Expected(409, "CONFLICT")
        amount = balance if params.amount is None else params.amount
        if amount > balance:
            return Expected(422, "VALIDATION_FAILED")
        assert params.source is not None
        if params.source in SUCCEEDING:
            status = "succeeded" if params.capture else "authorized"
            captured = amount if params.capture else 0
            return Expected(201, new_payment=PaymentRow(status, amount, captured, 0, None))
        if params.source == "tok_chargeDeclined":
            failed = PaymentRow("failed", amount, 0, 0, "card_declined")
            return Expected(402, "PAYMENT_DECLINED", new_payment=failed)
        # tok_flaky's first attempt: a keyed payment waits for its retry, else it failed.
        left = PaymentRow("processing", amount, 0, 0, None)
        if not keyed:
            left = PaymentRow("failed", amount, 0, 0, "not_charged")
        return Expected(503, "SERVICE_UNAVAILABLE", new_payment=left)
    payment = before.payments[params.target]
    if params.operation == "capture":
        if payment.status != "authorized":
            return Expected(409, "CONFLICT")
        done = replace(payment, status="succeeded", captured=payment.amount)
        return Expected(200, changed=(params.target, done))
    refundable = payment.captured - payment.refunded
    if payment.status != "succeeded" or refundable <= 0:
        return Expected(409, "CONFLICT")
    amount = refundable if params.amount is None else params.amount
    if amount > refundable:
        return Expected(422, "VALIDATION_FAILED")
    return Expected(
        201,
        changed=(params.target, replace(payment, refunded=payment.refunded + amount)),
        new_refund=RefundRow(params.target, "succeeded", amount),
    )


# --- one example ------------------------------------------------------------------------


@dataclass
class Example:
    http: httpx.AsyncClient
    services: Services
    plan: Plan
    order_id: str = ""
    order_pk: int = 0
    product_id: str = ""
    total: int = 0
    keys: list[KeyState] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    made: dict[str, Params] = field(default_factory=dict)  # ids answered 201 / 200
    locations: dict[str, str] = field(default_factory=dict)  # REST 201s: id -> Location
    events: set[str] = field(default_factory=set)  # what the example got to, for statistics

    def expect(self, condition: bool, problem: str) -> None:
        if not condition:
            self.problems.append(problem)

    def report(self, where: str) -> None:
        if self.problems:
            raise AssertionError(
                f"{where}:\n  "
                + "\n  ".join(self.problems)
                + f"\n{self.plan}\nanswers:\n  "
                + "\n  ".join(self.transcript)
            )

    async def run(self) -> None:
        unique = uuid.uuid4().hex[:10]
        product = await _product(self.http, unique, STOCK, price=self.plan.price)
        customer = await _customer(self.http, unique)
        placed = await self.http.post(
            "/v1/orders",
            json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]},
        )
        assert placed.status_code == 201, placed.text
        order = placed.json()
        self.order_id, self.product_id = order["id"], product
        self.order_pk = ids.decode("Order", self.order_id) or 0
        self.total = order["total"]["amount"]
        assert self.total == self.plan.price
        for index, batch in enumerate(self.plan.batches):
            await self.batch(f"b{index}", batch)
        # Clients retry a 503 with its key: every payment left in flight is settled.
        for attempt in range(3):
            waiting = [state for state in self.keys if state.pending]
            if not waiting:
                break
            for number, state in enumerate(waiting):
                assert state.bound is not None
                surface: Literal["rest", "graphql"] = "rest" if number % 2 else "graphql"
                retry = Request(surface, state.bound, state.key, f"{state.name} retry", False)
                await self.run_batch(f"retry{attempt}", [retry])
        await self.final_checks()

    async def batch(self, name: str, steps: Sequence[Step]) -> None:
        known = (await self.snapshot()).payments
        requests = [r for r in (self.resolve(step, known) for step in steps) if r is not None]
        if requests:
            await self.run_batch(name, requests)

    def resolve(self, step: Step, known: dict[str, PaymentRow]) -> Request | None:
        """The step as a request: its target among the order's payments, and its key.

        Targets are counted from the payments the operation applies to (authorized ones
        for a capture, succeeded ones for a refund), then the others, so that small
        numbers, where Hypothesis shrinks to, pick payments the operation can act on.
        """

        def params_of(op: Pay | Capture | Refund) -> Params | None:
            if isinstance(op, Pay):
                return Params("pay", self.order_id, op.source, op.amount, op.capture)
            if not known:
                return None
            wanted = "authorized" if isinstance(op, Capture) else "succeeded"
            ranked = sorted(known, key=lambda pk: known[pk].status != wanted)
            target = ranked[op.target % len(ranked)]
            if isinstance(op, Capture):
                return Params("capture", target)
            return Params("refund", target, amount=op.amount)

        if step.key == "same" and self.keys:  # the earlier request again, on this surface
            state = self.keys[step.earlier % len(self.keys)]
            label = f"{state.name} same"
            return Request(step.surface, state.origin, state.key, label, step.explicit)
        params = params_of(step.op)
        if params is None:
            return None
        if params.operation == "capture" or step.key == "none":  # captures take no key
            return Request(step.surface, params, None, "-", step.explicit)
        if step.key != "other" or not self.keys:
            state = KeyState(f"K{len(self.keys)}", f"prop-{uuid.uuid4()}", params)
            self.keys.append(state)
            return Request(step.surface, params, state.key, f"{state.name} fresh", step.explicit)
        state = self.keys[step.earlier % len(self.keys)]
        if params == state.origin:  # other parameters, whatever was drawn
            if params.operation == "pay":
                params = replace(params, capture=not params.capture)
            else:
                params = replace(params, amount=1 if params.amount is None else params.amount + 1)
        return Request(step.surface, params, state.key, f"{state.name} other", step.explicit)

    async def run_batch(self, name: str, requests: Sequence[Request]) -> None:
        before = await self.snapshot()
        states = {state.key: replace(state) for state in self.keys}
        if len(requests) == 1:
            answers = [await send(self.http, requests[0])]
        else:
            answers = list(await asyncio.gather(*(send(self.http, r) for r in requests)))
        after = await self.snapshot()
        together = " || " if len(requests) > 1 else " "
        for request, answer in zip(requests, answers, strict=True):
            self.transcript.append(
                f"{name}:{together}{request.surface} {request.params} key={request.label}"
                f"{' explicit' if request.explicit else ''} -> {answer}"
            )
        for request, answer in zip(requests, answers, strict=True):
            kind = request.label.split(" ")[-1] if request.key else "unkeyed"
            self.events.add(
                f"{request.params.operation} {kind} {'together' if together != ' ' else 'alone'}"
                f" -> {answer.status} {answer.code or ''}{' replayed' if answer.replayed else ''}"
            )
            self.check_documented(request, answer)
            if answer.status in (200, 201) and answer.resource_id is not None:
                self.made[answer.resource_id] = request.params
                if answer.location is not None:
                    self.locations[answer.resource_id] = answer.location
        for state in self.keys:
            group = [(r, a) for r, a in zip(requests, answers, strict=True) if r.key == state.key]
            if group:
                self.check_key(state, states[state.key], group, before, after)
        if len(requests) == 1:
            self.check_alone(requests[0], answers[0], states, before, after)
        self.check_order(after)
        self.check_key_rows(after)
        self.report(f"after {name}")

    def check_documented(self, request: Request, answer: Answer) -> None:
        """Only documented answers, each where it can happen."""
        allowed = {
            "pay": {201, 402, 409, 422, 503},
            "capture": {200, 409},
            "refund": {201, 409, 422},
        }[request.params.operation]
        what = f"{request.surface} {request.params} answered {answer.status} {answer.code}"
        self.expect(answer.status in allowed, f"{what}: not a documented answer {answer.message}")
        source = request.params.source
        self.expect(answer.status != 402 or source == "tok_chargeDeclined", f"{what}: declined")
        self.expect(answer.status != 503 or source == "tok_flaky", f"{what}: unavailable")
        if answer.code == REUSED:
            self.expect(request.key is not None, f"{what} without a key")
        if answer.body is not None and answer.status == 201:
            collection = "refunds" if request.params.operation == "refund" else "payments"
            self.expect(
                answer.location == f"/v1/{collection}/{answer.resource_id}",
                f"{what}: Location {answer.location}",
            )

    def check_key(
        self,
        state: KeyState,
        prior: KeyState,
        group: list[tuple[Request, Answer]],
        before: Snapshot,
        after: Snapshot,
    ) -> None:
        """The key's answers in this batch against what it named before; then the model."""
        for request, answer in group:
            what = f"{request.surface} {request.params} with {state.name} answered {answer}"
            others = [r for r, _ in group if r is not request]
            if prior.bound is not None and request.params != prior.bound:
                self.expect(
                    (answer.status, answer.code) == (422, REUSED),
                    f"{what}; the key names {prior.bound}: expected {REUSED}",
                )
            elif prior.decided is not None:
                self.expect(
                    answer.outcome() == prior.decided.outcome(),
                    f"{what}; expected the key's first outcome {prior.decided}",
                )
                self.expect(answer.replayed is True, f"{what}: a replay not marked as one")
                if answer.body is not None and prior.decided.body is not None:
                    self.expect(
                        answer.body == prior.decided.body,
                        f"{what}: REST replay {answer.body!r} != first {prior.decided.body!r}",
                    )
            else:
                if answer.code == REUSED:
                    self.expect(
                        prior.bound is None and any(r.params != request.params for r in others),
                        f"{what}, but the key named nothing else",
                    )
                if answer.transient:
                    self.expect(bool(others), f"{what}: in progress, but nothing else was")
                if prior.pending and not others:
                    self.expect(answer.status == 201, f"{what}: the retry should settle it")
                    if prior.booked is not None:
                        self.expect(
                            answer.resource_id == prior.booked,
                            f"{what}: should resume {prior.booked}",
                        )
                if prior.bound is None and answer.kept and not others:
                    self.expect(not answer.replayed, f"{what}: a first answer marked replayed")
        binding = [
            (r, a)
            for r, a in group
            if a.code != REUSED and not a.transient and (a.kept or a.status == 503)
        ]
        named = {r.params for r, _ in binding}
        self.expect(len(named) <= 1, f"{state.name} bound to several operations: {named}")
        kept = [a for _, a in binding if a.kept]
        outcomes = {a.outcome() for a in kept}
        self.expect(len(outcomes) <= 1, f"{state.name} answered different outcomes: {outcomes}")
        if binding and state.bound is None:
            state.bound = binding[0][0].params
        if kept and state.decided is None:
            first = [a for a in kept if a.body is not None and not a.replayed]
            state.decided = first[0] if first else kept[0]
        if state.pending and len(group) == 1 and group[0][1].status == 503:
            new = [p for p in after.payments if p not in before.payments]
            state.booked = new[0] if len(new) == 1 else state.booked

    def check_alone(
        self,
        request: Request,
        answer: Answer,
        states: dict[str, KeyState],
        before: Snapshot,
        after: Snapshot,
    ) -> None:
        """A step running alone: the answer the state before it calls for, and its effect."""
        what = f"{request.surface} {request.params} key={request.label} answered {answer}"
        prior = None if request.key is None else states[request.key]
        if answer.code == REUSED or (prior is not None and prior.decided is not None):
            self.expect(
                (before.payments, before.refunds, before.provider_calls)
                == (after.payments, after.refunds, after.provider_calls),
                f"{what}, yet the order's payments, refunds or the provider's books changed",
            )
            if request.key is not None:
                self.expect(
                    before.keys.get(request.key) == after.keys.get(request.key),
                    f"{what}, yet the key's row changed",
                )
            return
        if prior is not None and prior.pending:
            return  # a resumed payment: checked with the key
        expected = _expected(before, self.total, request.params, request.key is not None)
        self.expect(
            (answer.status, answer.code) == (expected.status, expected.code),
            f"{what}: expected {expected.status} {expected.code or ''} from {before}",
        )
        if (answer.status, answer.code) != (expected.status, expected.code):
            return
        new_payments = {k: v for k, v in after.payments.items() if k not in before.payments}
        if expected.new_payment is None:
            self.expect(not new_payments, f"{what}, yet made payments {new_payments}")
        else:
            self.expect(
                list(new_payments.values()) == [expected.new_payment],
                f"{what}: made {new_payments}, expected {expected.new_payment}",
            )
            made = answer.resource_id or answer.payment_id
            if made is not None:
                self.expect(list(new_payments) == [made], f"{what}, but made {new_payments}")
            if answer.resource_id is not None:
                amount = expected.new_payment.amount
                self.expect(answer.amount == amount, f"{what}: amount {answer.amount} != {amount}")
        for pk, row in before.payments.items():
            now = after.payments.get(pk)
            if expected.changed is not None and expected.changed[0] == pk:
                self.expect(now == expected.changed[1], f"{what}: {pk} is {now}")
            else:
                self.expect(now == row, f"{what}, yet {pk} went from {row} to {now}")
        new_refunds = {k: v for k, v in after.refunds.items() if k not in before.refunds}
        wanted = [] if expected.new_refund is None else [expected.new_refund]
        self.expect(list(new_refunds.values()) == wanted, f"{what}: refunds made {new_refunds}")
        if answer.resource_id is not None and expected.new_refund is not None:
            self.expect(list(new_refunds) == [answer.resource_id], f"{what}: {new_refunds}")
            amount = expected.new_refund.amount
            self.expect(answer.amount == amount, f"{what}: amount {answer.amount} != {amount}")
        for pk, refund in before.refunds.items():
            self.expect(after.refunds.get(pk) == refund, f"{what}, yet refund {pk} changed")

    def check_order(self, now: Snapshot) -> None:
        """Captures never exceed the total; the status follows captures and refunds."""
        captured, refunded = now.captured(), now.refunded()
        status = now.order_status
        where = f"order {status}, captured {captured}, refunded {refunded} of {self.total}"
        self.expect(captured <= self.total, f"{where}: captured more than the total")
        if captured < self.total:
            self.expect(status == "pending", f"{where}: only a covered order is paid")
        else:
            self.expect(status != "pending", f"{where}: covered, yet still pending")
        fully = captured == self.total and refunded == captured
        self.expect((status == "refunded") == fully, f"{where}: refunded iff all of it was")
        for pk, row in now.payments.items():
            self.expect(
                0 <= row.refunded <= row.captured <= row.amount,
                f"payment {pk}: refunded {row.refunded}, captured {row.captured} of {row.amount}",
            )
            held = sum(
                r.amount
                for r in now.refunds.values()
                if r.payment_id == pk and r.status in REFUNDING
            )
            self.expect(held == row.refunded, f"payment {pk}: refunds {held} != {row.refunded}")

    def check_key_rows(self, now: Snapshot) -> None:
        """Each key's row is what the model says: none, in flight, or done."""
        for state in self.keys:
            row = now.keys.get(state.key)
            if state.bound is None:
                self.expect(row is None, f"{state.name}: unbound, yet its row is {row}")
            elif state.decided is not None:
                self.expect(
                    row == ("done", state.decided.status),
                    f"{state.name}: decided {state.decided}, yet its row is {row}",
                )
            else:
                self.expect(
                    row is not None and row[0] == "in_flight",
                    f"{state.name}: waiting for a retry, yet its row is {row}",
                )

    async def snapshot(self) -> Snapshot:
        pk = self.order_pk
        async with self.services.database.engine.connect() as db:
            status = (
                await db.execute(select(orders.c.status).where(orders.c.id == pk))
            ).scalar_one()
            found = await db.execute(
                select(
                    payments.c.id,
                    payments.c.status,
                    payments.c.amount,
                    payments.c.captured_amount,
                    payments.c.refunded_amount,
                    payments.c.failure_code,
                )
                .where(payments.c.order_id == pk)
                .order_by(payments.c.id)
            )
            by_payment = {
                ids.encode("Payment", row[0]): PaymentRow(*row[1:]) for row in found.all()
            }
            found = await db.execute(
                select(refunds.c.id, refunds.c.payment_id, refunds.c.status, refunds.c.amount)
                .join(payments, payments.c.id == refunds.c.payment_id)
                .where(payments.c.order_id == pk)
                .order_by(refunds.c.id)
            )
            by_refund = {
                ids.encode("Refund", row[0]): RefundRow(
                    ids.encode("Payment", row[1]), row[2], row[3]
                )
                for row in found.all()
            }
            calls = (await db.execute(select(func.count()).select_from(sandbox_calls))).scalar_one()
            names = [state.key for state in self.keys]
            found = await db.execute(
                select(
                    idempotency_keys.c.key, idempotency_keys.c.state, idempotency_keys.c.status_code
                ).where(idempotency_keys.c.key.in_(names))
            )
            keys = {row[0]: (row[1], row[2]) for row in found.all()}
        return Snapshot(status, by_payment, by_refund, int(calls), keys)

    async def final_checks(self) -> None:
        now = await self.snapshot()
        for pk, row in now.payments.items():
            self.expect(row.status not in ("processing", "capturing"), f"{pk} still {row.status}")
        for pk, refund in now.refunds.items():
            self.expect(refund.status != "processing", f"refund {pk} still processing")
        for state in self.keys:
            self.expect(not state.pending, f"{state.name} never settled")
        await self.check_through_rest(now)
        await self.check_provider()
        level = (await self.http.get(f"/v1/products/{self.product_id}/inventory")).json()
        held = 0 if now.order_status == "refunded" else 1  # a full refund frees the stock
        self.expect(
            (level["on_hand"], level["reserved"]) == (STOCK, held),
            f"order {now.order_status}: stock {level}",
        )
        self.report("at the end")
        await _database_wide(self.services, "after this example")

    async def check_through_rest(self, now: Snapshot) -> None:
        """`GET /v1/payments/{id}` and the order's list show what the database holds."""
        listed = (await self.http.get(f"/v1/orders/{self.order_id}/payments")).json()["data"]
        self.expect([p["id"] for p in listed] == list(now.payments), f"listed {listed}")
        for pk, row in now.payments.items():
            response = await self.http.get(f"/v1/payments/{pk}")
            self.expect(response.status_code == 200, f"GET {pk}: {response.text}")
            shown = response.json()
            self.expect(
                (shown["status"], shown["amount"]["amount"], shown["captured"]["amount"])
                == (row.status, row.amount, row.captured)
                and shown["refunded"]["amount"] == row.refunded,
                f"GET {pk} shows {shown}, the database {row}",
            )
            self.expect(
                shown["refunded"]["amount"] <= shown["captured"]["amount"],
                f"GET {pk}: refunded more than captured: {shown}",
            )
            refunds = (await self.http.get(f"/v1/payments/{pk}/refunds")).json()["data"]
            succeeded = sum(r["amount"]["amount"] for r in refunds if r["status"] in REFUNDING)
            self.expect(succeeded == row.refunded, f"GET {pk}/refunds: {refunds}")
        for made, location in self.locations.items():
            response = await self.http.get(location)
            self.expect(
                response.status_code == 200 and response.json()["id"] == made,
                f"GET {location} (the Location of {made}): {response.status_code} {response.text}",
            )
        for made, params in self.made.items():
            if params.operation == "refund":
                self.expect(now.refunds.get(made, RefundRow("", "", 0)).status == "succeeded", made)
            else:
                self.expect(
                    made in now.payments
                    and now.payments[made].status in ("succeeded", "authorized"),
                    f"{made} answered as made is {now.payments.get(made)}",
                )

    async def check_provider(self) -> None:
        """The sandbox's books: one charge per payment, for its amount; captures and refunds
        exactly as recorded; never more captured at the provider than the order's total."""
        async with self.services.database.engine.connect() as db:
            found = (
                await db.execute(
                    select(
                        payments.c.id,
                        payments.c.status,
                        payments.c.amount,
                        payments.c.captured_amount,
                        payments.c.provider_key,
                        payments.c.provider_reference,
                    ).where(payments.c.order_id == self.order_pk)
                )
            ).all()
            calls = {
                row.key: row
                for row in (
                    await db.execute(
                        select(sandbox_calls).where(
                            sandbox_calls.c.key.in_([p.provider_key for p in found])
                        )
                    )
                ).all()
            }
            references = [c.reference for c in calls.values() if c.reference is not None]
            followers = (
                await db.execute(
                    select(sandbox_calls).where(sandbox_calls.c.target.in_(references))
                )
            ).all()
            refunded_here = (
                await db.execute(
                    select(
                        refunds.c.payment_id,
                        refunds.c.status,
                        refunds.c.amount,
                        refunds.c.provider_key,
                    )
                    .join(payments, payments.c.id == refunds.c.payment_id)
                    .where(payments.c.order_id == self.order_pk)
                )
            ).all()
        by_key = {row.key: row for row in followers}
        at_provider = 0
        for pk, status, amount, captured, provider_key, reference in found:
            name = ids.encode("Payment", pk)
            charge = calls.get(provider_key)
            self.expect(charge is not None, f"{name} {status}: no charge at the provider")
            if charge is None:
                continue
            caps = [
                f
                for f in followers
                if f.target == charge.reference and f.operation == "capture" and f.outcome
            ]
            money = (charge.amount if charge.outcome == "succeeded" else 0) + sum(
                c.amount for c in caps
            )
            at_provider += money
            where = f"{name} {status} {amount}: provider {charge.outcome} {charge.amount}, {caps}"
            self.expect(charge.amount == amount, where)
            if status == "succeeded":
                self.expect(
                    money == amount == captured
                    and reference == charge.reference
                    and len(caps) == (0 if charge.outcome == "succeeded" else 1),
                    where,
                )
            elif status == "authorized":
                self.expect(charge.outcome == "authorized" and not caps, where)
            else:
                self.expect(money == 0, where)
            back = sum(
                f.amount
                for f in followers
                if f.target == charge.reference and f.operation == "refund" and f.outcome
            )
            booked = sum(
                r.amount for r in refunded_here if r.payment_id == pk and r.status == "succeeded"
            )
            self.expect(back == booked, f"{name}: provider refunded {back}, recorded {booked}")
        for payment_pk, status, amount, provider_key in refunded_here:
            call = by_key.get(provider_key)
            done = call is not None and call.outcome == "refunded" and call.amount == amount
            self.expect(
                done == (status == "succeeded"),
                f"refund of {ids.encode('Payment', payment_pk)} {status} {amount}: provider {call}",
            )
        self.expect(at_provider <= self.total, f"the provider captured {at_provider} > total")


# --- the test ---------------------------------------------------------------------------


async def _database_wide(services: Services, when: str) -> None:
    """`tests/invariants.py` over the whole database, which every example shares."""
    try:
        await assert_money_invariants(services)
        await assert_stock_invariants(services)
        await assert_provider_agrees(services)
    except AssertionError as error:
        raise AssertionError(f"database-wide invariants broken {when}: {error}") from None


def _in_own_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run an example to completion on a fresh event loop, off the tests' session loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _with_services(
    app: Starlette, settings: Settings, work: Callable[[httpx.AsyncClient, Services], Awaitable[T]]
) -> T:
    services = Services(settings.model_copy(update={"sandbox_latency_seconds": LATENCY}))
    app.state.services = services
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers=bearer(settings, ADMIN)
        ) as http:
            async with asyncio.timeout(EXAMPLE_TIMEOUT):  # a hung request fails the example
                return await work(http, services)
    finally:
        await services.close()


@pytest.fixture(scope="module")
def money_app(settings: Settings) -> Starlette:
    """The app the examples share, each with its own services; the books clean before."""

    app = create_app(settings, migrate=False)
    _in_own_loop(_with_services(app, settings, lambda _http, s: _database_wide(s, "before")))
    return app


@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(plan=plans())
def test_any_interleaving_keeps_the_money_right(
    money_app: Starlette, settings: Settings, plan: Plan
) -> None:
    async def scenario(http: httpx.AsyncClient, services: Services) -> Example:
        # Broken already: an earlier example (its own failure is the one to read) or test.
        await _database_wide(services, "before this example, by an earlier one")
        example = Example(http, services, plan)
        await example.run()
        return example

    example = _in_own_loop(_with_services(money_app, settings, scenario))
    for seen in sorted(example.events):  # --hypothesis-show-statistics
        event(seen)
