"""Programme reports in the Wagtail admin, for programme managers; CSV and XLSX exports."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from courses import charts, programme
from courses.choices import Sex
from courses.exports import spreadsheet
from courses.forms import ReportFiltersForm

PERMISSION = "courses.view_programme_reports"


def can_view(user):
    return user.is_authenticated and user.has_perm(PERMISSION)


def programme_report(request):
    if not can_view(request.user):
        raise PermissionDenied
    # Always bound: no parameters means no filters, i.e. everyone.
    form = ReportFiltersForm(request.GET)
    report = None
    if form.is_valid():
        filters = form.filters(settings.REPORT_SMALL_CELL)
        report = programme.build_report(filters, form.cleaned_data.get("combine") or ())
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return exported(report, filters, export)
        report["charts"] = chart_markup(report, filters)
    return render(request, "courses/reports/programme.html", {"form": form, "report": report})


def chart_markup(report, filters):
    people = report["people"]
    direction = "rtl" if get_language_bidi() else "ltr"
    steps = [
        (label, *suppressed(people[name], filters.threshold))
        for name, label in (
            ("enrolled", _("Enrolled")),
            ("started", _("Started")),
            ("completed", _("Completed")),
            ("certified", _("Certified")),
        )
    ]
    months = sorted({row["month"] for row in report["trained"]})
    counts = {(row["month"], row["sex_key"]): row["people"] for row in report["trained"]}
    series = []
    for sex in [value for value, _label in Sex.choices] + [programme.NOT_STATED]:
        values = [counts.get((month, sex), 0) for month in months]
        shown = [str(programme.small(value, filters.threshold)) for value in values]
        hidden = [
            None if text.startswith("<") else value
            for value, text in zip(values, shown, strict=True)
        ]
        if any(values):
            series.append((programme.label_of("sex", sex), hidden, shown))
    return {
        "funnel": mark_safe(  # noqa: S308  (escaped SVG built by courses.charts)
            charts.funnel(steps, _("Completion funnel"), direction=direction)
        ),
        "monthly": mark_safe(  # noqa: S308  (escaped SVG built by courses.charts)
            charts.monthly_bars(
                [month.strftime("%Y-%m") for month in months],
                series,
                _("People trained per month, by sex"),
                direction=direction,
            )
        ),
    }


def suppressed(value, threshold):
    """(value for the chart or None when hidden, the text shown)."""
    shown = programme.small(value, threshold)
    return (None, shown) if shown != value else (value, str(value))


def header_rows(filters):
    rows = [
        [_("Evidence Academy — programme report")],
        [_("Generated"), timezone.now().strftime("%Y-%m-%d %H:%M UTC")],
    ]
    if filters.labels:
        rows += [[_("Filter: %(name)s") % {"name": name}, value] for name, value in filters.labels]
    else:
        rows.append([_("Filters"), _("none (everyone)")])
    rows.append(
        [
            _("Small-cell rule"),
            _("counts from 1 to %(below)s are shown as <%(threshold)s")
            % {"below": filters.threshold - 1, "threshold": filters.threshold},
        ]
    )
    return rows


def table_rows(report):
    rows = []
    for table in report["tables"]:
        rows += [[], [table.title], table.columns, *table.rows]
        if table.note:
            rows.append([table.note])
    return rows


def exported(report, filters, fmt):
    rows = header_rows(filters) + table_rows(report)
    return spreadsheet(rows, f"programme-report-{timezone.localdate():%Y-%m-%d}", fmt, _("Report"))
