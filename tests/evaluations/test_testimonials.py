"""Testimonials: consent, staff approval, and a public list showing only what people chose."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.evaluations.common import (
    API,
    GOOD,
    TESTIMONIAL,
    a_match,
    approve,
    evaluate,
    pending,
    public_testimonials,
    put_mine,
)
from tests.factories import login_as, make_hub
from tests.helpers import assert_problem, client_token

MENTEE = {"first_name": "Josée", "role_title": "Directrice générale", "locale": "fr"}
PUBLIC_KEYS = {"id", "testimonial", "author_role", "lang", "match_ended_on", "published_at"}


async def _consented(client, fields=("first_name", "organization_name"), **match_kwargs):
    match_kwargs.setdefault("mentee_fields", MENTEE)
    pair = await a_match(client, **match_kwargs)
    saved = await evaluate(
        client,
        pair.mentee_login,
        pair.id,
        testimonial=TESTIMONIAL,
        publish_consent=True,
        publish_fields=list(fields),
    )
    return pair, saved


async def _published(client, **kwargs):
    pair, saved = await _consented(client, **kwargs)
    response = await approve(client, pair.coord, saved["id"])
    assert response.status_code == 200, response.text
    return pair, response.json()


async def test_pending_then_approved_then_public_with_only_the_chosen_fields(client):
    pair, saved = await _consented(client)
    assert saved["testimonial_status"] == "pending"
    assert await public_testimonials(client) == []
    queue = await pending(client, pair.coord)
    assert [item["id"] for item in queue] == [saved["id"]]
    assert queue[0]["testimonial"] == TESTIMONIAL
    preview = queue[0]["preview"]
    assert preview["first_name"] == "Josée"
    assert preview["organization_name"] == pair.mentee.organization_name
    assert "role_title" not in preview

    response = await approve(client, pair.coord, saved["id"], **{"If-Match": '"1"'})
    assert response.status_code == 200, response.text
    approved = response.json()
    assert approved["testimonial_status"] == "published"
    assert approved["approved_at"] is not None
    assert approved["approved_by_id"] == str(pair.coord.user.id)
    assert response.headers["ETag"] == f'"{approved["version"]}"'
    assert await pending(client, pair.coord) == []

    items = await public_testimonials(client)
    assert len(items) == 1
    item = items[0]
    assert set(item) == PUBLIC_KEYS | {"first_name", "organization_name"}
    assert item["id"] == saved["id"]
    assert item["testimonial"] == TESTIMONIAL
    assert item["author_role"] == "mentee"
    assert item["first_name"] == "Josée"
    assert item["organization_name"] == pair.mentee.organization_name
    assert item["lang"] == "fr"
    today_in_quebec = datetime.now(UTC).astimezone(ZoneInfo("America/Montreal")).date()
    assert item["match_ended_on"] == today_in_quebec.isoformat()
    text = str(item)
    for secret in (pair.mentee.last_name, pair.mentee.email, "Directrice", "Déléguer"):
        assert secret not in text


async def test_the_public_list_needs_no_token_and_ignores_a_bad_one(client):
    await _published(client)
    response = await client.get(f"{API}/testimonials")
    assert response.status_code == 200 and len(response.json()["items"]) == 1
    response = await client.get(
        f"{API}/testimonials", headers={"Authorization": "Bearer not-a-token"}
    )
    assert response.status_code == 200 and len(response.json()["items"]) == 1


async def test_withdrawn_consent_unpublishes_at_once(client):
    pair, approved = await _published(client)
    assert len(await public_testimonials(client)) == 1
    body = {**GOOD, "testimonial": TESTIMONIAL, "publish_consent": False}
    response = await put_mine(client, pair.mentee_login, pair.id, body)
    assert response.status_code == 200, response.text
    assert response.json()["approved_at"] is None
    assert response.json()["testimonial_status"] == "none"
    assert await public_testimonials(client) == []
    assert await pending(client, pair.coord) == []
    # consenting again needs a new approval
    body["publish_consent"] = True
    again = await put_mine(client, pair.mentee_login, pair.id, body)
    assert again.json()["testimonial_status"] == "pending"
    assert await public_testimonials(client) == []
    assert [item["id"] for item in await pending(client, pair.coord)] == [approved["id"]]


async def test_edited_text_goes_back_to_pending(client):
    pair, _ = await _published(client)
    body = {
        **GOOD,
        "testimonial": TESTIMONIAL + " Merci !",
        "publish_consent": True,
        "publish_fields": ["first_name", "organization_name"],
    }
    response = await put_mine(client, pair.mentee_login, pair.id, body)
    assert response.json()["testimonial_status"] == "pending"
    assert await public_testimonials(client) == []
    queue = await pending(client, pair.coord)
    assert queue[0]["testimonial"] == TESTIMONIAL + " Merci !"


async def test_unchanged_text_and_fewer_fields_stay_published_more_fields_do_not(client):
    pair, _ = await _published(client)
    body = {
        **GOOD,
        "satisfaction": 4,
        "testimonial": TESTIMONIAL,
        "publish_consent": True,
        "publish_fields": ["first_name"],
    }
    response = await put_mine(client, pair.mentee_login, pair.id, body)
    assert response.json()["testimonial_status"] == "published"
    items = await public_testimonials(client)
    assert items[0]["first_name"] == "Josée" and "organization_name" not in items[0]
    body["publish_fields"] = ["first_name", "role_title"]
    response = await put_mine(client, pair.mentee_login, pair.id, body)
    assert response.json()["testimonial_status"] == "pending"
    assert await public_testimonials(client) == []


async def test_unpublish_takes_it_off_and_both_actions_are_audited(client):
    pair, approved = await _published(client)
    response = await client.delete(
        f"{API}/testimonials/{approved['id']}", headers=pair.coord.headers
    )
    assert response.status_code == 204, response.text
    assert await public_testimonials(client) == []
    mine = await client.get(
        f"{API}/matches/{pair.id}/evaluations", headers=pair.mentee_login.headers
    )
    assert mine.json()["items"][0]["approved_at"] is None
    assert mine.json()["items"][0]["testimonial_status"] == "pending"
    admin = await login_as(client, "admin")
    events = await client.get(
        f"{API}/audit-events", params={"resource_id": approved["id"]}, headers=admin.headers
    )
    assert events.status_code == 200, events.text
    found = {(e["action"], e["actor"]["id"]) for e in events.json()["items"]}
    assert found == {
        ("approve_testimonial", str(pair.coord.user.id)),
        ("unpublish_testimonial", str(pair.coord.user.id)),
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"testimonial": TESTIMONIAL, "publish_consent": False},
        {"publish_consent": True, "publish_fields": ["first_name"]},
    ],
)
async def test_only_a_consented_testimonial_can_be_approved(client, fields):
    pair = await a_match(client)
    saved = await evaluate(client, pair.mentee_login, pair.id, **fields)
    assert saved["testimonial_status"] == "none"
    assert await pending(client, pair.coord) == []
    response = await approve(client, pair.coord, saved["id"])
    assert_problem(response, 409, "testimonial-not-consented")
    assert await public_testimonials(client) == []


async def test_approval_needs_the_version_staff_read(client):
    pair, saved = await _consented(client)
    body = {**GOOD, "testimonial": "Autre texte", "publish_consent": True}
    await put_mine(client, pair.mentee_login, pair.id, body)
    response = await approve(client, pair.coord, saved["id"], **{"If-Match": '"1"'})
    assert_problem(response, 412, "precondition-failed")
    assert await public_testimonials(client) == []


async def test_approving_twice_changes_nothing(client):
    pair, approved = await _published(client)
    again = await approve(client, pair.coord, approved["id"])
    assert again.status_code == 200
    assert again.json()["approved_at"] == approved["approved_at"]
    assert again.json()["version"] == approved["version"]


async def test_who_may_approve_and_unpublish(client):
    pair, saved = await _consented(client)
    stranger = await login_as(client, "coordinator", await make_hub())
    assert_problem(await approve(client, stranger, saved["id"]), 404, "not-found")
    response = await client.delete(f"{API}/testimonials/{saved['id']}", headers=stranger.headers)
    assert_problem(response, 404, "not-found")
    for who in (pair.mentee_login, pair.mentor_login):
        assert_problem(await approve(client, who, saved["id"]), 403, "forbidden")
        response = await client.delete(f"{API}/testimonials/{saved['id']}", headers=who.headers)
        assert_problem(response, 403, "forbidden")
    token = await client_token(client, pair.coord.headers, pair.hub.id)
    partner = {"Authorization": f"Bearer {token}"}
    response = await client.post(f"{API}/testimonials/{saved['id']}/approve", headers=partner)
    assert_problem(response, 403, "forbidden")
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_problem(await approve(client, pair.coord, unknown), 404, "not-found")
    assert_problem(await client.post(f"{API}/testimonials/{saved['id']}/approve"), 401)
    assert await public_testimonials(client) == []
    admin = await login_as(client, "admin")
    assert (await approve(client, admin, saved["id"])).status_code == 200
    assert len(await public_testimonials(client)) == 1


async def test_pending_is_for_the_hub_s_staff(client):
    pair, saved = await _consented(client)
    other, other_saved = await _consented(client)
    assert [i["id"] for i in await pending(client, pair.coord)] == [saved["id"]]
    assert [i["id"] for i in await pending(client, other.coord)] == [other_saved["id"]]
    admin = await login_as(client, "admin")
    assert {i["id"] for i in await pending(client, admin)} == {saved["id"], other_saved["id"]}
    response = await client.get(f"{API}/testimonials/pending", headers=pair.mentee_login.headers)
    assert_problem(response, 403, "forbidden")
    assert_problem(await client.get(f"{API}/testimonials/pending"), 401)


async def test_a_mentor_shows_at_most_a_first_name(client):
    pair = await a_match(client, mentor_fields={"first_name": "Réjean"})
    fields = ["first_name", "role_title", "organization_name"]
    saved = await evaluate(
        client,
        pair.mentor_login,
        pair.id,
        testimonial="Un privilège.",
        publish_consent=True,
        publish_fields=fields,
    )
    await approve(client, pair.coord, saved["id"])
    (item,) = await public_testimonials(client)
    assert set(item) == PUBLIC_KEYS | {"first_name"}
    assert (item["author_role"], item["first_name"]) == ("mentor", "Réjean")


async def test_nothing_chosen_shows_only_the_role(client):
    await _published(client, fields=())
    (item,) = await public_testimonials(client)
    assert set(item) == PUBLIC_KEYS and item["author_role"] == "mentee"
    assert "Josée" not in str(item)


async def test_a_missing_role_title_is_omitted(client):
    fields = ("first_name", "role_title")
    await _published(client, fields=fields, mentee_fields={"first_name": "Ana", "role_title": None})
    (item,) = await public_testimonials(client)
    assert set(item) == PUBLIC_KEYS | {"first_name"}


async def test_filter_by_the_author_s_language(client):
    _, french = await _published(client)
    _, english = await _published(client, mentee_fields={**MENTEE, "locale": "en"})
    assert [i["id"] for i in await public_testimonials(client, lang="fr")] == [french["id"]]
    (item,) = await public_testimonials(client, lang="en")
    assert (item["id"], item["lang"]) == (english["id"], "en")
    assert len(await public_testimonials(client)) == 2
    response = await client.get(f"{API}/testimonials", params={"lang": "de"})
    assert_problem(response, 422, "validation-error")


async def test_newest_first_one_page_at_a_time(client):
    _, first = await _published(client)
    _, second = await _published(client)
    page = await client.get(f"{API}/testimonials", params={"limit": 1})
    assert [i["id"] for i in page.json()["items"]] == [second["id"]]
    cursor = page.json()["next_cursor"]
    page = await client.get(f"{API}/testimonials", params={"limit": 1, "cursor": cursor})
    assert [i["id"] for i in page.json()["items"]] == [first["id"]]
    assert page.json()["next_cursor"] is None


async def test_an_anonymised_person_is_never_shown(client):
    pair, approved = await _published(client)
    _, still_pending = await _consented(client, hub=pair.hub)
    response = await client.delete(f"{API}/mentees/{pair.mentee.id}", headers=pair.coord.headers)
    assert response.status_code == 204, response.text
    assert await public_testimonials(client) == []
    assert [i["id"] for i in await pending(client, pair.coord)] == [still_pending["id"]]
    await client.delete(f"{API}/testimonials/{approved['id']}", headers=pair.coord.headers)
    assert_problem(await approve(client, pair.coord, approved["id"]), 409, "profile-anonymised")
