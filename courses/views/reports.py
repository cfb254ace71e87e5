"""Programme reports in the Wagtail admin, for programme managers; CSV and XLSX exports."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from courses import brand, charts, permissions, programme
from courses.exports import spreadsheet
from courses.forms import ReportFiltersForm
from courses.programme.tables import legend


def programme_report(request):
    if not permissions.can_view_programme_reports(request.user):
        raise PermissionDenied
    permissions.require_two_factor(request.user)
    # Always bound: no parameters means no filters, i.e. everyone.
    form = ReportFiltersForm(request.GET)
    report = None
    if form.is_valid():
        filters = form.filters(settings.REPORT_SMALL_CELL)
        filters.min_group = settings.REPORT_MIN_GROUP
        report = programme.build_report(filters, form.cleaned_data.get("combine") or ())
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return exported(report, filters, export)
        if not report.get("withheld"):
            report["charts"] = chart_markup(report)
    return render(request, "courses/reports/programme.html", {"form": form, "report": report})


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


def header_rows(filters):
    rows = [
        [_("%(site_name)s — programme report") % {"site_name": brand.site_name()}],
        [_("Generated"), timezone.now().strftime("%Y-%m-%d %H:%M UTC")],
    ]
    if filters.labels:
        rows += [[_("Filter: %(name)s") % {"name": name}, value] for name, value in filters.labels]
    else:
        rows.append([_("Filters"), _("none (everyone)")])
    rows.append([_("Small-cell rule"), legend(filters.threshold)])
    rows.append(
        [
            _("Minimum group"),
            _("a filtered report of fewer than %(minimum)d people shows nothing else")
            % {"minimum": filters.min_group},
        ]
    )
    return rows


def table_rows(report):
    if report.get("withheld"):
        return [[], [report["withheld"]]]
    rows = []
    for table in report["tables"]:
        rows += [[], [table.title], table.columns, *table.rows]
        if table.note:
            rows.append([table.note])
    return rows


def exported(report, filters, fmt):
    rows = header_rows(filters) + table_rows(report)
    return spreadsheet(rows, f"programme-report-{timezone.localdate():%Y-%m-%d}", fmt, _("Report"))
