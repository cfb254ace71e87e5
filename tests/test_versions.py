"""Course versions: a legal update changes what verifiers see of older certificates, tells
their holders once, and re-certifies them only through the update path."""

import json
from datetime import date, timedelta
from http import HTTPStatus

from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.admin.panels import get_edit_handler

import pytest
from allauth.mfa.models import Authenticator
from django_tasks_db.models import DBTaskResult

from courses import certificates, codes, versions
from courses.choices import EmailCategory
from courses.credentials import dataintegrity, did
from courses.models import Attempt, Certificate, LegalUpdate, UpdateNotice
from courses.models.learners import profile_for
from courses.models.mail import OutgoingEmail, OutgoingEmailStatus
from tests import factories
from tests.test_pdf import page_text

pytestmark = pytest.mark.django_db

QUESTION = "b1f0c6de-0000-4000-8000-000000000017"
RIGHT = {f"q:{QUESTION}": "true"}
WRONG = {f"q:{QUESTION}": "false"}
SUMMARY = "The course now explains the preservation order of Article 25."
SUMMARY_FR = "Le cours explique désormais l’ordonnance de conservation de l’article 25."


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # rate-limit counters
    yield
    cache.clear()


@pytest.fixture
def small(all_locales):
    tree = factories.make_tree(modules=1, lessons_per_module=2)
    tree.quiz = factories.make_quiz(
        tree.course,
        [factories.true_false("A preservation order keeps data unchanged.", True, QUESTION)],
        kind="update",
    )
    return tree


def certify(client, user, tree, name="Amina Diallo"):
    """``user`` completes the course through the site; their certificate, made by a task."""
    profile = profile_for(user)
    profile.certificate_name = name
    profile.save()
    client.force_login(user)
    for lesson in tree.lessons:
        factories.opened(user, lesson)
        client.post(reverse("complete_lesson", args=[lesson.pk]))
    factories.run_tasks()
    return Certificate.objects.get(user=user, superseded_at__isnull=True)


@pytest.fixture
def holder(client, learner, small):
    return certify(client, learner, small)


def draft(tree, summary=SUMMARY, quiz=True):
    update = LegalUpdate.objects.create(
        course=tree.course,
        summary=summary,
        reason="Article 25 of the UN Convention against Cybercrime provides for it.",
        effective_date=date(2026, 3, 1),
        update_quiz=tree.quiz if quiz else None,
        locale=tree.course.locale,
    )
    update.lessons.set([tree.lessons[1]])
    return update


def translate(update, language, summary):
    translated = update.copy_for_translation(factories.locale(language))
    translated.summary = summary
    translated.save()
    return translated


def editor():
    user = factories.make_user("editor@example.org", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "X"})
    return user


def published(tree, **options):
    update = draft(tree, **options)
    versions.publish(update, None)
    update.refresh_from_db()
    return update


def verify_json(client, certificate, language="en"):
    return client.get(f"/{language}/verify/{certificate.code}.json").json()


def take_the_update(client, user, tree, answers=RIGHT):
    """Read the changed lesson again and take the update quiz, through the site."""
    client.force_login(user)
    key = tree.course.translation_key
    client.post(reverse("course_update_read", args=[key, tree.lessons[1].translation_key]))
    factories.submit_attempt(user, tree.quiz, answers)
    client.post(reverse("course_update_certificate", args=[key]))
    factories.run_tasks()


class TestPublishing:
    def test_publishing_gives_the_course_its_next_version_in_every_language(self, small):
        first = draft(small)
        french = translate(first, "fr", SUMMARY_FR)
        assert versions.current_version(small.course.translation_key) == 1
        versions.publish(first, None)
        french.refresh_from_db()
        assert versions.current_version(small.course.translation_key) == 2
        assert french.version == 2 and french.published_at is not None
        assert french.lesson_keys == [str(small.lessons[1].translation_key)]
        second = draft(small, summary="A second change.")
        assert versions.publish(second, None) == 3

    def test_an_update_is_published_once(self, small):
        update = published(small)
        with pytest.raises(ValidationError):
            versions.publish(update, None)
        assert versions.current_version(small.course.translation_key) == 2

    def test_the_editor_publishes_from_the_admin_after_a_confirmation(self, client, small):
        update = draft(small)
        client.force_login(editor())
        url = reverse("legal_update_publish", args=[update.pk])
        page = client.get(url).content.decode()
        assert SUMMARY in page and "version 2" in page
        assert versions.current_version(small.course.translation_key) == 1
        response = client.post(url)
        assert response.status_code == HTTPStatus.FOUND
        update.refresh_from_db()
        assert update.version == 2

    def test_publishing_enqueues_the_notices_as_one_task(self, small, holder):
        published(small)
        waiting = DBTaskResult.objects.filter(task_path__endswith="notify_holders")
        assert waiting.count() == 1
        assert not mail.outbox  # nothing is sent in the editor's request

    def test_a_changed_lesson_of_another_course_is_refused(self, small):
        other = factories.make_tree(home=small.home, title="Another course", slug="another")
        form_class = get_edit_handler(LegalUpdate).get_form_class()
        form = form_class(
            data={
                "course": small.course.pk,
                "summary": SUMMARY,
                "reason": "Because.",
                "effective_date": "2026-03-01",
                "lessons": [other.lessons[0].pk],
            },
            for_user=editor(),
        )
        assert not form.is_valid()
        assert "lessons" in form.errors


