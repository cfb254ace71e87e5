"""Sign-up, email verification, sign-in, rate limits, addresses nobody can squat, answers that
do not tell who has an account, and two-factor for the admin."""

import re
from http import HTTPStatus

from django.contrib.auth import get_user_model
from django.test import Client, override_settings
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

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
User = get_user_model()
SIGNUP = "/en/accounts/signup/"
LOGIN = "/en/accounts/login/"
RESET = "/en/accounts/password/reset/"
RESET_DONE = "/en/accounts/password/reset/done/"


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
        assert len(factories.sent_mail()) == 1
        message = factories.sent_mail()[0]
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
        # Profile complete: no more questions, straight to learning (the only course here).
        assert response.url == tree.course.url

    def test_confirmation_link_can_be_used_by_a_french_speaker(self, client, tree):
        client.post(
            "/fr/accounts/signup/",
            {
                "email": "fr@example.org",
                "password1": factories.PASSWORD,
                "password2": factories.PASSWORD,
            },
        )
        assert "/fr/accounts/confirm-email/" in factories.sent_mail()[0].body


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
        assert factories.sent_mail() == []

    def test_signing_up_with_a_taken_address_emails_its_owner_instead(self, client, tree, learner):
        # Whatever its case; and the page cannot tell a visitor the address has an account.
        taken = sign_up(client, email="LEARNER@example.org", password1="someone-Else-77x")
        assert User.objects.count() == 1
        assert [message.to for message in factories.sent_mail()] == [["learner@example.org"]]
        assert "You already have an account" in factories.sent_mail()[0].subject
        assert "/en/accounts/password/reset/" in factories.sent_mail()[0].body
        learner.refresh_from_db()
        assert learner.check_password(factories.PASSWORD)

        fresh_client = Client()
        fresh = sign_up(fresh_client, email="someone.new@example.org")
        assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url)
        assert page_text(client.get(taken.url), "learner@example.org") == page_text(
            fresh_client.get(fresh.url), "someone.new@example.org"
        )

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
        link = re.search(r"https?://testserver(\S+)", factories.sent_mail()[0].body).group(1)
        form_url = client.get(link, follow=True).redirect_chain[-1][0]
        new = "another-Long-passphrase-77"
        client.post(form_url, {"password1": new, "password2": new})
        learner.refresh_from_db()
        assert learner.check_password(new)

    def test_password_reset_answers_the_same_whether_or_not_an_account_exists(
        self, client, tree, learner
    ):
        """Reproduction 10: the reset form said "No account uses this email address"."""
        known = client.post(RESET, {"email": learner.email}, follow=True)
        unknown = Client().post(RESET, {"email": "nobody@example.org"}, follow=True)
        assert known.redirect_chain == unknown.redirect_chain == [(RESET_DONE, HTTPStatus.FOUND)]
        assert page_text(known) == page_text(unknown)
        assert "No account" not in unknown.content.decode()
        # The owner of the unknown address learns why no link came; nobody else does.
        to_unknown = [m for m in factories.sent_mail() if m.to == ["nobody@example.org"]]
        assert len(to_unknown) == 1 and "/accounts/password/reset/key/" not in to_unknown[0].body


class TestEmailSquatting:
    """Reproduction 5: a learner lists someone else's address as an unverified second one."""

    @pytest.fixture
    def squatter(self, tree):
        user = factories.make_user("squatter@example.org")
        EmailAddress.objects.create(user=user, email="owner@example.org", verified=False)
        return user

    def test_the_owner_can_still_sign_up_and_verifying_removes_the_squatters_copy(
        self, client, squatter
    ):
        sign_up(client, email="owner@example.org")
        owner = User.objects.get(email="owner@example.org")
        assert owner != squatter
        assert "Confirm your email address" in factories.sent_mail()[0].subject
        link = re.search(
            r"https?://testserver(\S+/confirm-email/\S+/)", factories.sent_mail()[0].body
        )
        client.post(link.group(1))
        assert EmailAddress.objects.get(email="owner@example.org").user == owner
        assert not squatter.emailaddress_set.filter(email="owner@example.org").exists()
        assert squatter.emailaddress_set.get().email == "squatter@example.org"

        client.post("/en/accounts/logout/")
        response = client.post(
            LOGIN, {"login": "owner@example.org", "password": factories.PASSWORD}
        )
        assert response.status_code == HTTPStatus.FOUND
        assert factories.user_of(client) == owner

    def test_a_squatter_who_signed_up_with_the_address_loses_it_to_its_owner(self, tree):
        impostor = factories.make_user("owner@example.org", verified=False)
        factories.make_user("owner.real@example.org")
        owner = User.objects.get(email="owner.real@example.org")
        EmailAddress.objects.create(user=owner, email="owner@example.org", verified=True)
        impostor.refresh_from_db()
        assert impostor.email == ""
        assert not impostor.emailaddress_set.exists()

    def test_password_reset_for_the_address_does_not_reset_the_squatters_account(
        self, client, squatter
    ):
        response = client.post(RESET, {"email": "owner@example.org"}, follow=True)
        assert response.redirect_chain == [(RESET_DONE, HTTPStatus.FOUND)]
        assert all("/accounts/password/reset/key/" not in m.body for m in factories.sent_mail())
        assert [m.to for m in factories.sent_mail()] == [["owner@example.org"]]  # "no account" note

    def test_a_roster_does_not_match_the_squatter(self, squatter):
        from courses.roster import accounts_by_email

        assert accounts_by_email(["owner@example.org"]) == {}
        assert accounts_by_email(["squatter@example.org"]) == {"squatter@example.org": squatter}


def page_text(response, *hide):
    """The visible text of the page's main part, with the given strings blanked out."""
    html = response.content.decode()
    main = re.sub(r"\s+", " ", html[html.index("<main") : html.index("</main>")])
    for text in hide:
        main = main.replace(text, "…")
    return main


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


class TestEmailsLeadToThePublicSite:
    """Issue 19, item 17: links in allauth's emails come from SITE_URL, not from the host the
    request happened to use (a proxy's internal name, 127.0.0.1 on the server)."""

    PUBLIC = "https://academy.example.org"

    @pytest.fixture(autouse=True)
    def public_site(self, settings):
        settings.SITE_URL = self.PUBLIC

    def links(self, message):
        return re.findall(r"https?://\S+", message.body)

    def test_the_confirmation_link(self, client, tree):
        sign_up(client)
        (link,) = self.links(factories.sent_mail()[0])
        assert link.startswith(f"{self.PUBLIC}/en/accounts/confirm-email/")

    def test_the_password_reset_link(self, client, tree, learner):
        client.post(RESET, {"email": learner.email})
        (link,) = self.links(factories.sent_mail()[0])
        assert link.startswith(f"{self.PUBLIC}/en/accounts/password/reset/key/")
        assert "testserver" not in factories.sent_mail()[0].body

    def test_the_already_have_an_account_and_no_account_emails(self, client, tree, learner):
        sign_up(client, email=learner.email, password1="someone-Else-77x")
        Client().post(RESET, {"email": "nobody@example.org"})
        assert len(factories.sent_mail()) == 2
        for message in factories.sent_mail():
            assert self.links(message), message.body
            assert all(link.startswith(f"{self.PUBLIC}/en/") for link in self.links(message))
