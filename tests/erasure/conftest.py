"""Fixtures of the erasure tests."""

from __future__ import annotations

import pytest

from tests.erasure.common import copy_content_database, drop_copy


@pytest.fixture
def content_copy(migrated: str):  # type: ignore[no-untyped-def]
    """Make copies of the content database; they are removed after the test."""
    made: list[str] = []

    async def make() -> str:
        copy_url = await copy_content_database(migrated)
        made.append(copy_url)
        return copy_url

    yield make
    for copy_url in made:
        drop_copy(migrated, copy_url)
