"""Programme reports for managers and donors: people trained, disaggregated, with learning
gain. Every figure is aggregated in the database; nothing loops over learners in Python.

The unit is the learner: "enrolled", "started", "completed" and "certified" count people,
each once however many courses they took. Learning gain is per learner and course (a
learner's pre-test and post-test belong to one course), and so is time on lessons (the
capped seconds on task of a completed course's lessons, known only when every one of them
was recorded with its opening time).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf, TruncMonth
from django.utils.translation import gettext as _

from courses.choices import Audience, Sex
from courses.models.certificates import Certificate, CertificateKind, CertificateStatus
from courses.models.progress import Enrolment, LessonCompletion
from courses.models.quizzes import Attempt
from courses.models.workshops import Attendance, Participant, Session, SurveyResponse, Workshop
from courses.progress import CAP_MULTIPLE

NOT_STATED = "not_stated"
PEOPLE_FIELDS = ("enrolled", "started", "completed", "certified")
SMALL_CELL = 5
BREAKDOWNS = {
    "sex": "user__learner_profile__sex",
    "country": "user__learner_profile__country",
    "role": "user__learner_profile__role",
}


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
    """Enrolments (learner × course) that match the filters."""
    queryset = Enrolment.objects.filter(profile_filter(filters))
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


def started():
    """The enrolment's learner has done something in the course: a lesson or a quiz."""
    return Exists(
        LessonCompletion.objects.filter(user=OuterRef("user"), course_key=OuterRef("course_key"))
    ) | Exists(
        Attempt.objects.filter(
            user=OuterRef("user"), course_key=OuterRef("course_key"), score__isnull=False
        )
    )


def certified():
    return Exists(
        Certificate.objects.filter(
            user=OuterRef("user"),
            course_key=OuterRef("course_key"),
            kind=CertificateKind.COMPLETION,
            status=CertificateStatus.VALID,
        )
    )


def people_counts():
    return {
        "enrolled": Count("user", distinct=True),
        # The conditions go straight into the aggregates: aggregating over an annotated
        # Exists makes Django wrap the query and lose the annotation.
        "started": Count("user", filter=started(), distinct=True),
        "completed": Count("user", filter=Q(completed_at__isnull=False), distinct=True),
        "certified": Count("user", filter=certified(), distinct=True),
    }


def seconds_on_lessons():
    """The enrolment's seconds on task summed over its completed lessons; null when one of
    them predates time on task (unknown: a partial sum would understate it) or there are
    none. One index scan per completed enrolment."""
    return Subquery(
        LessonCompletion.objects.filter(user=OuterRef("user"), course_key=OuterRef("course_key"))
        .order_by()
        .values("user")
        .annotate(lessons=Count("pk"), timed=Count("seconds_on_task"))
        .annotate(total=Case(When(lessons=F("timed"), then=Sum("seconds_on_task"))))
        .values("total")
    )


def key_of(path):
    """The breakdown value, with empty and missing both read as "not stated"."""
    return Coalesce(NullIf(F(path), Value("")), Value(NOT_STATED), output_field=CharField())


# --- The reports ------------------------------------------------------------------------


def cells(filters):
    """The one grouped query behind the people and gain figures: a row per combination of
    sex, country and role, with distinct-people counts and the sums the means need.

    Each learner has one sex, one country and one role, so they sit in exactly one cell:
    adding cells up counts nobody twice, and every breakdown, total and mean below is a sum
    over these few hundred cells rather than another pass over the learners."""
    keys = {f"{name}_key": key_of(path) for name, path in BREAKDOWNS.items()}
    both = Q(pre_test_score__isnull=False, post_test_score__isnull=False)
    pre, post = Cast("pre_test_score", FloatField()), Cast("post_test_score", FloatField())
    normalised = Case(
        When(both & Q(pre_test_score__lt=100), then=(post - pre) / (Value(100.0) - pre)),
        output_field=FloatField(),
    )
    return list(
        enrolments(filters)
        .annotate(**keys)
        .values(*keys)
        .annotate(
            **people_counts(),
            with_both=Count("id", filter=both),
            sum_pre=Sum(pre, filter=both),
            sum_post=Sum(post, filter=both),
            with_normalised=Count("id", filter=both & Q(pre_test_score__lt=100)),
            sum_normalised=Sum(normalised),
            # The filter comes first: the subquery runs for completed enrolments only.
            with_time=Count(seconds_on_lessons(), filter=Q(completed_at__isnull=False)),
            sum_seconds=Sum(seconds_on_lessons(), filter=Q(completed_at__isnull=False)),
        )
        .order_by()
    )


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


def certificates_by_month(filters):
    """Certificates issued and revoked per month, for learners matching the filters."""
    base = Certificate.objects.filter(profile_filter(filters))
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
    months = {}
    for row in (
        issued.annotate(month=TruncMonth("issued_on")).values("month").annotate(n=Count("id"))
    ):
        months.setdefault(row["month"], {"issued": 0, "revoked": 0})["issued"] = row["n"]
    for row in (
        revoked.annotate(month=TruncMonth("revoked_at")).values("month").annotate(n=Count("id"))
    ):
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        months.setdefault(month, {"issued": 0, "revoked": 0})["revoked"] = row["n"]
    return [{"month": month, **counts} for month, counts in sorted(months.items())]


def trained_by_month_and_sex(filters):
    """People who completed a course, per month of completion and sex."""
    rows = (
        enrolments(filters)
        .filter(completed_at__isnull=False)
        .annotate(month=TruncMonth("completed_at"), sex_key=key_of(BREAKDOWNS["sex"]))
        .values("month", "sex_key")
        .annotate(people=Count("user", distinct=True))
        .order_by("month", "sex_key")
    )
    return list(rows)


