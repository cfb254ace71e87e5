"""Request ids and structured logs.

Every request gets an id: the caller's `X-Request-ID` when it is a sane token (at most 64
characters of letters, digits, `.`, `_`, `-`: what a proxy or load balancer generates),
otherwise a fresh one. The id goes back on the response's `X-Request-ID` header and onto
every log record written while the request runs (`RequestIdFilter`, through a context
variable, so threads and async tasks each see their own). One access line per request
follows on the `courses.access` logger: method, path without the query string, status,
duration and the user's id when the request looked at the user, never an email or a form
value. Production formats records as one JSON object per line (`JsonFormatter`);
development keeps readable text (config/settings).

Imports nothing that needs settings: logging is configured before the apps are loaded.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.core.signals import request_finished

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
NO_REQUEST = "-"

# Load balancers ask these every few seconds: a healthy answer is logged at DEBUG only.
QUIET_ROUTES = frozenset({"healthz", "readyz"})

# Fields a record may carry through `extra=` that the JSON line keeps.
ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "user_id")

_request_id = contextvars.ContextVar("request_id", default=NO_REQUEST)
access_log = logging.getLogger("courses.access")


def current_request_id():
    """The id of the request being handled here, or "-" outside any request."""
    return _request_id.get()


def request_id_from(value):
    """The caller's id if it is a sane token, else a new random one."""
    if value and SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives the request its id, puts it on the response and writes the access line.
    First in MIDDLEWARE, so redirects and refusals made by later middleware carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        # Kept until the response is closed (forget_request_id), not only while the
        # middleware runs: Django logs a 4xx or 5xx after the whole chain has returned.
        _request_id.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        log_access(request, response, started)
        return response


def forget_request_id(**kwargs):
    """Records written after the response is finished belong to no request."""
    _request_id.set(NO_REQUEST)


request_finished.connect(forget_request_id, dispatch_uid="courses.logs.forget_request_id")


def log_access(request, response, started):
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    match = getattr(request, "resolver_match", None)
    quiet = match is not None and match.url_name in QUIET_ROUTES and response.status_code < 400
    fields = {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": duration_ms,
        "user_id": user_id_if_loaded(request),
    }
    access_log.log(
        logging.DEBUG if quiet else logging.INFO,
        "%s %s %s %.1fms",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        extra=fields,
    )


def user_id_if_loaded(request):
    """The signed-in user's id if the request already looked the user up; logging must not
    add the session and user queries to a page that did not need them."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)  # Django's lazy request.user
    if not hasattr(wrapped, "is_authenticated"):
        return None  # not looked up yet
    return wrapped.pk if wrapped.is_authenticated else None


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record a handler sees (always passes it on)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: timestamp (UTC, ISO 8601), level, logger, message,
    request_id, the access fields when present, and the traceback of an exception."""

    def format(self, record):
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id()),
        }
        for field in ACCESS_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
