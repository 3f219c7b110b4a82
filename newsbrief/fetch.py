"""Fetch a URL on a user's behalf, safely.

Every hop of a redirect chain is checked before it is requested: only http and
https, and (when ``allow_private_urls`` is off, as on a public server) only
hosts whose every resolved address is public. The connection then goes to the
address that was checked, so a DNS answer cannot change between the check and
the request. Bodies are streamed and cut off at ``fetch_max_bytes``; one
overall deadline covers the whole fetch, so a server trickling bytes cannot
hold a worker forever.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from .errors import FetchError
from .records import FetchedPage
from .settings import Settings

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
REDIRECT_CODES = {301, 302, 303, 307, 308}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_refusal(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be fetched from a public server, or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback in disguise
    for attribute, name in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_private", "private"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, attribute):
            return name
    if not ip.is_global:  # shared address space (100.64/10) and the like
        return "non-public"
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r} ({exc})") from None
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class Fetcher:
    """Fetches pages under the settings' limits; one HTTP connection pool per instance.

    ``address_refusal`` decides which resolved addresses are refused when
    private URLs are not allowed; it is a parameter so a deployment (or a test
    on loopback) can trust a specific internal host. ``verify`` is httpx's:
    True (the system's CAs), a CA bundle path or an ``ssl.SSLContext``.
    """

    def __init__(self, settings: Settings, *,
                 address_refusal: Callable[[IPAddress], str | None] = address_refusal,
                 verify: Any = True) -> None:
        self.settings = settings
        self._refusal = address_refusal
        self._verify = verify
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    @property
    def client(self) -> httpx.Client:
        import httpx  # ~0.5 s to import: only runs that fetch pay for it

        with self._lock:
            if self._client is None:
                # When each request is pinned to a checked address, a kept-alive connection
                # (verified for one host name) must not carry another host's request.
                keepalive = 20 if self.settings.allow_private_urls else 0
                self._client = httpx.Client(
                    timeout=httpx.Timeout(self.settings.fetch_timeout),
                    limits=httpx.Limits(max_keepalive_connections=keepalive),
                    follow_redirects=False,  # each hop is checked here, not by httpx
                    verify=self._verify,
                    headers={"User-Agent": self.settings.user_agent,
                             "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"},
                )
            return self._client

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchedPage:
        """GET ``url``; a 304 to a conditional GET comes back with ``not_modified=True``."""

        deadline = time.monotonic() + self.settings.fetch_timeout
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._send(url, self._requests(url, current, etag, last_modified))
            try:
                if response.status_code in REDIRECT_CODES and response.headers.get("location"):
                    current = urljoin(current, response.headers["location"])
                    continue
                return self._page(url, current, response, deadline)
            finally:
                response.close()
        raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})", origin=url)

    # ----------------------------------------------------------------------- one hop

    def _send(self, origin: str, candidates: list[httpx.Request]) -> httpx.Response:
        """Send to the first address that accepts a connection (like a browser falls back
        from IPv6 to IPv4); a timeout or an error after connecting is final."""
        import httpx

        failure: Exception | None = None
        for request in candidates:
            try:
                return self.client.send(request, stream=True)
            except httpx.ConnectError as exc:
                failure = exc
            except httpx.TimeoutException:
                raise self._timeout(origin) from None
            except httpx.HTTPError as exc:
                failure = exc
                break
        raise FetchError(f"could not connect ({type(failure).__name__}: {failure})", origin=origin) from None

    def _requests(self, origin: str, url: str, etag: str | None,
                  last_modified: str | None) -> list[httpx.Request]:
        import httpx

        try:
            return self._build(origin, url, etag, last_modified)
        except (ValueError, httpx.InvalidURL) as exc:
            raise FetchError(f"not a valid URL ({exc})", origin=origin) from None

    def _build(self, origin: str, url: str, etag: str | None, last_modified: str | None) -> list[httpx.Request]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"refused: only http and https URLs are fetched, not {parts.scheme!r}",
                             origin=origin)
        host = parts.hostname
        if not host:
            raise FetchError("not a valid URL (no host)", origin=origin)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError("not a valid URL (bad port)", origin=origin) from None
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if self.settings.allow_private_urls:
            return [self.client.build_request("GET", url, headers=headers)]
        try:
            addresses = resolve(host, port)
        except FetchError as exc:
            raise FetchError(str(exc), origin=origin) from None
        for address in addresses:
            why = self._refusal(address)
            if why:
                hop = "" if url == origin else f" (redirected to {url})"
                raise FetchError(f"refused: {host} resolves to a {why} address ({address}){hop}", origin=origin)
        # Connect to the addresses just checked; Host header and TLS name stay the original host.
        headers["Host"] = parts.netloc.rsplit("@", 1)[-1]
        requests = []
        for address in addresses:
            literal = f"[{address}]" if address.version == 6 else str(address)
            netloc = literal if parts.port is None else f"{literal}:{parts.port}"
            target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
            requests.append(self.client.build_request("GET", target, headers=headers,
                                                      extensions={"sni_hostname": host}))
        return requests

    def _page(self, origin: str, final: str, response: httpx.Response, deadline: float) -> FetchedPage:
        import httpx

        status = response.status_code
        if status == 304:
            return FetchedPage(url=origin, final_url=final, status=status, content=b"",
                               content_type=response.headers.get("content-type"),
                               etag=response.headers.get("etag"),
                               last_modified=response.headers.get("last-modified"), not_modified=True)
        if status >= 400 or status < 200 or status in REDIRECT_CODES:
            reason = f" {response.reason_phrase}" if response.reason_phrase else ""
            raise FetchError(f"HTTP {status}{reason}", origin=origin)
        limit = self.settings.fetch_max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise self._too_large(origin, limit)
        body = bytearray()
        try:
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > limit:
                    raise self._too_large(origin, limit)
                if time.monotonic() > deadline:
                    raise self._timeout(origin)
        except httpx.TimeoutException:
            raise self._timeout(origin) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"connection broke while reading ({type(exc).__name__})", origin=origin) from None
        return FetchedPage(url=origin, final_url=final, status=status, content=bytes(body),
                           content_type=response.headers.get("content-type"),
                           etag=response.headers.get("etag"),
                           last_modified=response.headers.get("last-modified"))

    def _timeout(self, origin: str) -> FetchError:
        return FetchError(f"timeout after {self.settings.fetch_timeout:g}s", origin=origin)

    @staticmethod
    def _too_large(origin: str, limit: int) -> FetchError:
        return FetchError(f"over {limit / 1_000_000:g} MB (fetch_max_bytes)", origin=origin)
