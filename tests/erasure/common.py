"""Shared set-ups of the erasure tests: a pair that wrote everything, raw reads, a content copy."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.core import db as core_db
from app.core import envelope
from app.core.config import get_settings
from app.core.db import get_engine
from tests.sessions.common import API, NOW, Pair, act, make_pair, scheduled


@dataclass
class Written:
    """A pair and the texts they wrote on one held session."""

    pair: Pair
    session_id: str
    agenda: str
    summary: str
    comment: str
    mentor_note: str
    mentee_note: str


async def write_everything(client: httpx.AsyncClient, tag: str, hub: Any = None) -> Written:
    """A held session with agenda, summary, feedback and both private notes."""
    pair = await make_pair(client, hub)
    texts = Written(
        pair=pair,
        session_id="",
        agenda=f"Ordre du jour {tag} : la paie en retard",
        summary=f"Résumé {tag} : parler à la caisse",
        comment=f"Commentaire {tag} : très utile",
        mentor_note=f"Note du mentor {tag}",
        mentee_note=f"Note de la mentorée {tag}",
    )
    session = await scheduled(
        client, pair.mentee_user, pair.id, NOW - timedelta(days=1), agenda=texts.agenda
    )
    texts.session_id = session["id"]
    r = await act(
        client,
        pair.mentor_user,
        texts.session_id,
        "hold",
        {"duration_minutes": 60, "summary": texts.summary},
    )
    assert r.status_code == 200, r.text
    r = await client.put(
        f"{API}/sessions/{texts.session_id}/feedback",
        json={"rating": 5, "comment": texts.comment},
        headers=pair.mentee_user.headers,
    )
    assert r.status_code == 200, r.text
    for who, text in ((pair.mentor_user, texts.mentor_note), (pair.mentee_user, texts.mentee_note)):
        r = await client.put(
            f"{API}/sessions/{texts.session_id}/private-note",
            json={"text": text},
            headers=who.headers,
        )
        assert r.status_code == 200, r.text
    return texts


@dataclass
class Seen:
    """What the API shows of a session's content to the pair and to staff."""

    agenda: str | None
    summary: str | None
    comment: str | None
    mentor_note: str | None
    mentee_note: str | None


async def seen(client: httpx.AsyncClient, w: Written) -> Seen:
    """Read everything back through the API, as the people allowed to read it."""
    url = f"{API}/sessions/{w.session_id}"
    mentor_view = await client.get(url, headers=w.pair.mentor_user.headers)
    staff_view = await client.get(url, headers=w.pair.coord.headers)
    mentor_note = await client.get(f"{url}/private-note", headers=w.pair.mentor_user.headers)
    mentee_note = await client.get(f"{url}/private-note", headers=w.pair.mentee_user.headers)
    for r in (mentor_view, staff_view, mentor_note, mentee_note):
        assert r.status_code == 200, r.text
    return Seen(
        agenda=mentor_view.json().get("agenda"),
        summary=mentor_view.json().get("summary"),
        comment=(staff_view.json().get("feedback") or {}).get("comment"),
        mentor_note=mentor_note.json()["text"],
        mentee_note=mentee_note.json()["text"],
    )


def sqlite_id(conn: Any, value: str | uuid.UUID) -> str:
    """A uuid as the dialect stores it (SQLite: 32 hex digits)."""
    text = str(value)
    return text.replace("-", "") if conn.dialect.name == "sqlite" else text


async def stored_values() -> list[tuple[str, str, str, str]]:
    """Every sealed column as the content database holds it: (table, column, id, value)."""
    found = []
    async with get_engine().connect() as conn:
        for table, columns in (
            ("mentoring_session", ("agenda", "summary", "feedback_comment")),
            ("session_note", ("text",)),
        ):
            for column in columns:
                rows = await conn.execute(
                    sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")
                )
                found += [(table, column, str(row[0]), row[1]) for row in rows]
    return found


async def copy_content_database(database_url: str) -> str:
    """A full copy of the content database as it is now (a backup), and its URL."""
    await get_engine().dispose()
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        source = url.database or ""
        target = source.replace(".db", f"-backup-{uuid.uuid4().hex[:6]}.db")
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return url.set(database=target).render_as_string(hide_password=False)
    name = f"{url.database}_bk_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(core_db.sync_url(database_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"')
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_copy(database_url: str, copy_url: str) -> None:
    """Remove a copy made by `copy_content_database`."""
    url = make_url(copy_url)
    if url.get_backend_name() == "sqlite":
        os.remove(url.database or "")
        return
    admin = sa.create_engine(core_db.sync_url(database_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    finally:
        admin.dispose()


def _point_at(url: str) -> None:
    os.environ["MENTORAT_DATABASE_URL"] = url
    get_settings.cache_clear()
    core_db.get_engine.cache_clear()
    core_db.get_sessionmaker.cache_clear()
    # A process serving the copy starts with no key in memory.
    envelope.key_cache().clear()


@asynccontextmanager
async def serving(copy_url: str, live_url: str) -> AsyncIterator[None]:
    """The app serves another content database (same key store, same service key) meanwhile."""
    await get_engine().dispose()
    _point_at(copy_url)
    try:
        yield
    finally:
        await get_engine().dispose()
        _point_at(live_url)