class TestWhatVerifiersSee:
    def test_an_older_certificate_lists_the_updates_since_newest_first(self, client, small, holder):
        published(small)
        published(small, summary="A second change, about Article 14.")
        html = client.get(f"/en/verify/{holder.code}/").content.decode()
        assert "Issued for version 1 of the course" in html
        assert html.index("A second change, about Article 14.") < html.index(SUMMARY)
        assert "Valid certificate" in html  # an update never makes a certificate invalid
        data = verify_json(client, holder)
        assert data["status"] == "valid"
        assert data["course_version"] == 1 and data["current_course_version"] == 3
        assert [change["version"] for change in data["updates_since"]] == [3, 2]
        assert data["updates_since"][1]["summary"] == SUMMARY
        assert data["updates_since"][1]["effective_date"] == "2026-03-01"

    def test_a_current_certificate_says_so_plainly(self, client, small, holder):
        html = client.get(f"/en/verify/{holder.code}/").content.decode()
        assert "Issued for version 1 of the course" in html and "its current version" in html
        data = verify_json(client, holder)
        assert data["course_version"] == data["current_course_version"] == 1
        assert data["updates_since"] == []

    def test_the_update_is_worded_in_the_verifiers_language_else_the_source(
        self, client, small, holder
    ):
        update = draft(small)
        translate(update, "fr", SUMMARY_FR)
        versions.publish(update, None)
        assert SUMMARY_FR in client.get(f"/fr/verify/{holder.code}/").content.decode()
        assert verify_json(client, holder, "fr")["updates_since"][0]["summary"] == SUMMARY_FR
        assert SUMMARY in client.get(f"/es/verify/{holder.code}/").content.decode()

    def test_unknown_codes_keep_the_same_keys_and_the_same_queries(self, client, small, holder):
        published(small)
        known = verify_json(client, holder)
        missing = codes.new_code()
        unknown = client.get(f"/en/verify/{missing}.json").json()
        assert set(unknown) == set(known)
        assert unknown["updates_since"] == [] and unknown["course_version"] is None
        client.get(f"/en/verify/{holder.code}/")  # the site's cached facts, warmed
        with CaptureQueriesContext(connection) as for_known:
            client.get(f"/en/verify/{holder.code}/")
        with CaptureQueriesContext(connection) as for_unknown:
            client.get(f"/en/verify/{missing}/")
        assert len(for_known) == len(for_unknown)

    def test_the_verify_page_queries_do_not_grow_with_the_updates(self, client, small, holder):
        published(small)
        one = factories.queries_for(client, f"/en/verify/{holder.code}/")
        for number in range(3):
            published(small, summary=f"Change {number}.")
        cache.clear()
        assert factories.queries_for(client, f"/en/verify/{holder.code}/") == one

    @pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "ru", "zh-hans", "pt", "vi"])
    def test_the_version_lines_render_in_every_language(self, client, small, holder, language):
        published(small)
        response = client.get(f"/{language}/verify/{holder.code}/")
        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert 'class="verify-version"' in html and SUMMARY in html
        if language == "ar":
            assert 'dir="rtl"' in html


