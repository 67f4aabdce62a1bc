"""Versions and ETags: optimistic concurrency for PATCH and PUT."""

from __future__ import annotations

from fastapi import Response

from app.core.errors import PreconditionFailed


def etag_for(version: int) -> str:
    """The strong ETag of a resource version."""
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    """Send the resource's version as its ETag."""
    response.headers["ETag"] = etag_for(version)


def check_if_match(if_match: str | None, current_version: int) -> None:
    """412 when If-Match names only versions other than the current one."""
    if if_match is None:
        return
    candidates = [tag.strip() for tag in if_match.split(",") if tag.strip()]
    for tag in candidates:
        if tag == "*":
            return
        value = tag.removeprefix("W/").strip('"')
        if value == str(current_version):
            return
    raise PreconditionFailed(params={"version": current_version})
