"""Programme reports on a generated cohort whose every figure is known in advance."""

import csv
import io
import uuid
from datetime import UTC, date, datetime
from http import HTTPStatus

from django.contrib.auth.models import Group, Permission

import pytest

from courses import codes, programme
from courses.models import (
    Attendance,
    Certificate,
    Enrolment,
    LessonCompletion,
    Participant,
    Session,
    SurveyResponse,
    Workshop,
)
from courses.models.learners import profile_for
from tests import factories

pytestmark = pytest.mark.django_db

COURSE_A = uuid.UUID("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa")
COURSE_B = uuid.UUID("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb")

# name: (sex, country, role, organisation, started, completed, pre, post, certified)
PEOPLE = {
    "f1": ("female", "KE", "police", "Kenya Police", "2026-03-02", "2026-04-10", 40, 80, True),
    "f2": ("female", "KE", "police", "Kenya Police", "2026-03-02", "2026-04-11", 50, 100, True),
    "f3": ("female", "KE", "police", "Kenya Police", "2026-03-03", "2026-04-12", 20, 60, True),
    "f4": ("female", "KE", "police", "ODPP", "2026-03-03", "2026-04-20", 60, 90, True),
    "f5": ("female", "KE", "police", "ODPP", "2026-03-04", "2026-04-21", 0, 50, True),
    "f6": ("female", "KE", "police", "ODPP", "2026-03-04", None, None, None, False),
    "m1": ("male", "KE", "prosecution", "ODPP", "2026-03-05", "2026-04-22", 30, 70, True),
    "m2": ("male", "KE", "prosecution", "ODPP", "2026-03-05", None, 50, None, False),
    "m3": ("male", "KE", "prosecution", "ODPP", "2026-03-06", None, None, None, False),
    "m4": (
        "male",
        "GH",
        "judiciary",
        "Judicial Service",
        "2026-05-02",
        "2026-06-15",
        80,
        80,
        False,
    ),
    "m5": ("male", "GH", "judiciary", "Judicial Service", "2026-05-03", None, None, None, False),
    "u1": ("", "", "", "", "2026-03-07", None, None, None, False),
}
NOT_STARTED = {"m5", "u1"}


def at(day):
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


@pytest.fixture
def cohort(db):
    users = {}
    for index, (name, row) in enumerate(PEOPLE.items()):
        sex, country, role, organisation, started, completed, pre, post, certified = row
        user = factories.make_user(f"{name}@example.org")
        profile = profile_for(user)
        profile.sex, profile.country, profile.role, profile.organisation = (
            sex,
            country,
            role,
            organisation,
        )
        profile.save()
        enrolment = Enrolment.objects.create(
            user=user,
            course_key=COURSE_A,
            pre_test_score=pre,
            post_test_score=post,
            completed_at=at(completed) if completed else None,
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(started_at=at(started))
        if name not in NOT_STARTED:
            LessonCompletion.objects.create(
                user=user,
                course_key=COURSE_A,
                lesson_key=uuid.uuid4(),
                language="fr" if name == "f6" else "en",
            )
        if certified:
            make_certificate(user, index, completed)
        users[name] = user
    # f1 also completed a second course: still one person.
    second = Enrolment.objects.create(
        user=users["f1"], course_key=COURSE_B, completed_at=at("2026-04-30")
    )
    Enrolment.objects.filter(pk=second.pk).update(started_at=at("2026-04-01"))
    # m1's certificate was revoked in May.
    m1 = Certificate.objects.get(user=users["m1"])
    Certificate.objects.filter(pk=m1.pk).update(
        status="revoked", revoked_at=at("2026-05-05"), revocation_reason="Issued in error."
    )
    workshop = Workshop.objects.create(
        course_key=COURSE_A,
        title="Nairobi workshop",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 3),
        language="en",
    )
    sessions = [
        Session.objects.create(
            workshop=workshop, date=date(2026, 3, 2), starts_at="09:00", ends_at="12:00"
        ),
        Session.objects.create(
            workshop=workshop, date=date(2026, 3, 3), starts_at="09:00", ends_at="12:00"
        ),
    ]
    for name in ("f1", "f2", "m1"):
        Participant.objects.create(workshop=workshop, user=users[name], source="code")
    for name, count in (("f1", 2), ("f2", 1), ("m1", 0)):
        for session in sessions[:count]:
            Attendance.objects.create(session=session, user=users[name], method="list")
    for name, scores in (("f1", (5, 4, 3)), ("f2", (4, 4, 5))):
        SurveyResponse.objects.create(
            workshop=workshop,
            user=users[name],
            relevance=scores[0],
            quality=scores[1],
            applicability=scores[2],
        )
    return users, workshop


