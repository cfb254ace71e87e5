"""Sign-up, email verification, sign-in, rate limits and two-factor for the admin."""

import re
from http import HTTPStatus

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()
SIGNUP = "/en/accounts/signup/"
LOGIN = "/en/accounts/login/"


def sign_up(client, email="new@example.org", password1=factories.PASSWORD, password2=None):
    return client.post(
        SIGNUP,
        {"email": email, "password1": password1, "password2": password2 or password1},
    )


class TestSignUpJourney:
    def test_sign_up_verify_then_sign_in_and_fill_profile(self, client, tree):
        response = sign_up(client)
        assert response.status_code == HTTPStatus.FOUND
        assert User.objects.filter(email="new@example.org").exists()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["new@example.org"]
        assert "Confirm your email address" in message.subject
        link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)

        # Cannot sign in before confirming.
        client.post(LOGIN, {"login": "new@example.org", "password": factories.PASSWORD})
        assert "_auth_user_id" not in client.session

        confirm_path = link.split("testserver", 1)[1]
        page = client.get(confirm_path)
        assert "Please confirm that new@example.org is your email address." in page.content.decode()
        response = client.post(confirm_path)
        assert EmailAddress.objects.get(email="new@example.org").verified
        # Confirming signs the person in and asks for the certificate name and country first.
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith("/en/profile/edit/?")
        assert "welcome=1" in response.url

        welcome = client.get(response.url)
        assert "tell us how your name should appear" in welcome.content.decode()
        saved = client.post(
            "/en/profile/edit/", {"certificate_name": "Ana Pereira", "country": "MZ"}
        )
        assert saved.status_code == HTTPStatus.FOUND
        profile = client.get("/en/profile/").content.decode()
        assert "Ana Pereira" in profile and "Mozambique" in profile

        client.post("/en/accounts/logout/")
        response = client.post(LOGIN, {"login": "new@example.org", "password": factories.PASSWORD})
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == "/en/profile/"  # profile complete: no more questions

    def test_confirmation_link_can_be_used_by_a_french_speaker(self, client, tree):
        client.post(
            "/fr/accounts/signup/",
            {
                "email": "fr@example.org",
                "password1": factories.PASSWORD,
                "password2": factories.PASSWORD,
            },
        )
        assert "/fr/accounts/confirm-email/" in mail.outbox[0].body


class TestBadSignUpInput:
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"email": "not-an-email"}, "Enter a valid email address."),
            ({"password2": "something-else-entirely-9"}, "The two passwords do not match."),
            ({"password1": "123", "password2": "123"}, "This password is too short."),
        ],
    )
    def test_bad_input_shows_an_error_and_creates_nothing(self, client, tree, data, message):
        fields = {
            "email": "x@example.org",
            "password1": factories.PASSWORD,
            "password2": factories.PASSWORD,
        } | data
        response = client.post(SIGNUP, fields)
        assert response.status_code == HTTPStatus.OK
        assert message in response.content.decode()
        assert 'aria-invalid="true"' in response.content.decode()
        assert User.objects.count() == 0
        assert mail.outbox == []

    def test_duplicate_email_is_refused_whatever_its_case(self, client, tree, learner):
        response = sign_up(client, email="LEARNER@example.org")
        assert response.status_code == HTTPStatus.OK
        assert "An account already uses this email address." in response.content.decode()
        assert User.objects.count() == 1
        assert mail.outbox == []

    def test_errors_come_in_the_visitors_language(self, client, tree):
        response = client.post(
            "/fr/accounts/signup/",
            {"email": "x@example.org", "password1": factories.PASSWORD, "password2": "autre-9x"},
        )
        with translation.override("fr"):
            expected = gettext("The two passwords do not match.")
        assert expected != "The two passwords do not match."  # the catalogue has it
        assert expected in response.content.decode()


class TestSignIn:
    def test_wrong_password_says_so_without_signing_in(self, client, tree, learner):
        response = client.post(LOGIN, {"login": learner.email, "password": "wrong-password"})
        assert response.status_code == HTTPStatus.OK
        assert "The email address or the password is not correct." in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_repeated_failures_are_rate_limited(self, client, tree, learner):
        for _ in range(5):
            client.post(LOGIN, {"login": learner.email, "password": "wrong-password"})
        response = client.post(LOGIN, {"login": learner.email, "password": factories.PASSWORD})
        assert "Too many failed sign-in attempts" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_password_reset_sends_a_link_that_sets_a_new_password(self, client, tree, learner):
        client.post("/en/accounts/password/reset/", {"email": learner.email})
        link = re.search(r"https?://testserver(\S+)", mail.outbox[0].body).group(1)
        form_url = client.get(link, follow=True).redirect_chain[-1][0]
        new = "another-Long-passphrase-77"
        client.post(form_url, {"password1": new, "password2": new})
        learner.refresh_from_db()
        assert learner.check_password(new)


def totp_code(secret):
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


class TestAdminTwoFactor:
    @pytest.fixture
    def editor(self, tree):
        return factories.make_user("editor@example.org", is_staff=True, is_superuser=True)

    def test_admin_login_goes_through_allauth(self, client):
        response = client.get("/admin/login/?next=/admin/pages/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == "/en/accounts/login/?next=%2Fadmin%2Fpages%2F"

    def test_admin_login_refuses_to_redirect_off_site(self, client):
        response = client.get("/admin/login/?next=https://evil.example/")
        assert "evil" not in response.url

    def test_anonymous_visitors_are_sent_to_allauth_login(self, client):
        response = client.get("/admin/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith("/en/accounts/login/")

    def test_staff_without_totp_cannot_reach_the_admin(self, client, editor):
        client.force_login(editor)
        response = client.get("/admin/pages/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.endswith("/accounts/2fa/totp/activate/")
        page = client.get(response.url, follow=True)  # allauth may ask for the password again
        assert "Set up two-factor authentication before you use the administration area." in (
            page.content.decode()
        )

    @override_settings(REQUIRE_ADMIN_MFA=False)
    def test_the_local_demo_may_switch_the_requirement_off(self, client, editor):
        client.force_login(editor)
        assert client.get("/admin/").status_code == HTTPStatus.OK

    def test_staff_with_totp_signs_in_with_a_code_and_reaches_the_admin(self, client, editor):
        secret = generate_totp_secret()
        TOTP.activate(editor, secret)
        response = client.post(
            LOGIN, {"login": editor.email, "password": factories.PASSWORD, "next": "/admin/"}
        )
        assert response.url.endswith("/accounts/2fa/authenticate/")
        assert "_auth_user_id" not in client.session  # password alone is not enough
        response = client.post(response.url, {"code": totp_code(secret)})
        assert response.status_code == HTTPStatus.FOUND
        assert client.get("/admin/").status_code == HTTPStatus.OK

    def test_learners_are_not_asked_for_totp_and_do_not_get_in(self, client, learner):
        client.force_login(learner)
        response = client.get("/admin/")
        assert "2fa" not in response.get("Location", "")
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
