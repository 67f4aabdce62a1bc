"""Session content is ciphertext at rest, and the data key rotates without losing a word."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from app.core import crypto, envelope
from app.core.config import get_settings
from app.core.db import get_engine, make_async_engine
from app.erasure import rotation as erasure_rotation
from app.sessions.rotation import rotate_data_key
from tests.sessions.common import API, NOW, act, freeze, make_pair, scheduled

AGENDA = "Parler du déficit de la coop et de mon épuisement"
SUMMARY = "Plan : rencontrer la caisse, déléguer la paie"
COMMENT = "Ma mentore m'écoute vraiment"
MENTOR_NOTE = "Elle semble au bord de l'épuisement"
MENTEE_NOTE = "Ne pas parler du conflit avec Jean"
SECRETS = (AGENDA, SUMMARY, COMMENT, MENTOR_NOTE, MENTEE_NOTE)


@pytest.fixture
def use_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set MENTORAT_DATA_KEY for the app; the original environment comes back afterwards."""

    def use(value: str) -> None:
        monkeypatch.setenv("MENTORAT_DATA_KEY", value)
        get_settings.cache_clear()
        crypto.cipher.cache_clear()
        # Unwrapped person keys are forgotten too: they must unwrap with the new setting.
        envelope.key_cache().clear()

    yield use
    monkeypatch.undo()
    get_settings.cache_clear()
    crypto.cipher.cache_clear()
    envelope.key_cache().clear()


async def _write_everything(client, monkeypatch):  # type: ignore[no-untyped-def]
    freeze(monkeypatch)
    pair = await make_pair(client)
    session = await scheduled(
        client, pair.mentee_user, pair.id, NOW - timedelta(days=1), agenda=AGENDA
    )
    sid = session["id"]
    r = await act(
        client, pair.mentor_user, sid, "hold", {"duration_minutes": 60, "summary": SUMMARY}
    )
    assert r.status_code == 200, r.text
    r = await client.put(
        f"{API}/sessions/{sid}/feedback",
        json={"rating": 4, "comment": COMMENT},
        headers=pair.mentee_user.headers,
    )
    assert r.status_code == 200, r.text
    for who, text in ((pair.mentor_user, MENTOR_NOTE), (pair.mentee_user, MENTEE_NOTE)):
        r = await client.put(
            f"{API}/sessions/{sid}/private-note", json={"text": text}, headers=who.headers
        )
        assert r.status_code == 200, r.text
    return pair, sid


async def _stored() -> list[str]:
    """Every encrypted value as the database holds it, read with plain SQL."""
    async with get_engine().connect() as conn:
        session_rows = (
            await conn.execute(
                sa.text("SELECT agenda, summary, feedback_comment FROM mentoring_session")
            )
        ).all()
        note_rows = (await conn.execute(sa.text("SELECT text FROM session_note"))).all()
    values = [v for row in session_rows for v in row] + [row[0] for row in note_rows]
    return [v for v in values if v is not None]


async def _read_back(client, pair, sid) -> None:  # type: ignore[no-untyped-def]
    """Everything reads back in clear through the API."""
    body = (await client.get(f"{API}/sessions/{sid}", headers=pair.mentee_user.headers)).json()
    assert body["agenda"] == AGENDA and body["summary"] == SUMMARY
    assert body["feedback"]["comment"] == COMMENT
    staff = (await client.get(f"{API}/sessions/{sid}", headers=pair.coord.headers)).json()
    assert staff["feedback"]["comment"] == COMMENT
    url = f"{API}/sessions/{sid}/private-note"
    assert (await client.get(url, headers=pair.mentor_user.headers)).json()["text"] == MENTOR_NOTE
    assert (await client.get(url, headers=pair.mentee_user.headers)).json()["text"] == MENTEE_NOTE


