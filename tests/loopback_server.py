"""A real HTTP server on 127.0.0.1 for the fetch and ingest tests.

Each route is one behaviour a news site (or an attacker) can show a fetcher:
a page, a 404, a slow answer, a trickle, a huge body, redirect chains, a
conditional GET, the wrong content type.
"""

from __future__ import annotations

import ssl
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TLS_DIR = Path(__file__).parent / "data" / "tls"
#: The self-signed certificate of the TLS server: valid for the name "localhost" only.
TLS_CERT = TLS_DIR / "localhost-cert.pem"

ARTICLE_HTML = b"""<!DOCTYPE html><html><head><title>Lighthouse keepers return | Cape Courier</title>
<meta property="og:site_name" content="Cape Courier"></head><body>
<nav><a href="/">Home</a> <a href="/local">Local</a></nav>
<article><h1>Lighthouse keepers return to Grey Point</h1>
<p>For the first time in forty years, two keepers will live at the Grey Point lighthouse after the
maritime agency reversed its decision to run the light remotely, officials said on Thursday.</p>
<p>The agency said repeated failures of the automated lamp during winter storms had left the channel
unlit on six nights last year, and that fishing crews had petitioned for the keepers' return.</p>
<p>The two keepers, who start in April, will also maintain the fog signal and the weather station.</p>
</article></body></html>"""

PLAIN_TEXT = ("Tide tables for the harbour will be printed again this year, the port office said on Friday, "
              "after fishermen complained that the online version was hard to read at sea. " * 3).encode()

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Cape Courier</title>
<item><title>One</title><link>http://example.invalid/1</link></item></channel></rss>"""


class _Handler(BaseHTTPRequestHandler):
    server_version = "loopback/1"

    def log_message(self, *args) -> None:  # keep test output quiet
        return None

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
              headers: dict | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up first (the timeout tests do that on purpose)
            pass

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        path = self.path
        port = self.server.server_address[1]
        if path == "/article":
            self._send(200, ARTICLE_HTML)
        elif path == "/plain":
            self._send(200, PLAIN_TEXT, "text/plain; charset=utf-8")
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
        elif path == "/feed":
            self._send(200, RSS, "application/rss+xml")
        elif path == "/missing":
            self._send(404, b"<html><body>not here</body></html>")
        elif path == "/error":
            self._send(500, b"oops")
        elif path == "/slow":
            time.sleep(3)
            self._send(200, ARTICLE_HTML)
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(40):  # 40 small chunks, 0.1 s apart: each read is quick, the whole is not
                    self.wfile.write(b"<p>drip</p>\n")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/huge":  # no Content-Length: only streaming can stop it
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(300):
                    self.wfile.write(b"x" * 16384)
            except OSError:
                pass
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50_000_000))
            self.end_headers()
        elif path.startswith("/redirect/"):
            hops = int(path.rsplit("/", 1)[1])
            target = "/article" if hops == 0 else f"/redirect/{hops - 1}"
            self._send(302, b"", headers={"Location": target})
        elif path == "/loop":
            self._send(301, b"", headers={"Location": "/loop"})
        elif path == "/to-other-loopback":
            self._send(302, b"", headers={"Location": f"http://127.0.0.2:{port}/article"})
        elif path == "/to-ftp":
            self._send(302, b"", headers={"Location": "ftp://127.0.0.1/file"})
        elif path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"' or self.headers.get(
                    "If-Modified-Since") == "Wed, 01 Jan 2025 00:00:00 GMT":
                self._send(304, b"", headers={"ETag": '"v1"'})
            else:
                self._send(200, ARTICLE_HTML, headers={"ETag": '"v1"',
                                                       "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"})
        elif path == "/echo":
            body = f"UA={self.headers.get('User-Agent')}\nHOST={self.headers.get('Host')}".encode()
            self._send(200, body, "text/plain")
        else:
            self._send(404, b"unknown route")


@contextmanager
def loopback_server(tls: bool = False):
    """Yield the base URL of a fresh server on 127.0.0.1 (a free port).

    With ``tls`` it speaks HTTPS with a certificate for "localhost", and the URL names localhost.
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(TLS_CERT, TLS_DIR / "localhost-key.pem")
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        yield f"https://localhost:{port}" if tls else f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()
