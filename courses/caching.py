"""Who may keep a copy of a response: the one place that decides every response's
Cache-Control (the reverse proxy in deploy/nginx/ stores only what this marks public).

- Shared: a learner-facing page (PUBLIC_VIEWS) answered 200 to a GET from a visitor who is
  not signed in and brings no session, flash-message or data-saver cookie, when the page holds
  no CSRF token, shows no message and sets no cookie. Such a page is the same for every
  visitor in its language, and the language is in its address, so it varies only on Cookie:
  ``public, s-maxage=PUBLIC_CACHE_SECONDS, max-age=0`` — proxies keep it, browsers ask again.
  Publishing, moving or unpublishing a page purges it earlier (courses/purging.py).
- Never stored anywhere (``private, no-store``): accounts, profiles, learners' records and
  certificates, quizzes being taken, workshops (SENSITIVE_PREFIXES), whoever asks.
- Everything else: ``private, no-cache``.

A view that sets Cache-Control itself keeps its own: the verify pages (never_cache — a
revocation shows at once, and each lookup counts against the rate limit), the signed status
list (public, purged on revocation), the service worker.
"""

from django.conf import settings
from django.contrib.messages import get_messages
from django.utils.cache import cc_delim_re, patch_vary_headers

from courses.offline import DATA_SAVER_COOKIE

# URL names of the pages that are the same for every anonymous visitor.
PUBLIC_VIEWS = frozenset(
    {
        "wagtail_serve",
        "glossary",
        "privacy",
        "offline",
        "catalogue",
        "country_index",
        "country_profile",
    }
)
# Paths (after the language prefix) whose answers belong to one person, or lead to that.
SENSITIVE_PREFIXES = (
    "accounts/",
    "profile/",
    "learning/",
    "progress/",
    "quizzes/",
    "teach/",
    "workshops/",
    "join/",
    "invitations/",
)
ADMIN_PREFIX = "/admin/"
# The only Vary a shared page may carry: the proxy ignores Vary, because the cookies such a
# page depends on are the ones that send a request past the cache (deploy/nginx/).
SHARED_VARY = frozenset({"cookie"})

PRIVATE = "private, no-cache"
NEVER_STORED = "private, no-store"


def personal_cookies():
    """Cookies whose presence makes a page the visitor's own."""
    return (settings.SESSION_COOKIE_NAME, "messages", DATA_SAVER_COOKIE)


def language_free_path(path):
    """The path without its leading language prefix: "/fr/profile/" → "profile/"."""
    first, _slash, rest = path.lstrip("/").partition("/")
    if first in {code for code, _name in settings.LANGUAGES}:
        return rest
    return path.lstrip("/")


def is_sensitive(request):
    return request.path_info.startswith(ADMIN_PREFIX) or language_free_path(
        request.path_info
    ).startswith(SENSITIVE_PREFIXES)


def is_shared(request, response):
    """Whether every visitor asking for this address would get these very bytes."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    vary = {
        header.strip().lower()
        for header in cc_delim_re.split(response.get("Vary", ""))
        if header.strip()
    }
    return (
        settings.PUBLIC_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and response.status_code == 200
        and match is not None
        and match.url_name in PUBLIC_VIEWS
        and not (user is not None and user.is_authenticated)
        and not any(name in request.COOKIES for name in personal_cookies())
        and not response.cookies
        # get_token() was called: the page holds a CSRF token (and a cookie goes with it).
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not len(get_messages(request))
        and vary <= SHARED_VARY
    )


def cache_control_for(request, response):
    """The Cache-Control header this response should carry."""
    if is_sensitive(request):
        return NEVER_STORED
    if is_shared(request, response):
        return f"public, s-maxage={settings.PUBLIC_CACHE_SECONDS}, max-age=0"
    return PRIVATE


class CacheHeadersMiddleware:
    """Sets Cache-Control (and Vary: Cookie on shared pages) on every response whose view did
    not set one. Sits above the session, CSRF and message middleware so that it sees the
    cookies they add."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        response["Cache-Control"] = cache_control_for(request, response)
        if response["Cache-Control"].startswith("public"):
            patch_vary_headers(response, ("Cookie",))
        return response
