"""Programme reports in the Wagtail admin, for programme managers; CSV and XLSX exports."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from courses import charts, downloads, permissions, programme
from courses.exports import report_rows, spreadsheet
from courses.forms import ReportFiltersForm
from courses.models.downloads import PreparedFileKind
from courses.models.progress import Enrolment


def programme_report(request):
    if not permissions.can_view_programme_reports(request.user):
        raise PermissionDenied
    permissions.require_two_factor(request.user)
    # Always bound: no parameters means no filters, i.e. everyone.
    form = ReportFiltersForm(request.GET)
    report = None
    if form.is_valid():
        export = request.GET.get("export")
        if export in ("csv", "xlsx") and large_programme():
            return prepared_export(request, export)
        filters = form.filters(settings.REPORT_SMALL_CELL)
        filters.min_group = settings.REPORT_MIN_GROUP
        report = programme.build_report(filters, form.cleaned_data.get("combine") or ())
        if export in ("csv", "xlsx"):
            return exported(report, filters, export)
        if not report.get("withheld"):
            report["charts"] = chart_markup(report)
    return render(request, "courses/reports/programme.html", {"form": form, "report": report})


def large_programme():
    """Whether exports are made by a background task: the programme holds at least
    REPORT_EXPORT_IN_BACKGROUND_FROM enrolments (one count, on an indexed table)."""
    return Enrolment.objects.count() >= settings.REPORT_EXPORT_IN_BACKGROUND_FROM


def prepared_export(request, fmt):
    """Ask for the export as a prepared file (courses/downloads.py) and wait for it."""
    query = request.GET.copy()
    query.pop("export", None)
    parameters = {"format": fmt, "query": query.urlencode()}
    prepared = downloads.ask(request.user, PreparedFileKind.PROGRAMME_REPORT, parameters)
    return redirect("prepared_file", pk=prepared.pk)


def chart_markup(report):
    """The two charts, drawn from the figures the tables show (withheld ones as stubs)."""
    direction = "rtl" if get_language_bidi() else "ltr"
    months, series = report["monthly"]
    return {
        "funnel": mark_safe(  # noqa: S308  (escaped SVG built by courses.charts)
            charts.funnel(report["funnel"], _("Completion funnel"), direction=direction)
        ),
        "monthly": mark_safe(  # noqa: S308  (escaped SVG built by courses.charts)
            charts.monthly_bars(
                months, series, _("People trained per month, by sex"), direction=direction
            )
        ),
    }


def exported(report, filters, fmt):
    rows = report_rows(report, filters)
    return spreadsheet(rows, f"programme-report-{timezone.localdate():%Y-%m-%d}", fmt, _("Report"))
