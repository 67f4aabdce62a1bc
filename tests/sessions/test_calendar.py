"""Calendars: one session as an .ics file, and the secret personal feed."""

from datetime import timedelta

from icalendar import Calendar

from tests.helpers import assert_problem
from tests.sessions.common import API, NOW, act, freeze, held, make_pair, scheduled

AGENDA = "Ordre du jour confidentiel"
SUMMARY = "Résumé confidentiel"
NOTE = "Note privée confidentielle"


def events(body: bytes) -> list:  # type: ignore[type-arg]
    """The VEVENTs of an iCalendar document (parsing it back proves it is well formed)."""
    calendar = Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def feed_path(url: str) -> str:
    """The path of a feed URL, for the in-process client."""
    return url[url.index("/api/v1/") :]


async def test_one_session_as_ics(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    at = NOW - timedelta(days=1)
    session = await held(client, pair, at, minutes=75, summary=SUMMARY)
    r = await client.patch(
        f"{API}/sessions/{session['id']}", json={"agenda": AGENDA}, headers=pair.mentee_user.headers
    )
    assert r.status_code == 200
    r = await client.put(
        f"{API}/sessions/{session['id']}/private-note",
        json={"text": NOTE},
        headers=pair.mentee_user.headers,
    )
    assert r.status_code == 200
    r = await client.get(
        f"{API}/sessions/{session['id']}/calendar.ics", headers=pair.mentee_user.headers
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/calendar")
    [event] = events(r.content)
    assert event.decoded("DTSTART") == at
    assert event.decoded("DTEND") == at + timedelta(minutes=75)
    assert str(event["UID"]).startswith(session["id"])
    for secret in (AGENDA, SUMMARY, NOTE):
        assert secret.encode() not in r.content
        assert secret not in r.content.decode()
    # Nobody outside reach gets the file.
    other = await make_pair(client, pair.hub, pair.coord)
    r = await client.get(
        f"{API}/sessions/{session['id']}/calendar.ics", headers=other.mentor_user.headers
    )
    assert_problem(r, 404)
    r = await client.get(f"{API}/sessions/{session['id']}/calendar.ics")
    assert r.status_code == 401


async def test_the_feed_holds_recent_and_upcoming_sessions_without_content(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    other = await make_pair(client, pair.hub, pair.coord)
    old = await held(client, pair, NOW - timedelta(days=40))
    recent = await held(client, pair, NOW - timedelta(days=10), summary=SUMMARY)
    missed = await scheduled(client, pair.mentor_user, pair.id, NOW - timedelta(days=5))
    assert (await act(client, pair.coord, missed["id"], "no-show")).status_code == 200
    upcoming = await scheduled(
        client, pair.mentor_user, pair.id, NOW + timedelta(days=7), agenda=AGENDA
    )
    cancelled = await scheduled(client, pair.mentor_user, pair.id, NOW + timedelta(days=14))
    r = await act(client, pair.mentee_user, cancelled["id"], "cancel", {"reason": "Vacances"})
    assert r.status_code == 200
    theirs = await scheduled(client, other.mentor_user, other.id, NOW + timedelta(days=8))

    r = await client.post(f"{API}/users/me/calendar-feed", headers=pair.mentee_user.headers)
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) == {"url", "token"}
    assert body["url"].endswith(f"/api/v1/calendar/{body['token']}.ics")
    r = await client.get(feed_path(body["url"]))  # no Authorization header
    assert r.status_code == 200, r.text
    uids = {str(e["UID"]).split("@")[0] for e in events(r.content)}
    assert uids == {recent["id"], upcoming["id"]}
    assert old["id"] not in uids and cancelled["id"] not in uids and theirs["id"] not in uids
    for secret in (AGENDA, SUMMARY):
        assert secret.encode() not in r.content
    # The mentor's own feed holds the same meetings of this pair.
    r = await client.post(f"{API}/users/me/calendar-feed", headers=pair.mentor_user.headers)
    mentor_feed = await client.get(feed_path(r.json()["url"]))
    assert {str(e["UID"]).split("@")[0] for e in events(mentor_feed.content)} == uids


async def test_rotating_the_feed_kills_the_old_url_and_delete_revokes(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    await scheduled(client, pair.mentor_user, pair.id, NOW + timedelta(days=2))
    first = (
        await client.post(f"{API}/users/me/calendar-feed", headers=pair.mentor_user.headers)
    ).json()
    second = (
        await client.post(f"{API}/users/me/calendar-feed", headers=pair.mentor_user.headers)
    ).json()
    assert first["token"] != second["token"]
    assert_problem(await client.get(feed_path(first["url"])), 404)
    assert (await client.get(feed_path(second["url"]))).status_code == 200
    r = await client.delete(f"{API}/users/me/calendar-feed", headers=pair.mentor_user.headers)
    assert r.status_code == 204
    assert_problem(await client.get(feed_path(second["url"])), 404)
    assert_problem(await client.get(f"{API}/calendar/not-a-token.ics"), 404)


async def test_staff_have_no_personal_feed(client, monkeypatch):
    freeze(monkeypatch)
    pair = await make_pair(client)
    r = await client.post(f"{API}/users/me/calendar-feed", headers=pair.coord.headers)
    assert_problem(r, 403)
