"""Privacy rights: the learner's own data as a download, deleting the account while
certificates stay verifiable, the privacy notice in every language, and evaluations that
nothing links to the person."""

import importlib
import json
from datetime import date, time, timedelta
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

import pytest
from allauth.account.models import EmailAddress

from courses import codes, privacy
from courses.models import (
    Attempt,
    Attendance,
    Certificate,
    Enrolment,
    LearnerProfile,
    LessonCompletion,
    LessonVisit,
    Participant,
    Session,
    SurveyResponse,
    Workshop,
)
from courses.models.learners import profile_for
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()
DELETE = "/en/profile/delete/"
DOWNLOAD = "/en/profile/my-data.json"
LOGIN = "/en/accounts/login/"
HOLDERS_REQUEST = "Revoked at the holder’s request."


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # sign-in rate-limit counters
    yield
    cache.clear()


def named(user, name, country="VN"):
    profile = profile_for(user)
    profile.certificate_name, profile.country, profile.organisation = name, country, "Police"
    profile.save()
    return user


def complete_course(client, user, lesson):
    """The learner completes the one-lesson course through the site and gets a certificate."""
    client.force_login(user)
    factories.opened(user, lesson)
    client.post(f"/en/progress/lessons/{lesson.pk}/complete/")
    factories.run_tasks()  # the worker makes the certificate
    return Certificate.objects.get(user=user)


@pytest.fixture
def small(all_locales):
    return factories.make_tree(modules=1, lessons_per_module=1)


@pytest.fixture
def practice(small):
    return factories.make_quiz(
        small.modules[0],
        [
            factories.single_choice(
                "What do you do with every copy?",
                {"a": "Format the disk", "b": "Compute its hash value"},
                right="b",
                question_id="q1",
            )
        ],
        kind="practice",
    )


@pytest.fixture
def room(small, learner):
    """Two learners (one is ``learner``) in one workshop, both with a certificate and an
    attended session; the other one also sent the evaluation."""
    instructor = factories.make_user("instructor@example.org")
    other = named(factories.make_user("other@example.org"), "Ana Pereira", "MZ")
    named(learner, "Nguyễn Thị Lan")
    workshop = Workshop.objects.create(
        course_key=small.course.translation_key,
        title="Electronic evidence workshop, Hanoi",
        start_date=date.today() - timedelta(days=1),
        end_date=date.today() + timedelta(days=1),
        language="en",
    )
    workshop.instructors.add(instructor)
    session = Session.objects.create(
        workshop=workshop, date=date.today(), starts_at=time(9), ends_at=time(12)
    )
    for person in (learner, other):
        Participant.objects.create(workshop=workshop, user=person, source="code")
        Attendance.objects.create(session=session, user=person, method="list")
    return {"instructor": instructor, "other": other, "workshop": workshop, "session": session}


@pytest.fixture
def certified(client, small, learner, room):
    """Both learners hold a certificate; the client is signed in as ``learner``."""
    theirs = complete_course(client, room["other"], small.lessons[0])
    mine = complete_course(client, learner, small.lessons[0])
    return mine, theirs


def delete(client, password=factories.PASSWORD, follow=False, **fields):
    return client.post(DELETE, {"password": password, **fields}, follow=follow)