class TestTellingTheHolders:
    def test_each_holder_is_emailed_once_in_their_language(self, client, small, holder):
        profile = profile_for(holder.user)
        profile.preferred_language = "fr"
        profile.save()
        update = draft(small)
        translate(update, "fr", SUMMARY_FR)
        versions.publish(update, None)
        sent = factories.sent_mail()
        assert len(sent) == 1
        body = sent[0].body
        assert sent[0].to == [holder.user.email]
        assert SUMMARY_FR in body and SUMMARY not in body
        assert f"/fr/learning/updates/{small.course.translation_key}/" in body
        assert not sent[0].alternatives  # plain text only: what editors wrote stays inert
        # The task run again tells nobody twice.
        assert (
            versions.notify_holders.call(course_key=str(small.course.translation_key), version=2)
            == 0
        )
        assert len(factories.sent_mail()) == 1
        assert UpdateNotice.objects.count() == 1

    def test_a_holder_who_turned_updates_off_is_not_emailed(self, client, small, holder):
        profile = profile_for(holder.user)
        profile.email_opt_outs = [EmailCategory.UPDATES]
        profile.save()
        published(small)
        assert factories.sent_mail() == []
        record = OutgoingEmail.objects.get()
        assert (record.kind, record.status) == ("legal_update", OutgoingEmailStatus.OPTED_OUT)
        # The dashboard still offers the update: only the email is turned off.
        client.force_login(holder.user)
        assert SUMMARY in client.get("/en/learning/").content.decode()

    def test_the_notice_can_be_unsubscribed_in_one_click(self, client, small, holder):
        published(small)
        (sent,) = factories.sent_mail()
        assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = sent.extra_headers["List-Unsubscribe"].strip("<>")
        assert url in sent.body
        client.logout()
        client.post(url.removeprefix("http://testserver"))
        assert profile_for(holder.user).email_opt_outs == [EmailCategory.UPDATES]

    def test_holders_of_a_revoked_certificate_are_not_told(self, client, small, holder):
        certificates.revoke(holder, None, "Issued to the wrong person.")
        published(small)
        assert factories.sent_mail() == []

    def test_the_dashboard_offers_the_update_with_its_summary(self, client, small, holder):
        client.force_login(holder.user)
        assert "Update available" not in client.get("/en/learning/").content.decode()
        published(small)
        html = client.get("/en/learning/").content.decode()
        assert "Update available" in html and SUMMARY in html
        assert reverse("course_update", args=[small.course.translation_key]) in html

    @pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "ru", "zh-hans", "pt", "vi"])
    def test_the_dashboard_card_renders_in_every_language(self, client, small, holder, language):
        published(small)
        client.force_login(holder.user)
        response = client.get(f"/{language}/learning/")
        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert "dashboard-update" in html and SUMMARY in html
        if language == "ar":
            assert 'dir="rtl"' in html

    def test_a_learner_without_a_certificate_is_not_offered_the_update(
        self, client, small, learner
    ):
        published(small)
        client.force_login(learner)
        assert "dashboard-update" not in client.get("/en/learning/").content.decode()
        key = small.course.translation_key
        page = client.get(reverse("course_update", args=[key])).content.decode()
        assert "You have no certificate of this course that an update concerns" in page
        factories.submit_attempt(learner, small.quiz, RIGHT)
        client.post(reverse("course_update_certificate", args=[key]))
        factories.run_tasks()
        assert not Certificate.objects.exists()


