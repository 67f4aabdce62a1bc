"""Re-encrypting one person under a new key; key store location; the command line."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

from app.core import envelope
from app.core.keystore import default_url, get_keystore
from app.erasure.rotation import PersonNotFound, reencrypt_person
from tests.erasure.common import seen, serving, stored_values, write_everything
from tests.sessions.common import freeze


async def test_reencrypt_moves_one_person_to_a_new_key(client, monkeypatch, migrated, content_copy):
    freeze(monkeypatch)
    w = await write_everything(client, "A")
    mentee_id, mentor_id = w.pair.mentee.id, w.pair.mentor.id
    store = get_keystore()
    (old_key,) = await store.key_ids_of(mentee_id)
    mentor_keys = await store.key_ids_of(mentor_id)
    before = {(t, c, i): v for t, c, i, v in await stored_values()}
    leaked = await content_copy()

    # Agenda, summary, feedback comment and the mentee's own note.
    assert await reencrypt_person(mentee_id, grace_seconds=0) == 4

    (new_key,) = await store.key_ids_of(mentee_id)
    assert new_key != old_key
    assert await store.key_ids_of(mentor_id) == mentor_keys
    after = {(t, c, i): v for t, c, i, v in await stored_values()}
    assert after.keys() == before.keys()
    changed = {place for place in after if after[place] != before[place]}
    assert len(changed) == 4
    for place in changed:
        assert envelope.key_id_of(after[place]) == new_key
    # Everyone reads as before.
    shown = await seen(client, w)
    assert (shown.agenda, shown.summary, shown.comment) == (w.agenda, w.summary, w.comment)
    assert (shown.mentor_note, shown.mentee_note) == (w.mentor_note, w.mentee_note)
    # A copy taken before (the suspected leak) no longer opens that person's content.
    async with serving(leaked, migrated):
        old = await seen(client, w)
        assert (old.agenda, old.summary, old.comment, old.mentee_note) == (None,) * 4
        assert old.mentor_note == w.mentor_note


async def test_reencrypt_refuses_an_unknown_or_erased_person(client, monkeypatch):
    freeze(monkeypatch)
    w = await write_everything(client, "A")
    r = await client.delete(f"/api/v1/mentees/{w.pair.mentee.id}", headers=w.pair.coord.headers)
    assert r.status_code == 204
    for person_id in (uuid.uuid4(), w.pair.mentee.id):
        try:
            await reencrypt_person(person_id, grace_seconds=0)
        except PersonNotFound:
            pass
        else:
            raise AssertionError(f"{person_id} was re-encrypted")


def _command(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "MENTORAT_DATABASE_URL": f"sqlite:///{tmp_path / 'content.db'}",
        "MENTORAT_KEYSTORE_URL": f"sqlite:///{tmp_path / 'keys.db'}",
    }
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(Path(__file__).resolve().parents[2]),
    )


def test_rotate_command_without_argument_rewraps_and_rejects_a_bad_person(tmp_path):
    done = _command(tmp_path, "rotate-data-key")
    assert done.returncode == 0, done.stderr
    assert "rewrapped 0 person keys" in done.stdout
    # The key store is a database of its own, beside the content.
    assert (tmp_path / "keys.db").exists()
    refused = _command(tmp_path, "rotate-data-key", "--reencrypt", "not-a-person")
    assert refused.returncode == 2
    assert "no mentor or mentee" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_the_key_store_defaults_beside_the_content_database():
    assert default_url("sqlite:////var/lib/mentorat/mentorat.db") == (
        "sqlite:////var/lib/mentorat/mentorat-keys.db"
    )
    assert default_url("sqlite:///./mentorat.db") == "sqlite:///./mentorat-keys.db"
    assert default_url("postgresql://app:pw@db.internal:5432/mentorat") == (
        "postgresql://app:pw@db.internal:5432/mentorat_keys"
    )
