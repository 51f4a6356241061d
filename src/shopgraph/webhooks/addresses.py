"""Which URLs a webhook may call: never this machine, its network or a cloud's metadata.

An endpoint URL is checked when it is saved and again before every delivery, against what
its host resolves to then: a name that pointed at a public address when it was saved and
at 169.254.169.254 now (DNS rebinding) is refused at delivery. `allow_private` (a setting,
for tests and local development) lifts the address rule and allows plain http.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class RefusedAddress(Exception):
    """The URL is not one a webhook may call; the message says why."""


def check_url(url: str, *, allow_private: bool) -> str:
    """The host of a well-formed webhook URL; RefusedAddress for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RefusedAddress("not a valid URL") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise RefusedAddress("the URL must be https://host/...")
    if parts.scheme == "http" and not allow_private:
        raise RefusedAddress("the URL must use https")
    if parts.username or parts.password:
        raise RefusedAddress("the URL must not carry credentials")
    if port == 0:
        raise RefusedAddress("the URL's port must not be 0")
    try:
        parts.hostname.encode("idna")  # what a resolver is asked for
    except UnicodeError:
        raise RefusedAddress("the URL's host is not a valid host name") from None
    return parts.hostname


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


async def check_destination(url: str, *, allow_private: bool) -> None:
    """Refuse `url` unless every address its host resolves to now is a public one."""
    host = check_url(url, allow_private=allow_private)
    if allow_private:
        return
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        found = [literal]
    else:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, None, type=socket.SOCK_STREAM
            )
        except (OSError, UnicodeError):
            raise RefusedAddress(f"the host `{host}` does not resolve") from None
        found = [ipaddress.ip_address(info[4][0]) for info in infos]
    bad = [str(address) for address in found if _refused(address)]
    if bad:
        raise RefusedAddress(
            f"the host `{host}` resolves to {', '.join(sorted(set(bad)))}: a loopback, "
            "private, link-local or otherwise non-public address"
        )
