"""Follow-up surveys: sent once at the due time by the daily job, answered once through a
signed, expiring link without signing in, stored without the person, shown in the programme
report, and stopped by the learner (courses/followup.py, courses/nudges.py)."""

import re
import threading
import time
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from unittest import mock

from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

import pytest

from courses import followup, nudges, programme
from courses.choices import EmailCategory
from courses.models import Enrolment, FollowUpInvitation, FollowUpResponse, FollowUpSurvey
from courses.models.learners import profile_for
from courses.programme import Filters
from courses.programme.followup import section as followup_section
from tests import factories

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
DAYS = timedelta(days=1)
LINK = re.compile(r"https?://[^/\s]+(/(\w[\w-]*)/follow-up/([^/\s]+)/)")


def clock(moment):
    """Django's clock stopped at ``moment`` (the view's expiry check, auto dates)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def survey(all_locales):
    return FollowUpSurvey.objects.create(
        name="Default",
        locale=all_locales["en"],
        applied_question="Have you applied what you learned?",
        frequency_question="How often do you use it?",
        obstacles_question="What stood in the way?",
        more_questions=[
            {"type": "question", "value": {"question": "Anything else?"}, "id": "more-1"}
        ],
    )


def completed(user, course, at, country="SN", sex="female", role="police"):
    profile = profile_for(user)
    profile.country, profile.sex, profile.role = country, sex, role
    profile.save()
    return Enrolment.objects.create(user=user, course_key=course.translation_key, completed_at=at)


@pytest.fixture
def finished(tree, survey):
    """A learner who completed the course 90 days before NOW."""
    user = factories.make_user()
    completed(user, tree.course, NOW - 90 * DAYS)
    return user


def run(now):
    """The daily job at ``now``; then the emails its tasks sent (and a clean outbox)."""
    nudges.send_due_mail(now=now)
    sent = list(factories.sent_mail())
    mail.outbox.clear()
    return sent


def token_url(payload, salt=followup.SALT):
    return reverse("followup", args=[signing.dumps(payload, salt=salt)])


def link_in(message):
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


class TestWhenItIsSent:
    def test_not_a_day_early_then_once_on_the_day_however_often_the_job_runs(self, finished):
        assert run(NOW - DAYS) == []
        sent = run(NOW)
        assert [message.to for message in sent] == [[finished.email]]
        assert "Handling digital evidence" in sent[0].subject
        assert run(NOW) == []  # the job again the same day
        assert run(NOW + 30 * DAYS) == []  # and a month later
        assert FollowUpInvitation.objects.filter(user=finished).count() == 1

    def test_a_command_runs_the_same_job(self, finished):
        with clock(NOW):
            call_command("send_due_mail", stdout=mock.MagicMock())
        assert [message.to for message in factories.sent_mail()] == [[finished.email]]

    def test_the_job_also_runs_on_the_task_worker(self, finished):
        with clock(NOW):
            call_command("send_due_mail", "--queue", stdout=mock.MagicMock())
            assert mail.outbox == []  # nothing until the worker runs it
            sent = factories.sent_mail()
        assert [message.to for message in sent] == [[finished.email]]

    def test_a_course_survey_is_sent_on_its_own_day_instead_of_the_default(
        self, tree, survey, all_locales, client
    ):
        FollowUpSurvey.objects.create(
            name="For this course",
            course=tree.course,
            days_after=30,
            locale=all_locales["en"],
            applied_question="Course question?",
            frequency_question="How often?",
            obstacles_question="Obstacles?",
        )
        user = factories.make_user()
        completed(user, tree.course, NOW - 30 * DAYS)
        sent = run(NOW)
        assert len(sent) == 1
        with clock(NOW):
            page = client.get(link_in(sent[0]))
        assert "Course question?" in page.content.decode()

    def test_nothing_is_sent_without_an_active_survey(self, finished, survey):
        survey.active = False
        survey.save()
        assert run(NOW) == []
        assert not FollowUpInvitation.objects.exists()

    def test_nobody_without_an_address_or_active_account_is_invited(self, finished):
        get_user_model().objects.filter(pk=finished.pk).update(is_active=False)
        assert run(NOW) == []
        assert not FollowUpInvitation.objects.exists()

    def test_the_email_is_in_the_learners_language(self, finished, tree):
        factories.translate(tree.course, "fr", title="Traiter la preuve numérique")
        profile = profile_for(finished)
        profile.preferred_language = "fr"
        profile.save()
        (message,) = run(NOW)
        assert "/fr/follow-up/" in message.body
        assert "Traiter la preuve numérique" in message.subject


class TestOptingOut:
    def test_a_learner_who_turned_follow_ups_off_gets_none(self, finished):
        from courses import emails

        emails.opt_out(finished, EmailCategory.FOLLOWUP)
        assert run(NOW) == []
        assert not FollowUpInvitation.objects.exists()

    def test_stop_on_the_page_stops_further_follow_ups(self, finished, tree, client):
        (message,) = run(NOW)
        with clock(NOW + DAYS):
            response = client.post(link_in(message), {"action": "stop"})
        assert response.status_code == HTTPStatus.OK
        assert "You will get no more follow-up emails." in response.content.decode()
        assert EmailCategory.FOLLOWUP in profile_for(finished).email_opt_outs
        # A second course completed later: no follow-up for it.
        other = factories.make_tree(home=tree.home, title="Second course", slug="second-course")
        completed(finished, other.course, NOW - 80 * DAYS)
        assert run(NOW + 10 * DAYS) == []

    def test_opting_out_twice_keeps_one_entry_and_essential_mail_cannot_be_turned_off(
        self, learner
    ):
        from courses import emails

        assert emails.opt_out(learner, EmailCategory.REMINDERS) is True
        assert emails.opt_out(learner, EmailCategory.REMINDERS) is False
        assert profile_for(learner).email_opt_outs == [EmailCategory.REMINDERS]
        with pytest.raises(ValueError):
            emails.opt_out(learner, EmailCategory.ESSENTIAL)


class TestTheLink:
    @pytest.fixture
    def link(self, finished):
        (message,) = run(NOW)
        return link_in(message)

    def answer(self, client, link, when=NOW + DAYS, **fields):
        data = {"action": "answer", "applied": "yes", "frequency": "weekly"} | fields
        with clock(when):
            return client.post(link, data)

    def test_the_page_asks_the_surveys_questions_without_signing_in(self, client, link):
        with clock(NOW + DAYS):
            response = client.get(link)
        page = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert "Have you applied what you learned?" in page
        assert "What stood in the way?" in page
        assert "Anything else?" in page
        assert 'name="robots" content="noindex"' in page
        # The report may quote what they write (courses/programme/followup.py): they are told.
        assert "what you write may be shown word for word" in page
        assert "leave out names and details that would identify you" in page

    def test_an_answer_is_stored_once_and_a_second_use_is_refused(self, client, link):
        response = self.answer(
            client, link, obstacles="No forensic software at my unit.", **{"more_more-1": "More"}
        )
        assert "your answers were saved" in response.content.decode()
        stored = FollowUpResponse.objects.get()
        assert (stored.applied, stored.frequency, stored.country, stored.sex, stored.role) == (
            True,
            "weekly",
            "SN",
            "female",
            "police",
        )
        assert stored.obstacles == "No forensic software at my unit."
        assert stored.more == {"more-1": "More"}
        assert FollowUpInvitation.objects.get().used_at is not None
        again = self.answer(client, link, applied="no", frequency="not_yet")
        assert "already answered" in again.content.decode()
        with clock(NOW + 2 * DAYS):
            page = client.get(link).content.decode()
        assert "already answered" in page and 'name="applied"' not in page
        assert FollowUpResponse.objects.count() == 1
        assert FollowUpResponse.objects.get().applied is True

    def test_two_submissions_at_once_store_one_answer(self, link):
        invitation = FollowUpInvitation.objects.get()
        twin = FollowUpInvitation.objects.get()  # the other request read it unanswered too
        assert followup.record_answer(invitation, True, "weekly") is True
        assert followup.record_answer(twin, False, "not_yet") is False
        assert FollowUpResponse.objects.count() == 1

    def test_an_incomplete_answer_comes_back_with_its_message_and_changes_nothing(
        self, client, link
    ):
        response = self.answer(client, link, applied="", obstacles="Kept text")
        page = response.content.decode()
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "This field is required." in page
        assert "Kept text" in page  # what they wrote is not lost
        assert not FollowUpResponse.objects.exists()
        assert FollowUpInvitation.objects.get().used_at is None

    def test_an_expired_link_is_refused_and_changes_nothing(self, client, link):
        late = NOW + 60 * DAYS + timedelta(seconds=1)
        with clock(late):
            page = client.get(link)
        assert page.status_code == HTTPStatus.GONE
        assert "This link has expired" in page.content.decode()
        response = self.answer(client, link, when=late)
        assert response.status_code == HTTPStatus.GONE
        assert not FollowUpResponse.objects.exists()
        # The last day it still works.
        assert self.answer(client, link, when=NOW + 60 * DAYS).status_code == HTTPStatus.OK

    def test_a_forged_or_mangled_link_is_refused_and_changes_nothing(self, client, link):
        invitation = FollowUpInvitation.objects.get()
        forged = [
            link.replace("/follow-up/", "/follow-up/x"),
            reverse(
                "followup",
                args=[signing.dumps({"i": invitation.pk, "n": "guess"}, salt=followup.SALT)],
            ),
            reverse("followup", args=[signing.dumps({"i": invitation.pk, "n": invitation.nonce})]),
            reverse("followup", args=[signing.dumps([1, 2], salt=followup.SALT)]),
        ]
        for url in forged:
            response = self.answer(client, url)
            assert response.status_code == HTTPStatus.NOT_FOUND, url
            assert "This link is not valid" in response.content.decode()
            with clock(NOW + DAYS):
                assert client.post(url, {"action": "stop"}).status_code == HTTPStatus.NOT_FOUND
        assert not FollowUpResponse.objects.exists()
        assert profile_for(invitation.user).email_opt_outs == []

    def test_the_answer_is_not_linked_to_the_person(self):
        fields = {field.name for field in FollowUpResponse._meta.get_fields()}
        assert not fields & {"user", "invitation", "email", "organisation", "sent_at"}


class TestReport:
    def invite_and_answer(self, tree, count, applied=True, country="SN", obstacles=""):
        for number in range(count):
            user = factories.make_user(f"{country}{applied}{number}@example.org")
            enrolment = completed(user, tree.course, NOW - 90 * DAYS, country=country)
            followup.send(user, NOW, enrolment=enrolment, survey=FollowUpSurvey.objects.get())
            invitation = FollowUpInvitation.objects.get(user=user)
            followup.record_answer(invitation, applied, "monthly", obstacles=obstacles)

    def test_rates_and_small_cells(self, tree, survey):
        self.invite_and_answer(tree, 6, applied=True, obstacles="Time")
        self.invite_and_answer(tree, 4, applied=False, obstacles="No tools")
        self.invite_and_answer(tree, 2, applied=True, country="KE")
        for number in range(3):  # invited, no answer
            user = factories.make_user(f"silent{number}@example.org")
            enrolment = completed(user, tree.course, NOW - 90 * DAYS)
            followup.send(user, NOW, enrolment=enrolment, survey=survey)
        section = programme.build_report(Filters())["followup"]
        tables = {table.title: table for table in section["tables"]}
        # 15 invited, 12 answered (80 %), 8 of them applied it (66.7 %).
        assert tables["Follow-up"].rows == [[15, 12, 80.0, 8, 66.7]]
        by_country = {row[0]: row[1:] for row in tables["Follow-up by country"].rows}
        assert by_country["Kenya"][:2] == ["<5", "<5"]  # 2 invited, shown as small
        assert by_country["Kenya"][2] == "—"  # and no rate from them
        assert by_country["Senegal"][0] == "×"  # withheld so Kenya's cannot be worked out
        assert ["No tools"] in tables["Follow-up: what stood in the way"].rows
        # A filter down to Kenya's two people: the section says so and shows nothing.
        kenya = followup_section(Filters(country="KE"))
        assert kenya["tables"] == [] and "Fewer than 10 people" in kenya["withheld"]

    def test_free_text_only_for_a_large_enough_group(self, tree, survey):
        self.invite_and_answer(tree, 6, obstacles="Time")
        titles = {t.title for t in programme.build_report(Filters())["followup"]["tables"]}
        assert "Follow-up: what stood in the way" not in titles  # 6 < REPORT_MIN_GROUP

    def test_an_erased_account_keeps_both_sides_of_its_answer_in_the_rates(self, tree, survey):
        from courses import privacy

        self.invite_and_answer(tree, 12, applied=True)
        gone = get_user_model().objects.get(email="SNTrue0@example.org")
        invitation = FollowUpInvitation.objects.get(user=gone)
        token = followup.token_for(invitation)
        privacy.erase(gone)
        invitation.refresh_from_db()
        assert invitation.user is None  # nobody's any more, like the answer
        tables = {t.title: t for t in programme.build_report(Filters())["followup"]["tables"]}
        # Still 12 invited and 12 answered (100 %), never more answers than invitations.
        assert tables["Follow-up"].rows == [[12, 12, 100.0, 12, 100.0]]
        with pytest.raises(followup.LinkError):
            followup.invitation_for(token)

    def test_free_text_never_under_a_filter_on_who_they_are(self, tree, survey):
        # Two large groups whose difference is one person: a country, and that country's
        # people but one. Neither filtered view may show words, or subtracting them would
        # tie that person's words to them.
        self.invite_and_answer(tree, 12, obstacles="Shared obstacle")
        self.invite_and_answer(tree, 1, country="KE", obstacles="Only one person wrote this")
        whole = {t.title: t for t in programme.build_report(Filters())["followup"]["tables"]}
        assert ["Only one person wrote this"] in whole["Follow-up: what stood in the way"].rows
        for narrowed in (Filters(country="SN"), Filters(sex="female"), Filters(role="police")):
            titles = {t.title for t in followup_section(narrowed)["tables"]}
            assert "Follow-up: what stood in the way" not in titles

    def test_filters_the_answers_cannot_honour_show_nothing(self, tree, survey):
        self.invite_and_answer(tree, 12)
        narrowed = followup_section(Filters(organisation="Police"))
        assert narrowed["tables"] == []
        assert "cannot be narrowed by organisation" in narrowed["withheld"]

    def test_the_section_is_on_the_report_page_and_in_the_export(
        self, tree, survey, client, settings
    ):
        from django.contrib.auth.models import Permission

        settings.REQUIRE_ADMIN_MFA = False
        self.invite_and_answer(tree, 12)
        manager = factories.make_user("manager@example.org", is_staff=True)
        manager.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_programme_reports", "access_admin"])
        )
        client.force_login(manager)
        page = client.get(reverse("programme_report")).content.decode()
        export = client.get(reverse("programme_report"), {"export": "csv"})
        assert "Follow-up survey" in page and "Follow-up by role" in page
        assert "Follow-up by sex" in export.content.decode("utf-8-sig")


@pytest.mark.usefixtures("demo_once")
class TestDemo:
    @pytest.mark.django_db
    def test_the_demo_learner_is_sent_the_follow_up_and_the_answer_reaches_the_report(self, client):
        learner = get_user_model().objects.get(email="learner@example.org")
        done = Enrolment.objects.get(user=learner, completed_at__isnull=False).completed_at
        due = done + 90 * DAYS
        early = [m for m in run(due - DAYS) if m.to == [learner.email]]
        assert not [m for m in early if "/follow-up/" in m.body]
        sent = [m for m in run(due + timedelta(minutes=1)) if m.to == [learner.email]]
        assert len(sent) == 1 and "/follow-up/" in sent[0].body
        link = link_in(sent[0])
        with clock(due + DAYS):
            page = client.get(link).content.decode()
            assert "Have you applied what you learned in your work?" in page
            # The survey's French translation on the French page.
            french = client.get(link.replace("/en/", "/fr/", 1)).content.decode()
            assert "Avez-vous appliqué dans votre travail" in french
            client.post(link, {"action": "answer", "applied": "yes", "frequency": "weekly"})
            again = client.post(link, {"action": "answer", "applied": "no", "frequency": "weekly"})
        assert "already answered" in again.content.decode()
        # Every count exact (no small cells) to see the one answer.
        section = programme.build_report(Filters(threshold=1, min_group=1))["followup"]
        summary = next(t for t in section["tables"] if t.title == "Follow-up")
        invited, answered, _rate, applied, application = summary.rows[0]
        assert (answered, applied, application) == (1, 1, 100.0)
        assert invited >= 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locking between connections; .ci/run runs it on PostgreSQL",
)
def test_two_submissions_racing_from_two_connections_store_one_answer(
    all_locales, finished, monkeypatch
):
    """The first submission holds its transaction open after claiming the invitation; the
    second, sent meanwhile, waits for it and then finds the invitation answered."""
    run(NOW)
    claimed = threading.Event()
    create = FollowUpResponse.objects.create

    def slow_create(**fields):
        if threading.current_thread().name == "first":
            claimed.set()
            time.sleep(1)  # keep the claim open while the second one tries
        return create(**fields)

    monkeypatch.setattr(FollowUpResponse.objects, "create", slow_create)
    stored = {}

    def racer():
        name = threading.current_thread().name
        if name == "second":
            claimed.wait(5)
        invitation = FollowUpInvitation.objects.get()
        stored[name] = followup.record_answer(invitation, name == "first", "weekly")
        connection.close()

    factories.run_in_threads(racer, "first", "second")
    assert stored == {"first": True, "second": False}
    assert list(FollowUpResponse.objects.values_list("applied", flat=True)) == [True]


def test_the_learners_data_download_lists_follow_ups_sent_but_not_their_answers(finished):
    from courses import privacy

    (message,) = run(NOW)
    invitation = FollowUpInvitation.objects.get()
    followup.record_answer(invitation, True, "weekly", obstacles="My own words")
    data = privacy.export(finished, "en")["reminders_and_follow_ups"]
    assert [row["kind"] for row in data["sent"]] == ["followup"]
    (survey_row,) = data["follow_up_surveys"]
    assert survey_row["answered"] is True
    assert "My own words" not in str(data)


def test_an_editor_can_open_the_survey_form_in_the_admin(survey, client, settings):
    settings.REQUIRE_ADMIN_MFA = False
    editor = factories.make_user("editor@example.org", is_staff=True, is_superuser=True)
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_courses_followupsurvey:list"))
    assert listing.status_code == HTTPStatus.OK and "Default" in listing.content.decode()
    form = client.get(reverse("wagtailsnippets_courses_followupsurvey:add"))
    assert form.status_code == HTTPStatus.OK
    assert "question: did you apply it?" in form.content.decode().lower()
