"""Locale negotiation: French by default, English on request."""

from __future__ import annotations

from typing import Literal

Locale = Literal["fr", "en"]
SUPPORTED: tuple[Locale, ...] = ("fr", "en")
DEFAULT_LOCALE: Locale = "fr"


def negotiate(accept_language: str | None) -> Locale:
    """Pick fr or en from an Accept-Language header, honouring q-values."""
    if not accept_language:
        return DEFAULT_LOCALE
    best: tuple[float, int, Locale] | None = None
    for position, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.split("-")[0]
        if primary not in SUPPORTED or quality <= 0:
            continue
        # Highest quality wins; on a tie, the earlier tag.
        candidate = (quality, -position, primary)
        if best is None or candidate[:2] > best[:2]:
            best = (quality, -position, primary)
    return best[2] if best else DEFAULT_LOCALE