def make_certificate(user, index, issued):
    return Certificate.objects.create(
        code=codes.new_code(),
        user=user,
        course_key=COURSE_A,
        kind="completion",
        name=user.email,
        course_title="Course A",
        language="en",
        issued_on=date.fromisoformat(issued),
        issuer="Evidence Academy",
        status_index=index,
    )


def figures(**filters):
    return programme.funnel(programme.Filters(**filters))


# Seconds on task per lesson. Every other completion in the cohort predates time on task
# (null): m1's course counts as unknown although one of its lessons has a time.
TIMES = {"f1": [600], "f2": [900, 300], "f3": [1200], "f4": [300], "f5": [1500], "m1": [5000]}


@pytest.fixture
def timed(cohort):
    users, _workshop = cohort
    for name, seconds in TIMES.items():
        LessonCompletion.objects.filter(user=users[name]).update(seconds_on_task=seconds[0])
        for extra in seconds[1:]:
            LessonCompletion.objects.create(
                user=users[name],
                course_key=COURSE_A,
                lesson_key=uuid.uuid4(),
                language="en",
                seconds_on_task=extra,
            )
    LessonCompletion.objects.filter(user=users["m1"]).update(seconds_on_task=None)
    LessonCompletion.objects.create(
        user=users["m1"],
        course_key=COURSE_A,
        lesson_key=uuid.uuid4(),
        language="en",
        seconds_on_task=TIMES["m1"][0],
    )
    # f6 has a time but has not completed the course: not counted either.
    LessonCompletion.objects.filter(user=users["f6"]).update(seconds_on_task=999)
    return users


