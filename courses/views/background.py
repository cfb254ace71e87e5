"""Background work in the Wagtail admin: what waits, what runs, what failed and why.

Read-only: a failed task is retried by the task wrapper (courses/background.py); what is
left here is for staff to notice and to fix the cause of (a mail server, a signing key)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.shortcuts import render
from django.utils import timezone

from django_tasks.base import TaskResultStatus

from courses import background, permissions

FAILURES_SHOWN = 50


def task_list(request):
    if not permissions.can_view_background_tasks(request.user):
        raise PermissionDenied
    permissions.require_two_factor(request.user)
    context = {"in_database": background.stored_in_backend_table(), "failures": []}
    if context["in_database"]:
        from django_tasks_db.models import DBTaskResult

        tasks = DBTaskResult.objects.filter(backend_name=background.BACKEND)
        counts = dict(tasks.values_list("status").annotate(count=Count("id")).order_by())
        since = timezone.now() - timedelta(days=7)
        failed = tasks.filter(status=TaskResultStatus.FAILED, finished_at__gte=since)
        context.update(
            waiting=counts.get(TaskResultStatus.READY, 0),
            running=counts.get(TaskResultStatus.RUNNING, 0),
            failed_this_week=failed.count(),
            oldest_waiting=tasks.ready().aggregate(oldest=Min("enqueued_at"))["oldest"],
            max_attempts=settings.TASK_MAX_ATTEMPTS,
            failures=[
                {
                    "task": row.task_path.rsplit(".", 1)[-1],
                    "path": row.task_path,
                    "attempt": (row.args_kwargs.get("kwargs") or {}).get(background.ATTEMPT, 1),
                    "finished_at": row.finished_at,
                    "error": row.exception_class_path.rsplit(".", 1)[-1],
                    "traceback": row.traceback,
                }
                for row in failed.order_by("-finished_at")[:FAILURES_SHOWN]
            ],
        )
    return render(request, "courses/background/admin_list.html", context)
