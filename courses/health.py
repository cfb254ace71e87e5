"""Readiness checks for load balancers and monitoring (/readyz; /healthz checks nothing).

Each check answers a small dict whose "status" is one of:

- "ok": the component answered;
- "fail": it did not; /readyz then answers 503 so the load balancer stops sending this
  server traffic until it recovers;
- "not configured": there is nothing to check (no database task queue here);
- "behind": the task queue has work waiting longer than TASK_BACKLOG_WARN_SECONDS. It
  does not fail readiness: a stopped worker is not cured by taking every app server out
  of the pool, and tasks wait for it (nothing is lost); monitoring should alert on it.

What a failure was is logged (`courses.health`, with the request id); the answer itself
holds only the status and the exception's class name, never a message, host or port.
"""

import logging
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.db.models import Case, Count, F, Min, When
from django.utils import timezone

logger = logging.getLogger("courses.health")

OK, FAIL, NOT_CONFIGURED, BEHIND = "ok", "fail", "not configured", "behind"
PROBE_FOLDER = "health"


def readiness():
    """(all passed, {check name: result}) for every check below."""
    results = {
        "database": check_database(),
        "cache": check_cache(),
        "storage": check_storage(),
        "tasks": check_task_backlog(),
    }
    return all(result["status"] != FAIL for result in results.values()), results


def failed(check, error):
    logger.warning("Readiness check %s failed", check, exc_info=error)
    return {"status": FAIL, "error": type(error).__name__}


def check_database():
    """Every configured database answers a trivial query."""
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception as error:  # any failure means not ready
            return failed("database", error)
    return {"status": OK}


def check_cache():
    """Every configured cache stores a value and gives it back."""
    for alias in settings.CACHES:
        cache = caches[alias]
        key, value = f"health-probe:{uuid.uuid4().hex}", uuid.uuid4().hex
        try:
            cache.set(key, value, timeout=30)
            answered = cache.get(key)
            cache.delete(key)
        except Exception as error:
            return failed("cache", error)
        if answered != value:
            return failed("cache", LookupError("the cache did not keep a value"))
    return {"status": OK}


def check_storage():
    """Django's default storage (local disk or object storage) saves a tiny file, finds it
    and deletes it again."""
    name = f"{PROBE_FOLDER}/probe-{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"ok"))
        try:
            if not default_storage.exists(saved):
                raise FileNotFoundError("the probe file was not kept")
        finally:
            default_storage.delete(saved)
    except Exception as error:
        return failed("storage", error)
    return {"status": OK}


def database_task_backends():
    """The aliases in TASKS served by django-tasks' database backend (django_tasks_db)."""
    if not apps.is_installed("django_tasks_db"):
        return []
    return [
        alias
        for alias, options in getattr(settings, "TASKS", {}).items()
        if options.get("BACKEND", "").startswith("django_tasks_db.")
    ]


def check_task_backlog():
    """How many tasks wait for a worker, and for how long the oldest has been waiting."""
    aliases = database_task_backends()
    if not aliases:
        return {"status": NOT_CONFIGURED}
    # Imported here: the app's models exist only when it is installed.
    from django_tasks_db.models import DBTaskResult, get_date_max

    # A task is waiting from when it became due: when enqueued, or at its run_after time.
    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
    )
    try:
        backlog = (
            DBTaskResult.objects.ready()
            .filter(backend_name__in=aliases)
            .aggregate(waiting=Count("pk"), oldest=Min(waiting_since))
        )
    except Exception as error:
        return failed("tasks", error)
    oldest = backlog["oldest"]
    oldest_seconds = max(0, round((timezone.now() - oldest).total_seconds())) if oldest else 0
    late = oldest_seconds > settings.TASK_BACKLOG_WARN_SECONDS
    return {
        "status": BEHIND if late else OK,
        "waiting": backlog["waiting"],
        "oldest_seconds": oldest_seconds,
    }