class TestDownloadMyData:
    def test_the_file_holds_the_learners_own_records_and_nothing_about_anyone_else(
        self, client, learner, room, certified, practice
    ):
        mine, theirs = certified
        client.force_login(room["other"])
        client.post(
            f"/en/workshops/{room['workshop'].pk}/evaluation/",
            {"relevance": 5, "quality": 4, "applicability": 4, "will_use": "Other's comment"},
        )
        client.force_login(learner)
        attempt_url = client.post(f"/en/quizzes/{practice.pk}/start/").url
        factories.post_answers(client, attempt_url, {"q:q1": "a"})

        response = client.get(DOWNLOAD)
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Content-Disposition"].startswith('attachment; filename="')
        assert "no-store" in response["Cache-Control"]
        text = response.content.decode()
        data = json.loads(text)

        assert data["account"]["email"] == learner.email
        assert data["profile"]["name_on_certificates"] == "Nguyễn Thị Lan"
        assert [e["course"] for e in data["enrolments"]] == ["Handling digital evidence"]
        assert [c["lesson"] for c in data["lessons_completed"]] == ["Lesson 1.1"]
        assert [v["lesson"] for v in data["lessons_opened"]] == ["Lesson 1.1"]
        (attempt,) = data["quiz_attempts"]
        (answer,) = attempt["answers"]
        assert answer["question"] == "<p>What do you do with every copy?</p>"
        assert answer["your_answer"] == ["Format the disk"] and answer["points"] == "0.00"
        (certificate,) = data["certificates"]
        assert certificate["code"] == codes.grouped(mine.code)
        assert certificate["status"] == "valid"
        assert certificate["name_as_printed"] == "Nguyễn Thị Lan"
        assert certificate["verify_url"].endswith(f"/en/verify/{mine.code}/")
        (place,) = data["workshops"]
        assert place["workshop"] == "Electronic evidence workshop, Hanoi"
        assert len(place["sessions_attended"]) == 1
        assert place["evaluation_sent"] is False

        # Nothing about the other participant, the instructor, or the quiz's key.
        for foreign in (
            "other@example.org",
            "Ana Pereira",
            theirs.code,
            codes.grouped(theirs.code),
            "instructor@example.org",
            "Other's comment",
            "Compute its hash value",
        ):
            assert foreign not in text, foreign

    def test_the_download_costs_the_same_queries_however_much_the_learner_did(
        self, client, all_locales, learner
    ):
        tree = factories.make_tree(modules=1, lessons_per_module=3)
        session = Session.objects.create(
            workshop=Workshop.objects.create(
                course_key=tree.course.translation_key,
                title="Workshop",
                start_date=date.today(),
                end_date=date.today(),
                language="en",
            ),
            date=date.today(),
            starts_at=time(9),
            ends_at=time(12),
        )
        Participant.objects.create(workshop=session.workshop, user=learner, source="code")
        client.force_login(learner)

        def record(lesson):
            key = tree.course.translation_key
            LessonCompletion.objects.create(
                user=learner, course_key=key, lesson_key=lesson.translation_key, language="en"
            )
            factories.opened(learner, lesson)
            attempt = Attempt.objects.create(
                user=learner,
                quiz_key=lesson.translation_key,
                course_key=key,
                kind="practice",
                language="en",
                pass_mark=70,
            )
            attempt.answers.create(
                question_id="q1",
                position=1,
                response=["a"],
                points=0,
                max_points=1,
                snapshot={"kind": "single_choice", "stem": "?", "options": []},
            )

        record(tree.lessons[0])
        one = factories.queries_for(client, DOWNLOAD)
        record(tree.lessons[1])
        record(tree.lessons[2])
        Attendance.objects.create(session=session, user=learner, method="list")
        assert factories.queries_for(client, DOWNLOAD) == one

    def test_signing_in_comes_first(self, client):
        response = client.get(DOWNLOAD)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(LOGIN)

    def test_the_profile_page_links_the_download_the_deletion_and_the_notice(self, client, learner):
        client.force_login(learner)
        html = client.get("/en/profile/").content.decode()
        for url in (DOWNLOAD, DELETE, "/en/privacy/"):
            assert f'href="{url}"' in html, url


