"""The benchmark commands of docs/performance.md: what they refuse and what they leave behind
(their figures are measurements, never asserted here)."""

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from courses.certificates import request_certificate
from courses.models import Certificate
from tests import factories

pytestmark = pytest.mark.django_db


def test_certificate_benchmark_in_the_worker_runs_the_task_and_leaves_nothing_behind(
    capsys, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the PDFs' storage, seen by no other test
    factories.make_tree(modules=1, lessons_per_module=1)  # gives certificates by default
    users = get_user_model().objects.count()

    call_command("benchmark_certificates", in_worker=True, count=3)

    out = capsys.readouterr().out
    assert "3 certificate tasks claimed and run as the worker runs them" in out
    assert "per certificate: median" in out
    assert get_user_model().objects.count() == users
    assert not Certificate.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert default_storage.listdir("certificates")[1] == []  # the PDFs were stored, then deleted


def test_certificate_benchmark_in_the_worker_leaves_other_waiting_tasks_to_the_worker(
    settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    learner = factories.make_user()
    request_certificate(learner.pk, tree.course.translation_key, "en")

    call_command("benchmark_certificates", in_worker=True, count=2)

    waiting = DBTaskResult.objects.get()
    assert waiting.status == TaskResultStatus.READY
    assert waiting.args_kwargs["kwargs"]["user_id"] == learner.pk
    assert not Certificate.objects.exists()


def test_certificate_benchmark_in_the_worker_needs_a_course_that_gives_certificates():
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    tree.course.certificates_enabled = False
    factories.publish(tree.course)

    with pytest.raises(CommandError, match="No live English course gives certificates"):
        call_command("benchmark_certificates", in_worker=True, count=2)


def test_signed_in_benchmark_refuses_a_baseline_without_its_own_database():
    with pytest.raises(CommandError, match="--baseline needs --baseline-database-url"):
        call_command("benchmark_signed_in", baseline="/tmp/elsewhere")  # noqa: S108
