"""Anonymising a person erases what they wrote in their evaluations and unpublishes it."""

from tests.evaluations.common import TESTIMONIAL, a_match, approve, evaluate, public_testimonials
from tests.factories import login_as


async def test_anonymised_author_s_texts_are_erased(client):
    pair = await a_match(client)
    saved = await evaluate(
        client,
        pair.mentee_login,
        pair.id,
        learnings="J'ai appris à déléguer",
        testimonial=TESTIMONIAL,
        publish_consent=True,
        publish_fields=["first_name"],
    )
    assert (await approve(client, pair.coord, saved["id"])).status_code == 200
    assert len(await public_testimonials(client)) == 1
    gone = await client.delete(f"/api/v1/mentees/{pair.mentee.id}", headers=pair.coord.headers)
    assert gone.status_code == 204
    assert await public_testimonials(client) == []
    admin = await login_as(client, "admin")
    listed = await client.get(f"/api/v1/matches/{pair.id}/evaluations", headers=admin.headers)
    mine = next(e for e in listed.json()["items"] if e["id"] == saved["id"])
    assert mine["testimonial"] is None and mine["learnings"] is None
    assert mine["publish_consent"] is False
    assert mine["satisfaction"] == saved["satisfaction"]
