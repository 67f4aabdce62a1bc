"""Anonymising a person erases what was written about them in sessions and their notes."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.core.db import get_engine
from tests.factories import login_as, make_hub
from tests.matches.helpers import make_mentee, make_mentor, participant
from tests.sessions.test_sessions_smoke import active_match


async def test_anonymisation_erases_session_content_and_notes(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentor = await make_mentor(hub)
    mentee = await make_mentee(hub)
    match = await active_match(client, hub, coord, mentor, mentee)
    me = await participant(client, "mentee", hub, mentee.id)
    when = (datetime.now(UTC) - timedelta(days=3)).replace(microsecond=0)
    created = await client.post(
        "/api/v1/sessions",
        json={
            "match_id": match["id"],
            "scheduled_at": when.isoformat(),
            "mode": "video",
            "agenda": "Mon conflit avec le CA",
        },
        headers=me.headers,
    )
    session_id = created.json()["id"]
    await client.put(
        f"/api/v1/sessions/{session_id}/private-note", json={"text": "À moi"}, headers=me.headers
    )
    gone = await client.delete(f"/api/v1/mentees/{mentee.id}", headers=coord.headers)
    assert gone.status_code == 204
    async with get_engine().connect() as conn:
        agenda = (
            await conn.execute(
                sa.text("SELECT agenda FROM mentoring_session WHERE id = :id"),
                {
                    "id": created.json()["id"].replace("-", "")
                    if conn.dialect.name == "sqlite"
                    else session_id
                },
            )
        ).scalar_one()
        notes = (await conn.execute(sa.text("SELECT count(*) FROM session_note"))).scalar_one()
    assert agenda is None
    assert notes == 0
    staff_view = await client.get(f"/api/v1/sessions/{session_id}", headers=coord.headers)
    assert staff_view.status_code == 200
    assert staff_view.json()["status"] == "scheduled"