async def test_content_is_ciphertext_at_rest(client, monkeypatch, use_keys):
    use_keys(Fernet.generate_key().decode())
    pair, sid = await _write_everything(client, monkeypatch)
    stored = await _stored()
    assert len(stored) == len(SECRETS)
    for value in stored:
        for secret in SECRETS:
            assert secret not in value
            # Nor any recognisable piece of it.
            assert max(secret.split(), key=len) not in value
    # Sealed under the people's own keys: the service key alone opens none of them.
    for value in stored:
        with pytest.raises(crypto.DataKeyError):
            crypto.decrypt(value)
    await _read_back(client, pair, sid)


async def test_the_same_text_never_encrypts_the_same_way(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    for days in (1, 2):
        await scheduled(
            client, pair.mentor_user, pair.id, NOW + timedelta(days=days), agenda=AGENDA
        )
    first, second = await _stored()
    assert first != second


async def _wrapped_keys() -> list[str]:
    """Every person key as the key store holds it (wrapped by the service key)."""
    engine = make_async_engine(get_settings().keystore_url or "")
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(sa.text("SELECT wrapped FROM data_key"))).scalars())
    finally:
        await engine.dispose()


async def test_key_rotation_rewraps_person_keys_not_content(client, monkeypatch, use_keys):
    key_a, key_b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    use_keys(key_a)
    pair, sid = await _write_everything(client, monkeypatch)
    before = await _stored()
    wrapped_before = await _wrapped_keys()
    # The mentee's key (agenda, summary, feedback, their note) and the mentor's (their note).
    assert len(wrapped_before) == 2

    # Deployment with the new key first: old content still reads, new content uses B.
    use_keys(f"{key_b},{key_a}")
    await _read_back(client, pair, sid)
    done = await erasure_rotation.rotate_data_key()
    # One row per person key; no content row is rewritten.
    assert done.keys_rewrapped == 2
    assert await _stored() == before
    wrapped_after = await _wrapped_keys()
    assert set(wrapped_before).isdisjoint(wrapped_after)
    only_a, only_b = Fernet(key_a.encode()), Fernet(key_b.encode())
    for value in wrapped_after:
        assert len(only_b.decrypt(value.encode())) == 32
        with pytest.raises(Exception):  # noqa: B017 - InvalidToken: A no longer opens it
            only_a.decrypt(value.encode())

    # The old key can now be dropped: everything still reads through the API.
    use_keys(key_b)
    await _read_back(client, pair, sid)
    # And the app still writes (the rotation released the database, the engine reconnects).
    r = await client.put(
        f"{API}/sessions/{sid}/private-note",
        json={"text": "après rotation"},
        headers=pair.mentor_user.headers,
    )
    assert r.status_code == 200 and r.json()["text"] == "après rotation"


async def test_rotation_with_nothing_to_do(client, use_keys):
    use_keys(Fernet.generate_key().decode())
    assert await rotate_data_key() == 0


async def test_a_value_no_key_opens_is_an_error_not_clear_text(use_keys):
    use_keys(Fernet.generate_key().decode())
    token = crypto.encrypt(AGENDA)
    use_keys(Fernet.generate_key().decode())
    with pytest.raises(crypto.DataKeyError):
        crypto.decrypt(token)


async def test_idempotent_replays_do_not_store_content_in_clear(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    r = await client.post(
        f"{API}/sessions",
        json={
            "match_id": pair.id,
            "scheduled_at": NOW.isoformat(),
            "mode": "video",
            "agenda": AGENDA,
        },
        headers={**pair.mentee_user.headers, "Idempotency-Key": "k-1"},
    )
    assert r.status_code == 201, r.text
    async with get_engine().connect() as conn:
        bodies = (
            (await conn.execute(sa.text("SELECT body FROM idempotency_record"))).scalars().all()
        )
    assert bodies
    for body in bodies:
        # Stored as a Fernet token: its bytes never hold the answer in clear.
        assert AGENDA.encode() not in base64.urlsafe_b64decode(body.encode() + b"==")
    # The replay still gives the agenda back to its author.
    again = await client.post(
        f"{API}/sessions",
        json={
            "match_id": pair.id,
            "scheduled_at": NOW.isoformat(),
            "mode": "video",
            "agenda": AGENDA,
        },
        headers={**pair.mentee_user.headers, "Idempotency-Key": "k-1"},
    )
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["agenda"] == AGENDA