class TestFigures:
    def test_the_funnel_counts_people_once(self, cohort):
        assert figures() == {
            "enrolled": 12,
            "started": 10,
            "completed": 7,
            "certified": 5,  # f1–f5; m1's was revoked, m4 never had one
            "completion_rate": 58.3,
        }

    def test_learning_gain_overall(self, cohort):
        gain = programme.learning_gain(programme.Filters())
        assert gain["with_both"] == 7
        assert round(gain["mean_pre"], 2) == 40.0
        assert round(gain["mean_post"], 2) == 75.71
        assert round(gain["mean_gain"], 2) == 35.71
        # (2/3 + 1 + 1/2 + 3/4 + 1/2 + 4/7 + 0) / 7
        assert round(gain["mean_normalised_gain"], 4) == 0.5697

    def test_by_sex_with_not_stated(self, cohort):
        rows = {row["sex_key"]: row for row in programme.breakdown(programme.Filters(), ["sex"])}
        assert set(rows) == {"female", "male", "not_stated"}
        female = rows["female"]
        assert (
            female["enrolled"],
            female["started"],
            female["completed"],
            female["certified"],
        ) == (
            6,
            6,
            5,
            5,
        )
        assert round(female["mean_pre"], 1) == 34.0 and round(female["mean_post"], 1) == 76.0
        assert round(female["mean_normalised_gain"], 2) == 0.68
        assert (rows["male"]["enrolled"], rows["male"]["completed"]) == (5, 2)
        assert rows["not_stated"]["enrolled"] == 1

    def test_by_country_and_role_and_their_combination(self, cohort):
        countries = {
            r["country_key"]: r["enrolled"]
            for r in programme.breakdown(programme.Filters(), ["country"])
        }
        assert countries == {"KE": 9, "GH": 2, "not_stated": 1}
        roles = {
            r["role_key"]: r["enrolled"] for r in programme.breakdown(programme.Filters(), ["role"])
        }
        assert roles == {"police": 6, "prosecution": 3, "judiciary": 2, "not_stated": 1}
        combined = {
            (r["sex_key"], r["country_key"]): r["completed"]
            for r in programme.breakdown(programme.Filters(), ["sex", "country"])
        }
        assert combined == {
            ("female", "KE"): 5,
            ("male", "KE"): 1,
            ("male", "GH"): 1,
            ("not_stated", "not_stated"): 0,
        }

    def test_mean_time_on_lessons_per_completed_course(self, timed):
        # f1 600, f2 900 + 300, f3 1200, f4 300, f5 1500 seconds: 4,800 / 5 = 16 minutes.
        assert programme.time_on_lessons(programme.Filters()) == {
            "with_time": 5,
            "mean_minutes": 16.0,
        }
        assert programme.time_on_lessons(programme.Filters(sex="male"))["with_time"] == 0

    def test_completions_before_time_on_task_are_unknown_not_zero(self, cohort):
        assert programme.time_on_lessons(programme.Filters()) == {
            "with_time": 0,
            "mean_minutes": None,
        }

    def test_certificates_issued_and_revoked_per_month(self, cohort):
        months = {
            row["month"].strftime("%Y-%m"): (row["issued"], row["revoked"])
            for row in programme.certificates_by_month(programme.Filters())
        }
        assert months == {"2026-04": (6, 0), "2026-05": (0, 1)}

    def test_people_trained_per_month_by_sex(self, cohort):
        trained = {
            (row["month"].strftime("%Y-%m"), row["sex_key"]): row["people"]
            for row in programme.trained_by_month_and_sex(programme.Filters())
        }
        assert trained == {("2026-04", "female"): 5, ("2026-04", "male"): 1, ("2026-06", "male"): 1}

    def test_workshop_summary(self, cohort):
        (row,) = programme.workshop_summary(programme.Filters())
        assert (row.session_count, row.participant_count, row.attendance_count) == (2, 3, 3)
        assert row.attendance_rate == 50.0  # 3 of 2 × 3 possible
        assert (row.evaluations, row.relevance, row.quality, row.applicability) == (
            2,
            4.5,
            4.0,
            4.0,
        )


class TestFilters:
    @pytest.mark.parametrize(
        "filters,enrolled,completed",
        [
            ({"sex": "female"}, 6, 5),
            ({"sex": "not_stated"}, 1, 0),
            ({"country": "GH"}, 2, 1),
            ({"role": "prosecution"}, 3, 1),
            ({"organisation": "odpp"}, 6, 3),
            ({"language": "fr"}, 1, 0),
            ({"mode": "workshop"}, 3, 3),
            ({"mode": "self"}, 10, 5),
            ({"start": date(2026, 5, 1)}, 2, 1),
            ({"end": date(2026, 3, 3)}, 4, 4),
            ({"course_key": COURSE_B}, 1, 1),
        ],
    )
    def test_each_filter(self, cohort, filters, enrolled, completed):
        result = figures(**filters)
        assert (result["enrolled"], result["completed"]) == (enrolled, completed)

    def test_a_workshop(self, cohort):
        _users, workshop = cohort
        assert figures(workshop_id=workshop.pk)["enrolled"] == 3


