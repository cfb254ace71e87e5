"""One programme report as tables shared by the screen, the exports and the charts, with the
small-cell rule, complementary suppression and the minimum group size applied.

Filters on sex, country and role never run a query of their own. The report is cut out of
the cube of every sex × country × role combination of the population that the other filters
select, and which counts that cube withholds is decided once, for the whole cube. So two
reports that differ only in those filters show a figure they share the same way, and what
one withholds the other withholds too (docs/reports.md has the argument).
"""

from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from courses.choices import Sex
from courses.programme import queries, summary
from courses.programme.queries import COUNTED, KEYS, NOT_STATED, PEOPLE_FIELDS, SUMMED, label_of
from courses.programme.suppression import ALL, lines_of, shown, small, suppress, with_margins
from courses.progress import CAP_MULTIPLE

NAMES = tuple(queries.BREAKDOWNS)  # the cube's dimensions, in key order
DASH = "—"  # a rate or mean withheld, or none to show


@dataclass
class Table:
    title: str
    columns: list
    rows: list  # lists of cells, as shown: numbers, "<N", "×" or "—"
    note: str = ""


class Cube:
    """Figures for every sex × country × role combination and every margin of them (ALL),
    with the counts to withhold, decided measure by measure when first asked for."""

    def __init__(self, cells, measures, threshold):
        self.figures = with_margins(cells)
        self.measures = measures
        self.threshold = threshold

    @cached_property
    def states(self):
        lines = lines_of(self.figures)
        return {
            name: suppress(
                {key: figures[name] for key, figures in self.figures.items()},
                self.threshold,
                lines,
            )
            for name in self.measures
        }

    def value(self, key, name):
        return self.figures.get(key, {}).get(name, 0)

    def hidden(self, key, name):
        return key in self.states[name]

    def count(self, key, name):
        """The count as shown: itself, "<N" or "×"."""
        return shown(self.value(key, name), self.states[name].get(key), self.threshold)

    def chart_value(self, key, name):
        """(the count, or None when it is not shown, the text shown)."""
        text = self.count(key, name)
        return (None if self.hidden(key, name) else text), str(text)


def focus_of(filters):
    """The cube key that the sex, country and role filters pick (ALL where unset)."""
    return tuple(getattr(filters, name) or ALL for name in NAMES)


def main_cube(filters, stored=queries.LOOK):
    """The people, gain and time figures of the filters' population, as a cube."""
    cells = {
        tuple(row[key] for key in KEYS): {name: row[name] for name in (*COUNTED, *SUMMED)}
        for row in queries.cells(filters.population(), stored)
    }
    return Cube(cells, COUNTED, filters.threshold)


def monthly_cubes(months, threshold):
    """{month: Cube} from {month: {cell: count}}: each month withholds on its own, as no
    report shows a count added up over months."""
    return {
        month: Cube({cell: {"n": n} for cell, n in cells.items()}, ["n"], threshold)
        for month, cells in months.items()
    }


# --- Rows -------------------------------------------------------------------------------


def one_decimal(value):
    return DASH if value is None else round(value, 1)


def two_decimals(value):
    return DASH if value is None else round(value, 2)


def people_columns():
    return [_("Enrolled"), _("Started"), _("Completed"), _("Certified"), _("Completion rate (%)")]


def gain_columns():
    return [
        _("With pre- and post-test"),
        _("Mean pre-test (%)"),
        _("Mean post-test (%)"),
        _("Mean gain (points)"),
        _("Mean normalised gain"),
    ]


def time_columns():
    return [_("Completions with time recorded"), _("Mean time on lessons (minutes)")]


def figures_of(cube, key):
    """The entry's counts with its means and completion rate."""
    return queries.total([cube.figures.get(key, dict.fromkeys((*COUNTED, *SUMMED), 0))])


def enough(cube, key, name):
    """Whether a rate or mean may come from this count: shown, and not a small one."""
    return not cube.hidden(key, name) and cube.value(key, name) >= cube.threshold


def people_cells(cube, key):
    """Counts as shown; the completion rate only when both of its counts are shown."""
    figures = figures_of(cube, key)
    counts = [cube.count(key, name) for name in PEOPLE_FIELDS]
    both = enough(cube, key, "enrolled") and not cube.hidden(key, "completed")
    return [*counts, one_decimal(figures["completion_rate"]) if both else DASH]


