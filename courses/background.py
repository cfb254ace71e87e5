"""Background work: django-tasks with a bounded retry, and where the work waits.

A task made with ``background_task`` that raises is enqueued again, with its attempt number
one higher, after TASK_RETRY_DELAY times the attempts so far, until TASK_MAX_ATTEMPTS
attempts have failed; every failed attempt stays recorded with its error (the database
backend's table, shown to staff at /admin/tasks/). django-tasks itself never retries.

Enqueueing inside a transaction: the database backend writes the task's row in that
transaction, so the task and what caused it are committed together or not at all (a worker
never sees a task for a completion that rolled back, and a crash after the commit loses
nothing). A backend outside the database (RQ) is sent the task once the transaction commits.
"""

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from django_tasks import task, task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)

ATTEMPT = "attempt"  # the keyword argument that carries the attempt number
BACKEND = "background"  # the alias in settings.TASKS (Wagtail's own tasks use "default")


def background_task(func=None, **options):
    """``@background_task``: like django-tasks' ``@task`` (same options), retried on failure.

    The function keeps its own arguments (JSON values only); the task adds ``attempt``."""

    def decorate(func):
        @functools.wraps(func)
        def run(*args, attempt=1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception:
                if attempt < settings.TASK_MAX_ATTEMPTS:
                    logger.warning("Task %s failed (attempt %d); retrying", func.__name__, attempt)
                    retry(background, attempt, args, kwargs)
                else:
                    logger.exception("Task %s failed %d times; giving up", func.__name__, attempt)
                raise  # recorded as this attempt's failure

        background = task(**{"backend": BACKEND} | options)(run)
        return background

    return decorate(func) if func is not None else decorate


def retry(background, attempt, args, kwargs):
    if background.get_backend().supports_defer:
        delay = settings.TASK_RETRY_DELAY * attempt
        background = background.using(run_after=timezone.now() + delay)
    enqueue(background, *args, **{ATTEMPT: attempt + 1}, **kwargs)


def enqueue(background, *args, **kwargs):
    """Enqueue with the transaction in progress (see the module docstring)."""
    if stored_in_database(background):
        return background.enqueue(*args, **kwargs)
    transaction.on_commit(functools.partial(background.enqueue, *args, **kwargs))
    return None


def stored_in_database(background):
    return isinstance(background.get_backend(), DatabaseBackend)


def stored_in_backend_table():
    """Whether our tasks wait in the database table (else in Redis, with RQ)."""
    return isinstance(task_backends[BACKEND], DatabaseBackend)


def under_way(background, within=None, **match):
    """The keyword arguments of the tasks of this kind whose keywords include ``match`` and
    that are still to run (waiting, waiting to be retried, running) or, with ``within``,
    failed less than that long ago. None when the backend cannot be asked (it keeps no
    table): callers then treat the work as under way."""
    if not stored_in_database(background):
        return None
    from django_tasks_db.models import DBTaskResult

    recent = Q(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
    if within is not None:
        recent |= Q(status=TaskResultStatus.FAILED, finished_at__gte=timezone.now() - within)
    rows = DBTaskResult.objects.filter(
        recent,
        task_path=background.module_path,
        **{f"args_kwargs__kwargs__{key}": value for key, value in match.items()},
    )
    return [row["kwargs"] for row in rows.values_list("args_kwargs", flat=True)]


def in_process_worker(worker_id):
    """django-tasks-db's worker for our backend, to run waiting tasks one at a time in this
    process (``run_next``), as `manage.py db_worker --backend background --batch` would."""
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=BACKEND,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def waiting_tasks():
    """Our backend's tasks in the database that a worker may claim now."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(backend_name=BACKEND)


def run_next(worker, among=None):
    """Claim the oldest waiting task of our backend (of the ids ``among``, if given) and run
    it with the worker's own ``run_task``, which records success or failure; its
    DBTaskResult, or None when none waits. The claim locks the row: a transaction of its own."""
    tasks = waiting_tasks() if among is None else waiting_tasks().filter(id__in=among)
    with transaction.atomic():
        waiting = tasks.get_locked()
        if waiting is None:
            return None
        waiting.claim(worker.worker_id)
    worker.run_task(waiting)
    return waiting


def requeue_abandoned(older_than):
    """Tasks of our backend that a worker claimed more than ``older_than`` ago and never
    finished — the worker was killed (SIGKILL, out of memory) or its machine died; a worker
    that is stopped with SIGTERM or Ctrl-C finishes its task first — waiting again, so the
    next worker runs them. Returns how many.

    Running a task twice is safe for ours: a certificate already issued is not issued again
    (``issue_certificate`` locks the learner and looks first), a prepared file already made
    is left as it is, a handout is stored once per state, the report summary is recomputed;
    an email may be sent a second time. ``older_than`` must be longer than any task takes
    (seconds to a minute here), or a task still running elsewhere would run twice at once."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        backend_name=BACKEND,
        status=TaskResultStatus.RUNNING,
        started_at__lt=timezone.now() - older_than,
    ).update(status=TaskResultStatus.READY, started_at=None)
