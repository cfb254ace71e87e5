"""Workshops: joining, attendance, pacing, the instructor's numbers, certificates for the
room, the evaluation, and who may see what."""

import csv
import io
import uuid
import zipfile
from datetime import date, time, timedelta
from decimal import Decimal
from http import HTTPStatus

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

import pytest

from courses import workshops
from courses.models import (
    Attendance,
    Certificate,
    Enrolment,
    LessonCompletion,
    ModuleRelease,
    Participant,
    Session,
    SurveyResponse,
    Workshop,
    WorkshopInvitation,
)
from courses.models.learners import profile_for
from tests import factories

pytestmark = pytest.mark.django_db


def make_instructor(email="instructor@example.org"):
    user = factories.make_user(email)
    user.user_permissions.add(Permission.objects.get(codename="run_workshops"))
    return user


def make_workshop(tree, instructor, **fields):
    values = {
        "course_key": tree.course.translation_key,
        "title": "Electronic evidence workshop, Nairobi",
        "start_date": date.today() - timedelta(days=1),
        "end_date": date.today() + timedelta(days=1),
        "language": "en",
        "capacity": 30,
    } | fields
    workshop = Workshop.objects.create(**values)
    workshop.instructors.add(instructor)
    return workshop


def add_people(workshop, count, prefix="p"):
    people = []
    for n in range(count):
        user = factories.make_user(f"{prefix}{n}@example.org")
        profile = profile_for(user)
        profile.certificate_name, profile.country = f"Participant {prefix}{n}", "KE"
        profile.save()
        Participant.objects.create(workshop=workshop, user=user, source="code")
        people.append(user)
    return people


