"""Prepared files: a room's certificates ZIP and a large report export, made by a task.

Asked for in a request, made by the worker (``factories.run_tasks()``, the real database
backend), waited for on a page that reloads itself, downloaded through a view that checks
the permission again (courses/downloads.py, courses/permissions.py)."""

import csv
import io
import zipfile
from datetime import timedelta
from http import HTTPStatus

from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

import pytest
from allauth.mfa.models import Authenticator
from django_tasks_db.models import DBTaskResult

from courses import certificates, downloads, workshops
from courses.models import Certificate, Enrolment, PreparedFile
from tests import factories
from tests.test_workshops import add_people, make_instructor, make_workshop

pytestmark = pytest.mark.django_db

REFRESH = '<meta http-equiv="refresh" content="5">'
TASK = "courses.downloads.prepare_file"


def zip_url(workshop):
    return f"/en/teach/{workshop.pk}/certificates.zip"


def ask(client, url, **params):
    """Ask for a prepared file; returns the address of the page that waits for it."""
    response = client.get(url, params)
    assert response.status_code == HTTPStatus.FOUND, response
    assert response.url.startswith("/en/downloads/")
    return response.url


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def fetched(client, page):
    """Once the worker has run: the download the waiting page links to, as bytes."""
    factories.run_tasks()
    html = client.get(page).content.decode()
    assert f'href="{page}file/"' in html and REFRESH not in html
    response = client.get(f"{page}file/")
    assert response.status_code == HTTPStatus.OK
    return response


@pytest.fixture
def room(tree):
    """A workshop with two participants who completed its course, certificates issued."""
    instructor = make_instructor()
    workshop = make_workshop(tree, instructor)
    for person in add_people(workshop, 2):
        Enrolment.objects.create(
            user=person, course_key=workshop.course_key, completed_at=timezone.now()
        )
    workshops.issue_for_room(workshop, instructor)
    return workshop, instructor


class TestRoomCertificates:
    def test_the_zip_is_prepared_by_the_worker_and_holds_every_pdf(self, client, room):
        workshop, instructor = room
        client.force_login(instructor)
        page = ask(client, zip_url(workshop))
        waiting = client.get(page).content.decode()
        assert "Being prepared" in waiting and REFRESH in waiting
        assert client.get(f"{page}file/").url == page  # nothing to download yet
        response = fetched(client, page)
        assert response["Content-Type"] == "application/zip"
        assert (
            'filename="certificates-electronic-evidence-workshop-nairobi.zip"'
            in (response["Content-Disposition"])
        )
        archive = zipfile.ZipFile(io.BytesIO(body(response)))
        issued = list(Certificate.objects.all())
        assert len(issued) >= 2 and len(archive.namelist()) == len(issued)
        for certificate in issued:
            (name,) = [n for n in archive.namelist() if certificate.code in n]
            assert name.startswith(certificate.kind)
            assert archive.read(name) == certificate.pdf.open("rb").read()

    def test_the_file_is_stored_under_a_private_name_not_in_media_urls(self, client, room):
        workshop, instructor = room
        client.force_login(instructor)
        ask(client, zip_url(workshop))
        factories.run_tasks()
        prepared = PreparedFile.objects.get()
        assert prepared.file.name.startswith(f"prepared/{prepared.pk}/")
        assert default_storage.exists(prepared.file.name)
        assert (
            prepared.file.name not in client.get(f"/en/downloads/{prepared.pk}/").content.decode()
        )

    def test_asking_again_while_it_waits_makes_no_second_task(self, client, room):
        workshop, instructor = room
        client.force_login(instructor)
        first = ask(client, zip_url(workshop))
        assert ask(client, zip_url(workshop)) == first
        assert PreparedFile.objects.count() == 1
        assert DBTaskResult.objects.filter(task_path=TASK).count() == 1
        fetched(client, first)
        # Once ready, asking again prepares a new file: the room may have changed.
        assert ask(client, zip_url(workshop)) != first

    def test_a_certificate_revoked_before_the_task_runs_is_not_in_the_zip(self, client, room):
        workshop, instructor = room
        revoked, kept = Certificate.objects.order_by("name")[:2]
        client.force_login(instructor)
        page = ask(client, zip_url(workshop))
        certificates.revoke(revoked, instructor, "Issued to the wrong person")
        names = zipfile.ZipFile(io.BytesIO(body(fetched(client, page)))).namelist()
        assert not [name for name in names if revoked.code in name]
        assert [name for name in names if kept.code in name]

    def test_nobody_else_sees_the_page_or_the_file(self, client, room):
        workshop, instructor = room
        client.force_login(instructor)
        page = ask(client, zip_url(workshop))
        factories.run_tasks()
        co_instructor = make_instructor("co@example.org")
        workshop.instructors.add(co_instructor)
        participant = workshop.participants.first().user
        others = [
            make_instructor("other@example.org"),
            co_instructor,  # sees the workshop, but did not ask for this file
            participant,
            factories.make_user("learner@example.org"),
        ]
        for person in others:
            client.force_login(person)
            for url in (page, f"{page}file/"):
                assert client.get(url).status_code == HTTPStatus.NOT_FOUND, (person, url)
            assert client.post(f"{page}retry/").status_code == HTTPStatus.NOT_FOUND
        client.logout()
        for url in (page, f"{page}file/"):
            response = client.get(url)
            assert response.status_code == HTTPStatus.FOUND
            assert response.url.startswith("/en/accounts/login/")

    def test_an_instructor_removed_from_the_workshop_can_no_longer_download(self, client, room):
        workshop, instructor = room
        client.force_login(instructor)
        page = ask(client, zip_url(workshop))
        factories.run_tasks()
        workshop.instructors.remove(instructor)
        assert client.get(f"{page}file/").status_code == HTTPStatus.NOT_FOUND

    def test_a_failed_file_says_so_and_can_be_tried_again(
        self, client, room, settings, monkeypatch
    ):
        settings.TASK_RETRY_DELAY = timedelta(0)  # each retry is due at once
        workshop, instructor = room

        def broken(parameters, out):
            raise OSError("the storage is full")

        monkeypatch.setitem(downloads.WRITERS, "room-certificates", broken)
        client.force_login(instructor)
        page = ask(client, zip_url(workshop))
        assert factories.run_tasks() == settings.TASK_MAX_ATTEMPTS
        html = client.get(page).content.decode()
        assert "could not be prepared" in html and "Try again" in html and REFRESH not in html
        assert client.get(f"{page}file/").url == page
        failures = DBTaskResult.objects.filter(task_path=TASK, status="FAILED")
        assert failures.count() == settings.TASK_MAX_ATTEMPTS  # on /admin/tasks/ for staff
        monkeypatch.undo()
        response = client.post(f"{page}retry/")
        assert response.url == page
        assert "Being prepared" in client.get(page).content.decode()
        archive = zipfile.ZipFile(io.BytesIO(body(fetched(client, page))))
        assert len(archive.namelist()) == Certificate.objects.count()

    def test_trying_again_a_file_that_did_not_fail_changes_nothing(self, client, room):
        workshop, instructor = room
        client.force_login(instructor)
        page = ask(client, zip_url(workshop))
        client.post(f"{page}retry/")
        assert DBTaskResult.objects.filter(task_path=TASK).count() == 1


