"""The fetcher against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import ssl

import pytest
from loopback_server import ARTICLE_HTML, TLS_CERT, loopback_server

from newsbrief.errors import FetchError
from newsbrief.fetch import Fetcher, address_refusal
from newsbrief.settings import Settings

LOOPBACK = ipaddress.ip_address("127.0.0.1")


@pytest.fixture(scope="module")
def base():
    with loopback_server() as url:
        yield url


def _fetcher(**overrides) -> Fetcher:
    return Fetcher(Settings().with_overrides(**overrides))


def _trust_127_0_0_1(ip):
    """The real policy, except for the one test server's address."""
    return None if ip == LOOPBACK else address_refusal(ip)


def test_page_is_fetched_with_the_configured_user_agent(base):
    fetcher = _fetcher(user_agent="newsbrief-test/9")
    page = fetcher.get(base + "/article")
    assert page.status == 200 and page.content == ARTICLE_HTML
    assert page.content_type.startswith("text/html") and page.final_url == base + "/article"
    assert fetcher.get(base + "/echo").content.startswith(b"UA=newsbrief-test/9")


@pytest.mark.parametrize(("path", "message"), [("/missing", "HTTP 404"), ("/error", "HTTP 500")])
def test_http_errors_name_the_url_and_status(base, path, message):
    with pytest.raises(FetchError) as error:
        _fetcher().get(base + path)
    assert str(error.value).startswith(f"{base}{path}: {message}")


def test_slow_server_trips_the_timeout(base):
    with pytest.raises(FetchError, match=r"/slow: timeout after 0\.5s"):
        _fetcher(fetch_timeout=0.5).get(base + "/slow")


def test_trickling_server_trips_the_overall_deadline(base):
    # Every read returns within 0.1 s, so only the deadline over the whole fetch stops it.
    with pytest.raises(FetchError, match=r"/trickle: timeout after 1s"):
        _fetcher(fetch_timeout=1).get(base + "/trickle")


def test_huge_body_is_cut_off_while_streaming(base):
    with pytest.raises(FetchError, match=r"/huge: over 1 MB"):
        _fetcher(fetch_max_bytes=1_000_000).get(base + "/huge")
    with pytest.raises(FetchError, match=r"/huge-declared: over 1 MB"):
        _fetcher(fetch_max_bytes=1_000_000).get(base + "/huge-declared")


def test_redirects_are_followed_up_to_five_hops(base):
    page = _fetcher().get(base + "/redirect/4")  # 5 redirects, then the page
    assert page.content == ARTICLE_HTML and page.final_url == base + "/article"
    assert page.url == base + "/redirect/4"
    with pytest.raises(FetchError, match="too many redirects"):
        _fetcher().get(base + "/redirect/5")
    with pytest.raises(FetchError, match="too many redirects"):
        _fetcher().get(base + "/loop")


def test_conditional_get_answers_not_modified(base):
    fetcher = _fetcher()
    first = fetcher.get(base + "/etag")
    assert first.etag == '"v1"' and not first.not_modified
    again = fetcher.get(base + "/etag", etag=first.etag)
    assert again.not_modified and again.status == 304 and again.content == b""
    by_date = fetcher.get(base + "/etag", last_modified=first.last_modified)
    assert by_date.not_modified


@pytest.mark.parametrize("url", ["http://[::1/page", "http://exa mple.com:99999/", "http://:80/"])
def test_malformed_urls_are_fetch_errors(url):
    with pytest.raises(FetchError, match="not a valid URL"):
        _fetcher().get(url)


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "gopher://127.0.0.1/"])
def test_only_http_and_https(url):
    with pytest.raises(FetchError, match="only http and https"):
        _fetcher().get(url)


def test_redirect_to_another_scheme_is_refused(base):
    with pytest.raises(FetchError, match="only http and https"):
        _fetcher().get(base + "/to-ftp")


@pytest.mark.parametrize(("host", "why"), [
    ("127.0.0.1", "loopback"), ("localhost", "loopback"), ("[::1]", "loopback"),
    ("[::ffff:127.0.0.1]", "loopback"), ("10.1.2.3", "private"), ("192.168.0.10", "private"),
    ("169.254.169.254", "link-local"), ("224.0.0.1", "multicast"), ("0.0.0.0", "unspecified"),
    ("100.64.0.1", "non-public"),
])
def test_private_addresses_are_refused_when_not_allowed(host, why):
    with pytest.raises(FetchError, match=f"refused: .* resolves to a {why} address"):
        _fetcher(allow_private_urls=False).get(f"http://{host}:9/page")


def test_public_addresses_pass_the_policy():
    for address in ("8.8.8.8", "93.184.216.34", "2606:4700:4700::1111"):
        assert address_refusal(ipaddress.ip_address(address)) is None


def test_every_redirect_hop_is_checked(base):
    settings = Settings().with_overrides(allow_private_urls=False)
    fetcher = Fetcher(settings, address_refusal=_trust_127_0_0_1)
    # The trusted server is fetched through the checked address, with the original Host header.
    page = fetcher.get(base + "/echo")
    assert page.content.splitlines()[1] == f"HOST={base.removeprefix('http://')}".encode()
    assert fetcher.get(base + "/redirect/2").content == ARTICLE_HTML
    # ...but a redirect to a loopback address it does not trust is refused at that hop.
    with pytest.raises(FetchError, match=r"127\.0\.0\.2 resolves to a loopback address .*redirected to"):
        fetcher.get(base + "/to-other-loopback")


def test_unresolvable_host_is_a_fetch_error():
    with pytest.raises(FetchError, match="cannot resolve host"):
        _fetcher(allow_private_urls=False).get("http://no-such-host.invalid/")
    with pytest.raises(FetchError, match="could not connect"):
        _fetcher(fetch_timeout=2).get("http://no-such-host.invalid/")


def test_https_through_a_pinned_address_still_verifies_the_host_name():
    """The request goes to the checked IP, but TLS is verified against the URL's host name:
    the certificate names only "localhost", so verifying against the IP would fail."""
    settings = Settings().with_overrides(allow_private_urls=False)
    trusting = Fetcher(settings, address_refusal=lambda ip: None if ip.is_loopback else address_refusal(ip),
                       verify=ssl.create_default_context(cafile=str(TLS_CERT)))
    with loopback_server(tls=True) as base:
        page = trusting.get(base + "/echo")
        assert page.status == 200 and page.final_url == base + "/echo"
        assert f"HOST={base.removeprefix('https://')}".encode() in page.content
        with pytest.raises(FetchError, match="could not connect"):
            Fetcher(settings, address_refusal=lambda ip: None).get(base + "/echo")  # the system CAs

