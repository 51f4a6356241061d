"""The sandbox behaves like a real provider, and a provider that misbehaves is caught.

The sandbox refuses a key reused with other parameters (the old sandbox replayed its first
answer whatever the amount, issue 8.1), answers lookups by key, refuses refunds beyond what
was captured, and keeps its books in the database so two processes see one provider. A
provider whose answer does not match the request is never recorded as a success.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from shopgraph.context import Services
from shopgraph.payments import (
    Charge,
    Declined,
    ProviderRefund,
    ProviderUnavailable,
    Refused,
    SandboxProvider,
)
from shopgraph.settings import Settings

from .conftest import ADMIN, bearer, client_of
from .invariants import assert_money_invariants
from .test_orders import _customer, _product


@pytest.fixture
def sandbox(services: Services) -> SandboxProvider:
    return SandboxProvider(services.database)


async def test_a_key_reused_with_other_parameters_is_refused(sandbox: SandboxProvider) -> None:
    key = f"charge-{uuid.uuid4()}"
    first = await sandbox.charge(amount=1, currency="USD", source="tok_visa", capture=True, key=key)
    assert (first.amount, first.currency, first.status) == (1, "USD", "succeeded")
    again = await sandbox.charge(amount=1, currency="USD", source="tok_visa", capture=True, key=key)
    assert again == first
    with pytest.raises(Refused) as refused:
        await sandbox.charge(amount=999, currency="USD", source="tok_visa", capture=True, key=key)
    assert refused.value.code == "idempotency_key_reused"
    assert await sandbox.lookup(key) == first


async def test_lookup_tells_what_happened_under_a_key(sandbox: SandboxProvider) -> None:
    assert await sandbox.lookup(f"never-{uuid.uuid4()}") is None
    declined = f"declined-{uuid.uuid4()}"
    with pytest.raises(Declined):
        await sandbox.charge(
            amount=5, currency="EUR", source="tok_chargeDeclined", capture=True, key=declined
        )
    found = await sandbox.lookup(declined)
    assert isinstance(found, Declined)
    assert found.code == "card_declined"


async def test_refunds_never_exceed_what_was_captured(sandbox: SandboxProvider) -> None:
    charge = await sandbox.charge(
        amount=100, currency="USD", source="tok_visa", capture=True, key=f"c-{uuid.uuid4()}"
    )
    first = await sandbox.refund(
        reference=charge.reference, amount=60, currency="USD", key=f"r-{uuid.uuid4()}"
    )
    assert isinstance(first, ProviderRefund)
    with pytest.raises(Refused) as refused:
        await sandbox.refund(
            reference=charge.reference, amount=41, currency="USD", key=f"r-{uuid.uuid4()}"
        )
    assert refused.value.code == "amount_too_large"


async def test_an_authorization_is_captured_once(sandbox: SandboxProvider) -> None:
    charge = await sandbox.charge(
        amount=70, currency="USD", source="tok_visa", capture=False, key=f"a-{uuid.uuid4()}"
    )
    assert charge.status == "authorized"
    key = f"cap-{uuid.uuid4()}"
    captured = await sandbox.capture(reference=charge.reference, amount=70, currency="USD", key=key)
    assert captured.amount == 70
    assert await sandbox.capture(reference=charge.reference, amount=70, currency="USD", key=key)
    with pytest.raises(Refused):
        await sandbox.capture(
            reference=charge.reference, amount=70, currency="USD", key=f"cap-{uuid.uuid4()}"
        )


async def test_two_processes_see_one_provider(settings: Settings) -> None:
    """Two sandboxes over one database (two server processes) answer one key alike."""
    one, two = Services(settings), Services(settings)
    try:
        assert isinstance(one.payment_provider, SandboxProvider)
        assert isinstance(two.payment_provider, SandboxProvider)
        key = f"shared-{uuid.uuid4()}"
        # tok_flaky fails the first attempt of a key: the second attempt, from the other
        # process, succeeds, because both count attempts in the same books.
        with pytest.raises(ProviderUnavailable):
            await one.payment_provider.charge(
                amount=42, currency="USD", source="tok_flaky", capture=True, key=key
            )
        charged = await two.payment_provider.charge(
            amount=42, currency="USD", source="tok_flaky", capture=True, key=key
        )
        assert await one.payment_provider.lookup(key) == charged
    finally:
        await one.close()
        await two.close()


class OverchargingProvider(SandboxProvider):
    """A provider that answers with another amount than it was asked for."""

    async def charge(
        self, *, amount: int, currency: str, source: str, capture: bool, key: str
    ) -> Charge:
        made = await super().charge(
            amount=amount, currency=currency, source=source, capture=capture, key=key
        )
        return replace(made, amount=made.amount + 1)


@pytest.fixture
async def overcharging(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    services = Services(settings)
    services.payment_provider = OverchargingProvider(services.database)
    async with client_of(settings, services, bearer(settings, ADMIN)) as http:
        yield http


async def test_an_answer_that_does_not_match_is_never_a_success(
    overcharging: httpx.AsyncClient, client: httpx.AsyncClient, services: Services, unique: str
) -> None:
    product = await _product(client, unique, 5, price=800)
    customer = await _customer(client, unique)
    order: dict[str, Any] = (
        await client.post(
            "/v1/orders",
            json={"customer_id": customer, "lines": [{"product_id": product, "quantity": 1}]},
        )
    ).json()
    path = f"/v1/orders/{order['id']}/payments"
    key = {"Idempotency-Key": f"mismatch-{uuid.uuid4()}"}
    paid = await overcharging.post(path, json={"source": "tok_visa"}, headers=key)
    assert paid.status_code == 502, paid.text
    problem = paid.json()
    assert problem["code"] == "PAYMENT_PROVIDER_ERROR"
    payment = (await client.get(f"/v1/payments/{problem['payment_id']}")).json()
    assert payment["status"] == "needs_review"
    assert payment["captured"]["amount"] == 0
    shown = (await client.get(f"/v1/orders/{order['id']}")).json()
    assert shown["status"] == "pending"
    # The money may have moved: the order is neither payable again nor cancellable.
    assert (await client.post(path, json={"source": "tok_visa"})).status_code == 409
    assert (await client.post(f"/v1/orders/{order['id']}/cancel")).status_code == 409
    replay = await overcharging.post(path, json={"source": "tok_visa"}, headers=key)
    assert replay.status_code == 502
    assert replay.content == paid.content
    await assert_money_invariants(services)
