"""The programme report's figures stored ahead of time, for national-scale programmes.

Going over every learner takes seconds once a programme has hundreds of thousands of them
(docs/reports.md, "Speed at a national scale"). So from REPORT_SUMMARY_FROM enrolments on,
a background task computes the grouped figures of the whole programme (every learner; no
filter but sex, country and role) and stores them: the sex × country × role cells and the
monthly cells of people trained, certificates issued and certificates revoked. A report of
the whole programme, or of a sex, country or role within it, is cut from them exactly as
from the live query (the same cells, so the same suppression), and says when they were
computed ("as of"). Any other filter (period, course, organisation, language, delivery,
workshop) selects a smaller population and is computed live.

The stored figures are renewed by the task, which is enqueued:

- by every course completion (courses/events.py) and every certificate saved (issued,
  revoked, replaced), in the same transaction, so the task runs after it has committed;
- by a report viewed when they are older than REPORT_SUMMARY_MAX_AGE (new enrolments and
  lessons started enqueue nothing), or when there are none yet and the programme is large
  enough: that report is computed live meanwhile.

One refresh waiting is enough: a change while one waits enqueues nothing more, as the
waiting one will read it. Below REPORT_SUMMARY_FROM enrolments the task removes the
stored figures, and every report is live.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from courses import background
from courses.models.progress import Enrolment
from courses.models.reports import ReportSummary

EVERYONE = "everyone"
IN_USE = "programme-summary-in-use"  # cache key: whether any summary is stored
IN_USE_SECONDS = 300
QUEUED = "programme-summary-queued"  # cache key: a refresh sent to RQ, not started yet
QUEUED_SECONDS = 600
BREAKDOWN_NAMES = ("sex", "country", "role")  # the order of a cell's keys
MONTHLY = ("trained", "issued", "revoked")


@dataclass
class Stored:
    """Stored figures, read back: cells as the live query gives them, months as dates."""

    computed_at: datetime
    cells: list  # rows of queries.cells()
    months: dict  # "trained" / "issued" / "revoked" → {month: {(sex, country, role): n}}

    def cells_for(self, filters):
        keys = [f"{name}_key" for name in BREAKDOWN_NAMES]
        return [row for row in self.cells if within(filters, *(row[key] for key in keys))]

    def monthly_for(self, filters, kind):
        result = {}
        for month, cells in self.months[kind].items():
            kept = {key: n for key, n in cells.items() if within(filters, *key)}
            if kept:
                result[month] = kept
        return result


def within(filters, *key):
    """Whether the cell (sex, country, role) is one the filters' breakdown values select."""
    return all(
        not getattr(filters, name) or getattr(filters, name) == value
        for name, value in zip(BREAKDOWN_NAMES, key, strict=True)
    )


def population_of(filters):
    """The stored population the report of these filters is cut from, or None."""
    return None if filters.population().narrowed() else EVERYONE


def stored_for(filters):
    """The stored figures these filters' report can be cut from, or None (then compute it
    live). Asks for a refresh when they are old, or missing while the programme is large."""
    population = population_of(filters)
    if population is None:
        return None
    summary = ReportSummary.objects.filter(population=population).first()
    if summary is None:
        if Enrolment.objects.count() >= settings.REPORT_SUMMARY_FROM:
            request_refresh()
        return None
    if timezone.now() - summary.computed_at > settings.REPORT_SUMMARY_MAX_AGE:
        request_refresh()
    return read(summary)


# --- Stored form -----------------------------------------------------------------------


def written(cells, months):
    """JSON for ReportSummary.figures: months as ISO dates, cells as lists."""
    figures = {"cells": cells}
    for kind, by_month in months.items():
        figures[kind] = [
            [month.isoformat(), *key, n]
            for month, row in by_month.items()
            if month is not None  # undated (a revocation without its time): no month shows it
            for key, n in row.items()
        ]
    return figures


def read(summary):
    months = {}
    for kind in MONTHLY:
        by_month = months.setdefault(kind, {})
        for month, sex, country, role, n in summary.figures.get(kind, []):
            by_month.setdefault(date.fromisoformat(month), {})[(sex, country, role)] = n
    return Stored(summary.computed_at, summary.figures.get("cells", []), months)


# --- Refresh ---------------------------------------------------------------------------


@background.background_task
def refresh_report_summary():
    """Compute the whole programme's figures live and store them, or, below
    REPORT_SUMMARY_FROM enrolments, remove them."""
    from courses.programme import queries  # queries reads the summaries this module stores

    cache.delete(QUEUED)
    if Enrolment.objects.count() < settings.REPORT_SUMMARY_FROM:
        ReportSummary.objects.all().delete()
        cache.set(IN_USE, False, IN_USE_SECONDS)
        return
    # The time before reading: whatever committed before it is in the figures.
    started = timezone.now()
    everyone = queries.Filters()
    cells = queries.live_cells(everyone)
    months = {"trained": queries.live_trained_cells(everyone)}
    months |= queries.live_certificate_cells(everyone)
    ReportSummary.objects.update_or_create(
        population=EVERYONE,
        defaults={"computed_at": started, "figures": written(cells, months)},
    )
    cache.set(IN_USE, True, IN_USE_SECONDS)


def waiting():
    """Whether a refresh is waiting to start (so it will read any change made now). With a
    backend outside the database (RQ), whether one was sent in the last QUEUED_SECONDS and
    has not started yet (a cache key that the task clears as it starts)."""
    if not background.stored_in_database(refresh_report_summary):
        return not cache.add(QUEUED, True, QUEUED_SECONDS)
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=refresh_report_summary.module_path, status=TaskResultStatus.READY
    ).exists()


def request_refresh():
    if not waiting():
        background.enqueue(refresh_report_summary)


def in_use():
    """Whether summaries are stored (cached: asked by every completion and certificate)."""
    flag = cache.get(IN_USE)
    if flag is None:
        flag = ReportSummary.objects.exists()
        cache.set(IN_USE, flag, IN_USE_SECONDS)
    return flag


def on_figures_changed(sender, **kwargs):
    """Receiver of course_completed and of a certificate saved: renew stored figures."""
    if in_use():
        request_refresh()
