"""HTTP layer of /reference: codes with French and English labels."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.core.deps import RequestLocale
from app.reference.catalog import reference_payload
from app.reference.schemas import ReferenceRead

router = APIRouter(tags=["reference"])


@router.get(
    "/reference",
    operation_id="reference-get",
    response_model=ReferenceRead,
    # The example is the answer itself, in French (the default language).
    responses={200: {"content": {"application/json": {"example": reference_payload("fr")}}}},
)
async def get_reference(locale: RequestLocale) -> dict[str, list[dict[str, Any]]]:
    """Every code list (regions, sectors, legal forms, themes, …) with fr and en labels."""
    return reference_payload(locale)
