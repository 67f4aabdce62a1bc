"""Rate limits with the `limits` library: per API client, per user, per client address.

Counters use a moving window (no burst of twice the limit across a window's edge). They
live in the process's memory by default; with MENTORAT_REDIS_URL every process and
container shares them in Redis. Each caller has its own counters, so one partner's
excess never slows another. If Redis stops answering, requests are let through (and a
warning logged) rather than refused: a limit protects the service, it must not become
the outage.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from functools import lru_cache
from typing import Literal

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from app.core.config import Settings, get_settings
from app.core.errors import Text, TooManyRequests

logger = logging.getLogger("mentorat.ratelimit")

#: What a counter is kept for: an API client, a user, or a client address (the token
#: endpoint, stricter, and the other public routes).
Bucket = Literal["api_client", "user", "token", "public"]


class RateLimited(TooManyRequests):
    """429: this caller made too many requests; the headers say when to retry."""

    type = "rate-limited"
    title = Text(fr="Trop de requêtes", en="Too many requests")
    detail = Text(
        fr="Limite atteinte ({limit}). Réessayez dans {seconds} s.",
        en="Rate limit reached ({limit}). Try again in {seconds} s.",
    )


def _storage(redis_url: str | None) -> Storage:
    if not redis_url:
        return MemoryStorage()
    # Operators write redis:// (or rediss://); the asyncio client of `limits` names it so.
    uri = redis_url if redis_url.startswith("async+") else f"async+{redis_url}"
    return RedisStorage(uri, implementation="redispy", key_prefix="mentorat-rl")


def _label(item: RateLimitItem) -> str:
    unit = item.GRANULARITY.name
    return (
        f"{item.amount}/{unit}" if item.multiples == 1 else f"{item.amount}/{item.multiples} {unit}"
    )


class RateLimiter:
    """One set of counters (memory or Redis) and the limits of each kind of caller."""

    def __init__(self, storage: Storage, limits: Mapping[Bucket, list[RateLimitItem]]) -> None:
        self.storage = storage
        self.limits = limits
        self._strategy = MovingWindowRateLimiter(storage)

    async def hit(self, bucket: Bucket, identity: str) -> None:
        """Count one request of this caller; raise RateLimited when over a limit."""
        for item in self.limits[bucket]:
            try:
                allowed = await self._strategy.hit(item, bucket, identity)
                if allowed:
                    continue
                stats = await self._strategy.get_window_stats(item, bucket, identity)
            except Exception as exc:
                # Never the identity or the URL in the log: only what failed.
                logger.warning(
                    "rate limit storage unavailable (%s): request let through", type(exc).__name__
                )
                return
            raise _refusal(item, stats.reset_time)


def _refusal(item: RateLimitItem, reset_time: float) -> RateLimited:
    wait = max(1, math.ceil(reset_time - time.time()))
    return RateLimited(
        params={"limit": _label(item), "seconds": wait},
        headers={
            "Retry-After": str(wait),
            "RateLimit-Limit": str(item.amount),
            "RateLimit-Remaining": "0",
            "RateLimit-Reset": str(wait),
        },
    )


@lru_cache(maxsize=8)
def _limiter_for(
    redis_url: str | None, client: str, user: str, token: str, public: str
) -> RateLimiter:
    limits: dict[Bucket, list[RateLimitItem]] = {
        "api_client": parse_many(client),
        "user": parse_many(user),
        "token": parse_many(token),
        "public": parse_many(public),
    }
    return RateLimiter(_storage(redis_url), limits)


def get_limiter(settings: Settings | None = None) -> RateLimiter:
    """The limiter of the current settings (one per process and configuration)."""
    settings = settings or get_settings()
    redis_url = settings.redis_url.get_secret_value() if settings.redis_url else None
    return _limiter_for(
        redis_url,
        settings.rate_limit_client,
        settings.rate_limit_user,
        settings.rate_limit_token,
        settings.rate_limit_public,
    )
