"""scripts/cluster: the production settings, served over plain HTTP on 127.0.0.1.

A deployment terminates TLS in front of the proxy, so its cookies are Secure; the cluster on
one machine (and the load test against it) has no TLS, and browsers and Locust do not send
Secure cookies over HTTP. Nothing else differs from config/settings/production.py.
"""

from .production import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
