"""Idempotency-Key: a retried POST creates nothing twice; keys are per caller."""

import asyncio
import uuid

import pytest
import sqlalchemy as sa

from app.core import idempotency
from tests.factories import login_as, make_hub, token_for

HUBS = "/api/v1/hubs"


def hub_body(slug):
    return {"slug": slug, "name": f"Pôle {slug}", "contact_email": f"{slug}@example.org"}


async def count_hubs(client, admin):
    return len((await client.get(HUBS, headers=admin.headers)).json()["items"])


async def test_same_key_same_body_replays_the_first_answer(client):
    admin = await login_as(client, "admin")
    headers = {**admin.headers, "Idempotency-Key": "create-hub-1"}
    first = await client.post(HUBS, json=hub_body("estrie"), headers=headers)
    again = await client.post(HUBS, json=hub_body("estrie"), headers=headers)
    assert first.status_code == 201, first.text
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    assert await count_hubs(client, admin) == 1


async def test_same_key_other_body_is_422(client):
    admin = await login_as(client, "admin")
    headers = {**admin.headers, "Idempotency-Key": "k-2", "Accept-Language": "en"}
    assert (await client.post(HUBS, json=hub_body("laval"), headers=headers)).status_code == 201
    other = await client.post(HUBS, json=hub_body("outaouais"), headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"].startswith("application/problem+json")
    assert other.json()["type"] == "idempotency-key-reused"
    assert await count_hubs(client, admin) == 1


async def test_keys_are_scoped_to_the_caller(client):
    first_admin = await login_as(client, "admin")
    second_admin = await login_as(client, "admin")
    key = {"Idempotency-Key": "shared-key"}
    a = await client.post(HUBS, json=hub_body("mauricie"), headers={**first_admin.headers, **key})
    b = await client.post(HUBS, json=hub_body("estrie"), headers={**second_admin.headers, **key})
    assert a.status_code == 201 and b.status_code == 201
    assert "idempotent-replayed" not in b.headers
    assert a.json()["id"] != b.json()["id"]


async def test_a_refused_request_is_replayed_too(client):
    hub = await make_hub()
    coordinator = await login_as(client, "coordinator", hub)
    headers = {**coordinator.headers, "Idempotency-Key": "k-3"}
    first = await client.post(HUBS, json=hub_body("gaspesie"), headers=headers)
    again = await client.post(HUBS, json=hub_body("gaspesie"), headers=headers)
    assert first.status_code == again.status_code == 403


async def test_concurrent_retries_create_one_resource(client):
    admin = await login_as(client, "admin")
    headers = {**admin.headers, "Idempotency-Key": "race"}
    answers = await asyncio.gather(
        *(client.post(HUBS, json=hub_body("cote-nord"), headers=headers) for _ in range(4))
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}
    assert await count_hubs(client, admin) == 1


async def test_a_401_is_never_stored_so_the_retry_after_logging_in_again_runs(client):
    admin = await login_as(client, "admin")
    await client.post("/api/v1/auth/logout", headers=admin.headers)
    stale = {**admin.headers, "Idempotency-Key": "after-logout"}
    refused = await client.post(HUBS, json=hub_body("abitibi"), headers=stale)
    assert refused.status_code == 401
    fresh = await token_for(client, admin.user.email)
    retry = await client.post(
        HUBS,
        json=hub_body("abitibi"),
        headers={"Authorization": f"Bearer {fresh}", "Idempotency-Key": "after-logout"},
    )
    assert retry.status_code == 201, retry.text
    assert "idempotent-replayed" not in retry.headers


async def test_the_effect_and_the_stored_answer_commit_together(client, monkeypatch):
    admin = await login_as(client, "admin")
    headers = {**admin.headers, "Idempotency-Key": "crash"}
    real = idempotency._answer_values

    def crash(*args, **kwargs):
        raise RuntimeError("the process died while storing the answer")

    monkeypatch.setattr(idempotency, "_answer_values", crash)
    failed = await client.post(HUBS, json=hub_body("laurentides"), headers=headers)
    assert failed.status_code == 500
    # Nothing was kept: neither the hub nor a half-finished key.
    assert await count_hubs(client, admin) == 0
    monkeypatch.setattr(idempotency, "_answer_values", real)
    retry = await client.post(HUBS, json=hub_body("laurentides"), headers=headers)
    assert retry.status_code == 201, retry.text
    again = await client.post(HUBS, json=hub_body("laurentides"), headers=headers)
    assert again.headers["idempotent-replayed"] == "true"
    assert await count_hubs(client, admin) == 1


async def _stored_body(key: str) -> tuple[uuid.UUID, str]:
    from app.core.db import unit_of_work

    async with unit_of_work(write=False) as db:
        record = (
            await db.execute(
                sa.select(idempotency.IdempotencyRecord).where(
                    idempotency.IdempotencyRecord.key == key
                )
            )
        ).scalar_one()
        assert record.body is not None
        return record.id, record.body


async def test_the_stored_answer_is_sealed_under_the_callers_own_key(client):
    from app.core import envelope
    from app.core.keystore import get_keystore

    admin = await login_as(client, "admin")
    headers = {**admin.headers, "Idempotency-Key": "sealed"}
    first = await client.post(HUBS, json=hub_body("outaouais"), headers=headers)
    assert first.status_code == 201
    record_id, body = await _stored_body("sealed")
    assert envelope.is_sealed(body) and "outaouais" not in body
    assert envelope.key_id_of(body) in await get_keystore().key_ids_of(admin.user.id)
    # Bound to its record: the same ciphertext at another record's place does not open.
    other = envelope.Place("idempotency_record", "body", uuid.uuid4())
    with pytest.raises(envelope.CiphertextMismatch):
        envelope.open_with(await envelope.key_by_id(envelope.key_id_of(body)), other, body)
    again = await client.post(HUBS, json=hub_body("outaouais"), headers=headers)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert record_id


async def test_once_the_callers_keys_are_destroyed_the_answer_counts_as_expired(client):
    from app.core import envelope
    from app.core.keystore import get_keystore

    admin = await login_as(client, "admin")
    headers = {**admin.headers, "Idempotency-Key": "forgotten"}
    assert (await client.post(HUBS, json=hub_body("mauricie"), headers=headers)).status_code == 201
    store = get_keystore()
    await store.destroy_keys(await store.key_ids_of(admin.user.id))
    envelope.forget(admin.user.id)
    envelope.key_cache().clear()
    retry = await client.post(HUBS, json=hub_body("mauricie"), headers=headers)
    # Not replayed (it cannot be read any more): the request runs again, and the hub exists.
    assert retry.status_code == 409, retry.text
    assert "idempotent-replayed" not in retry.headers
    assert await count_hubs(client, admin) == 1
