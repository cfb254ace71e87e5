"""Background work: completion announced once, the certificate made by a task on the real
database backend, emails sent by the worker, bounded retries, failures shown to staff.

Most tests run waiting tasks with ``factories.run_tasks()`` (the db_worker's own
claim-and-run, in the test's transaction); one runs the real ``db_worker`` command."""

import ast
import io
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from courses import certificates, events
from courses.models import Certificate, Enrolment
from courses.models.learners import profile_for
from courses.progress import update_course_completion
from tests import factories

pytestmark = pytest.mark.django_db

REFRESH = '<meta http-equiv="refresh" content="5">'
COURSES = Path(__file__).resolve().parent.parent / "courses"


@pytest.fixture
def small(all_locales):
    return factories.make_tree(modules=1, lessons_per_module=1)


@pytest.fixture
def learner_named(learner):
    profile = profile_for(learner)
    profile.certificate_name, profile.country, profile.role = "Amal Haddad", "JO", "police"
    profile.save()
    return learner


def complete(client, learner, small):
    client.force_login(learner)
    factories.opened(learner, small.lessons[0])  # an hour ago: the lesson has been read
    response = client.post(f"/en/progress/lessons/{small.lessons[0].pk}/complete/")
    assert response.status_code == HTTPStatus.FOUND


def certificate_tasks(**filters):
    return DBTaskResult.objects.filter(
        task_path="courses.certificates.issue_completion_certificate", **filters
    )