def add_sessions(workshop, count):
    return [
        Session.objects.create(
            workshop=workshop,
            date=workshop.start_date + timedelta(days=n // 2),
            starts_at=time(9 if n % 2 == 0 else 14),
            ends_at=time(12 if n % 2 == 0 else 17),
        )
        for n in range(count)
    ]


@pytest.fixture
def instructor(db):
    return make_instructor()


@pytest.fixture
def workshop(tree, instructor):
    return make_workshop(tree, instructor)


class TestJoining:
    def test_a_valid_code_joins_the_workshop_and_its_course(self, client, learner, workshop):
        client.force_login(learner)
        typed = " " + workshop.join_code.lower()[:4] + "-" + workshop.join_code.lower()[4:]
        response = client.post("/en/join/", {"code": typed})
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == f"/en/workshops/{workshop.pk}/"
        assert Participant.objects.filter(workshop=workshop, user=learner).exists()
        assert Enrolment.objects.filter(user=learner, course_key=workshop.course_key).exists()

    def test_the_join_link_fills_in_the_code(self, client, learner, workshop):
        client.force_login(learner)
        html = client.get(f"/en/join/{workshop.join_code}/").content.decode()
        assert f'value="{workshop.join_code}"' in html

    @pytest.mark.parametrize(
        "setup,message",
        [
            (lambda w: None, "No workshop has this code."),
            (lambda w: Workshop.objects.filter(pk=w.pk).update(joining_open=False), "not taking"),
            (lambda w: Workshop.objects.filter(pk=w.pk).update(status="closed"), "not taking"),
            (lambda w: Workshop.objects.filter(pk=w.pk).update(capacity=2), "is full"),
        ],
        ids=["wrong", "joining-closed", "workshop-closed", "full"],
    )
    def test_refusals_say_why_and_change_nothing(self, client, learner, workshop, setup, message):
        add_people(workshop, 2)
        setup(workshop)
        code = "WRONGCODE" if message.startswith("No workshop") else workshop.join_code
        client.force_login(learner)
        response = client.post("/en/join/", {"code": code})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert message in response.content.decode()
        assert not Participant.objects.filter(user=learner).exists()

    def test_joining_twice_keeps_one_place(self, learner, workshop):
        assert workshops.join(learner, workshop.join_code) == (workshop, True)
        assert workshops.join(learner, workshop.join_code) == (workshop, False)
        assert Participant.objects.filter(user=learner).count() == 1

    def test_visitors_sign_in_first(self, client, workshop):
        response = client.get(f"/en/join/{workshop.join_code}/")
        assert response.status_code == HTTPStatus.FOUND and "/accounts/login/" in response.url


class TestAttendance:
    def test_the_checklist_records_exactly_who_is_ticked(self, client, instructor, workshop):
        people = add_people(workshop, 3)
        outsider = factories.make_user("outsider@example.org")
        (session,) = add_sessions(workshop, 1)
        client.force_login(instructor)
        url = f"/en/teach/{workshop.pk}/sessions/{session.pk}/"
        client.post(url, {"present": [people[0].pk, people[1].pk, outsider.pk]})
        assert set(session.attendance.values_list("user_id", flat=True)) == {
            people[0].pk,
            people[1].pk,
        }
        client.post(url, {"present": [people[1].pk]})
        assert set(session.attendance.values_list("user_id", flat=True)) == {people[1].pk}
        html = client.get(url).content.decode()
        assert f'value="{people[1].pk}" checked' in html

    def test_self_check_in_with_the_session_code(self, client, learner, workshop):
        Participant.objects.create(workshop=workshop, user=learner, source="code")
        (session,) = add_sessions(workshop, 1)
        code = workshops.open_checkin(session)
        client.force_login(learner)
        url = f"/en/workshops/{workshop.pk}/check-in/"
        client.post(url, {"code": "WRONG"})
        assert not Attendance.objects.exists()
        client.post(url, {"code": code.lower()})
        assert Attendance.objects.get().method == "self"

    def test_an_expired_code_is_refused(self, learner, workshop):
        Participant.objects.create(workshop=workshop, user=learner, source="code")
        (session,) = add_sessions(workshop, 1)
        code = workshops.open_checkin(session)
        Session.objects.filter(pk=session.pk).update(
            checkin_expires_at=timezone.now() - timedelta(seconds=1)
        )
        with pytest.raises(workshops.WorkshopError, match="expired"):
            workshops.check_in(learner, workshop, code)

    def test_only_participants_check_in(self, learner, workshop):
        (session,) = add_sessions(workshop, 1)
        code = workshops.open_checkin(session)
        with pytest.raises(workshops.WorkshopError, match="not a participant"):
            workshops.check_in(learner, workshop, code)

    @pytest.mark.parametrize(
        "attended,sessions,expected,gets_certificate",
        [(4, 5, 80, True), (3, 4, 75, False), (5, 5, 100, True), (0, 3, 0, False)],
    )
    def test_attendance_percentage_and_threshold(
        self, workshop, attended, sessions, expected, gets_certificate
    ):
        (person,) = add_people(workshop, 1)
        for session in add_sessions(workshop, sessions)[:attended]:
            Attendance.objects.create(session=session, user=person, method="list")
        (row,) = workshops.cohort(workshop).rows
        assert row.attendance == expected
        (plan,) = workshops.certificate_plan(workshops.cohort(workshop))
        assert ("attendance" in plan[1]) is gets_certificate


class TestPacing:
    @pytest.fixture
    def paced(self, tree, workshop, learner):
        Workshop.objects.filter(pk=workshop.pk).update(paced=True)
        Participant.objects.create(workshop=workshop, user=learner, source="code")
        return tree.modules[1], tree.lessons[2]  # module 2 and its first lesson

    def test_a_closed_module_shows_its_opening_date_and_cannot_be_completed(
        self, client, learner, workshop, paced
    ):
        module, lesson = paced
        opens = date.today() + timedelta(days=2)
        ModuleRelease.objects.create(
            workshop=workshop, module_key=module.translation_key, opens_on=opens
        )
        client.force_login(learner)
        html = client.get(lesson.url).content.decode()
        assert "Your workshop opens this module on" in html and "Text of lesson 2.1" not in html
        client.post(f"/en/progress/lessons/{lesson.pk}/complete/")
        assert not LessonCompletion.objects.exists()

    @pytest.mark.parametrize(
        "release",
        [{"opens_on": date.today()}, {"released": True}],
        ids=["date-reached", "released-now"],
    )
    def test_an_open_module_reads_normally(self, client, learner, workshop, paced, release):
        module, lesson = paced
        ModuleRelease.objects.create(
            workshop=workshop, module_key=module.translation_key, **release
        )
        client.force_login(learner)
        assert "Text of lesson 2.1" in client.get(lesson.url).content.decode()

    def test_the_instructor_releases_from_the_pacing_page(
        self, client, instructor, learner, workshop, paced
    ):
        module, lesson = paced
        client.force_login(instructor)
        client.post(
            f"/en/teach/{workshop.pk}/pacing/",
            {f"released-{module.translation_key}": "on"},
        )
        client.force_login(learner)
        assert "Text of lesson 2.1" in client.get(lesson.url).content.decode()

    def test_a_bad_date_changes_nothing(self, client, instructor, workshop, paced):
        module, _lesson = paced
        client.force_login(instructor)
        client.post(f"/en/teach/{workshop.pk}/pacing/", {f"opens-{module.translation_key}": "soon"})
        assert not ModuleRelease.objects.exists()

    def test_learners_outside_the_workshop_are_not_paced(self, client, paced):
        _module, lesson = paced
        other = factories.make_user("self-paced@example.org")
        client.force_login(other)
        assert "Text of lesson 2.1" in client.get(lesson.url).content.decode()


class TestReadingTimeWaiver:
    """The course asks for half of each lesson's 5 minutes; a workshop may waive that."""

    def mark(self, client, user, lesson):
        client.force_login(user)
        return client.post(f"/en/progress/lessons/{lesson.pk}/complete/", follow=True)

    def test_participants_of_a_waiving_workshop_mark_lessons_at_once(
        self, client, learner, workshop, tree
    ):
        Workshop.objects.filter(pk=workshop.pk).update(waive_reading_time=True)
        Participant.objects.create(workshop=workshop, user=learner, source="code")
        outsider = factories.make_user("self-paced@example.org")
        assert (
            "Lesson marked as complete."
            in self.mark(client, learner, tree.lessons[0]).content.decode()
        )
        refused = self.mark(client, outsider, tree.lessons[0]).content.decode()
        assert "you can mark it complete in about 3 minutes" in refused
        completion = LessonCompletion.objects.get()
        assert completion.user == learner and completion.seconds_on_task == 0

    def test_the_waiver_holds_only_for_the_workshops_course(
        self, client, learner, instructor, workshop, tree
    ):
        other_course = make_workshop(
            tree, instructor, course_key=uuid.uuid4(), waive_reading_time=True
        )
        for joined in (workshop, other_course):  # this course's workshop does not waive it
            Participant.objects.create(workshop=joined, user=learner, source="code")
        self.mark(client, learner, tree.lessons[0])
        assert not LessonCompletion.objects.exists()

    def test_the_instructor_waives_it_and_both_workshop_pages_say_so(
        self, client, instructor, learner, workshop, tree
    ):
        notice = "The minimum reading time is waived for this workshop"
        client.force_login(instructor)
        form = client.get(f"/en/teach/{workshop.pk}/edit/").content.decode()
        assert "Waive the minimum reading time" in form
        assert notice not in client.get(f"/en/teach/{workshop.pk}/").content.decode()
        client.post(
            f"/en/teach/{workshop.pk}/edit/",
            workshop_settings(workshop, tree, waive_reading_time="on"),
        )
        workshop.refresh_from_db()
        assert workshop.waive_reading_time
        assert notice in client.get(f"/en/teach/{workshop.pk}/").content.decode()
        Participant.objects.create(workshop=workshop, user=learner, source="code")
        client.force_login(learner)
        assert notice in client.get(f"/en/workshops/{workshop.pk}/").content.decode()


class TestDashboard:
    def test_numbers_on_a_known_cohort(self, client, instructor, workshop, tree):
        amina, bao, chen = add_people(workshop, 3)
        for user, pre, post in ((amina, 40, 70), (bao, 50, 100), (chen, None, None)):
            Enrolment.objects.create(
                user=user, course_key=workshop.course_key, pre_test_score=pre, post_test_score=post
            )
        LessonCompletion.objects.create(
            user=amina,
            course_key=workshop.course_key,
            lesson_key=tree.lessons[0].translation_key,
            language="en",
        )
        sessions = add_sessions(workshop, 2)
        Attendance.objects.create(session=sessions[0], user=amina, method="list")
        data = workshops.cohort(workshop)
        assert data.mean_pre == Decimal("45.00") and data.mean_post == Decimal("85.00")
        # normalised gains: (70-40)/60 = 0.5 and (100-50)/50 = 1.0
        assert data.mean_normalised_gain == Decimal("0.75") and data.with_both_tests == 2
        rows = {row.user: row for row in data.rows}
        assert rows[amina].modules[0][1:] == (1, 2) and rows[amina].attendance == 50
        assert [row.user for row in data.not_started] == [bao, chen]
        client.force_login(instructor)
        html = client.get(f"/en/teach/{workshop.pk}/").content.decode()
        assert "<svg" in html and f"/en/join/{workshop.join_code}/" in html
        for text in ("45%", "85%", "0.75", "Participant p2", workshop.join_code):
            assert text in html

    def test_places_taken_agree_with_the_number_of_places(self, client, instructor, workshop):
        add_people(workshop, 1)
        client.force_login(instructor)
        assert "1 of 30 places taken" in client.get(f"/en/teach/{workshop.pk}/").content.decode()
        Workshop.objects.filter(pk=workshop.pk).update(capacity=1)
        html = client.get(f"/en/teach/{workshop.pk}/").content.decode()
        assert "1 of 1 place taken" in html and "places taken" not in html
        ar = client.get(f"/ar/teach/{workshop.pk}/").content.decode()
        assert "1 of 1" not in ar and "الأماكن المشغولة" in ar

    def test_queries_do_not_grow_with_the_cohort(self, client, instructor, workshop):
        client.force_login(instructor)
        url = f"/en/teach/{workshop.pk}/"
        add_sessions(workshop, 3)
        client.get(url)  # warm caches (site, content types) before counting
        counts = []
        for size in (5, 45):
            people = add_people(workshop, size, prefix=f"s{size}-")
            for person in people:
                Enrolment.objects.create(user=person, course_key=workshop.course_key)
            counts.append(factories.queries_for(client, url))
        assert counts[0] == counts[1]

    def test_exports_keep_arabic_names_readable(self, client, instructor, workshop):
        (person,) = add_people(workshop, 1)
        profile = profile_for(person)
        profile.certificate_name = "ليلى عبد الرحمن"
        profile.save()
        client.force_login(instructor)
        response = client.get(f"/en/teach/{workshop.pk}/export.csv")
        body = response.content.decode("utf-8")
        assert body.startswith("\ufeff") and "ليلى عبد الرحمن" in body
        header = next(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        assert header[:2] == ["Name", "Email"]
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(client.get(f"/en/teach/{workshop.pk}/export.xlsx").content))
        values = [cell.value for cell in book.active[2]]
        assert "ليلى عبد الرحمن" in values
        assert client.get(f"/en/teach/{workshop.pk}/export.pdf").status_code == 404


class TestCertificatesForTheRoom:
    @pytest.fixture
    def room(self, workshop, tree):
        done, present, absent = add_people(workshop, 3)
        Enrolment.objects.create(
            user=done, course_key=workshop.course_key, completed_at=timezone.now()
        )
        sessions = add_sessions(workshop, 5)
        for session in sessions:
            Attendance.objects.create(session=session, user=done, method="list")
        for session in sessions[:4]:
            Attendance.objects.create(session=session, user=present, method="list")
        Attendance.objects.create(session=sessions[0], user=absent, method="list")
        return done, present, absent

    def test_the_right_people_get_the_right_kinds_once(self, client, instructor, workshop, room):
        done, present, absent = room
        client.force_login(instructor)
        preview = client.get(f"/en/teach/{workshop.pk}/certificates/").content.decode()
        assert "Issue 3 certificates" in preview
        client.post(f"/en/teach/{workshop.pk}/certificates/")
        kinds = {(c.user, c.kind) for c in Certificate.objects.all()}
        assert kinds == {(done, "completion"), (done, "attendance"), (present, "attendance")}
        attendance = Certificate.objects.get(user=present)
        assert attendance.workshop == workshop and attendance.course_title == workshop.title
        client.post(f"/en/teach/{workshop.pk}/certificates/")
        assert Certificate.objects.count() == 3

    def test_one_zip_holds_every_pdf(self, client, instructor, workshop, room):
        workshops.issue_for_room(workshop, instructor)
        client.force_login(instructor)
        # Prepared by the worker (tests/test_downloads.py), then downloaded.
        page = client.get(f"/en/teach/{workshop.pk}/certificates.zip").url
        factories.run_tasks()
        response = client.get(f"{page}file/")
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        names = archive.namelist()
        assert len(names) == 3
        for certificate in Certificate.objects.all():
            (name,) = [n for n in names if certificate.code in n]
            assert name.startswith(certificate.kind)
            assert archive.read(name) == certificate.pdf.open("rb").read()


class TestEvaluation:
    ANSWER = {"relevance": 5, "quality": 4, "applicability": 3, "will_use": "Hashing"}

    @staticmethod
    def url(workshop):
        return f"/en/workshops/{workshop.pk}/evaluation/"

    def test_a_participant_answers_once_and_a_second_try_changes_nothing(
        self, client, workshop, learner
    ):
        Participant.objects.create(workshop=workshop, user=learner, source="code")
        client.force_login(learner)
        client.post(self.url(workshop), self.ANSWER)
        again = client.post(self.url(workshop), self.ANSWER | {"relevance": 1}, follow=True)
        assert "You have already sent your evaluation. Thank you." in again.content.decode()
        assert list(SurveyResponse.objects.values_list("relevance", flat=True)) == [5]
        form = client.get(self.url(workshop))
        assert form.status_code == HTTPStatus.FOUND  # back to the workshop page, no form

    def test_the_stored_answer_keeps_no_link_to_the_person(self, client, workshop, learner):
        # The review's reproduction: the evaluation was "anonymous" only on screen.
        Participant.objects.create(workshop=workshop, user=learner, source="code")
        client.force_login(learner)
        client.post(self.url(workshop), self.ANSWER)
        user_model = get_user_model()
        links = [
            field.name
            for field in SurveyResponse._meta.get_fields()
            if field.is_relation and field.related_model is user_model
        ]
        assert links == []
        stored = SurveyResponse.objects.values().get()
        assert set(stored) == {
            "id",
            "workshop_id",
            "relevance",
            "quality",
            "applicability",
            "will_use",
            "missing",
            "submitted_on",
        }
        assert Participant.objects.get(user=learner).evaluated

    def test_instructors_see_averages_and_comments_without_names(
        self, client, instructor, workshop
    ):
        people = add_people(workshop, 5)
        for person, relevance in zip(people, (5, 5, 4, 3, 3), strict=True):
            client.force_login(person)
            client.post(self.url(workshop), self.ANSWER | {"relevance": relevance})
        assert Participant.objects.filter(evaluated=True).count() == 5
        client.force_login(instructor)
        html = client.get(f"/en/teach/{workshop.pk}/").content.decode()
        survey = html.split('id="survey-heading"')[1]
        assert "4.0" in survey and "Hashing" in survey
        for person in people:
            assert person.email not in survey
        assert "Participant" not in survey

    @pytest.mark.parametrize("answers", [1, 4])
    def test_fewer_than_five_answers_show_no_averages_and_no_comments(
        self, client, instructor, workshop, answers
    ):
        # The review's reproduction: the averages of a single answer were that answer.
        for person in add_people(workshop, answers):
            client.force_login(person)
            client.post(self.url(workshop), self.ANSWER | {"relevance": 2})
        client.force_login(instructor)
        html = client.get(f"/en/teach/{workshop.pk}/").content.decode()
        survey = html.split('id="survey-heading"')[1].split("</section>")[0]
        assert "Answers: &lt;5" in survey
        assert survey.count("<dd>—</dd>") == 3
        for figure in ("2.0", "4.0", "3.0", "Hashing"):
            assert figure not in survey

    def test_a_score_outside_1_to_5_is_refused(self, client, workshop, learner):
        Participant.objects.create(workshop=workshop, user=learner, source="code")
        client.force_login(learner)
        response = client.post(
            self.url(workshop), {"relevance": 9, "quality": 4, "applicability": 3}
        )
        assert response.status_code == HTTPStatus.OK  # the form again, with the error
        assert not SurveyResponse.objects.exists()
        assert not Participant.objects.get(user=learner).evaluated


class TestPermissions:
    TEACH_PAGES = [
        "teach/{pk}/",
        "teach/{pk}/edit/",
        "teach/{pk}/pacing/",
        "teach/{pk}/roster/",
        "teach/{pk}/certificates/",
        "teach/{pk}/certificates.zip",
        "teach/{pk}/export.csv",
        "teach/{pk}/sessions/{session}/",
    ]

    def test_another_instructors_workshop_is_not_found(self, client, tree, workshop):
        (session,) = add_sessions(workshop, 1)
        client.force_login(make_instructor("other@example.org"))
        for page in self.TEACH_PAGES:
            url = "/en/" + page.format(pk=workshop.pk, session=session.pk)
            assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
        for action in ("teach/{pk}/join-code/", "teach/{pk}/sessions/"):
            url = "/en/" + action.format(pk=workshop.pk)
            assert client.post(url, {"action": "regenerate"}).status_code == 404, url
        assert workshop.title not in client.get("/en/teach/").content.decode()

    def test_staff_status_alone_opens_no_workshop(self, client, workshop, settings):
        settings.REQUIRE_ADMIN_MFA = False  # two-factor has its own tests
        (session,) = add_sessions(workshop, 1)
        add_people(workshop, 1)
        client.force_login(factories.make_user("staff@example.org", is_staff=True))
        for page in self.TEACH_PAGES:
            url = "/en/" + page.format(pk=workshop.pk, session=session.pk)
            assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
        assert client.post(f"/en/teach/{workshop.pk}/certificates/").status_code == 404
        assert client.get("/en/teach/").status_code == HTTPStatus.FORBIDDEN

    def test_seeing_every_workshop_is_a_named_power_that_does_not_run_them(
        self, client, workshop, settings
    ):
        settings.REQUIRE_ADMIN_MFA = False  # two-factor has its own tests
        (person,) = add_people(workshop, 1)
        viewer = factories.make_user("monitor@example.org")
        viewer.user_permissions.add(Permission.objects.get(codename="view_all_workshops"))
        client.force_login(viewer)
        dashboard = client.get(f"/en/teach/{workshop.pk}/").content.decode()
        assert "Participant p0" in dashboard and "Import a roster" not in dashboard
        assert (
            "Participant p0" in client.get(f"/en/teach/{workshop.pk}/export.csv").content.decode()
        )
        for page in ("edit/", "roster/", "certificates/", "pacing/"):
            url = f"/en/teach/{workshop.pk}/{page}"
            assert client.get(url).status_code == HTTPStatus.FORBIDDEN, url

    def test_learners_have_no_instructor_area(self, client, learner, workshop):
        client.force_login(learner)
        assert client.get("/en/teach/").status_code == HTTPStatus.FORBIDDEN
        assert client.get("/en/teach/new/").status_code == HTTPStatus.FORBIDDEN
        assert client.get(f"/en/teach/{workshop.pk}/").status_code == HTTPStatus.NOT_FOUND

    def test_participant_pages_are_for_participants(self, client, learner, workshop):
        client.force_login(learner)
        for page in ("workshops/{pk}/", "workshops/{pk}/evaluation/"):
            assert client.get("/en/" + page.format(pk=workshop.pk)).status_code == 404

    def test_an_instructor_creates_a_workshop_and_runs_it(self, client, instructor, tree):
        client.force_login(instructor)
        response = client.post(
            "/en/teach/new/",
            {
                "title": "Cybercrime workshop",
                "course": str(tree.course.translation_key),
                "start_date": "2026-12-01",
                "end_date": "2026-12-03",
                "language": "fr",
                "capacity": 25,
                "attendance_threshold": 80,
                "status": "planned",
                "joining_open": "on",
            },
        )
        workshop = Workshop.objects.get(title="Cybercrime workshop")
        assert response.url == f"/en/teach/{workshop.pk}/"
        assert list(workshop.instructors.all()) == [instructor]
        assert workshop.lead == instructor

    def test_the_last_day_cannot_come_first(self, client, instructor, tree):
        client.force_login(instructor)
        response = client.post(
            "/en/teach/new/",
            {
                "title": "Backwards",
                "course": str(tree.course.translation_key),
                "start_date": "2026-12-03",
                "end_date": "2026-12-01",
                "language": "en",
                "capacity": 25,
                "attendance_threshold": 80,
                "status": "planned",
            },
        )
        assert "The last day cannot be before the first day." in response.content.decode()
        assert not Workshop.objects.exists()


def upload(client, workshop, data, action="preview"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("roster.csv", data.encode("utf-8-sig"), "text/csv")
    return client.post(f"/en/teach/{workshop.pk}/roster/", {"file": file, "action": action})


class TestRosterPages:
    def test_upload_previews_then_invites_in_one_step(self, client, instructor, workshop):
        data = "name;email;country\nAmina Diallo;amina@example.org;SN\nBad;not-an-email;KE\n"
        client.force_login(instructor)
        url = f"/en/teach/{workshop.pk}/roster/"
        html = upload(client, workshop, data).content.decode()
        assert "Will be invited" in html and "Error:" in html
        assert not WorkshopInvitation.objects.exists()
        response = client.post(url, {"action": "apply"})
        assert response.url == f"/en/teach/{workshop.pk}/"
        (invitation,) = WorkshopInvitation.objects.filter(workshop=workshop)
        assert invitation.user.email == "amina@example.org" and invitation.status == "pending"
        assert not Participant.objects.exists()
        again = client.post(url, {"action": "apply"})  # the preview was used up
        assert again.status_code == HTTPStatus.FOUND and WorkshopInvitation.objects.count() == 1

    def test_the_preview_does_not_tell_who_has_an_account(self, client, instructor, workshop):
        factories.make_user("judge@example.org")
        client.force_login(instructor)
        html = upload(
            client, workshop, "name,email\nA Judge,judge@example.org\nA Stranger,new@example.org\n"
        ).content.decode()
        rows = html.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:2]
        assert all("Will be invited" in row for row in rows)
        assert "Existing account" not in html and "New account" not in html


class TestConsent:
    """Reproduction 1: a roster used to attach existing accounts at once."""

    @pytest.fixture
    def judge(self):
        judge = factories.make_user("judge@example.org")
        profile = profile_for(judge)
        profile.certificate_name = "Justice Okafor"
        profile.save()
        Enrolment.objects.create(
            user=judge,
            course_key=uuid.UUID(int=0),  # replaced below by the workshop's course
            pre_test_score=91,
            post_test_score=97,
        )
        return judge

    @pytest.fixture
    def invited(self, judge, workshop, instructor, django_capture_on_commit_callbacks):
        from courses.roster import apply_roster

        Enrolment.objects.filter(user=judge).update(course_key=workshop.course_key)
        with django_capture_on_commit_callbacks(execute=True):
            apply_roster(b"name,email\nJ. Okafor,judge@example.org\n", workshop, instructor, "en")
        return WorkshopInvitation.objects.get(user=judge)

    def test_an_existing_account_in_a_roster_is_invited_and_shows_nothing_until_it_accepts(
        self, client, instructor, workshop, judge, invited
    ):
        assert not Participant.objects.filter(user=judge).exists()
        data = workshops.cohort(workshop)
        assert data.rows == [] and data.mean_pre is None
        assert workshops.certificate_plan(data) == []
        client.force_login(instructor)
        html = client.get(f"/en/teach/{workshop.pk}/").content.decode()
        assert "J. Okafor" in html and "invited" in html
        assert "Justice Okafor" not in html and "91%" not in html
        export = client.get(f"/en/teach/{workshop.pk}/export.csv").content.decode()
        assert "judge@example.org" not in export and "Okafor" not in export

    def test_the_invited_person_finds_the_invitation_and_accepts_it(
        self, client, instructor, workshop, judge, invited
    ):
        client.force_login(judge)
        learning = client.get("/en/learning/").content.decode()
        assert f'href="/en/invitations/#invitation-{invited.pk}"' in learning
        assert "1 workshop invitation" in learning
        assert workshop.title in client.get("/en/invitations/").content.decode()
        response = client.post(f"/en/invitations/{invited.pk}/", {"answer": "accept"})
        assert response.url == f"/en/workshops/{workshop.pk}/"
        assert Participant.objects.filter(workshop=workshop, user=judge).exists()
        (row,) = workshops.cohort(workshop).rows
        assert row.pre == 91
        client.force_login(instructor)
        assert "91%" in client.get(f"/en/teach/{workshop.pk}/").content.decode()

    def test_declining_keeps_the_person_out_and_a_new_roster_does_not_ask_again(
        self, client, instructor, workshop, judge, invited, django_capture_on_commit_callbacks
    ):
        from courses.roster import apply_roster

        client.force_login(judge)
        client.post(f"/en/invitations/{invited.pk}/", {"answer": "decline"})
        invited.refresh_from_db()
        assert invited.status == "declined"
        assert not Participant.objects.exists()
        assert (
            client.post(f"/en/invitations/{invited.pk}/", {"answer": "accept"}).status_code == 302
        )
        assert not Participant.objects.exists()  # answered already
        sent = len(factories.sent_mail())
        with django_capture_on_commit_callbacks(execute=True):
            preview = apply_roster(b"name,email\nJ,judge@example.org\n", workshop, instructor, "en")
        assert [row.outcome for row in preview.rows] == ["invited"]
        assert len(factories.sent_mail()) == sent
        client.force_login(instructor)
        assert "declined" in client.get(f"/en/teach/{workshop.pk}/").content.decode()

    def test_nobody_answers_someone_elses_invitation(self, client, learner, invited):
        client.force_login(learner)
        response = client.post(f"/en/invitations/{invited.pk}/", {"answer": "accept"})
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert not Participant.objects.exists()

    def test_a_full_workshop_refuses_the_acceptance_with_a_reason(
        self, client, workshop, judge, invited
    ):
        Workshop.objects.filter(pk=workshop.pk).update(capacity=1)
        add_people(workshop, 1)
        client.force_login(judge)
        response = client.post(f"/en/invitations/{invited.pk}/", {"answer": "accept"}, follow=True)
        assert "This workshop is full" in response.content.decode()
        assert not Participant.objects.filter(user=judge).exists()

    def test_a_new_roster_account_joins_after_setting_its_password_and_accepting(
        self, client, instructor, workshop, django_capture_on_commit_callbacks
    ):
        from courses.roster import apply_roster

        with django_capture_on_commit_callbacks(execute=True):
            apply_roster(b"name,email\nAna,ana@example.org\n", workshop, instructor, "en")
        ana = get_user_model().objects.get(email="ana@example.org")
        assert not Participant.objects.exists()
        client.force_login(ana)
        invitation = WorkshopInvitation.objects.get(user=ana)
        client.post(f"/en/invitations/{invitation.pk}/", {"answer": "accept"})
        assert Participant.objects.filter(workshop=workshop, user=ana).exists()
        assert Enrolment.objects.filter(user=ana, course_key=workshop.course_key).exists()

    def test_joining_with_the_code_answers_a_pending_invitation(self, workshop, judge, invited):
        workshops.join(judge, workshop.join_code)
        invited.refresh_from_db()
        assert invited.status == "accepted"


def workshop_settings(workshop, tree, **extra):
    return {
        "title": workshop.title,
        "course": str(tree.course.translation_key),
        "start_date": workshop.start_date.isoformat(),
        "end_date": workshop.end_date.isoformat(),
        "language": "en",
        "capacity": 30,
        "attendance_threshold": 80,
        "status": "running",
        "joining_open": "on",
    } | extra


class TestCoInstructors:
    """Reproduction 2: anyone could be made co-instructor, and never removed."""

    @pytest.fixture
    def led(self, workshop, instructor):
        Workshop.objects.filter(pk=workshop.pk).update(lead=instructor)
        workshop.refresh_from_db()
        return workshop

    def test_only_people_who_may_run_workshops_can_be_invited(
        self, client, instructor, led, tree, learner
    ):
        client.force_login(instructor)
        response = client.post(
            f"/en/teach/{led.pk}/edit/",
            workshop_settings(led, tree, co_instructors="learner@example.org"),
        )
        assert "Only people allowed to run workshops can be invited" in response.content.decode()
        assert list(led.instructors.all()) == [instructor]
        assert not WorkshopInvitation.objects.exists()

    def test_a_co_instructor_sees_the_workshop_only_after_accepting(
        self, client, instructor, led, tree, django_capture_on_commit_callbacks
    ):
        colleague = make_instructor("colleague@example.org")
        client.force_login(instructor)
        form = client.get(f"/en/teach/{led.pk}/edit/").content.decode()
        assert "becomes an instructor of this workshop" in form and "only once they accept" in form
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/en/teach/{led.pk}/edit/",
                workshop_settings(led, tree, co_instructors="Colleague@example.org"),
            )
        assert list(led.instructors.all()) == [instructor]
        (message,) = factories.sent_mail()
        assert message.to == ["colleague@example.org"] and "/en/invitations/" in message.body
        client.force_login(colleague)
        assert client.get(f"/en/teach/{led.pk}/").status_code == HTTPStatus.NOT_FOUND
        invitation = WorkshopInvitation.objects.get(user=colleague, role="instructor")
        response = client.post(f"/en/invitations/{invitation.pk}/", {"answer": "accept"})
        assert response.url == f"/en/teach/{led.pk}/"
        assert client.get(f"/en/teach/{led.pk}/").status_code == HTTPStatus.OK

    def test_the_lead_removes_a_co_instructor_and_only_the_lead(
        self, client, instructor, led, tree
    ):
        colleague = make_instructor("colleague@example.org")
        led.instructors.add(colleague)
        client.force_login(colleague)
        form = client.get(f"/en/teach/{led.pk}/edit/").content.decode()
        assert "Remove instructors" not in form and "Invite other instructors" not in form
        client.force_login(instructor)
        assert "Remove instructors" in client.get(f"/en/teach/{led.pk}/edit/").content.decode()
        client.post(
            f"/en/teach/{led.pk}/edit/",
            workshop_settings(led, tree, remove_instructors=[colleague.pk]),
        )
        assert list(led.instructors.all()) == [instructor]
        client.force_login(colleague)
        assert client.get(f"/en/teach/{led.pk}/").status_code == HTTPStatus.NOT_FOUND


def test_participants_find_their_workshop_on_my_learning(client, learner, workshop):
    workshops.join(learner, workshop.join_code)
    client.force_login(learner)
    html = client.get("/en/learning/").content.decode()
    assert f'href="/en/workshops/{workshop.pk}/"' in html and workshop.title in html
