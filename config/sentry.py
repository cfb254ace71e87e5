"""Optional error reporting: Sentry (or a Sentry-compatible service such as GlitchTip) when
SENTRY_DSN is set in the environment. Without it sentry_sdk is not even imported.

Nothing personal is sent: no cookies, no user, no client address (send_default_pii=False),
no local variables of the failing code.
Each event carries the request id (courses/logs.py) as a tag, to find its log lines."""

from config.env import env_str


def start_error_reporting():
    """Initialise sentry-sdk from SENTRY_DSN (and SENTRY_ENVIRONMENT); True if it did."""
    dsn = env_str("SENTRY_DSN")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=env_str("SENTRY_ENVIRONMENT") or None,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        # Locals hold users, emails and answers; the stack trace names the line without them.
        include_local_variables=False,
        before_send=tag_request_id,
    )
    return True


def tag_request_id(event, hint):
    """Adds the id of the request the event happened in."""
    from courses.logs import NO_REQUEST, current_request_id

    request_id = current_request_id()
    if request_id != NO_REQUEST:
        event.setdefault("tags", {})["request_id"] = request_id
    return event
