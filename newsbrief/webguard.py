"""The web server's guards: body size, security headers, cross-site and DNS-rebinding checks.

Pure ASGI middleware (no per-request overhead beyond what each check needs).
Refusals are answered as JSON under ``/api/`` and as an HTML page elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi.responses import HTMLResponse, JSONResponse, Response

from . import webpages

#: Hosts a loopback-bound server answers to: a page on another site whose name
#: resolves to 127.0.0.1 (DNS rebinding) sends its own name and is refused.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def refusal(path: str, status: int, message: str) -> Response:
    if path.startswith("/api/"):
        return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)
    return HTMLResponse(webpages.error_page(status, message), status_code=status)


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``max_bytes`` with a JSON 413.

    It reads the body itself (bounded) and replays it, so a client that sends
    no Content-Length (chunked) is capped too.
    """

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send, int(declared))
            return
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                await self._refuse(scope, send, len(body))
                return
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: dict, send: Any, size: int) -> None:
        message = f"request body is {size:,} bytes; the limit is {self.max_bytes:,} bytes (max_request_bytes)"
        await refusal(scope["path"], 413, message)(scope, _no_receive, send)


async def _no_receive() -> dict:
    return {"type": "http.disconnect"}


SECURITY_HEADERS = {
    # Article text is untrusted: even if escaping ever failed, no inline script may run.
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # no-referrer would make same-site form posts send Origin: null
    "x-frame-options": "DENY",
}


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every answer.

    (Pure ASGI rather than ``@app.middleware``: it costs nothing per request.)
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.headers = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestGuard:
    """Refuse cross-site writes and (optionally) requests for host names the server does not serve.

    A browser sends ``Origin`` with every cross-site POST; a form on another
    site could otherwise add articles to this library (the multipart endpoints
    need no CORS preflight). ``allowed_hosts`` (None: any) is the DNS-rebinding
    guard for a server bound to loopback.
    """

    def __init__(self, app: Any, allowed_hosts: Iterable[str] | None = None) -> None:
        self.app = app
        self.allowed = {h.strip("[]").lower() for h in allowed_hosts} if allowed_hosts is not None else None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1").lower()
        problem = None
        if self.allowed is not None and _hostname(host) not in self.allowed:
            problem = (421, f"this server does not serve the host name {host!r}")
        elif scope["method"] not in ("GET", "HEAD", "OPTIONS") and b"origin" in headers:
            origin = headers[b"origin"].decode("latin-1").lower()
            if origin.split("://", 1)[-1].rstrip("/") != host:
                problem = (403, f"cross-site request from {origin} refused")
        if problem:
            await refusal(scope["path"], *problem)(scope, _no_receive, send)
            return
        await self.app(scope, receive, send)


def _hostname(host: str) -> str:
    """'127.0.0.1:8000' -> '127.0.0.1'; '[::1]:8000' -> '::1'."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
