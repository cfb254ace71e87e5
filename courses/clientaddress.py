"""The address a request came from, as rate limits count it.

Behind reverse proxies REMOTE_ADDR is the nearest proxy, so every visitor would share one
budget. Each proxy appends the address it received the request from to X-Forwarded-For, so
the entries our own proxies wrote are the rightmost ones; everything to their left arrived
from the client and can say anything. With TRUSTED_PROXY_HOPS = N (the number of proxies we
run in front of the app), the client is therefore the N-th entry from the right, never the
leftmost. 0, the default, ignores the header: right when nothing in front of the app sets it,
because then anyone could write it.
"""

import ipaddress

from django.conf import settings
from django.http.request import split_domain_port

UNKNOWN = "unknown"


def client_address(request):
    """The client's IP address: from the trusted proxy hops if configured, else REMOTE_ADDR."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        # Fewer entries than hops: the request did not come through all our proxies.
        if len(forwarded) >= hops:
            address = normalise(forwarded[-hops])
            if address:
                return address
    return normalise(request.META.get("REMOTE_ADDR", "")) or UNKNOWN


def normalise(raw):
    """An IP address in canonical form, without a port or IPv6 brackets; None if not one."""
    text = raw.strip()
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    host, port = split_domain_port(text)  # "203.0.113.9:4711", "[2001:db8::1]:443"
    if not port:
        return None
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None