def gain_cells(cube, key):
    """Means only when the learners with both tests are shown and at least N."""
    figures = figures_of(cube, key)
    if not enough(cube, key, "with_both"):
        return [cube.count(key, "with_both"), *[DASH] * 4]
    normalised = figures["mean_normalised_gain"] if enough(cube, key, "with_normalised") else None
    return [
        figures["with_both"],
        one_decimal(figures["mean_pre"]),
        one_decimal(figures["mean_post"]),
        one_decimal(figures["mean_gain"]),
        two_decimals(normalised),
    ]


def time_cells(cube, key):
    figures = figures_of(cube, key)
    if not enough(cube, key, "with_time"):
        return [cube.count(key, "with_time"), DASH]
    return [figures["with_time"], one_decimal(figures["mean_minutes"])]


BREAKDOWN_LABELS = {
    "sex": lambda: _("Sex"),
    "country": lambda: _("Country"),
    "role": lambda: _("Role"),
}


def breakdown_keys(cube, focus, by):
    """The cube keys of a breakdown by `by` within the focus, in the order of `by`."""
    positions = [NAMES.index(name) for name in by]

    def belongs(key):
        return all(
            (value != ALL and focus[i] in (ALL, value)) if i in positions else value == focus[i]
            for i, value in enumerate(key)
        )

    return sorted(
        (key for key in cube.figures if belongs(key)),
        key=lambda key: tuple(key[i] for i in positions),
    )


def breakdown_table(cube, focus, by, title):
    rows = [
        [
            *[label_of(name, key[NAMES.index(name)]) for name in by],
            *people_cells(cube, key),
            *gain_cells(cube, key),
        ]
        for key in breakdown_keys(cube, focus, by)
    ]
    columns = [BREAKDOWN_LABELS[name]() for name in by] + people_columns() + gain_columns()
    return Table(title, columns, rows)


# --- Months -----------------------------------------------------------------------------


def sexes_in(focus):
    if focus[0] != ALL:
        return [focus[0]]
    return [value for value, _label in Sex.choices] + [NOT_STATED]


def trained_table(cubes, focus):
    """People trained per month, by sex, with the month's total when several sexes show."""
    sexes = sexes_in(focus)
    total = len(sexes) > 1
    rows = []
    for month in sorted(cubes):
        cube = cubes[month]
        if not cube.value(focus, "n"):
            continue
        counts = [cube.count((sex, *focus[1:]), "n") for sex in sexes]
        if total:
            counts.append(cube.count(focus, "n"))
        rows.append([month.strftime("%Y-%m"), *counts])
    columns = [
        _("Month"),
        *[label_of("sex", sex) for sex in sexes],
        *([pgettext("report column", "Total")] if total else []),
    ]
    return Table(_("People trained per month, by sex"), columns, rows)


def trained_chart(cubes, focus):
    """(months, series) for charts.monthly_bars: the same figures as trained_table."""
    months = [month for month in sorted(cubes) if cubes[month].value(focus, "n")]
    series = []
    for sex in sexes_in(focus):
        key = (sex, *focus[1:])
        if any(cubes[month].value(key, "n") for month in months):
            values, texts = zip(
                *[cubes[month].chart_value(key, "n") for month in months], strict=True
            )
            series.append((label_of("sex", sex), list(values), list(texts)))
    return [month.strftime("%Y-%m") for month in months], series


def certificates_table(issued, revoked, focus):
    rows = []
    for month in sorted(set(issued) | set(revoked)):
        cubes = [kind.get(month) for kind in (issued, revoked)]
        if not any(cube and cube.value(focus, "n") for cube in cubes):
            continue
        rows.append(
            [month.strftime("%Y-%m"), *[cube.count(focus, "n") if cube else 0 for cube in cubes]]
        )
    return Table(_("Certificates per month"), [_("Month"), _("Issued"), _("Revoked")], rows)


# --- Workshops --------------------------------------------------------------------------


def evaluation_means(count, means, threshold):
    """Evaluation averages, each withheld ("—") when fewer than threshold people answered."""
    if count < threshold:
        return [DASH] * len(means)
    return [one_decimal(mean) for mean in means]


