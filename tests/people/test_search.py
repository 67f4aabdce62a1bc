"""`q` searches names, email and organisation, ignoring case and French accents."""

import pytest

from tests.factories import login_as, make_hub
from tests.people.common import API, create, ids


@pytest.mark.parametrize(
    "query",
    ["veronique", "VÉRONIQUE", "Veronique", "véro", "cote", "CÔTÉ", "veronique cote", "  vero  "],
)
async def test_mentor_name_search_ignores_case_and_accents(client, query):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    veronique = await create(
        client, "mentors", coord.headers, first_name="Véronique", last_name="Côté"
    )
    await create(client, "mentors", coord.headers, first_name="Marc", last_name="Ouellet")
    assert await ids(client, f"{API}/mentors", coord.headers, q=query) == {veronique["id"]}


@pytest.mark.parametrize("query", ["quebec", "QUÉBEC", "coop de queb", "Québec"])
async def test_mentee_organisation_search(client, query):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    coop = await create(client, "mentees", coord.headers, organization_name="Coop de Québec")
    await create(client, "mentees", coord.headers, organization_name="CPE Les Petits Pas")
    assert await ids(client, f"{API}/mentees", coord.headers, q=query) == {coop["id"]}


async def test_search_by_email_and_accented_names(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    helene = await create(
        client,
        "mentees",
        coord.headers,
        first_name="Hélène",
        last_name="Gagné-Lévesque",
        email="h.gagne@coop-epicerie.example",
        organization_name="Épicerie solidaire de Rimouski",
    )
    await create(client, "mentees", coord.headers, first_name="Paul", last_name="Roy")
    url = f"{API}/mentees"
    for query in ["helene", "gagne-levesque", "LEVESQUE", "h.gagne@coop", "epicerie", "rimouski"]:
        assert await ids(client, url, coord.headers, q=query) == {helene["id"]}, query


async def test_search_treats_wildcards_literally(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    await create(client, "mentors", coord.headers, first_name="Anne")
    url = f"{API}/mentors"
    for query in ["%", "_", "a%e", "\\"]:
        assert await ids(client, url, coord.headers, q=query) == set(), query


async def test_search_follows_renames(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentee = await create(
        client, "mentees", coord.headers, first_name="Sylvie", organization_name="Coop Alpha"
    )
    response = await client.patch(
        f"{API}/mentees/{mentee['id']}",
        json={"first_name": "Frédérique", "organization_name": "Coopérative Bêta"},
        headers=coord.headers,
    )
    assert response.status_code == 200, response.text
    url = f"{API}/mentees"
    assert await ids(client, url, coord.headers, q="sylvie") == set()
    assert await ids(client, url, coord.headers, q="alpha") == set()
    assert await ids(client, url, coord.headers, q="frederique") == {mentee["id"]}
    assert await ids(client, url, coord.headers, q="cooperative beta") == {mentee["id"]}


async def test_search_combines_with_filters_and_stays_in_hub(client):
    hub_a, hub_b = await make_hub(), await make_hub()
    coord_a = await login_as(client, "coordinator", hub_a)
    coord_b = await login_as(client, "coordinator", hub_b)
    mine = await create(client, "mentors", coord_a.headers, status="active")
    await create(client, "mentors", coord_a.headers)
    await create(client, "mentors", coord_b.headers)
    url = f"{API}/mentors"
    assert await ids(client, url, coord_a.headers, q="veronique", status="active") == {mine["id"]}
    response = await client.get(
        url, params={"q": "veronique", "include_total": "true"}, headers=coord_a.headers
    )
    assert response.json()["total"] == 2


async def test_overlong_query_is_422(client):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    response = await client.get(f"{API}/mentors", params={"q": "x" * 101}, headers=coord.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "q"


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Les Œuvres du Cœur", "oeuvres du coeur"),
        ("Les Œuvres du Cœur", "cœur"),
        ("Coop de l’Érable", "l'erable"),
        ("Coop de l'Érable", "de l’érable"),
        ("Ressourcerie Saguenay–Lac-Saint-Jean", "saguenay-lac"),
    ],
)
async def test_search_folds_french_typography(client, stored, query):
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    mentee = await create(client, "mentees", coord.headers, organization_name=stored)
    await create(client, "mentees", coord.headers, organization_name="Autre coop")
    assert await ids(client, f"{API}/mentees", coord.headers, q=query) == {mentee["id"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tremblay", {"genevieve", "marc"}),
        ("TREMB", {"genevieve", "marc", "jean"}),
        ("côté-trem", {"genevieve"}),
        ("marc tremblay", {"marc"}),
        ("ay", {"genevieve", "marc"}),
        ("qz", set()),
        ("tremblayz", set()),
    ],
)
async def test_partial_words_and_phrases_find_the_same_people_on_both_databases(
    client, query, expected
):
    # Trigram-indexed on PostgreSQL, scanned on SQLite: one set of answers (this test runs on both).
    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    people = {
        "genevieve": ("Geneviève", "Côté-Tremblay"),
        "marc": ("Marc", "TREMBLAY"),
        "jean": ("Jean", "Trembley"),
        "lise": ("Lise", "Ouellet"),
    }
    made = {}
    for key, (first, last) in people.items():
        row = await create(
            client,
            "mentors",
            coord.headers,
            first_name=first,
            last_name=last,
            email=f"{key}@exemple.org",
        )
        made[row["id"]] = key
    found = await ids(client, f"{API}/mentors", coord.headers, q=query)
    assert {made[i] for i in found} == expected


async def test_postgresql_answers_q_from_the_trigram_index(client, is_postgres):
    if not is_postgres:
        pytest.skip("the trigram index is PostgreSQL's")
    import sqlalchemy as sa

    from app.core.db import get_engine

    async with get_engine().connect() as conn:
        await conn.exec_driver_sql("SET enable_seqscan = off")
        for table in ("mentor", "mentee"):
            plan = await conn.execute(
                sa.text(f"EXPLAIN SELECT id FROM {table} WHERE search_text LIKE '%tremb%'")
            )
            text = "\n".join(row[0] for row in plan)
            assert f"ix_{table}_search_text" in text, text
        await conn.rollback()
