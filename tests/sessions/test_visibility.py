"""DESIGN.md's "who sees what" for sessions: schedule for all in reach, content for the pair."""

from datetime import timedelta

import pytest

from tests.factories import login_as
from tests.helpers import assert_names_field, assert_problem
from tests.sessions.common import (
    API,
    NOW,
    act,
    api_client_headers,
    freeze,
    held,
    make_pair,
    schedule,
    scheduled,
)

AGENDA = "Ordre du jour : conflit avec la présidente du CA"
SUMMARY = "Résumé : préparer l'assemblée générale"
COMMENT = "Très utile, je me sens moins seule"
SCHEDULE_FIELDS = {
    "id",
    "match_id",
    "hub_id",
    "scheduled_at",
    "ends_at",
    "duration_minutes",
    "mode",
    "status",
    "version",
    "created_at",
    "updated_at",
}
CONTENT = ("agenda", "summary")


async def _session_with_everything(client, monkeypatch):  # type: ignore[no-untyped-def]
    """A held session with agenda, summary, location, feedback and both private notes."""
    freeze(monkeypatch)
    pair = await make_pair(client)
    session = await scheduled(
        client,
        pair.mentee_user,
        pair.id,
        NOW - timedelta(days=1),
        agenda=AGENDA,
        location="Café du quartier",
    )
    sid = session["id"]
    r = await act(
        client, pair.mentor_user, sid, "hold", {"duration_minutes": 60, "summary": SUMMARY}
    )
    assert r.status_code == 200, r.text
    r = await client.put(
        f"{API}/sessions/{sid}/feedback",
        json={"rating": 5, "comment": COMMENT},
        headers=pair.mentee_user.headers,
    )
    assert r.status_code == 200, r.text
    for who, text in (
        (pair.mentor_user, "Note du mentor"),
        (pair.mentee_user, "Note de la mentorée"),
    ):
        r = await client.put(
            f"{API}/sessions/{sid}/private-note", json={"text": text}, headers=who.headers
        )
        assert r.status_code == 200, r.text
    return pair, sid


async def _seen(client, headers, sid):  # type: ignore[no-untyped-def]
    """The session as GET /sessions/{id} and as GET /sessions show it to these headers."""
    one = await client.get(f"{API}/sessions/{sid}", headers=headers)
    assert one.status_code == 200, one.text
    listed = await client.get(f"{API}/sessions", headers=headers)
    assert listed.status_code == 200, listed.text
    items = [s for s in listed.json()["items"] if s["id"] == sid]
    assert len(items) == 1
    return one.json(), items[0], one.text + listed.text


@pytest.mark.parametrize("role", ["mentor", "mentee"])
async def test_the_pair_sees_agenda_and_summary(client, monkeypatch, role):
    pair, sid = await _session_with_everything(client, monkeypatch)
    who = pair.mentor_user if role == "mentor" else pair.mentee_user
    for body in (await _seen(client, who.headers, sid))[:2]:
        assert body["agenda"] == AGENDA and body["summary"] == SUMMARY
        assert body["location"] == "Café du quartier"
        if role == "mentee":
            assert body["feedback"]["rating"] == 5 and body["feedback"]["comment"] == COMMENT
        else:
            # The rating goes to the program, not to the mentor, so that mentees can be candid.
            assert "feedback" not in body
    _, _, raw = await _seen(client, who.headers, sid)
    assert "Note du" not in raw and "Note de la" not in raw
    if role == "mentor":
        assert COMMENT not in raw


@pytest.mark.parametrize("role", ["coordinator", "admin"])
async def test_staff_see_schedule_location_and_feedback_never_content(client, monkeypatch, role):
    pair, sid = await _session_with_everything(client, monkeypatch)
    staff = pair.coord if role == "coordinator" else await login_as(client, "admin")
    one, listed, raw = await _seen(client, staff.headers, sid)
    for body in (one, listed):
        assert set(body) >= SCHEDULE_FIELDS
        assert not set(CONTENT) & set(body)
        assert body["location"] == "Café du quartier"
        assert body["feedback"]["rating"] == 5 and body["feedback"]["comment"] == COMMENT
    for secret in (AGENDA, SUMMARY, "Note du mentor", "Note de la mentorée"):
        assert secret not in raw
    # Their own writes answer no content either.
    r = await client.patch(f"{API}/sessions/{sid}", json={"mode": "phone"}, headers=staff.headers)
    assert_problem(r, 409, "invalid-transition")
    r = await client.get(f"{API}/sessions/{sid}/calendar.ics", headers=staff.headers)
    assert r.status_code == 200 and AGENDA.encode() not in r.content


