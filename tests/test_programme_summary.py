"""The whole programme's report from stored figures (courses/programme/summary.py): the same
tables as live, an "as of" notice, renewed after completions, certificates and revocations,
live while none is stored and for every other filter."""

from datetime import timedelta
from types import SimpleNamespace

from django.test import override_settings
from django.utils import timezone

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from courses import certificates, events, programme
from courses.models import Certificate, Enrolment, ReportSummary
from courses.programme import summary
from tests import factories, test_programme
from tests.test_programme import (
    REPORT,
    add_learner,
    csv_tables,
    make_certificate,
    screen_tables,
)

cohort = test_programme.cohort  # fixtures
manager = test_programme.manager

pytestmark = pytest.mark.django_db


def refreshes_waiting():
    return DBTaskResult.objects.filter(
        task_path=summary.refresh_report_summary.module_path, status=TaskResultStatus.READY
    ).count()


@pytest.fixture
def national(settings, cohort):
    """The cohort of tests/test_programme.py on a site large enough for stored figures."""
    settings.REPORT_SUMMARY_FROM = 1
    return cohort


@pytest.fixture
def stored(national):
    """The figures stored once, as the worker's first refresh stores them."""
    programme.build_report(programme.Filters())  # large enough, none stored: asks for one
    assert factories.run_tasks() == 1
    return national


class TestStoredFigures:
    def test_the_report_is_the_same_from_stored_figures_with_their_time(
        self, client, manager, national
    ):
        live = client.get(REPORT)
        assert "Figures as of" not in live.content.decode()
        factories.run_tasks()
        assert ReportSummary.objects.count() == 1
        stored = client.get(REPORT)
        assert "Figures as of" in stored.content.decode()
        assert screen_tables(stored) == screen_tables(live)
        for query in ("?sex=female", "?country=KE&role=police", "?sex=not_stated"):
            assert screen_tables(client.get(REPORT + query)) == screen_tables(
                live_get(client, query)
            )

    def test_exports_say_as_of_when(self, client, manager, stored):
        response = client.get(REPORT + "?export=csv")
        assert "Figures as of" in response.content.decode()
        assert csv_tables(response) == csv_tables(live_get(client, "?export=csv"))

    def test_a_revocation_renews_them(self, client, manager, stored):
        users, _workshop = stored
        assert certified_shown(client) == "5"
        certificates.revoke(Certificate.objects.get(user=users["f1"]), manager, "Issued in error.")
        assert refreshes_waiting() == 1
        # Until the worker runs, the stored figures (with their time) are still shown.
        assert certified_shown(client) == "5"
        factories.run_tasks()
        assert certified_shown(client) == "<5"

    def test_a_completion_and_a_certificate_renew_them(self, client, manager, stored):
        users, _workshop = stored
        enrolment = Enrolment.objects.get(user=users["m2"])
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=enrolment.started_at)
        # As courses/progress.py announces it, for a course that gives no certificate.
        no_certificates = SimpleNamespace(certificates_enabled=False)
        events.course_completed.send(sender=Enrolment, enrolment=enrolment, course=no_certificates)
        assert refreshes_waiting() == 1
        make_certificate(users["m2"], 99, "2026-06-01")
        assert refreshes_waiting() == 1  # the one waiting reads both changes
        assert (everyone()["completed"], everyone()["certified"]) == (7, 5)
        factories.run_tasks()
        assert (everyone()["completed"], everyone()["certified"]) == (8, 6)  # m2 now both
        assert screen_tables(client.get(REPORT))["People trained"][0][2] == "8"

    def test_new_learners_show_after_the_next_refresh_and_at_once_in_a_filtered_report(
        self, client, manager, stored
    ):
        for index in range(5):
            add_learner(f"new{index}@example.org", "female", "SN", completed="2026-06-10")
        assert screen_tables(client.get(REPORT))["People trained"][0][0] == "12"
        period = client.get(REPORT + "?start=2020-01-01")
        assert "Figures as of" not in period.content.decode()
        assert screen_tables(period)["People trained"][0][0] == "17"

    def test_old_figures_ask_for_a_refresh_when_viewed(self, client, manager, stored, settings):
        client.get(REPORT)
        assert refreshes_waiting() == 0
        ReportSummary.objects.update(computed_at=timezone.now() - timedelta(hours=2))
        client.get(REPORT)
        client.get(REPORT)
        assert refreshes_waiting() == 1

    def test_a_small_programme_stays_live_and_drops_stored_figures(
        self, client, manager, stored, settings
    ):
        settings.REPORT_SUMMARY_FROM = 1000
        Certificate.objects.filter(user=stored[0]["f2"]).get().save()
        factories.run_tasks()
        assert not ReportSummary.objects.exists()
        assert "Figures as of" not in client.get(REPORT).content.decode()
        programme.build_report(programme.Filters())
        assert refreshes_waiting() == 0

    def test_no_refresh_is_asked_for_below_the_size(self, client, manager, cohort, settings):
        settings.REPORT_SUMMARY_FROM = 1000
        client.get(REPORT)
        assert refreshes_waiting() == 0
        assert factories.run_tasks() == 0

    def test_stored_figures_cost_the_same_queries_for_twelve_learners_or_forty(
        self, client, manager, stored, settings
    ):
        settings.REPORT_MIN_GROUP = 1
        before = [factories.queries_for(client, REPORT + query) for query in ("", "?sex=male")]
        for index in range(28):
            add_learner(
                f"more{index}@example.org",
                ("female", "male")[index % 2],
                ("KE", "GH", "SN")[index % 3],
                pre=20,
                post=60 + index,
                completed="2026-05-10",
            )
        factories.run_tasks()
        ReportSummary.objects.all().delete()
        programme.build_report(programme.Filters())
        factories.run_tasks()
        after = [factories.queries_for(client, REPORT + query) for query in ("", "?sex=male")]
        assert screen_tables(client.get(REPORT))["People trained"][0][0] == "40"
        assert after == before


def everyone():
    return programme.funnel(programme.Filters())


def certified_shown(client):
    return screen_tables(client.get(REPORT))["People trained"][0][3]


def live_get(client, query):
    """The same page computed live (the stored figures set aside for one request)."""
    saved = list(ReportSummary.objects.values())
    ReportSummary.objects.all().delete()
    try:
        with override_settings(REPORT_SUMMARY_FROM=10**9):
            return client.get(REPORT + query)
    finally:
        ReportSummary.objects.bulk_create([ReportSummary(**row) for row in saved])
