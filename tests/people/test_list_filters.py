"""Lists: each filter, sort, cursor pagination and totals, for mentors and mentees."""

import pytest

from tests.factories import login_as, make_hub
from tests.helpers import assert_names_field
from tests.people.common import API, create, ids


async def _mentors(client, headers):
    a = await create(
        client,
        "mentors",
        headers,
        first_name="Alice",
        last_name="Arsenault",
        languages=["fr"],
        expertise=["governance"],
        sectors=["housing"],
        legal_forms_known=["solidarity_coop"],
        regions_served=["06"],
        status="active",
    )
    b = await create(
        client,
        "mentors",
        headers,
        first_name="Bruno",
        last_name="Bergeron",
        languages=["en", "es"],
        expertise=["finance", "marketing"],
        sectors=["retail", "culture_arts"],
        legal_forms_known=["nonprofit"],
        regions_served=["13", "15"],
    )
    return a, b


async def _mentees(client, headers):
    a = await create(
        client,
        "mentees",
        headers,
        first_name="Claire",
        last_name="Caron",
        languages=["fr"],
        needs=["governance"],
        sector="childcare",
        legal_form="nonprofit",
        region="06",
        status="waiting",
    )
    b = await create(
        client,
        "mentees",
        headers,
        first_name="David",
        last_name="Dubé",
        languages=["en"],
        needs=["funding", "succession"],
        sector="housing",
        legal_form="worker_coop",
        region="13",
    )
    return a, b


MENTOR_CASES = [
    ({"status": "active"}, "a"),
    ({"status": "candidate"}, "b"),
    ({"region": "15"}, "b"),
    ({"region": "06"}, "a"),
    ({"language": "es"}, "b"),
    ({"language": "fr"}, "a"),
    ({"theme": "marketing"}, "b"),
    ({"theme": "governance"}, "a"),
    ({"sector": "culture_arts"}, "b"),
    ({"sector": "housing"}, "a"),
    ({"legal_form": "nonprofit"}, "b"),
    ({"legal_form": "solidarity_coop"}, "a"),
    ({"theme": "governance", "region": "13"}, None),
    ({"theme": "legal"}, None),
]

MENTEE_CASES = [
    ({"status": "waiting"}, "a"),
    ({"status": "applicant"}, "b"),
    ({"region": "13"}, "b"),
    ({"region": "06"}, "a"),
    ({"language": "en"}, "b"),
    ({"theme": "succession"}, "b"),
    ({"theme": "governance"}, "a"),
    ({"sector": "housing"}, "b"),
    ({"sector": "childcare"}, "a"),
    ({"legal_form": "worker_coop"}, "b"),
    ({"legal_form": "nonprofit"}, "a"),
    ({"sector": "housing", "status": "waiting"}, None),
]


@pytest.mark.parametrize(("params", "expected"), MENTOR_CASES)
async def test_mentor_filters(client, params, expected):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    a, b = await _mentors(client, coord.headers)
    wanted = {"a": {a["id"]}, "b": {b["id"]}, None: set()}[expected]
    assert await ids(client, f"{API}/mentors", coord.headers, **params) == wanted


@pytest.mark.parametrize(("params", "expected"), MENTEE_CASES)
async def test_mentee_filters(client, params, expected):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    a, b = await _mentees(client, coord.headers)
    wanted = {"a": {a["id"]}, "b": {b["id"]}, None: set()}[expected]
    assert await ids(client, f"{API}/mentees", coord.headers, **params) == wanted


@pytest.mark.parametrize("plural", ["mentors", "mentees"])
async def test_hub_id_filter(client, plural):
    hub_a, hub_b = await make_hub(), await make_hub()
    admin = await login_as(client, "admin")
    in_a = await create(client, plural, admin.headers, hub_id=str(hub_a.id))
    in_b = await create(client, plural, admin.headers, hub_id=str(hub_b.id))
    url = f"{API}/{plural}"
    assert await ids(client, url, admin.headers) == {in_a["id"], in_b["id"]}
    assert await ids(client, url, admin.headers, hub_id=str(hub_a.id)) == {in_a["id"]}
    assert await ids(client, url, admin.headers, hub_id=str(hub_b.id)) == {in_b["id"]}
    coord_a = await login_as(client, "coordinator", hub_a)
    # Another hub's id as a filter finds nothing for a coordinator: it never widens reach.
    assert await ids(client, url, coord_a.headers, hub_id=str(hub_b.id)) == set()


@pytest.mark.parametrize("plural", ["mentors", "mentees"])
async def test_updated_since(client, plural):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    old = await create(client, plural, coord.headers)
    changed = await create(client, plural, coord.headers)
    patched = await client.patch(
        f"{API}/{plural}/{changed['id']}", json={"first_name": "Renée"}, headers=coord.headers
    )
    since = patched.json()["updated_at"]
    url = f"{API}/{plural}"
    assert await ids(client, url, coord.headers, updated_since=since) == {changed["id"]}
    assert await ids(client, url, coord.headers, updated_since=old["created_at"]) == {
        old["id"],
        changed["id"],
    }
    naive = await client.get(
        url, params={"updated_since": "2026-01-01T00:00:00"}, headers=coord.headers
    )
    assert_names_field(naive, "updated_since")


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("region", "99"),
        ("theme", "cooking"),
        ("sector", "bakery"),
        ("legal_form", "corp"),
        ("language", "xx"),
        ("status", "sleeping"),
        ("hub_id", "not-a-uuid"),
        ("limit", "0"),
        ("limit", "201"),
        ("sort", "bio"),
    ],
)
async def test_invalid_list_parameters_are_422(client, param, value):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    response = await client.get(f"{API}/mentors", params={param: value}, headers=coord.headers)
    assert_names_field(response, param)


@pytest.mark.parametrize("plural", ["mentors", "mentees"])
async def test_sort_and_cursor_pagination(client, plural):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    names = ["Émond", "Lavoie", "Bouchard", "Gagnon", "Roy"]
    for name in names:
        await create(client, plural, coord.headers, last_name=name)
    url = f"{API}/{plural}"
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, "sort": "last_name"}
        if cursor:
            params["cursor"] = cursor
        response = await client.get(url, params=params, headers=coord.headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert "total" not in page
        seen += [item["last_name"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages == 3
    assert seen == sorted(names)
    desc = await client.get(url, params={"sort": "-last_name"}, headers=coord.headers)
    assert [item["last_name"] for item in desc.json()["items"]] == sorted(names, reverse=True)
    totals = await client.get(
        url,
        params={"limit": 2, "include_total": "true", "theme": "governance"},
        headers=coord.headers,
    )
    assert totals.json()["total"] == 5
    assert len(totals.json()["items"]) == 2
    bad = await client.get(url, params={"cursor": "garbage"}, headers=coord.headers)
    assert bad.status_code == 422


@pytest.mark.parametrize("plural", ["mentors", "mentees"])
async def test_default_order_is_creation_order(client, plural):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    created = [(await create(client, plural, coord.headers))["id"] for _ in range(3)]
    response = await client.get(f"{API}/{plural}", headers=coord.headers)
    assert [item["id"] for item in response.json()["items"]] == created