async def test_a_coordinator_of_another_hub_gets_404(client, monkeypatch):
    _, sid = await _session_with_everything(client, monkeypatch)
    other = await make_pair(client)
    for path in ("", "/private-note", "/calendar.ics"):
        assert_problem(
            await client.get(f"{API}/sessions/{sid}{path}", headers=other.coord.headers), 404
        )
    assert_problem(await act(client, other.coord, sid, "cancel", {"reason": "x"}), 404)
    r = await client.get(f"{API}/sessions", headers=other.coord.headers)
    assert r.json()["items"] == []


async def test_another_pair_gets_404(client, monkeypatch):
    pair, sid = await _session_with_everything(client, monkeypatch)
    # Another pair of the same hub.
    other = await make_pair(client, pair.hub, pair.coord)
    for who in (other.mentor_user, other.mentee_user):
        for path in ("", "/private-note", "/calendar.ics"):
            assert_problem(
                await client.get(f"{API}/sessions/{sid}{path}", headers=who.headers), 404
            )
        r = await client.put(
            f"{API}/sessions/{sid}/private-note", json={"text": "x"}, headers=who.headers
        )
        assert_problem(r, 404)
        r = await client.patch(f"{API}/sessions/{sid}", json={"agenda": "x"}, headers=who.headers)
        assert_problem(r, 404)
        assert (await client.get(f"{API}/sessions", headers=who.headers)).json()["items"] == []


async def test_an_api_client_sees_only_the_schedule_of_its_hub(client, monkeypatch):
    pair, sid = await _session_with_everything(client, monkeypatch)
    headers = await api_client_headers(client, pair.coord, pair.hub, ("sessions:read",))
    one, listed, raw = await _seen(client, headers, sid)
    for body in (one, listed):
        assert set(body) == SCHEDULE_FIELDS
        assert (
            body["duration_minutes"] == 60 and body["mode"] == "video" and body["status"] == "held"
        )
    for secret in (AGENDA, SUMMARY, COMMENT, "Café du quartier", "Note du"):
        assert secret not in raw
    r = await client.get(f"{API}/sessions/{sid}/calendar.ics", headers=headers)
    assert r.status_code == 200
    for secret in (AGENDA, SUMMARY, COMMENT, "Café du quartier"):
        assert secret.encode() not in r.content
    assert (
        await client.get(f"{API}/sessions/{sid}/private-note", headers=headers)
    ).status_code in (403, 404)
    r = await schedule(client, headers, pair.id, NOW + timedelta(days=3))
    assert r.status_code in (403, 422), r.text


async def test_an_api_client_without_the_scope_or_of_another_hub_sees_nothing(client, monkeypatch):
    pair, sid = await _session_with_everything(client, monkeypatch)
    unscoped = await api_client_headers(client, pair.coord, pair.hub, ("matches:read",))
    other = await make_pair(client)
    foreign = await api_client_headers(client, other.coord, other.hub, ("sessions:read",))
    # Without the scope the routes are refused (issue 9); another hub's client sees nothing.
    assert_problem(await client.get(f"{API}/sessions/{sid}", headers=unscoped), 403)
    assert_problem(await client.get(f"{API}/sessions", headers=unscoped), 403)
    assert_problem(await client.get(f"{API}/sessions/{sid}", headers=foreign), 404)
    assert (await client.get(f"{API}/sessions", headers=foreign)).json()["items"] == []


