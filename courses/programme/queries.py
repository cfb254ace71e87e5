"""The queries behind programme reports. Every figure is aggregated in the database;
nothing loops over learners in Python.

The unit is the learner: "enrolled", "started", "completed" and "certified" count people,
each once however many courses they took. Learning gain is per learner and course (a
learner's pre-test and post-test belong to one course), and so is time on lessons (the
capped seconds on task of a completed course's lessons, known only when every one of them
was recorded with its opening time).

Each query groups by sex, country and role (the breakdowns), and the monthly ones by month
as well: each learner sits in exactly one such cell, so adding cells up counts nobody twice
and every total, breakdown and mean is a sum over a few hundred cells.
"""

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Avg,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.utils.translation import gettext as _

from courses.choices import Audience, Sex
from courses.models.certificates import Certificate, CertificateStatus
from courses.models.progress import Enrolment, LessonCompletion
from courses.models.quizzes import Attempt
from courses.models.workshops import Attendance, Participant, Session, SurveyResponse, Workshop
from courses.pilot import not_pilot
from courses.programme import summary

NOT_STATED = "not_stated"
PEOPLE_FIELDS = ("enrolled", "started", "completed", "certified")
SMALL_CELL = 5
MIN_GROUP = 10
BREAKDOWNS = {
    "sex": "user__learner_profile__sex",
    "country": "user__learner_profile__country",
    "role": "user__learner_profile__role",
}
KEYS = tuple(f"{name}_key" for name in BREAKDOWNS)
LOOK = object()  # look up the stored figures (courses/programme/summary.py)


@dataclass
class Filters:
    start: date | None = None
    end: date | None = None
    course_key: object = None
    country: str = ""
    organisation: str = ""
    role: str = ""
    sex: str = ""
    language: str = ""
    mode: str = ""  # "", "self", "workshop"
    workshop_id: int | None = None
    threshold: int = SMALL_CELL
    labels: list = field(default_factory=list)  # (name, value) as the user chose them
    min_group: int = MIN_GROUP

    def narrowed(self):
        """Whether any filter is set: the report then covers a chosen group of people."""
        return any(
            getattr(self, name)
            for name in (
                "start",
                "end",
                "course_key",
                "country",
                "organisation",
                "role",
                "sex",
                "language",
                "mode",
                "workshop_id",
            )
        )

    def population(self):
        """The same filters without the breakdowns (sex, country, role): a report on one
        breakdown value is a part of the report on all of them, never a query of its own."""
        return dataclasses.replace(self, **dict.fromkeys(BREAKDOWNS, ""))


# --- The population ----------------------------------------------------------------------


def in_a_workshop(course_field="course_key"):
    return Exists(
        Participant.objects.filter(
            user=OuterRef("user"), workshop__course_key=OuterRef(course_field)
        )
    )


def profile_filter(filters, prefix="user__learner_profile__"):
    q = Q()
    for name in ("country", "role", "sex"):
        value = getattr(filters, name)
        if value == NOT_STATED:
            q &= Q(**{f"{prefix}{name}": ""}) | Q(**{f"{prefix}{name}__isnull": True})
        elif value:
            q &= Q(**{f"{prefix}{name}": value})
    if filters.organisation:
        q &= Q(**{f"{prefix}organisation__iexact": filters.organisation})
    return q


def delivery_filter(queryset, filters, course_field="course_key"):
    if filters.workshop_id:
        return queryset.filter(
            Exists(
                Participant.objects.filter(user=OuterRef("user"), workshop_id=filters.workshop_id)
            )
        )
    if filters.mode == "workshop":
        return queryset.filter(in_a_workshop(course_field))
    if filters.mode == "self":
        return queryset.exclude(in_a_workshop(course_field))
    return queryset