class TestTheUpdatePath:
    def test_changed_lessons_and_the_quiz_passed_give_a_certificate_for_the_new_version(
        self, client, small, holder
    ):
        stored = json.loads(json.dumps(holder.credential))
        published(small)
        take_the_update(client, holder.user, small)
        new = Certificate.objects.get(user=holder.user, superseded_at__isnull=True)
        holder.refresh_from_db()
        assert new.pk != holder.pk and new.course_version == 2
        assert holder.superseded_by == new and holder.status == "valid"
        assert new.credential["credentialSubject"]["achievement"]["version"] == "2"
        # The old credential is untouched and still verifies.
        assert holder.credential == stored
        resolver = did.public_key_resolver(certificates.did_document())
        assert dataintegrity.verify(holder.credential, resolver).ok
        assert dataintegrity.verify(new.credential, resolver).ok
        # The verify pages: the old one names its successor, the new one is current.
        html = client.get(f"/en/verify/{holder.code}/").content.decode()
        assert "Superseded by a certificate for version 2 issued on" in html
        assert "Valid certificate" in html
        data = verify_json(client, holder)
        assert data["superseded_by_version"] == 2 and data["status"] == "valid"
        assert verify_json(client, new)["updates_since"] == []
        # Nothing more to do: the dashboard card is gone; the transcript tells them apart.
        assert "dashboard-update" not in client.get("/en/learning/").content.decode()
        transcript = client.get(reverse("transcript")).content.decode()
        assert "Course version 1 · superseded by your certificate for a newer version" in (
            " ".join(transcript.split())
        )
        assert "Course version 2" in transcript

    def test_the_new_certificate_prints_its_version(self, client, small, holder, tmp_path):
        published(small)
        take_the_update(client, holder.user, small)
        new = Certificate.objects.get(user=holder.user, superseded_at__isnull=True)
        path = tmp_path / "new.pdf"
        path.write_bytes(new.pdf.open("rb").read())
        month = timezone.localdate().strftime("%B %Y")
        assert f"Course version 2 ({month})" in " ".join(page_text(path).split())
        old = tmp_path / "old.pdf"
        old.write_bytes(holder.pdf.open("rb").read())
        assert f"Course version 1 ({month})" in " ".join(page_text(old).split())

    def test_a_failed_quiz_gives_nothing(self, client, small, holder):
        published(small)
        take_the_update(client, holder.user, small, answers=WRONG)
        assert Certificate.objects.filter(user=holder.user).count() == 1

    def test_skipping_the_quiz_gives_nothing(self, client, small, holder):
        published(small)
        client.force_login(holder.user)
        key = small.course.translation_key
        client.post(reverse("course_update_read", args=[key, small.lessons[1].translation_key]))
        client.post(reverse("course_update_certificate", args=[key]))
        factories.run_tasks()
        assert Certificate.objects.filter(user=holder.user).count() == 1

    def test_skipping_the_changed_lesson_gives_nothing(self, client, small, holder):
        published(small)
        client.force_login(holder.user)
        factories.submit_attempt(holder.user, small.quiz, RIGHT)
        client.post(reverse("course_update_certificate", args=[small.course.translation_key]))
        factories.run_tasks()
        assert Certificate.objects.filter(user=holder.user).count() == 1

    def test_a_quiz_passed_before_the_update_was_published_does_not_count(
        self, client, small, holder
    ):
        factories.submit_attempt(holder.user, small.quiz, RIGHT)
        Attempt.objects.update(submitted_at=timezone.now() - timedelta(days=1))
        published(small)
        client.force_login(holder.user)
        key = small.course.translation_key
        client.post(reverse("course_update_read", args=[key, small.lessons[1].translation_key]))
        path = versions.update_path(holder.user, key, "en")
        assert not path.complete
        # The task, enqueued by whatever means, checks again on the server.
        versions.issue_update_certificate.call(user_id=holder.user.pk, course_key=str(key))
        assert Certificate.objects.filter(user=holder.user).count() == 1

    def test_reading_a_lesson_outside_the_update_records_nothing(self, client, small, holder):
        published(small)
        client.force_login(holder.user)
        key = small.course.translation_key
        client.post(reverse("course_update_read", args=[key, small.lessons[0].translation_key]))
        assert not versions.update_path(holder.user, key, "en").lessons[0][1]

    def test_asking_again_or_completing_the_course_again_issues_nothing_more(
        self, client, small, holder
    ):
        published(small)
        # Completing the course again (in another language too) keeps the version-1 one.
        assert certificates.issue_certificate(holder.user, small.course.translation_key, "fr") == (
            holder
        )
        take_the_update(client, holder.user, small)
        client.post(reverse("course_update_certificate", args=[small.course.translation_key]))
        versions.issue_update_certificate.call(
            user_id=holder.user.pk, course_key=str(small.course.translation_key)
        )
        factories.run_tasks()
        assert Certificate.objects.filter(user=holder.user).count() == 2

    def test_a_revoked_certificate_has_no_update_path(self, client, small, holder):
        published(small)
        certificates.revoke(holder, None, "Issued to the wrong person.")
        take_the_update(client, holder.user, small)
        assert Certificate.objects.filter(user=holder.user).count() == 1

    def test_a_newcomer_is_certified_at_the_current_version(self, client, small, holder):
        published(small)
        newcomer = factories.make_user("newcomer@example.org")
        certificate = certify(client, newcomer, small, name="Lan Nguyen")
        assert certificate.course_version == 2
        assert certificate.credential["credentialSubject"]["achievement"]["version"] == "2"
        client.force_login(newcomer)
        assert "dashboard-update" not in client.get("/en/learning/").content.decode()

    def test_the_update_page_lists_the_steps(self, client, small, holder):
        published(small)
        client.force_login(holder.user)
        page = client.get(reverse("course_update", args=[small.course.translation_key]))
        html = page.content.decode()
        assert small.lessons[1].title in html and small.quiz.title in html
        assert small.lessons[0].title not in html
        assert "Get my certificate for the current version" not in html


def test_a_published_update_cannot_be_edited_or_deleted_in_the_admin(client, small):
    update = published(small)
    client.force_login(editor())
    delete = reverse("wagtailsnippets_courses_legalupdate:delete", args=[update.pk])
    response = client.post(delete)
    assert response.status_code == HTTPStatus.FOUND
    assert LegalUpdate.objects.filter(pk=update.pk).exists()
    edit = reverse("wagtailsnippets_courses_legalupdate:edit", args=[update.pk])
    response = client.post(
        edit,
        {
            "course": small.course.pk,
            "summary": "Rewritten after publication.",
            "reason": "No.",
            "effective_date": "2026-03-01",
        },
    )
    update.refresh_from_db()
    assert update.summary == SUMMARY
