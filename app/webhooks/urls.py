"""Where a webhook may post: `https` in production, and never into the service's own network.

A receiver's address is checked when the webhook is created or changed and again before
every delivery (DNS can change): an address that resolves to loopback, private,
link-local (cloud metadata), multicast, reserved or otherwise non-public ranges is
refused, unless `MENTORAT_WEBHOOK_ALLOW_PRIVATE=true` (development and tests). A delivery
then connects to the address that was checked, not to a second lookup.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.core.config import get_settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
RESOLVE_TIMEOUT_SECONDS = 3.0


class UnsafeUrl(ValueError):
    """The URL may not be used; `reason` is a code (`scheme`, `host`, `private_address`, …)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Target:
    """A receiver: its URL's parts, as checked."""

    scheme: str
    host: str
    port: int
    url: str


def parse(url: str) -> Target:
    """The URL's parts; refuses what is not an absolute http(s) URL a partner could own."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeUrl("syntax", "Not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeUrl("scheme", "The URL must start with https://")
    if scheme == "http" and get_settings().env == "production":
        raise UnsafeUrl("scheme", "Webhook URLs must use https")
    if not parts.hostname:
        raise UnsafeUrl("host", "The URL must name a host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("credentials", "Credentials do not belong in a webhook URL")
    if parts.fragment:
        raise UnsafeUrl("syntax", "A webhook URL has no #fragment")
    default = 443 if scheme == "https" else 80
    return Target(scheme=scheme, host=parts.hostname, port=port or default, url=url)


def is_public(address: IPAddress) -> bool:
    """Whether an address lies on the public internet (not ours, not a neighbour's)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


async def resolve(host: str, port: int) -> list[IPAddress]:
    """The host's addresses (an IP literal is its own); empty when the name does not resolve."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_TIMEOUT_SECONDS
        )
    except (OSError, TimeoutError, UnicodeError):
        return []
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


def allow_private() -> bool:
    """Whether private and loopback receivers are allowed (development and tests)."""
    return get_settings().webhook_allow_private


async def check(url: str) -> Target:
    """Creation-time check: the syntax, and every address the name resolves to now.

    A name that does not resolve yet is accepted (a partner may register a receiver
    before its DNS is live); the delivery-time check then refuses to post to it until
    it resolves to public addresses only.
    """
    target = parse(url)
    if allow_private():
        return target
    for address in await resolve(target.host, target.port):
        if not is_public(address):
            raise UnsafeUrl("private_address", "The URL resolves to a private or reserved address")
    return target


async def public_address(target: Target) -> IPAddress:
    """Delivery-time check: one address of the host, all of them public, to connect to."""
    addresses = await resolve(target.host, target.port)
    if not addresses:
        raise UnsafeUrl("dns", "The host does not resolve")
    if not all(is_public(address) for address in addresses):
        raise UnsafeUrl("private_address", "The host resolves to a private or reserved address")
    return addresses[0]