class TestDeleteMyAccount:
    def test_a_wrong_password_deletes_nothing_and_says_so(self, client, learner, certified):
        mine, _theirs = certified
        response = delete(client, password="not-my-password", revoke_certificates="on")
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "This is not your password. Nothing has been deleted." in response.content.decode()
        learner.refresh_from_db()
        mine.refresh_from_db()
        assert learner.is_active and learner.email == "learner@example.org"
        assert LearnerProfile.objects.filter(user=learner).exists()
        assert Participant.objects.filter(user=learner).exists()
        assert mine.is_valid
        assert client.get("/en/profile/").status_code == HTTPStatus.OK  # still signed in

    def test_the_page_explains_the_choice_and_lists_the_certificates(
        self, client, learner, certified
    ):
        mine, _theirs = certified
        html = client.get(DELETE).content.decode()
        assert codes.grouped(mine.code) in html and "Nguyễn Thị Lan" in html
        assert "that name is the only thing that will still identify you here" in html
        assert 'name="revoke_certificates"' in html
        assert 'href="/en/privacy/"' in html
        assert 'href="/en/profile/my-data.json"' in html

    def test_without_certificates_there_is_nothing_to_revoke(self, client, learner):
        client.force_login(learner)
        html = client.get(DELETE).content.decode()
        assert 'name="password"' in html and 'name="revoke_certificates"' not in html

    def test_deleting_erases_the_person_and_the_certificate_still_verifies_as_issued(
        self, client, learner, room, certified
    ):
        # The review's reproduction: deleting a learner who holds a certificate raised
        # ProtectedError, so nobody could leave.
        mine, theirs = certified
        client.post(
            f"/en/workshops/{room['workshop'].pk}/evaluation/",
            {"relevance": 4, "quality": 4, "applicability": 4, "will_use": "Hashing"},
        )
        response = delete(client, follow=True)
        html = response.content.decode()
        assert response.redirect_chain[-1][0] == "/en/account-deleted/"
        assert "Your account has been deleted" in html
        assert "1 certificate stays verifiable with the name printed on it." in html

        learner.refresh_from_db()
        assert not learner.is_active and not learner.has_usable_password()
        assert (learner.email, learner.first_name, learner.last_name) == ("", "", "")
        assert "learner" not in learner.username
        for model in (
            LearnerProfile,
            EmailAddress,
            Enrolment,
            LessonCompletion,
            LessonVisit,
            Attempt,
            Participant,
            Attendance,
        ):
            assert not model.objects.filter(user=learner).exists(), model.__name__
        assert not room["workshop"].instructors.filter(pk=learner.pk).exists()
        assert SurveyResponse.objects.filter(workshop=room["workshop"]).count() == 1
        # The other participant keeps everything.
        assert Participant.objects.filter(user=room["other"]).exists()
        theirs.refresh_from_db()
        assert theirs.is_valid

        verify = client.get(f"/en/verify/{mine.code}/").content.decode()
        assert "Valid certificate" in verify and "Nguyễn Thị Lan" in verify
        assert client.get("/en/profile/").status_code == HTTPStatus.FOUND  # signed out

    def test_nothing_but_certificates_still_points_at_the_emptied_account(
        self, client, learner, certified
    ):
        mine, _theirs = certified
        privacy.erase(learner)
        for relation in User._meta.get_fields(include_hidden=True):
            if not (relation.is_relation and relation.auto_created and not relation.concrete):
                continue
            if relation.related_model is Certificate:
                continue
            if relation.many_to_many:
                through = relation.through.objects
                rows = through.filter(**{relation.field.m2m_reverse_field_name(): learner.pk})
            else:
                rows = relation.related_model._base_manager.filter(**{relation.field.name: learner})
            assert not rows.exists(), relation
        assert list(Certificate.objects.filter(user=learner)) == [mine]

    def test_deleting_and_revoking_makes_the_certificate_revoked_at_the_holders_request(
        self, client, learner, certified
    ):
        mine, theirs = certified
        response = delete(client, revoke_certificates="on", follow=True)
        assert "1 certificate was revoked at your request." in response.content.decode()
        mine.refresh_from_db()
        assert mine.status == "revoked" and mine.revocation_reason == HOLDERS_REQUEST
        verify = client.get(f"/en/verify/{mine.code}/").content.decode()
        assert "Revoked certificate" in verify and HOLDERS_REQUEST in verify
        assert "Valid certificate" not in verify
        theirs.refresh_from_db()
        assert theirs.is_valid  # only the holder's own

    def test_a_deleted_learner_cannot_sign_in_and_the_address_can_sign_up_afresh(
        self, client, tree, learner
    ):
        client.force_login(learner)
        delete(client)
        response = client.post(LOGIN, {"login": learner.email, "password": factories.PASSWORD})
        assert "The email address or the password is not correct." in response.content.decode()
        assert "_auth_user_id" not in client.session

        response = client.post(
            "/en/accounts/signup/",
            {
                "email": "learner@example.org",
                "password1": factories.PASSWORD,
                "password2": factories.PASSWORD,
            },
        )
        assert response.status_code == HTTPStatus.FOUND
        fresh = User.objects.get(email="learner@example.org")
        assert fresh.pk != learner.pk and fresh.is_active
        assert not LearnerProfile.objects.filter(user=fresh, certificate_name__gt="").exists()

    def test_another_device_signed_in_as_the_learner_is_signed_out_too(self, client, learner):
        elsewhere = Client()
        elsewhere.force_login(learner)
        client.force_login(learner)
        delete(client)
        assert elsewhere.get("/en/profile/").status_code == HTTPStatus.FOUND

    def test_staff_accounts_are_closed_by_another_administrator_not_here(self, client):
        editor = factories.make_user("editor@example.org", is_staff=True)
        client.force_login(editor)
        page = client.get(DELETE).content.decode()
        assert "Ask another administrator to close yours." in page
        assert 'name="password"' not in page
        assert delete(client).status_code == HTTPStatus.FORBIDDEN
        editor.refresh_from_db()
        assert editor.is_active and editor.email == "editor@example.org"

    def test_signing_in_comes_first(self, client):
        response = delete(client)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(LOGIN)