def imported_modules(path):
    """Every module path imported by the file, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add(node.module or "")
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


class TestCompletionIsAnEvent:
    def test_progress_rules_never_import_certificates(self):
        imported = imported_modules(COURSES / "progress.py")
        assert "courses.certificates" not in imported
        assert not any(name.startswith("courses.certificates") for name in imported)

    def test_the_import_check_sees_a_late_import(self, tmp_path):
        # The check above must catch what progress.py used to do: a function-level import.
        sample = tmp_path / "sample.py"
        sample.write_text("def f():\n    from courses.certificates import issue_safely\n")
        assert "courses.certificates" in imported_modules(sample)

    def test_completion_is_announced_once_however_often_it_is_recorded(
        self, client, learner_named, small
    ):
        heard = []

        def listener(sender, enrolment, course, **kwargs):
            heard.append((enrolment.pk, course.pk))

        events.course_completed.connect(listener)
        try:
            complete(client, learner_named, small)
            # The same lesson again (a double click) and the rule checked again (a quiz).
            client.post(f"/en/progress/lessons/{small.lessons[0].pk}/complete/")
            assert update_course_completion(learner_named, small.course) is False
            assert update_course_completion(learner_named, small.course) is False
        finally:
            events.course_completed.disconnect(listener)
        enrolment = Enrolment.objects.get(user=learner_named)
        assert heard == [(enrolment.pk, small.course.pk)]
        assert certificate_tasks().count() == 1

    def test_an_unfinished_course_announces_nothing(self, client, learner_named, all_locales):
        tree = factories.make_tree(modules=1, lessons_per_module=2)
        client.force_login(learner_named)
        factories.opened(learner_named, tree.lessons[0])
        client.post(f"/en/progress/lessons/{tree.lessons[0].pk}/complete/")
        assert Enrolment.objects.get(user=learner_named).completed_at is None
        assert not certificate_tasks().exists()


class TestTheCertificateIsATask:
    def test_the_learner_waits_on_a_page_that_refreshes_then_sees_the_certificate(
        self, client, learner_named, small
    ):
        complete(client, learner_named, small)
        assert not Certificate.objects.exists()  # nothing for a verifier to find yet
        html = client.get("/en/learning/").content.decode()
        assert "Your certificate is being prepared." in html and REFRESH in html
        assert 'href="/en/learning/">Check again</a>' in html
        factories.run_tasks()
        certificate = Certificate.objects.get(user=learner_named)
        html = client.get("/en/learning/").content.decode()
        assert f"/en/verify/{certificate.code}/certificate.pdf" in html
        assert "being prepared" not in html and REFRESH not in html
        assert certificate_tasks(status="SUCCESSFUL").get().return_value == certificate.code

    def test_a_verifier_sees_the_whole_certificate_or_nothing(
        self, client, learner_named, small, monkeypatch
    ):
        def broken_printer(certificate, template):
            raise OSError("disk full")

        monkeypatch.setattr(certificates, "render_pdf", broken_printer)
        complete(client, learner_named, small)
        factories.run_tasks()
        # The credential was signed before the PDF failed: neither was kept.
        assert not Certificate.objects.exists()
        assert certificate_tasks(status="FAILED").count() == 1
        monkeypatch.undo()
        certificate_tasks(status="READY").update(run_after=timezone.now())
        factories.run_tasks()
        certificate = Certificate.objects.get()
        assert certificate.pdf and certificate.pdf_sha256 and certificate.credential
        answer = client.get(f"/en/verify/{certificate.code}.json").json()
        assert answer["status"] == "valid" and answer["pdf_sha256"] == certificate.pdf_sha256

    def test_tasks_wait_while_no_worker_runs_and_pages_do_not_pile_them_up(
        self, client, learner_named, small
    ):
        complete(client, learner_named, small)
        for _ in range(3):  # the page refreshing itself
            client.get("/en/learning/")
        assert certificate_tasks(status="READY").count() == 1
        factories.run_tasks()
        assert Certificate.objects.filter(user=learner_named).count() == 1

    def test_a_task_left_running_by_a_killed_worker_is_run_again_once_abandoned(
        self, client, learner_named, small
    ):
        complete(client, learner_named, small)
        task = certificate_tasks(status="READY").get()
        task.claim("killed-worker")  # claimed, then the worker died (SIGKILL) mid-task
        assert factories.run_tasks() == 0  # another worker does not take a running task
        out = io.StringIO()
        call_command("requeue_abandoned_tasks", stdout=out)
        assert out.getvalue().startswith("0 task(s)")  # not 30 minutes yet
        assert certificate_tasks(status="RUNNING").count() == 1
        certificate_tasks().update(started_at=timezone.now() - timedelta(minutes=31))
        out = io.StringIO()
        call_command("requeue_abandoned_tasks", stdout=out)
        assert out.getvalue().startswith("1 task(s)")
        assert factories.run_tasks() == 1
        certificate = Certificate.objects.get(user=learner_named)
        assert (
            f"/en/verify/{certificate.code}/certificate.pdf"
            in client.get("/en/learning/").content.decode()
        )
        # Run a second time (the worker had finished after all): still one certificate.
        certificate_tasks().update(status="READY", started_at=None)
        factories.run_tasks()
        assert Certificate.objects.filter(user=learner_named).count() == 1

    def test_a_course_completed_before_certificates_were_tasks_gets_one_from_my_learning(
        self, client, learner_named, small
    ):
        complete(client, learner_named, small)
        certificate_tasks().delete()  # as if completed before this version, or lost in Redis
        client.get("/en/learning/")
        assert certificate_tasks(status="READY").count() == 1
        factories.run_tasks()
        assert Certificate.objects.filter(user=learner_named).exists()

    def test_a_name_that_cannot_be_printed_asks_the_learner_and_refreshes_nothing(
        self, client, learner_named, small
    ):
        profile = profile_for(learner_named)
        profile.certificate_name = "Ahmed \u202eretsiM"  # a right-to-left override
        profile.save()
        complete(client, learner_named, small)
        factories.run_tasks()
        assert not Certificate.objects.exists()
        html = client.get("/en/learning/").content.decode()
        assert "cannot be printed" in html and REFRESH not in html
        profile.certificate_name = "Amal Haddad"
        profile.save()
        html = client.get("/en/learning/").content.decode()
        assert "Your certificate is being prepared." in html
        factories.run_tasks()
        assert Certificate.objects.get().name == "Amal Haddad"

    @pytest.mark.django_db(transaction=True)  # the command commits as a worker does
    def test_the_real_db_worker_command_runs_the_waiting_tasks(self, client, learner_named, small):
        complete(client, learner_named, small)
        assert certificate_tasks(status="READY").count() == 1
        assert not Certificate.objects.exists()
        call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay")
        assert Certificate.objects.filter(user=learner_named).count() == 1
        assert certificate_tasks(status="SUCCESSFUL").count() == 1


class TestRetries:
    def test_a_failing_task_is_tried_three_times_and_staff_see_each_failure(
        self, client, learner_named, small, settings, monkeypatch
    ):
        settings.TASK_RETRY_DELAY = timedelta(0)  # each retry is due at once
        settings.REQUIRE_ADMIN_MFA = False

        def failing(*args, **kwargs):
            raise RuntimeError("the signing service is down")

        monkeypatch.setattr(certificates, "issue_certificate", failing)
        complete(client, learner_named, small)
        assert factories.run_tasks() == 3
        attempts = certificate_tasks().order_by("enqueued_at")
        assert [row.status for row in attempts] == ["FAILED"] * 3
        assert [row.args_kwargs["kwargs"].get("attempt", 1) for row in attempts] == [1, 2, 3]
        assert factories.run_tasks() == 0  # no fourth attempt
        client.force_login(factories.make_user("root@example.org", is_superuser=True))
        html = client.get("/admin/tasks/").content.decode()
        assert html.count('class="task-failure"') == 3
        assert "3 of 3" in html and "RuntimeError" in html
        assert "the signing service is down" in html

    def test_a_retry_waits_for_its_delay(self, client, learner_named, small, monkeypatch):
        monkeypatch.setattr(
            certificates, "issue_certificate", lambda *a, **k: 1 / 0
        )  # ZeroDivisionError
        complete(client, learner_named, small)
        assert factories.run_tasks() == 1
        retry = certificate_tasks(status="READY").get()
        assert retry.run_after >= timezone.now() + timedelta(seconds=20)

    def test_only_administrators_see_the_task_list(self, client, settings):
        settings.REQUIRE_ADMIN_MFA = False
        client.force_login(factories.make_user("ed@example.org", is_staff=True))
        assert client.get("/admin/tasks/").status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)


class TestEmails:
    def test_a_password_reset_email_waits_for_the_worker(self, client, learner):
        client.post("/en/accounts/password/reset/", {"email": learner.email})
        assert mail.outbox == []
        factories.run_tasks()
        (email,) = mail.outbox
        assert email.to == [learner.email]
        assert "http://testserver/en/accounts/password/reset/key/" in email.body

    def test_an_email_that_fails_to_send_is_retried(self, client, learner, settings, monkeypatch):
        settings.TASK_RETRY_DELAY = timedelta(0)
        calls = []

        def flaky(self, *args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise ConnectionRefusedError("mail server down")
            return original(self, *args, **kwargs)

        from django.core.mail.backends.locmem import EmailBackend

        original = EmailBackend.send_messages
        monkeypatch.setattr(EmailBackend, "send_messages", flaky)
        client.post("/en/accounts/password/reset/", {"email": learner.email})
        factories.run_tasks()
        assert len(mail.outbox) == 1 and len(calls) == 2


REDIS_TASKS_URL = "redis://127.0.0.1:6379/13"  # db 13: this concern's, flushed by the test


@pytest.fixture
def rq_backend(settings):
    """TASKS_BACKEND=rq as the settings make it, on the real Redis (db 13)."""
    import redis

    from tests.conftest import require

    connection = redis.Redis.from_url(REDIS_TASKS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        require(False, "Redis is not running on 127.0.0.1:6379")
    connection.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": REDIS_TASKS_URL}}
    settings.TASKS = settings.TASKS | {
        "background": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    }
    yield connection
    connection.flushdb()


def run_rq_worker():
    """What `manage.py rqworker default --job-class django_tasks_rq.Job` does, in burst
    mode and in this process (SimpleWorker: no fork, so it sees this test's database)."""
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


class TestTheRedisOption:
    def test_an_email_waits_in_redis_until_an_rq_worker_sends_it(
        self, rq_backend, client, learner, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/en/accounts/password/reset/", {"email": learner.email})
        assert mail.outbox == [] and not DBTaskResult.objects.exists()
        assert rq_backend.llen("rq:queue:default") == 1
        run_rq_worker()
        (email,) = mail.outbox
        assert email.to == [learner.email] and "/accounts/password/reset/key/" in email.body

    def test_a_completion_rolled_back_sends_nothing_to_redis(
        self, rq_backend, learner_named, small, django_capture_on_commit_callbacks
    ):
        from django.db import transaction

        with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
            certificates.request_certificate(learner_named.pk, small.course.translation_key, "en")
            transaction.set_rollback(True)
        assert callbacks == [] and rq_backend.llen("rq:queue:default") == 0