@pytest.fixture
def manager(db):
    user = factories.make_user("manager@example.org")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_programme_reports", "access_admin"])
    )
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "X"})
    return user


class TestLargeReportExports:
    REPORT = "/admin/programme-report/"

    @pytest.fixture
    def programme(self, tree):
        for n in range(3):
            Enrolment.objects.create(
                user=factories.make_user(f"l{n}@example.org"),
                course_key=tree.course.translation_key,
            )

    def test_a_small_programme_is_exported_in_the_request(self, client, manager, programme):
        client.force_login(manager)
        response = client.get(self.REPORT, {"export": "csv"})
        assert response.status_code == HTTPStatus.OK
        assert "programme report" in response.content.decode("utf-8-sig")
        assert not PreparedFile.objects.exists()

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_a_large_programme_is_exported_by_the_worker_with_its_filters(
        self, client, manager, programme, settings, fmt
    ):
        settings.REPORT_EXPORT_IN_BACKGROUND_FROM = 3
        client.force_login(manager)
        page = ask(client, self.REPORT, sex="female", export=fmt)
        assert "Being prepared" in client.get(page).content.decode()
        response = fetched(client, page)
        assert f'.{fmt}"' in response["Content-Disposition"]
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
        else:
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(body(response))).active
            rows = [[str(v or "") for v in row] for row in sheet.iter_rows(values_only=True)]
        assert "programme report" in rows[0][0]
        assert rows[2][:2] == ["Filter: Sex", "Female"]

    def test_someone_who_lost_the_reports_permission_cannot_download(
        self, client, manager, programme, settings
    ):
        settings.REPORT_EXPORT_IN_BACKGROUND_FROM = 1
        client.force_login(manager)
        page = ask(client, self.REPORT, export="csv")
        factories.run_tasks()
        manager.user_permissions.remove(Permission.objects.get(codename="view_programme_reports"))
        client.force_login(type(manager).objects.get(pk=manager.pk))  # permissions re-read
        assert client.get(f"{page}file/").status_code == HTTPStatus.NOT_FOUND
        client.force_login(factories.make_user("learner@example.org"))
        assert client.get(page).status_code == HTTPStatus.NOT_FOUND


class TestPruning:
    def test_old_prepared_files_and_their_files_are_removed(self, client, room):
        workshop, instructor = room
        client.force_login(instructor)
        ask(client, zip_url(workshop))
        factories.run_tasks()
        old = PreparedFile.objects.get()
        PreparedFile.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(hours=49)
        )
        recent = downloads.ask(instructor, "room-certificates", {"workshop": workshop.pk})
        out = io.StringIO()
        call_command("prune_prepared_files", stdout=out)
        assert "Removed 1 prepared file" in out.getvalue()
        assert not default_storage.exists(old.file.name)
        assert list(PreparedFile.objects.all()) == [recent]


class TestCoursePageCertificate:
    def test_the_course_page_says_the_certificate_is_being_prepared_until_the_task_ran(
        self, client, tree, learner
    ):
        from courses.models.learners import profile_for

        profile = profile_for(learner)
        profile.certificate_name, profile.country = "Amal Haddad", "JO"
        profile.save()
        client.force_login(learner)
        for lesson in tree.lessons:
            factories.opened(learner, lesson)
            client.post(f"/en/progress/lessons/{lesson.pk}/complete/")
        assert Enrolment.objects.get(user=learner).completed_at is not None
        html = client.get(tree.course.url).content.decode()
        assert "Your certificate is being prepared." in html
        factories.run_tasks()
        html = client.get(tree.course.url).content.decode()
        certificate = Certificate.objects.get(user=learner)
        assert "being prepared" not in html and f"/en/verify/{certificate.code}/" in html

    def test_a_learner_still_in_progress_sees_no_certificate_notice(self, client, tree, learner):
        client.force_login(learner)
        client.post(f"/en/progress/courses/{tree.course.pk}/start/")
        html = client.get(tree.course.url).content.decode()
        main = html[
            html.index("<main") : html.index("</main>")
        ]  # the footer offers "Verify a certificate"
        assert "certificate" not in main.lower()
