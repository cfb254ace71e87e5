"""The programme report's follow-up section: invitations sent, answers, response and
application rates, how often people apply what they learned, by sex, country and role, with
the same small-cell rule and complementary suppression as the rest of the report.

Invitations and answers are grouped by the sex, country and role noted when the invitation
went out (answers carry that snapshot and nothing else about the person), so both sides of
a rate count the same people. The report's filters on course, period (the day invitations
went out), sex, country and role apply; organisation, language, delivery and workshop are
not kept with an answer, so with those filters the section says so and shows nothing.

What stood in the way is shown in the answerers' own words only for a group of at least
REPORT_MIN_GROUP answers, sorted alphabetically (so the order says nothing of when or from
where), never beside a breakdown, and never under a sex, country or role filter: two such
views (a country, then the same country's women) would differ by the words of the few people
between them, tied to who they are.
"""

from django.db.models import CharField, Count, F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

from courses.models.followup import FollowUpInvitation, FollowUpResponse, Frequency
from courses.pilot import not_pilot
from courses.programme.queries import NOT_STATED, label_of
from courses.programme.suppression import ALL, suppress
from courses.programme.tables import DASH, NAMES, Cube, Table, breakdown_keys, focus_of

COUNTED = ("invited", "answered", "applied")
UNSUPPORTED = ("organisation", "language", "mode", "workshop_id")


def key_of(name):
    return Coalesce(NullIf(F(name), Value("")), Value(NOT_STATED), output_field=CharField())


def in_period(queryset, filters, field):
    if filters.course_key:
        queryset = queryset.filter(course_key=filters.course_key)
    if filters.start:
        queryset = queryset.filter(**{f"{field}__gte": filters.start})
    if filters.end:
        queryset = queryset.filter(**{f"{field}__lte": filters.end})
    return queryset


def grouped(queryset, **measures):
    """{(sex, country, role): {measure: n}} in one grouped query."""
    rows = (
        queryset.annotate(**{f"{name}_key": key_of(name) for name in NAMES})
        .order_by()
        .values(*(f"{name}_key" for name in NAMES))
        .annotate(**measures)
    )
    return {
        tuple(row[f"{name}_key"] for name in NAMES): {m: row[m] for m in measures} for row in rows
    }


def cells(filters):
    """Every sex × country × role cell of the filters' population (the breakdown filters
    are applied by cutting the cube, as in the rest of the report)."""
    invited = grouped(
        in_period(FollowUpInvitation.objects.filter(not_pilot()), filters, "sent_at__date"),
        invited=Count("pk"),
    )
    answers = in_period(FollowUpResponse.objects.all(), filters, "invited_on")
    frequencies = {f"freq_{value}": Count("pk", filter=Q(frequency=value)) for value in Frequency}
    answered = grouped(
        answers, answered=Count("pk"), applied=Count("pk", filter=Q(applied=True)), **frequencies
    )
    empty = dict.fromkeys(("invited", "answered", "applied", *frequencies), 0)
    return {
        key: empty | invited.get(key, {}) | answered.get(key, {})
        for key in set(invited) | set(answered)
    }


def columns():
    return [
        _("Invited"),
        _("Answered"),
        _("Response rate (%)"),
        _("Applied what they learned"),
        _("Application rate (%)"),
    ]


def enough(cube, key, name):
    return not cube.hidden(key, name) and cube.value(key, name) >= cube.threshold


def share(part, whole):
    return round(100 * part / whole, 1) if whole else DASH


def figure_cells(cube, key):
    """Counts as shown; a rate only when its base is shown and not small, and its part shown."""
    counts = [cube.count(key, name) for name in COUNTED]
    response = (
        share(cube.value(key, "answered"), cube.value(key, "invited"))
        if enough(cube, key, "invited") and not cube.hidden(key, "answered")
        else DASH
    )
    application = (
        share(cube.value(key, "applied"), cube.value(key, "answered"))
        if enough(cube, key, "answered") and not cube.hidden(key, "applied")
        else DASH
    )
    return [counts[0], counts[1], response, counts[2], application]


def frequency_table(cube, focus):
    """How often those who answered apply it: a line of its own (the choices add up to the
    answers), withheld like any other."""
    counts = {(value,): cube.value(focus, f"freq_{value}") for value in Frequency.values}
    counts[(ALL,)] = cube.value(focus, "answered")
    states = suppress(counts, cube.threshold)
    total = cube.value(focus, "answered")
    if cube.hidden(focus, "answered") and total:
        # The choices add up to the answers, which the table above withholds here.
        states = {(value,): "withheld" for value in Frequency.values if counts[(value,)]}
    rows = []
    for value, label in Frequency.choices:
        n = counts[(value,)]
        state = states.get((value,))
        if state:
            rows.append([label, f"<{cube.threshold}" if state == "small" else "×", DASH])
        else:
            rows.append([label, n, share(n, total) if total >= cube.threshold else DASH])
    return Table(_("Follow-up: how often they apply it"), [_("Answer"), _("People"), "%"], rows)


def obstacles_table(filters, minimum):
    """The answers to "what stood in the way", when no sex, country or role filter is set
    and at least ``minimum`` people answered in the course and period chosen; else None."""
    if any(getattr(filters, name) for name in NAMES):
        return None
    answers = in_period(FollowUpResponse.objects.all(), filters, "invited_on")
    if answers.count() < minimum:
        return None
    texts = sorted(
        text for text in answers.exclude(obstacles="").values_list("obstacles", flat=True)
    )
    return Table(
        _("Follow-up: what stood in the way"),
        [_("In their words")],
        [[text] for text in texts],
        _(
            "Shown only for at least %(minimum)d answers and without a sex, country or role "
            "filter, in alphabetical order, without who or where."
        )
        % {"minimum": minimum},
    )


def section(filters):
    """{"tables": [...]} or {"withheld": message} for the report's follow-up section."""
    if any(getattr(filters, name) for name in UNSUPPORTED):
        return {
            "withheld": _(
                "Follow-up answers are stored without the person, so they cannot be narrowed "
                "by organisation, language, delivery or workshop. Remove those filters to see "
                "the follow-up figures."
            ),
            "tables": [],
        }
    cube = Cube(cells(filters), COUNTED, filters.threshold)
    focus = focus_of(filters)
    if filters.narrowed() and cube.value(focus, "invited") < filters.min_group:
        return {
            "withheld": _(
                "Fewer than %(minimum)d people were sent the follow-up within these filters, "
                "so no follow-up figures are shown."
            )
            % {"minimum": filters.min_group},
            "tables": [],
        }
    tables = [
        Table(
            _("Follow-up"),
            columns(),
            [figure_cells(cube, focus)],
            _("A survey sent some months after completing a course."),
        ),
        frequency_table(cube, focus),
    ]
    breakdowns = {
        "sex": (_("Follow-up by sex"), _("Sex")),
        "country": (_("Follow-up by country"), _("Country")),
        "role": (_("Follow-up by role"), _("Role")),
    }
    for name in NAMES:
        rows = [
            [label_of(name, key[NAMES.index(name)]), *figure_cells(cube, key)]
            for key in breakdown_keys(cube, focus, [name])
        ]
        title, column = breakdowns[name]
        tables.append(Table(title, [column, *columns()], rows))
    obstacles = obstacles_table(filters, filters.min_group)
    if obstacles is not None:
        tables.append(obstacles)
    return {"tables": tables}