def enrolments(filters):
    """Enrolments (learner × course) that match the filters; never a pilot learner's
    (courses/pilot.py: simulated, for the quiz results page only)."""
    queryset = Enrolment.objects.filter(profile_filter(filters) & not_pilot())
    if filters.start:
        queryset = queryset.filter(started_at__date__gte=filters.start)
    if filters.end:
        queryset = queryset.filter(started_at__date__lte=filters.end)
    if filters.course_key:
        queryset = queryset.filter(course_key=filters.course_key)
    if filters.language:
        queryset = queryset.filter(
            Exists(
                LessonCompletion.objects.filter(
                    user=OuterRef("user"),
                    course_key=OuterRef("course_key"),
                    language=filters.language,
                )
            )
            | Exists(
                Attempt.objects.filter(
                    user=OuterRef("user"),
                    course_key=OuterRef("course_key"),
                    language=filters.language,
                )
            )
        )
    return delivery_filter(queryset, filters)


def key_of(path):
    """The breakdown value, with empty and missing both read as "not stated"."""
    return Coalesce(NullIf(F(path), Value("")), Value(NOT_STATED), output_field=CharField())


# --- The figures ------------------------------------------------------------------------


def cells(filters, stored=LOOK):
    """The sex × country × role cells of the filters' population (see live_cells): cut
    from the stored figures when there are some for it (courses/programme/summary.py),
    else computed live. ``stored``: the summary already looked up, or None for live."""
    stored = summary.stored_for(filters) if stored is LOOK else stored
    return stored.cells_for(filters) if stored else live_cells(filters)


