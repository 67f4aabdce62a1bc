"""The schema of GET /reference: one list per code list, each code an enum of its list.

Built from app/reference/catalog.py, so the document cannot drift from the codes the API
takes: a generated client gets `"solidarity_coop" | "worker_coop" | …` for `legal_forms`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, create_model

from app.reference.catalog import CATALOG


class Labels(BaseModel):
    """A code's label in both languages."""

    fr: str
    en: str


def _entry_model(name: str, codes: list[str]) -> type[BaseModel]:
    title = "".join(part.capitalize() for part in name.split("_"))
    code: Any = Literal[tuple(codes)]
    return create_model(
        f"{title}Entry",
        __doc__=f"A code of `{name}` with its label in the caller's language and in both.",
        code=(code, ...),
        label=(str, ...),
        labels=(Labels, ...),
    )


_FIELDS: dict[str, Any] = {
    name: (list[_entry_model(name, list(entries))], ...)  # type: ignore[misc]
    for name, entries in CATALOG.items()
}

ReferenceRead: type[BaseModel] = create_model(
    "ReferenceRead",
    __config__=ConfigDict(extra="forbid"),
    __doc__="Every code list of the API, in order, with French and English labels.",
    **_FIELDS,
)