def workshops_table(workshops, threshold):
    rows = [
        [
            workshop.title,
            f"{workshop.start_date:%Y-%m-%d} – {workshop.end_date:%Y-%m-%d}",
            workshop.session_count,
            small(workshop.participant_count, threshold),
            DASH
            if workshop.participant_count < threshold
            else one_decimal(workshop.attendance_rate),
            small(workshop.evaluations, threshold),
            *evaluation_means(
                workshop.evaluations,
                [workshop.relevance, workshop.quality, workshop.applicability],
                threshold,
            ),
        ]
        for workshop in workshops
    ]
    columns = [
        _("Workshop"),
        _("Dates"),
        _("Sessions"),
        _("Participants"),
        _("Attendance (%)"),
        _("Evaluations"),
        _("Relevance (1–5)"),
        _("Quality (1–5)"),
        _("Applicability (1–5)"),
    ]
    return Table(_("Workshops"), columns, rows)


# --- The report -------------------------------------------------------------------------


def legend(threshold):
    return _(
        "Counts from 1 to %(below)d are shown as “<%(threshold)d”. “×” is a count withheld "
        "so that a small one cannot be worked out from the other counts or the totals; "
        "“—” is a rate or mean withheld with a count it comes from."
    ) % {"below": threshold - 1, "threshold": threshold}


def too_small(minimum):
    return _(
        "Fewer than %(minimum)d people match these filters, so this report shows nothing "
        "more: figures about so few people could single someone out. Widen the filters."
    ) % {"minimum": minimum}


def as_of(stored):
    """How fresh the figures are, when they are stored ones rather than live."""
    if not stored:
        return ""
    moment = timezone.localtime(stored.computed_at).strftime("%Y-%m-%d %H:%M %Z")
    return _(
        "Figures as of %(time)s: stored for the whole programme and renewed in the "
        "background after each completion, certificate and revocation."
    ) % {"time": moment}


def followup_section(filters):
    """The follow-up survey section (courses/programme/followup.py)."""
    from courses.programme import followup

    return followup.section(filters)


def cascade_tables(filters, focus):
    """The cascade section (courses/programme/cascade.py), imported here: it builds on the
    cubes and tables above."""
    from courses.programme import cascade

    return cascade.tables(filters, focus)


def build_report(filters, combination=()):
    """Every table of the programme report for these filters, and its charts' figures; or,
    for filters that leave fewer than filters.min_group people, only that fact."""
    focus = focus_of(filters)
    stored = summary.stored_for(filters)
    cube = main_cube(filters, stored)
    if filters.narrowed() and cube.value(focus, "enrolled") < filters.min_group:
        return {"withheld": too_small(filters.min_group), "tables": []}
    threshold = filters.threshold
    population = filters.population()
    trained = monthly_cubes(queries.trained_cells(population, stored), threshold)
    certificates = queries.certificate_cells(population, stored)
    tables = [
        Table(
            _("People trained"),
            people_columns(),
            [people_cells(cube, focus)],
            _("Each person counts once, however many courses they took."),
        ),
        Table(_("Learning gain"), gain_columns(), [gain_cells(cube, focus)]),
        Table(
            _("Time on lessons"),
            time_columns(),
            [time_cells(cube, focus)],
            _(
                "Per completed course: from first opening each lesson to marking it "
                "complete, capped at %(multiple)d × the lesson's estimated minutes."
            )
            % {"multiple": CAP_MULTIPLE},
        ),
        breakdown_table(cube, focus, ["sex"], _("By sex")),
        breakdown_table(cube, focus, ["country"], _("By country")),
        breakdown_table(cube, focus, ["role"], _("By role")),
    ]
    if len(combination) > 1:
        title = _("By %(breakdowns)s") % {
            "breakdowns": " × ".join(BREAKDOWN_LABELS[name]() for name in combination)
        }
        tables.append(breakdown_table(cube, focus, list(combination), title))
    tables.append(
        certificates_table(
            monthly_cubes(certificates["issued"], threshold),
            monthly_cubes(certificates["revoked"], threshold),
            focus,
        )
    )
    tables.append(trained_table(trained, focus))
    tables.append(workshops_table(queries.workshop_summary(filters), threshold))
    tables.extend(cascade_tables(filters, focus))
    funnel = [
        (label, *cube.chart_value(focus, name))
        for name, label in zip(PEOPLE_FIELDS, people_columns(), strict=False)
    ]
    return {
        "tables": tables,
        "followup": followup_section(filters),
        "as_of": as_of(stored),
        "legend": legend(threshold),
        "funnel": funnel,
        "monthly": trained_chart(trained, focus),
    }