def live_cells(filters):
    """The one grouped query behind the people and gain figures: a row per combination of
    sex, country and role, with distinct-people counts and the sums the means need.

    Each learner has one sex, one country and one role, so they sit in exactly one cell:
    adding cells up counts nobody twice, and every breakdown, total and mean below is a sum
    over these few hundred cells rather than another pass over the learners.

    In one statement (docs/reports.md, "Speed at a national scale"): the chosen enrolments;
    their lessons and scored attempts, each table read once and grouped by learner and
    course, then joined (rather than looked up enrolment by enrolment); a row per learner
    with what they did in any course; and the cells, whose people counts are then plain
    sums instead of distinct counts."""
    sql, params = chosen_enrolments(filters).query.sql_with_params()
    learners, learner_params = (
        enrolments(filters).order_by().values("user_id").query.sql_with_params()
    )
    statement = CELLS_SQL.format(
        chosen=sql, learners=learners, real=connection.data_types["FloatField"]
    )
    params = (*params, *learner_params * 3)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Its hash tables of learners and courses, in memory rather than on disk.
            cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.REPORT_WORK_MEM])
        cursor.execute(statement, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    # PostgreSQL sums a sum as numeric: counts back to int, sums of scores to float.
    for row in rows:
        for name in (*COUNTED, "sum_seconds"):
            row[name] = None if row[name] is None else int(row[name])
        for name in ("sum_pre", "sum_post", "sum_normalised"):
            row[name] = None if row[name] is None else float(row[name])
    return rows


def chosen_enrolments(filters):
    """The enrolments that match the filters, with their breakdown cell, as named columns."""
    keys = {f"{name}_key": key_of(path) for name, path in BREAKDOWNS.items()}
    return (
        enrolments(filters)
        .annotate(
            learner=F("user_id"),
            course=F("course_key"),
            done=F("completed_at"),
            pre=F("pre_test_score"),
            post=F("post_test_score"),
            **keys,
        )
        .values("learner", "course", "done", "pre", "post", *keys)
        .order_by()
    )


# Portable SQL (PostgreSQL and SQLite). {chosen} is chosen_enrolments(); {learners} their
# learners, written out rather than read from "chosen", so that the planner estimates how
# many there are: an index lookup per learner for a small population, one pass over the
# table for a large one; {real} the float type.
# "timed" is the sum of a completed enrolment's seconds on task, null when one of its
# lessons predates time on task (a partial sum would understate it) or it has none.
CELLS_SQL = """
WITH chosen AS ({chosen}),
lessons AS (
    SELECT user_id, course_key, COUNT(*) AS lessons, COUNT(seconds_on_task) AS timed,
           SUM(seconds_on_task) AS seconds
    FROM courses_lessoncompletion
    WHERE user_id IN ({learners})
    GROUP BY user_id, course_key
),
scored AS (
    SELECT DISTINCT user_id, course_key FROM courses_attempt
    WHERE score IS NOT NULL AND user_id IN ({learners})
),
valid AS (
    SELECT DISTINCT user_id, course_key FROM courses_certificate
    WHERE kind IN ('completion', 'trainer') AND status = 'valid' AND user_id IN ({learners})
),
courses AS (
    SELECT c.learner, c.sex_key, c.country_key, c.role_key,
        CASE WHEN l.user_id IS NOT NULL OR s.user_id IS NOT NULL THEN 1 ELSE 0 END AS started,
        CASE WHEN c.done IS NOT NULL THEN 1 ELSE 0 END AS completed,
        CASE WHEN v.user_id IS NOT NULL THEN 1 ELSE 0 END AS certified,
        CASE WHEN c.pre IS NOT NULL AND c.post IS NOT NULL THEN 1 ELSE 0 END AS with_both,
        CASE WHEN c.pre IS NOT NULL AND c.post IS NOT NULL
            THEN CAST(c.pre AS {real}) END AS pre,
        CASE WHEN c.pre IS NOT NULL AND c.post IS NOT NULL
            THEN CAST(c.post AS {real}) END AS post,
        CASE WHEN c.pre IS NOT NULL AND c.post IS NOT NULL AND c.pre < 100
            THEN 1 ELSE 0 END AS with_normalised,
        CASE WHEN c.pre IS NOT NULL AND c.post IS NOT NULL AND c.pre < 100
            THEN (CAST(c.post AS {real}) - CAST(c.pre AS {real}))
                 / (100.0 - CAST(c.pre AS {real})) END AS normalised,
        CASE WHEN c.done IS NOT NULL AND l.lessons = l.timed
            THEN l.seconds END AS seconds
    FROM chosen c
    LEFT JOIN lessons l ON l.user_id = c.learner AND l.course_key = c.course
    LEFT JOIN scored s ON s.user_id = c.learner AND s.course_key = c.course
    LEFT JOIN valid v ON v.user_id = c.learner AND v.course_key = c.course
),
people AS (
    SELECT sex_key, country_key, role_key,
        MAX(started) AS started, MAX(completed) AS completed, MAX(certified) AS certified,
        SUM(with_both) AS with_both, SUM(pre) AS sum_pre, SUM(post) AS sum_post,
        SUM(with_normalised) AS with_normalised, SUM(normalised) AS sum_normalised,
        COUNT(seconds) AS with_time, SUM(seconds) AS sum_seconds
    FROM courses
    GROUP BY learner, sex_key, country_key, role_key
)
SELECT sex_key, country_key, role_key, COUNT(*) AS enrolled,
    SUM(started) AS started, SUM(completed) AS completed, SUM(certified) AS certified,
    SUM(with_both) AS with_both, SUM(sum_pre) AS sum_pre, SUM(sum_post) AS sum_post,
    SUM(with_normalised) AS with_normalised, SUM(sum_normalised) AS sum_normalised,
    SUM(with_time) AS with_time, SUM(sum_seconds) AS sum_seconds
FROM people
GROUP BY sex_key, country_key, role_key
"""


COUNTED = (*PEOPLE_FIELDS, "with_both", "with_normalised", "with_time")
SUMMED = ("sum_pre", "sum_post", "sum_normalised", "sum_seconds")


def total(rows):
    """Counts and sums added up over cells; means and the completion rate from them."""
    figures = {name: sum(row[name] for row in rows) for name in COUNTED}
    sums = {name: sum(row[name] or 0 for row in rows) for name in SUMMED}
    n = figures["with_both"]
    figures["mean_pre"] = sums["sum_pre"] / n if n else None
    figures["mean_post"] = sums["sum_post"] / n if n else None
    figures["mean_gain"] = (sums["sum_post"] - sums["sum_pre"]) / n if n else None
    m = figures["with_normalised"]
    figures["mean_normalised_gain"] = sums["sum_normalised"] / m if m else None
    t = figures["with_time"]
    figures["mean_minutes"] = sums["sum_seconds"] / 60 / t if t else None
    figures["completion_rate"] = rate(figures["completed"], figures["enrolled"])
    return figures


def funnel(filters, grouped=None):
    """People enrolled, started, completed, certified; completion rate."""
    figures = total(cells(filters) if grouped is None else grouped)
    return {name: figures[name] for name in (*PEOPLE_FIELDS, "completion_rate")}


def learning_gain(filters, grouped=None):
    return total(cells(filters) if grouped is None else grouped)


def time_on_lessons(filters, grouped=None):
    """Completed courses with a known time on lessons, and its mean in minutes."""
    figures = total(cells(filters) if grouped is None else grouped)
    return {name: figures[name] for name in ("with_time", "mean_minutes")}


def breakdown(filters, by, grouped=None):
    """One row per value of the breakdown(s) `by` (e.g. ["sex"] or ["sex", "country"]):
    people counts and learning gain."""
    groups = {}
    for row in cells(filters) if grouped is None else grouped:
        groups.setdefault(tuple(row[f"{name}_key"] for name in by), []).append(row)
    result = []
    for key in sorted(groups):
        row = total(groups[key])
        row.update({f"{name}_key": value for name, value in zip(by, key, strict=True)})
        row["labels"] = [label_of(name, value) for name, value in zip(by, key, strict=True)]
        result.append(row)
    return result


def month_of(value):
    """TruncMonth gives a date for a date column and a datetime for a datetime one."""
    return value.date() if isinstance(value, datetime) else value


def keyed(queryset, month_field):
    """The queryset grouped by month and breakdown cell: rows of month, the keys and n."""
    keys = {f"{name}_key": key_of(path) for name, path in BREAKDOWNS.items()}
    return queryset.annotate(month=TruncMonth(month_field), **keys).values("month", *keys)


def monthly(rows, measure):
    """{month: {(sex, country, role): count}} from keyed rows."""
    months = {}
    for row in rows:
        cell = tuple(row[key] for key in KEYS)
        months.setdefault(month_of(row["month"]), {})[cell] = row[measure]
    return months


def certificate_cells(filters, stored=LOOK):
    """{"issued": months, "revoked": months}, stored or live (see cells)."""
    stored = summary.stored_for(filters) if stored is LOOK else stored
    if stored:
        return {kind: stored.monthly_for(filters, kind) for kind in ("issued", "revoked")}
    return live_certificate_cells(filters)


def live_certificate_cells(filters):
    """Certificates issued (by issue date) and revoked (by revocation date) per month and
    breakdown cell, for learners matching the filters: two grouped queries."""
    base = Certificate.objects.filter(profile_filter(filters) & not_pilot())
    if filters.course_key:
        base = base.filter(course_key=filters.course_key)
    if filters.language:
        base = base.filter(language=filters.language)
    if filters.workshop_id:
        base = base.filter(workshop_id=filters.workshop_id)
    else:
        base = delivery_filter(base, filters)
    issued = base
    revoked = base.filter(status=CertificateStatus.REVOKED)
    if filters.start:
        issued = issued.filter(issued_on__gte=filters.start)
        revoked = revoked.filter(revoked_at__date__gte=filters.start)
    if filters.end:
        issued = issued.filter(issued_on__lte=filters.end)
        revoked = revoked.filter(revoked_at__date__lte=filters.end)
    return {
        "issued": monthly(keyed(issued, "issued_on").annotate(n=Count("id")).order_by(), "n"),
        "revoked": monthly(keyed(revoked, "revoked_at").annotate(n=Count("id")).order_by(), "n"),
    }


def trained_cells(filters, stored=LOOK):
    """People trained per month and cell, stored or live (see cells)."""
    stored = summary.stored_for(filters) if stored is LOOK else stored
    return stored.monthly_for(filters, "trained") if stored else live_trained_cells(filters)


def live_trained_cells(filters):
    """People who completed a course, per month of completion and breakdown cell."""
    rows = (
        keyed(enrolments(filters).filter(completed_at__isnull=False), "completed_at")
        .annotate(people=Count("user", distinct=True))
        .order_by()
    )
    return monthly(rows, "people")


def certificates_by_month(filters):
    """Certificates issued and revoked per month, for learners matching the filters."""
    counts = certificate_cells(filters)
    months = sorted(set(counts["issued"]) | set(counts["revoked"]))
    return [
        {
            "month": month,
            **{kind: sum(counts[kind].get(month, {}).values()) for kind in counts},
        }
        for month in months
    ]


def trained_by_month_and_sex(filters):
    """People who completed a course, per month of completion and sex."""
    people = {}
    for month, cells in trained_cells(filters).items():
        for (sex, _country, _role), count in cells.items():
            people[(month, sex)] = people.get((month, sex), 0) + count
    return [
        {"month": month, "sex_key": sex, "people": count}
        for (month, sex), count in sorted(people.items())
    ]


def workshops_in(filters, workshops):
    """The workshops of ``workshops`` the filters select: course, workshop, language, and
    those overlapping the period."""
    if filters.course_key:
        workshops = workshops.filter(course_key=filters.course_key)
    if filters.workshop_id:
        workshops = workshops.filter(pk=filters.workshop_id)
    if filters.start:
        workshops = workshops.filter(end_date__gte=filters.start)
    if filters.end:
        workshops = workshops.filter(start_date__lte=filters.end)
    if filters.language:
        workshops = workshops.filter(language=filters.language)
    return workshops


def workshop_summary(filters):
    """Per workshop: sessions, participants, attendance and evaluation averages."""
    workshops = workshops_in(filters, Workshop.objects.all())

    def count_of(model, **lookup):
        return Coalesce(
            Subquery(
                model.objects.filter(**lookup)
                .order_by()
                .values(next(iter(lookup)))
                .annotate(n=Count("*"))
                .values("n")
            ),
            0,
        )

    def mean_of(column):
        return Subquery(
            SurveyResponse.objects.filter(workshop=OuterRef("pk"))
            .order_by()
            .values("workshop")
            .annotate(mean=Avg(column))
            .values("mean")
        )

    rows = workshops.annotate(
        session_count=count_of(Session, workshop=OuterRef("pk")),
        participant_count=count_of(Participant, workshop=OuterRef("pk")),
        attendance_count=count_of(Attendance, session__workshop=OuterRef("pk")),
        evaluations=count_of(SurveyResponse, workshop=OuterRef("pk")),
        relevance=mean_of("relevance"),
        quality=mean_of("quality"),
        applicability=mean_of("applicability"),
    ).order_by("-start_date")
    result = []
    for row in rows:
        possible = row.session_count * row.participant_count
        row.attendance_rate = rate(row.attendance_count, possible)
        result.append(row)
    return result


def rate(part, whole):
    return None if not whole else round(100 * part / whole, 1)


def label_of(name, value):
    if value == NOT_STATED:
        return _("Not stated")
    if name == "sex":
        return str(dict(Sex.choices).get(value, value))
    if name == "role":
        return str(dict(Audience.choices).get(value, value))
    if name == "country":
        from django_countries import countries

        return countries.name(value) or value
    return value
