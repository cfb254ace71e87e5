"""Probes for load balancers: /healthz (the process answers) and /readyz (it can serve:
courses/health.py). Open to anyone (courses/permissions.py), outside the language prefix,
never cached, and they read no session or user."""

from http import HTTPStatus

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from courses import health


@never_cache
@require_safe
def healthz(request):
    """200 "ok" while the process can answer at all; touches no database."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readyz(request):
    """200 when every check passes, 503 when one fails; each check's status as JSON."""
    ready, checks = health.readiness()
    return JsonResponse(
        {"status": health.OK if ready else health.FAIL, "checks": checks},
        status=HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE,
    )