class TestScreenAndExport:
    @pytest.fixture
    def manager(self, client, settings):
        settings.REQUIRE_ADMIN_MFA = False
        user = factories.make_user("manager@example.org", is_staff=True)
        group = Group.objects.create(name="Programme managers")
        group.permissions.add(
            Permission.objects.get(codename="view_programme_reports"),
            Permission.objects.get(codename="access_admin"),
        )
        user.groups.add(group)
        client.force_login(user)
        return user

    def test_small_cells_are_shown_as_under_five(self, client, cohort, manager):
        html = client.get("/admin/programme-report/").content.decode()
        section = html.split("By sex</h2>")[1].split("</table>")[0]
        assert "<td>Female</td><td>6</td><td>6</td><td>5</td><td>5</td>" in section
        assert "<td>Male</td><td>5</td><td>&lt;5</td><td>&lt;5</td><td>0</td>" in section
        assert "<td>Not stated</td><td>&lt;5</td>" in section
        assert "<svg" in html  # the charts

    def test_a_narrow_filter_hides_small_totals_and_their_means(self, client, cohort, manager):
        html = client.get("/admin/programme-report/", {"country": "GH"}).content.decode()
        people = html.split("People trained</h2>")[1].split("</table>")[0]
        assert "<td>&lt;5</td><td>&lt;5</td><td>&lt;5</td><td>0</td><td>—</td>" in people
        gain = html.split("Learning gain</h2>")[1].split("</table>")[0]
        assert "<td>&lt;5</td><td>—</td><td>—</td><td>—</td><td>—</td>" in gain
        assert "80.0" not in gain  # m4's own scores

    def test_time_on_lessons_is_shown_and_withheld_under_five(self, client, timed, manager):
        html = client.get("/admin/programme-report/").content.decode()
        table = html.split("Time on lessons</h2>")[1].split("</table>")[0]
        assert "<td>5</td><td>16.0</td>" in table
        narrow = client.get("/admin/programme-report/", {"organisation": "Kenya Police"})
        table = narrow.content.decode().split("Time on lessons</h2>")[1].split("</table>")[0]
        assert "<td>&lt;5</td><td>—</td>" in table
        assert "16.7" not in table  # f1, f2 and f3's own mean
        export = client.get("/admin/programme-report/", {"export": "csv"}).content.decode()
        rows = list(csv.reader(io.StringIO(export.lstrip("\ufeff"))))
        at = rows.index(["Time on lessons"])
        assert rows[at + 2] == ["5", "16.0"]

    def test_exports_say_which_filters_made_them(self, client, cohort, manager):
        response = client.get("/admin/programme-report/", {"sex": "male", "export": "csv"})
        body = response.content.decode("utf-8")
        assert body.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        assert ["Filter: Sex", "Male"] in rows
        by_country = rows.index(["By country"])
        assert rows[by_country + 2][:3] == ["Ghana", "<5", "<5"]
        from openpyxl import load_workbook

        xlsx = client.get("/admin/programme-report/", {"sex": "male", "export": "xlsx"})
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert ["Filter: Sex", "Male"] in [row[:2] for row in values]
        assert "<5" in [cell for row in values for cell in row]

    def test_a_bad_period_is_refused(self, client, cohort, manager):
        html = client.get(
            "/admin/programme-report/", {"start": "2026-05-01", "end": "2026-04-01"}
        ).content.decode()
        assert "The end of the period cannot be before its start." in html

    def test_learners_instructors_and_plain_staff_cannot_open_it(self, client, settings, cohort):
        settings.REQUIRE_ADMIN_MFA = False
        learner = factories.make_user("learner@example.org")
        instructor = factories.make_user("instructor@example.org")
        instructor.user_permissions.add(Permission.objects.get(codename="run_workshops"))
        editor = factories.make_user("editor@example.org", is_staff=True)
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        for user in (learner, instructor, editor):
            client.force_login(user)
            response = client.get("/admin/programme-report/")
            assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN), user
            assert "People trained" not in response.content.decode()
            export = client.get("/admin/programme-report/", {"export": "csv"})
            assert "Evidence Academy" not in export.content.decode("utf-8", "replace")


def test_the_benchmark_generates_learners_and_times_every_report(capsys):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--yes"):
        call_command("benchmark_reports", learners=10)
    call_command("benchmark_reports", learners=60, repeat=1, yes=True)
    out = capsys.readouterr().out
    assert "Generated 60 learners" in out
    for report in ("by sex × country × role", "workshop summary", "whole report"):
        assert report in out
    assert programme.funnel(programme.Filters())["enrolled"] == 60
