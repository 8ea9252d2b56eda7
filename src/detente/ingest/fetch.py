"""Polite, bounded HTTP fetching: timeouts, a size cap, a redirect limit, and no requests into private networks."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from ..errors import InputError


def _user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"detente/{version('detente')} (political event coder; research use)"
    except PackageNotFoundError:
        return "detente (political event coder; research use)"


USER_AGENT = _user_agent()
MAX_REDIRECTS = 5
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "cmpid")


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    etag: str | None = None  # validators for a conditional GET next time (feed watching)
    last_modified: str | None = None


def canonical_url(url: str) -> str:
    """The same page whatever the tracking parameters, fragment, default port, case of host or trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and not (
        parts.scheme == "http" and parts.port == 80 or parts.scheme == "https" and parts.port == 443
    ):
        host = f"{host}:{parts.port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not k.lower().startswith(_TRACKING)))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))


def check_target(url: str, allow_private: bool) -> None:
    """Refuse non-HTTP schemes and hosts that resolve into loopback, private, link-local or reserved space."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InputError(f"{url}: only http and https URLs can be fetched")
    host = parts.hostname
    if not host:
        raise InputError(f"{url}: no host in the URL")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise InputError(f"{url}: host {host} does not resolve ({exc.strerror}); check the URL") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if not addr.is_global or addr.is_multicast:
            raise InputError(
                f"{url}: refused, {host} resolves to a private or local address ({addr}); "
                "set allow_private_urls to fetch from your own network"
            )


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float = 15.0,
    allow_private: bool = False,
    headers: dict[str, str] | None = None,
) -> Fetched:
    """GET a page, following at most MAX_REDIRECTS redirects, each hop checked; the body is cut off at max_bytes.

    `headers` go with every hop (If-None-Match / If-Modified-Since make it a conditional GET: status 304, no body).
    """
    import httpx

    current = url
    with httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            check_target(current, allow_private)
            try:
                with client.stream("GET", current, headers=headers) as resp:
                    if resp.is_redirect and resp.status_code != 304:  # 304: not modified, no Location
                        location = resp.headers.get("location")
                        if not location:
                            raise InputError(f"{current}: redirect without a Location header")
                        current = urljoin(current, location)
                        continue
                    if resp.status_code >= 400:
                        raise InputError(f"{current}: HTTP {resp.status_code}; the page could not be fetched")
                    declared = int(resp.headers.get("content-length") or 0)
                    if declared > max_bytes:
                        raise InputError(f"{current}: {declared:,} bytes is over the max_bytes limit of {max_bytes:,}")
                    body = bytearray()
                    for chunk in resp.iter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise InputError(f"{current}: page is over the max_bytes limit of {max_bytes:,}")
                    return Fetched(
                        str(resp.url),
                        resp.status_code,
                        resp.headers.get("content-type", ""),
                        bytes(body),
                        resp.headers.get("etag"),
                        resp.headers.get("last-modified"),
                    )
            except httpx.HTTPError as exc:
                raise InputError(f"{current}: fetch failed ({type(exc).__name__}: {exc}); check the URL") from exc
    raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects")