class TestPrivacyNotice:
    @pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
    def test_the_notice_is_served_in_every_language(self, client, code):
        response = client.get(f"/{code}/privacy/")
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        direction = "rtl" if code == "ar" else "ltr"
        assert f'<html lang="{code}" dir="{direction}">' in html
        assert "{%" not in html and "{{" not in html and "%(" not in html
        assert f'href="/{code}/privacy/"' in html  # the footer link

    def test_it_says_what_is_kept_and_for_how_long_without_invented_periods(self, client):
        html = client.get("/en/privacy/").content.decode()
        for heading in (
            "Your account and profile",
            "Your progress and quiz attempts",
            "Certificates",
            "Workshops",
            "Evaluations",
            "Programme reports",
            "Server logs and cookies",
            "Download or delete your data",
        ):
            assert f"<h2>{heading}</h2>" in html, heading
        assert "while your account exists" in html
        assert 'href="/en/accounts/login/' in html  # signed out: the way to the profile

    def test_signed_in_learners_get_the_download_and_delete_links(self, client, learner):
        client.force_login(learner)
        html = client.get("/en/privacy/").content.decode()
        assert f'href="{DOWNLOAD}"' in html and f'href="{DELETE}"' in html


MIGRATION = "0012_anonymous_evaluations"


def migrate_to(target):
    """Migrate the test database to ``target`` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_keeps_every_answer_and_the_once_only_rule(client):
    module = importlib.import_module(f"courses.migrations.{MIGRATION}")
    (before,) = [dep for dep in module.Migration.dependencies if dep[0] == "courses"]
    try:
        apps = migrate_to([before])
        OldUser = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
        OldWorkshop = apps.get_model("courses", "Workshop")
        OldParticipant = apps.get_model("courses", "Participant")
        OldResponse = apps.get_model("courses", "SurveyResponse")
        workshop = OldWorkshop.objects.create(
            course_key="00000000-0000-0000-0000-000000000001",
            title="Old workshop",
            start_date=date(2026, 3, 2),
            end_date=date(2026, 3, 4),
            language="en",
        )
        people = [OldUser.objects.create(username=f"p{n}") for n in range(3)]
        for person in people:
            OldParticipant.objects.create(workshop=workshop, user=person, source="code")
        sent_at = timezone.make_aware(timezone.datetime(2026, 3, 4, 16, 30))
        for person, relevance in zip(people[:2], (5, 2), strict=True):
            answer = OldResponse.objects.create(
                workshop=workshop,
                user=person,
                relevance=relevance,
                quality=4,
                applicability=3,
                will_use=f"Answer {relevance}",
            )
            OldResponse.objects.filter(pk=answer.pk).update(submitted_at=sent_at)

        migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes("courses"))

        answers = SurveyResponse.objects.order_by("relevance")
        assert [(a.relevance, a.will_use) for a in answers] == [(2, "Answer 2"), (5, "Answer 5")]
        assert {a.submitted_on for a in answers} == {timezone.localdate(sent_at)}
        evaluated = dict(Participant.objects.values_list("user__username", "evaluated"))
        assert evaluated == {"p0": True, "p1": True, "p2": False}

        # Those who answered before the migration still cannot answer again.
        first = User.objects.get(username="p0")
        client.force_login(first)
        workshop_url = f"/en/workshops/{workshop.pk}/evaluation/"
        client.post(workshop_url, {"relevance": 1, "quality": 1, "applicability": 1})
        assert SurveyResponse.objects.count() == 2
        client.force_login(User.objects.get(username="p2"))
        client.post(workshop_url, {"relevance": 1, "quality": 1, "applicability": 1})
        assert SurveyResponse.objects.count() == 3
    finally:
        migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes("courses"))