@pytest.mark.parametrize("role", ["coordinator", "admin"])
async def test_staff_may_not_write_agenda_or_summary(client, monkeypatch, role):
    freeze(monkeypatch)
    pair = await make_pair(client)
    staff = pair.coord if role == "coordinator" else await login_as(client, "admin")
    r = await schedule(client, staff, pair.id, NOW + timedelta(days=2), agenda="x")
    assert_names_field(r, "agenda")
    session = await scheduled(client, staff, pair.id, NOW - timedelta(hours=2))
    for field in CONTENT:
        r = await client.patch(
            f"{API}/sessions/{session['id']}", json={field: "x"}, headers=staff.headers
        )
        assert_names_field(r, field)
    r = await act(client, staff, session["id"], "hold", {"duration_minutes": 60, "summary": "x"})
    assert_names_field(r, "summary")
    r = await act(client, staff, session["id"], "hold", {"duration_minutes": 60})
    assert r.status_code == 200 and "summary" not in r.json()


async def test_private_notes_belong_to_their_author(client, monkeypatch):
    pair, sid = await _session_with_everything(client, monkeypatch)
    url = f"{API}/sessions/{sid}/private-note"
    mentor_note = (await client.get(url, headers=pair.mentor_user.headers)).json()
    mentee_note = (await client.get(url, headers=pair.mentee_user.headers)).json()
    assert mentor_note["text"] == "Note du mentor"
    assert mentee_note["text"] == "Note de la mentorée"
    # Replacing one's note leaves the other's untouched.
    r = await client.put(url, json={"text": "Nouvelle note"}, headers=pair.mentor_user.headers)
    assert r.status_code == 200 and r.json()["text"] == "Nouvelle note"
    assert (await client.get(url, headers=pair.mentee_user.headers)).json()[
        "text"
    ] == "Note de la mentorée"
    admin = await login_as(client, "admin")
    for staff in (pair.coord, admin):
        assert_problem(await client.get(url, headers=staff.headers), 403)
        assert_problem(await client.put(url, json={"text": "x"}, headers=staff.headers), 403)


async def test_no_note_yet_reads_as_null(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    session = await scheduled(client, pair.mentor_user, pair.id, NOW + timedelta(days=2))
    r = await client.get(
        f"{API}/sessions/{session['id']}/private-note", headers=pair.mentee_user.headers
    )
    assert r.status_code == 200 and r.json() == {"text": None, "updated_at": None}


async def test_feedback_is_the_mentees_on_a_held_session(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    planned = await scheduled(client, pair.mentor_user, pair.id, NOW + timedelta(days=2))
    url = f"{API}/sessions/{planned['id']}/feedback"
    assert_problem(
        await client.put(url, json={"rating": 4}, headers=pair.mentee_user.headers),
        409,
        "invalid-transition",
    )
    r = await act(client, pair.mentor_user, planned["id"], "cancel", {"reason": "Reportée"})
    assert r.status_code == 200
    assert_problem(
        await client.put(url, json={"rating": 4}, headers=pair.mentee_user.headers),
        409,
        "invalid-transition",
    )

    session = await held(client, pair, NOW - timedelta(days=1))
    url = f"{API}/sessions/{session['id']}/feedback"
    for rating in (0, 6):
        assert_names_field(
            await client.put(url, json={"rating": rating}, headers=pair.mentee_user.headers),
            "rating",
        )
    for who in (pair.mentor_user, pair.coord):
        assert_problem(await client.put(url, json={"rating": 1}, headers=who.headers), 403)
    r = await client.put(
        url, json={"rating": 3, "comment": COMMENT}, headers=pair.mentee_user.headers
    )
    assert r.status_code == 200 and r.json()["feedback"]["rating"] == 3
    r = await client.put(url, json={"rating": 4}, headers=pair.mentee_user.headers)
    assert r.json()["feedback"] == {**r.json()["feedback"], "rating": 4, "comment": None}
    coord_view = (
        await client.get(f"{API}/sessions/{session['id']}", headers=pair.coord.headers)
    ).json()
    assert coord_view["feedback"]["rating"] == 4
    mentor_view = await client.get(
        f"{API}/sessions/{session['id']}", headers=pair.mentor_user.headers
    )
    assert "feedback" not in mentor_view.json()