def workshop_summary(filters):
    """Per workshop: sessions, participants, attendance and evaluation averages."""
    workshops = Workshop.objects.all()
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


# --- Presentation helpers ----------------------------------------------------------------


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


def small(value, threshold):
    """The small-cell rule: a count from 1 to threshold − 1 is shown as "<threshold"."""
    if isinstance(value, int) and 0 < value < threshold:
        return f"<{threshold}"
    return value


# --- One report: tables shared by the screen and the exports -----------------------------


@dataclass
class Table:
    title: str
    columns: list
    rows: list  # lists of cells, small counts already shown as "<N"
    note: str = ""


def one_decimal(value):
    return None if value is None else round(value, 1)


def two_decimals(value):
    return None if value is None else round(value, 2)


PEOPLE = PEOPLE_FIELDS


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


def gain_cells(figures, threshold=None):
    """Means are withheld ("—") when fewer than threshold learners have both tests."""
    n = figures["with_both"]
    if threshold and n < threshold:
        return [small(n, threshold), "—", "—", "—", "—"]
    return [
        n,
        one_decimal(figures["mean_pre"]),
        one_decimal(figures["mean_post"]),
        one_decimal(figures["mean_gain"]),
        two_decimals(figures["mean_normalised_gain"]),
    ]


def time_columns():
    return [_("Completions with time recorded"), _("Mean time on lessons (minutes)")]


def time_cells(figures, threshold):
    """The mean is withheld ("—") when fewer than threshold completions have a time."""
    n = figures["with_time"]
    if n < threshold:
        return [small(n, threshold), "—"]
    return [n, one_decimal(figures["mean_minutes"])]


def people_cells(figures, threshold):
    """Counts with the small-cell rule; no rate from fewer than threshold people. Filters
    can narrow the whole report to a handful of people, so totals follow the rule too."""
    counts = [small(figures[name], threshold) for name in PEOPLE]
    rate_shown = figures["completion_rate"] if figures["enrolled"] >= threshold else "—"
    return [*counts, rate_shown]


def breakdown_table(filters, by, title, grouped=None):
    threshold = filters.threshold
    rows = []
    for row in breakdown(filters, by, grouped):
        rows.append([*row["labels"], *people_cells(row, threshold), *gain_cells(row, threshold)])
    columns = [BREAKDOWN_LABELS[name]() for name in by] + people_columns() + gain_columns()
    note = _("Counts from 1 to %(below)s are shown as “<%(threshold)s”.") % {
        "below": threshold - 1,
        "threshold": threshold,
    }
    return Table(title, columns, rows, note)


BREAKDOWN_LABELS = {
    "sex": lambda: _("Sex"),
    "country": lambda: _("Country"),
    "role": lambda: _("Role"),
}


def build_report(filters, combination=()):
    """Every table of the programme report for these filters."""
    grouped = cells(filters)
    people = funnel(filters, grouped)
    gain = learning_gain(filters, grouped)
    tables = [
        Table(
            _("People trained"),
            people_columns(),
            [people_cells(people, filters.threshold)],
            _("Each person counts once, however many courses they took."),
        ),
        Table(_("Learning gain"), gain_columns(), [gain_cells(gain, filters.threshold)]),
        Table(
            _("Time on lessons"),
            time_columns(),
            [time_cells(time_on_lessons(filters, grouped), filters.threshold)],
            _(
                "Per completed course: from first opening each lesson to marking it "
                "complete, capped at %(multiple)d × the lesson's estimated minutes."
            )
            % {"multiple": CAP_MULTIPLE},
        ),
        breakdown_table(filters, ["sex"], _("By sex"), grouped),
        breakdown_table(filters, ["country"], _("By country"), grouped),
        breakdown_table(filters, ["role"], _("By role"), grouped),
    ]
    if len(combination) > 1:
        title = _("By %(breakdowns)s") % {
            "breakdowns": " × ".join(BREAKDOWN_LABELS[name]() for name in combination)
        }
        tables.append(breakdown_table(filters, list(combination), title, grouped))
    tables.append(
        Table(
            _("Certificates per month"),
            [_("Month"), _("Issued"), _("Revoked")],
            [
                [row["month"].strftime("%Y-%m"), row["issued"], row["revoked"]]
                for row in certificates_by_month(filters)
            ],
        )
    )
    trained = trained_by_month_and_sex(filters)
    tables.append(trained_table(trained, filters.threshold))
    tables.append(workshops_table(workshop_summary(filters)))
    return {"people": people, "gain": gain, "tables": tables, "trained": trained}


def trained_table(trained, threshold):
    sexes = [value for value, _label in Sex.choices] + [NOT_STATED]
    months = sorted({row["month"] for row in trained})
    counts = {(row["month"], row["sex_key"]): row["people"] for row in trained}
    rows = [
        [month.strftime("%Y-%m"), *[small(counts.get((month, sex), 0), threshold) for sex in sexes]]
        for month in months
    ]
    columns = [_("Month"), *[label_of("sex", sex) for sex in sexes]]
    return Table(_("People trained per month, by sex"), columns, rows)


def workshops_table(workshops):
    rows = [
        [
            workshop.title,
            f"{workshop.start_date:%Y-%m-%d} – {workshop.end_date:%Y-%m-%d}",
            workshop.session_count,
            workshop.participant_count,
            workshop.attendance_rate,
            workshop.evaluations,
            one_decimal(workshop.relevance),
            one_decimal(workshop.quality),
            one_decimal(workshop.applicability),
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
