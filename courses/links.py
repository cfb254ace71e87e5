"""Addresses that leave the site — printed on certificates and handouts, held by QR codes,
signed into credentials, shown to a room to scan — come from one setting, SITE_URL, and never
from the request that happened to produce them: a certificate issued while someone browses
http://127.0.0.1:8000 must still send its reader to the public site.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def absolute(path):
    """``path`` (starting with /) on the public site."""
    return f"{settings.SITE_URL}{path}"


def on_public_site(value, request):
    """``value`` with the request's own origin (scheme and host) replaced by SITE_URL when it
    is an address on this site built from the request; anything else unchanged."""
    if request is None or not isinstance(value, str):
        return value
    origin = request.build_absolute_uri("/")
    if value.startswith(origin):
        return absolute("/" + value[len(origin) :])
    return value


def local_next(request, value):
    """``value`` — a ``next`` parameter a visitor sent — when it is a path on this site
    ("/en/…"), otherwise "". Anything else (another host, a scheme, "-1", a NUL character)
    would be an open redirect, or a name Django's redirect() tries to reverse and fails on."""
    value = value if isinstance(value, str) else ""
    if not value.startswith("/") or "\x00" in value:  # "//host" is refused just below
        return ""
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return value


def page_url(page):
    """A Wagtail page's public address, whatever host its Site record names."""
    parts = page.get_url_parts()
    if parts is None:
        return ""
    return absolute(parts[2])


def site_url_problem(url):
    """Why ``url`` cannot be the public address of a deployed site, or None."""
    parts = urlsplit(url or "")
    if not parts.netloc:
        return "it is not set (set SITE_URL, e.g. https://academy.example.org)"
    host = (parts.hostname or "").lower()
    if host in LOCAL_NAMES or host.endswith(".localhost") or _is_loopback(host):
        return f"{url} names this machine, which nobody else can reach"
    if parts.scheme != "https":
        return f"{url} does not start with https://"
    return None


def _is_loopback(host):
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
