"""Email that arrives (issue 18): every message recorded, retried and marked failed after its
last attempt; bounces and complaints stop mail to an address (at queue time and at send
time); optional mail carries a one-click unsubscribe; the learner's choices on the profile."""

import json
import re
from datetime import timedelta
from http import HTTPStatus

from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

import pytest
from allauth.mfa.models import Authenticator
from django_tasks_db.models import DBTaskResult

from courses import background, bounces, emails, privacy
from courses.choices import EmailCategory
from courses.models.learners import profile_for
from courses.models.mail import (
    BounceReport,
    OutgoingEmail,
    OutgoingEmailStatus,
    SuppressedAddress,
    SuppressionReason,
)
from tests import factories

SECRET = "webhook-test-secret-" + "k" * 20  # noqa: S105 - a test value
OPTIONAL = EmailCategory.UPDATES


def message(to="learner@example.org", subject="Your course", body="The course changed."):
    return EmailMessage(subject, body, "Academy <no-reply@example.org>", [to])


def send_one(worker):
    """Run the next waiting task; its DBTaskResult."""
    return background.run_next(worker)


@pytest.fixture
def failing_mail_server(monkeypatch, settings):
    settings.TASK_RETRY_DELAY = timedelta(0)  # each retry is due at once

    def down(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", down)


class TestTheRecord:
    def test_a_queued_email_is_recorded_then_marked_sent_by_the_worker(self, learner):
        assert emails.enqueue_email(message(), user=learner, kind="course_news") is True
        record = OutgoingEmail.objects.get()
        assert (record.status, record.attempts, record.recipient) == (
            OutgoingEmailStatus.QUEUED,
            0,
            "learner@example.org",
        )
        assert (record.kind, record.category, record.language) == ("course_news", "essential", "en")
        assert mail.outbox == []
        factories.run_tasks()
        record.refresh_from_db()
        assert record.status == OutgoingEmailStatus.SENT
        assert record.attempts == 1 and record.sent_at is not None
        assert len(mail.outbox) == 1

    def test_the_record_and_the_task_roll_back_together(self, learner):
        with pytest.raises(RuntimeError), transaction.atomic():
            emails.enqueue_email(message(), user=learner)
            raise RuntimeError("the request failed after queueing")
        assert not OutgoingEmail.objects.exists()
        assert not DBTaskResult.objects.exists()

    def test_an_email_that_never_goes_through_is_marked_failed_after_the_last_attempt(
        self, learner, failing_mail_server, settings
    ):
        emails.enqueue_email(message(), user=learner)
        worker = background.in_process_worker("tests")
        send_one(worker)
        record = OutgoingEmail.objects.get()
        # Still to be retried: not yet "failed".
        assert (record.status, record.attempts) == (OutgoingEmailStatus.QUEUED, 1)
        assert "mail server down" in record.last_error
        assert factories.run_tasks() == settings.TASK_MAX_ATTEMPTS - 1
        record.refresh_from_db()
        assert record.status == OutgoingEmailStatus.FAILED
        assert record.attempts == settings.TASK_MAX_ATTEMPTS
        assert record.last_error == "ConnectionRefusedError: mail server down"
        assert mail.outbox == []

    def test_a_send_that_fails_once_ends_sent_after_two_attempts(
        self, learner, settings, monkeypatch
    ):
        settings.TASK_RETRY_DELAY = timedelta(0)
        original, calls = EmailBackend.send_messages, []

        def flaky(self, *args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise ConnectionRefusedError("mail server down")
            return original(self, *args, **kwargs)

        monkeypatch.setattr(EmailBackend, "send_messages", flaky)
        emails.enqueue_email(message(), user=learner)
        factories.run_tasks()
        record = OutgoingEmail.objects.get()
        assert (record.status, record.attempts) == (OutgoingEmailStatus.SENT, 2)
        assert len(mail.outbox) == 1

    def test_a_password_reset_is_recorded_without_its_link(self, client, learner):
        client.post("/en/accounts/password/reset/", {"email": learner.email})
        factories.run_tasks()
        (email,) = mail.outbox
        link = re.search(r"http://testserver/\S+/password/reset/key/\S+", email.body).group(0)
        record = OutgoingEmail.objects.get()
        assert record.kind == "password_reset_key" and record.status == OutgoingEmailStatus.SENT
        stored = " ".join(str(value) for value in record.__dict__.values())
        assert link not in stored and "reset/key" not in stored

    def test_optional_mail_must_name_its_user(self, db):
        with pytest.raises(ValueError, match="unsubscribe"):
            emails.enqueue_email(message(), category=OPTIONAL)
        assert not OutgoingEmail.objects.exists()


class TestSuppression:
    def test_mail_to_a_suppressed_address_is_not_queued_and_is_recorded(self, learner):
        bounces.record("Learner@Example.ORG", "bounce", permanent=True, source="operator")
        assert emails.enqueue_email(message(), user=learner) is False
        record = OutgoingEmail.objects.get()
        assert record.status == OutgoingEmailStatus.SUPPRESSED
        assert not DBTaskResult.objects.exists()
        assert factories.sent_mail() == []

    def test_an_address_suppressed_after_queueing_is_not_sent_to(self, learner):
        emails.enqueue_email(message(), user=learner)
        bounces.record(learner.email, "complaint", permanent=False, source="webhook")
        assert factories.sent_mail() == []
        assert OutgoingEmail.objects.get().status == OutgoingEmailStatus.SUPPRESSED

    def test_a_suppressed_copy_is_dropped_and_the_rest_is_sent(self, learner):
        bounces.record("gone@example.org", "bounce", permanent=True, source="operator")
        email = message()
        email.cc = ["gone@example.org", "colleague@example.org"]
        emails.enqueue_email(email, user=learner)
        (sent,) = factories.sent_mail()
        assert sent.to == [learner.email] and sent.cc == ["colleague@example.org"]

    def test_a_soft_bounce_is_recorded_and_mail_still_goes(self, learner):
        assert bounces.record(learner.email, "bounce", permanent=False, source="webhook") is None
        assert BounceReport.objects.get().permanent is False
        assert not SuppressedAddress.objects.exists()
        assert emails.enqueue_email(message(), user=learner) is True
        assert len(factories.sent_mail()) == 1


class TestOptOut:
    def test_an_opted_out_category_is_not_queued_and_is_recorded(self, learner):
        profile = profile_for(learner)
        profile.email_opt_outs = [OPTIONAL]
        profile.save()
        assert emails.enqueue_email(message(), user=learner, category=OPTIONAL) is False
        assert OutgoingEmail.objects.get().status == OutgoingEmailStatus.OPTED_OUT
        assert factories.sent_mail() == []

    def test_turning_a_category_off_after_queueing_stops_the_email(self, learner):
        emails.enqueue_email(message(), user=learner, category=OPTIONAL)
        profile = profile_for(learner)
        profile.email_opt_outs = [OPTIONAL]
        profile.save()
        assert factories.sent_mail() == []
        assert OutgoingEmail.objects.get().status == OutgoingEmailStatus.OPTED_OUT

    def test_optional_mail_has_one_click_headers_and_an_unsubscribe_line(self, learner):
        emails.enqueue_email(message(), user=learner, category=OPTIONAL)
        (sent,) = factories.sent_mail()
        header = sent.extra_headers["List-Unsubscribe"]
        url = re.fullmatch(r"<(http://testserver/en/email/unsubscribe/[^/]+/)>", header).group(1)
        assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert sent.body.startswith("The course changed.")
        assert url in sent.body.split("\n-- \n")[1]
        assert "Updates to courses you hold a certificate for" in sent.body

    def test_essential_mail_has_no_unsubscribe(self, learner):
        emails.enqueue_email(message(), user=learner)
        (sent,) = factories.sent_mail()
        assert "List-Unsubscribe" not in sent.extra_headers
        assert "List-Unsubscribe-Post" not in sent.extra_headers
        assert sent.body == "The course changed." and "unsubscribe" not in sent.body

    def test_the_unsubscribe_line_is_in_the_recipients_language(self, learner):
        profile = profile_for(learner)
        profile.preferred_language = "fr"
        profile.save()
        emails.enqueue_email(message(), user=profile.user, category=OPTIONAL)
        emails.enqueue_email(message(), user=profile.user, category=OPTIONAL, language="es")
        french, spanish = factories.sent_mail()
        assert "/fr/email/unsubscribe/" in french.extra_headers["List-Unsubscribe"]
        assert "/es/email/unsubscribe/" in spanish.extra_headers["List-Unsubscribe"]
        assert OutgoingEmail.objects.filter(language="fr").count() == 1
        # Needs the translations of tr_mail.json (applied by the integrator).
        assert "Vous recevez cet e-mail" in french.body
        assert "You receive this email" not in french.body
        assert "Recibe este correo" in spanish.body

    def test_the_emailed_one_click_link_turns_the_category_off_without_signing_in(self, learner):
        emails.enqueue_email(message(), user=learner, category=OPTIONAL)
        (sent,) = factories.sent_mail()
        url = sent.extra_headers["List-Unsubscribe"].strip("<>")
        mail_client = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token
        response = mail_client.post(
            url.removeprefix("http://testserver"),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == HTTPStatus.OK
        assert profile_for(learner).email_opt_outs == [OPTIONAL]
        fresh = type(learner).objects.get(pk=learner.pk)
        assert emails.enqueue_email(message(), user=fresh, category=OPTIONAL) is False


def unsubscribe_path(token, language="en"):
    return f"/{language}/email/unsubscribe/{token}/"


class TestUnsubscribePage:
    def test_the_link_asks_first_and_changes_nothing_on_get(self, client, learner):
        token = emails.unsubscribe_token(learner, EmailCategory.REMINDERS)
        response = client.get(unsubscribe_path(token))
        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert "Stop receiving “Reminders about courses you started" in html
        assert f'action="{unsubscribe_path(token)}"' in html and 'method="post"' in html
        assert profile_for(learner).email_opt_outs == []

    def test_the_button_turns_the_category_off_and_again_is_harmless(self, client, learner):
        token = emails.unsubscribe_token(learner, EmailCategory.REMINDERS)
        for _time in range(2):
            response = client.post(unsubscribe_path(token))
            assert response.status_code == HTTPStatus.OK
            assert "You will no longer receive" in response.content.decode()
        assert profile_for(learner).email_opt_outs == [EmailCategory.REMINDERS]
        # The other optional kinds stay on; a later visit says it is done.
        assert emails.may_send(learner, EmailCategory.FOLLOWUP)
        assert "You will no longer receive" in client.get(unsubscribe_path(token)).content.decode()

    @pytest.mark.parametrize(
        "forge",
        [
            lambda user: emails.unsubscribe_token(user, EmailCategory.REMINDERS)[:-2] + "xx",
            lambda user: "not-a-token",
            lambda user: emails.signing.dumps([user.pk, "reminders"], salt="another.salt"),
            lambda user: emails.signing.dumps([user.pk, "essential"], salt=emails.UNSUBSCRIBE_SALT),
            lambda user: emails.signing.dumps(["x", "reminders"], salt=emails.UNSUBSCRIBE_SALT),
            lambda user: emails.signing.dumps(
                [user.pk + 99, "reminders"], salt=emails.UNSUBSCRIBE_SALT
            ),
            lambda user: emails.signing.dumps({"u": 1}, salt=emails.UNSUBSCRIBE_SALT),
        ],
    )
    def test_a_forged_or_damaged_token_is_refused_and_changes_nothing(self, client, learner, forge):
        token = forge(learner)
        for send in (client.get, client.post):
            response = send(unsubscribe_path(token))
            assert response.status_code == HTTPStatus.BAD_REQUEST
            assert "This unsubscribe link is not valid" in response.content.decode()
        assert profile_for(learner).email_opt_outs == []


class TestProfileEmails:
    def test_the_profile_lists_each_optional_kind_ticked_and_says_essential_mail_goes(
        self, client, learner
    ):
        client.force_login(learner)
        html = client.get("/en/profile/").content.decode()
        assert "Emails about your account and your workshops are always sent." in html
        for category in ("updates", "reminders", "followup"):
            assert re.search(rf'<input[^>]*value="{category}"[^>]*checked', html), category
        assert 'value="essential"' not in html

    def test_unticking_a_kind_turns_it_off(self, client, learner):
        client.force_login(learner)
        response = client.post("/en/profile/emails/", {"receive": ["updates"]}, follow=True)
        assert "Your email choices have been saved." in response.content.decode()
        assert profile_for(learner).email_opt_outs == ["reminders", "followup"]
        html = response.content.decode()
        assert re.search(r'<input[^>]*value="updates"[^>]*checked', html)
        assert not re.search(r'<input[^>]*value="reminders"[^>]*checked', html)

    def test_the_message_is_in_the_learners_language(self, client, learner):
        # Needs the translations of tr_mail.json (applied by the integrator).
        client.force_login(learner)
        response = client.post("/fr/profile/emails/", {"receive": []}, follow=True)
        assert "Vos choix d’e-mails ont été enregistrés." in response.content.decode()

    @pytest.mark.parametrize("value", ["essential", "\x00", "x" * 300, "updates'--"])
    def test_a_choice_that_does_not_exist_changes_nothing(self, client, learner, value):
        profile = profile_for(learner)
        profile.email_opt_outs = ["followup"]
        profile.save()
        client.force_login(learner)
        response = client.post("/en/profile/emails/", {"receive": ["updates", value]}, follow=True)
        assert response.status_code < 500
        if response.status_code == HTTPStatus.OK:
            assert "These email choices are not valid" in response.content.decode()
        assert profile_for(learner).email_opt_outs == ["followup"]

    def test_the_choices_are_changed_only_by_post(self, client, learner):
        client.force_login(learner)
        response = client.get("/en/profile/emails/", {"receive": []})
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert profile_for(learner).email_opt_outs == []


class TestUndeliveredAddress:
    def test_the_profile_says_mail_is_not_delivered_and_try_again_clears_it(self, client, learner):
        bounces.record(learner.email, "bounce", permanent=True, source="webhook")
        client.force_login(learner)
        html = client.get("/en/profile/").content.decode()
        assert "Email to learner@example.org is not delivered" in html
        assert 'action="/en/profile/emails/retry/"' in html
        response = client.post("/en/profile/emails/retry/", follow=True)
        assert "We will send email to your address again." in response.content.decode()
        assert "is not delivered" not in response.content.decode()
        assert not SuppressedAddress.objects.exists()
        assert emails.enqueue_email(message(), user=learner) is True

    def test_a_new_address_is_not_suppressed(self, client, learner):
        bounces.record(learner.email, "complaint", permanent=True, source="webhook")
        learner.email = "new@example.org"
        learner.save()
        client.force_login(learner)
        assert "is not delivered" not in client.get("/en/profile/").content.decode()
        assert emails.enqueue_email(message(to="new@example.org"), user=learner) is True
        assert [email.to for email in factories.sent_mail()] == [["new@example.org"]]

    def test_trying_again_when_nothing_is_blocked_changes_nothing(self, client, learner):
        bounces.record("someone@example.org", "bounce", permanent=True, source="webhook")
        client.force_login(learner)
        response = client.post("/en/profile/emails/retry/", follow=True)
        assert "Email to your address is not blocked." in response.content.decode()
        assert SuppressedAddress.objects.count() == 1


def signed_post(client, body, signature=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {}
    if signature is not False:
        headers["HTTP_X_MAIL_SIGNATURE"] = (
            bounces.signature(SECRET, raw) if signature is None else signature
        )
    return client.post("/mail/events", raw, content_type="application/json", **headers)


class TestWebhook:
    @pytest.fixture(autouse=True)
    def secret(self, settings):
        settings.MAIL_WEBHOOK_SECRET = SECRET

    def test_a_signed_permanent_bounce_suppresses_the_address(self, client, db):
        report = {"type": "bounce", "email": "Gone@Example.org", "permanent": True}
        response = signed_post(client, report)
        assert response.status_code == HTTPStatus.OK
        assert response.json() == {"recorded": True, "suppressed": True}
        row = SuppressedAddress.objects.get()
        assert (row.address, row.reason, row.source) == (
            "gone@example.org",
            SuppressionReason.HARD_BOUNCE,
            "webhook",
        )

    def test_a_complaint_suppresses_and_a_soft_bounce_is_only_recorded(self, client, db):
        signed_post(client, {"type": "bounce", "email": "busy@example.org", "permanent": False})
        signed_post(client, {"type": "complaint", "email": "angry@example.org"})
        assert list(SuppressedAddress.objects.values_list("address", "reason")) == [
            ("angry@example.org", SuppressionReason.COMPLAINT)
        ]
        assert BounceReport.objects.count() == 2

    def test_a_prefixed_signature_is_accepted(self, client, db):
        body = json.dumps({"type": "complaint", "email": "a@example.org"}).encode()
        response = signed_post(client, body, "sha256=" + bounces.signature(SECRET, body))
        assert response.status_code == HTTPStatus.OK

    @pytest.mark.parametrize(
        "signature", [False, "", "0" * 64, "sha256=abc", "ünïcode", "x" * 5000]
    )
    def test_a_missing_or_wrong_signature_is_refused_and_changes_nothing(
        self, client, db, signature, caplog
    ):
        caplog.set_level("DEBUG")
        body = {"type": "bounce", "email": "gone@example.org", "permanent": True}
        response = signed_post(client, body, signature)
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert not BounceReport.objects.exists() and not SuppressedAddress.objects.exists()
        assert SECRET not in response.content.decode() and SECRET not in caplog.text

    def test_a_body_signed_with_another_secret_is_refused(self, client, db):
        body = json.dumps({"type": "complaint", "email": "a@example.org"}).encode()
        response = signed_post(client, body, bounces.signature("another-secret", body))
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert not SuppressedAddress.objects.exists()

    @pytest.mark.parametrize(
        "body",
        [
            b"",
            b"not json",
            b"\xff\xfe\x00",
            b"[]",
            b'"bounce"',
            b"[" * 5000,
            {"type": "bounce"},
            {"type": "delivered", "email": "a@example.org"},
            {"type": "bounce", "email": "not an address", "permanent": True},
            {"type": "bounce", "email": "a@example.org", "permanent": "yes"},
            {"type": "bounce", "email": ["a@example.org"], "permanent": True},
            {"type": "bounce", "email": "a\x00@example.org", "permanent": True},
            {"type": "bounce", "email": "a" * 300 + "@example.org", "permanent": True},
            {"type": ["bounce"], "email": "a@example.org"},
        ],
    )
    def test_a_signed_body_that_is_not_a_report_answers_400_and_changes_nothing(
        self, client, db, body
    ):
        response = signed_post(client, body)
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert not BounceReport.objects.exists() and not SuppressedAddress.objects.exists()

    def test_only_post_is_accepted(self, client, db):
        assert client.get("/mail/events").status_code == HTTPStatus.METHOD_NOT_ALLOWED

    def test_without_a_secret_the_endpoint_does_not_exist(self, client, db, settings):
        settings.MAIL_WEBHOOK_SECRET = ""
        body = {"type": "complaint", "email": "a@example.org"}
        response = signed_post(client, body)
        # A 404 outside the language prefix: Django's LocaleMiddleware first tries the
        # prefixed path, where nothing answers either.
        if response.status_code == HTTPStatus.FOUND:
            assert response["Location"] == "/en/mail/events/"
            response = client.post(response["Location"], b"{}", content_type="application/json")
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert not SuppressedAddress.objects.exists() and not BounceReport.objects.exists()


class TestRecordBounceCommand:
    def test_an_operator_records_a_complaint(self, db, capsys):
        call_command("record_bounce", " Someone@Example.org ", "--kind", "complaint")
        row = SuppressedAddress.objects.get()
        assert (row.address, row.reason, row.source) == (
            "someone@example.org",
            SuppressionReason.COMPLAINT,
            "operator",
        )
        assert "No more mail to someone@example.org" in capsys.readouterr().out

    def test_a_bounce_is_permanent_unless_soft(self, db):
        call_command("record_bounce", "soft@example.org", "--kind", "bounce", "--soft")
        assert not SuppressedAddress.objects.exists()
        call_command("record_bounce", "hard@example.org", "--kind", "bounce")
        assert SuppressedAddress.objects.get().reason == SuppressionReason.HARD_BOUNCE

    def test_a_value_that_is_not_an_address_is_refused(self, db):
        with pytest.raises(CommandError, match="Not an email address"):
            call_command("record_bounce", "not-an-address", "--kind", "bounce")
        assert not BounceReport.objects.exists()


class TestStaffListing:
    def staff_with(self, *codenames):
        user = factories.make_user(f"{codenames[0]}@example.org")
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=[*codenames, "access_admin"])
        )
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "X"})
        return user

    def reports_viewer(self):
        return self.staff_with("view_outgoingemail")

    def test_a_report_viewer_does_not_see_who_was_sent_what(self, client, learner):
        emails.enqueue_email(message(), user=learner, kind="course_news")
        client.force_login(self.staff_with("view_programme_reports"))
        response = client.get("/admin/mail/")
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
        assert learner.email not in response.content.decode()

    def test_support_staff_see_recent_mail_and_failures(self, client, learner, failing_mail_server):
        emails.enqueue_email(message(), user=learner, kind="course_news")
        factories.run_tasks()
        bounces.record("gone@example.org", "bounce", permanent=True, source="operator")
        emails.enqueue_email(message(to="gone@example.org"), kind="workshop_invite")
        client.force_login(self.reports_viewer())
        html = client.get("/admin/mail/").content.decode()
        assert html.count('class="outgoing-email') == 2
        assert "ConnectionRefusedError: mail server down" in html
        assert "course_news" in html and "workshop_invite" in html
        assert 'class="suppressed-address"><td>gone@example.org' in html
        failed = client.get("/admin/mail/", {"status": "failed"}).content.decode()
        assert failed.count('class="outgoing-email') == 1 and "workshop_invite" not in failed
        # An unknown filter lists everything instead of failing.
        unknown = client.get("/admin/mail/", {"status": "nonsense"}).content.decode()
        assert unknown.count('class="outgoing-email') == 2

    def test_a_learner_or_plain_staff_does_not_see_it(self, client, learner, settings):
        settings.REQUIRE_ADMIN_MFA = False
        for user in (learner, factories.make_user("ed@example.org", is_staff=True)):
            client.force_login(user)
            assert client.get("/admin/mail/").status_code in (
                HTTPStatus.FOUND,
                HTTPStatus.FORBIDDEN,
            )


def test_deleting_the_account_erases_its_mail_records(client, learner):
    emails.enqueue_email(message(), user=learner, kind="course_news")
    client.post("/en/accounts/password/reset/", {"email": learner.email})  # no user on it
    factories.run_tasks()
    emails.enqueue_email(message(to="someone@example.org"), kind="other")
    assert OutgoingEmail.objects.count() == 3
    privacy.erase(learner)
    assert list(OutgoingEmail.objects.values_list("recipient", flat=True)) == [
        "someone@example.org"
    ]
