"""Rate limits that fit a classroom: the client's address behind trusted proxies, and sign-in
limits per account and per address."""

from http import HTTPStatus

from django.test import Client, RequestFactory

import pytest

from courses.clientaddress import client_address
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
LOGIN = "/en/accounts/login/"
SIGNUP = "/en/accounts/signup/"
TOO_MANY = "Too many failed sign-in attempts"
PROXY = "10.0.0.1"  # the one address a venue's NAT or our proxy shows the app


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_HOPS = 1


def address_of(remote_addr="192.0.2.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


def sign_in(email, password=factories.PASSWORD, **extra):
    """A fresh browser posting the sign-in form; True if it is signed in afterwards."""
    client = Client()
    response = client.post(LOGIN, {"login": email, "password": password}, **extra)
    return "_auth_user_id" in client.session, response


class TestClientAddress:
    def test_without_trusted_proxies_the_header_is_ignored(self, settings):
        settings.TRUSTED_PROXY_HOPS = 0
        assert address_of(forwarded="198.51.100.5") == "192.0.2.7"

    def test_one_hop_takes_the_address_our_proxy_appended(self, behind_one_proxy):
        assert address_of(PROXY, "198.51.100.5") == "198.51.100.5"

    def test_a_forged_entry_on_the_left_is_not_believed(self, behind_one_proxy):
        assert address_of(PROXY, "203.0.113.66, 198.51.100.5") == "198.51.100.5"

    def test_two_hops_take_the_second_entry_from_the_right(self, settings):
        settings.TRUSTED_PROXY_HOPS = 2
        chain = "203.0.113.66, 198.51.100.5, 10.1.1.1"
        assert address_of(PROXY, chain) == "198.51.100.5"

    def test_a_request_that_skipped_a_proxy_falls_back_to_the_connecting_address(self, settings):
        settings.TRUSTED_PROXY_HOPS = 2
        assert address_of(PROXY, "198.51.100.5") == PROXY
        assert address_of(PROXY) == PROXY

    @pytest.mark.parametrize(
        ("forwarded", "expected"),
        [
            ("198.51.100.5:4711", "198.51.100.5"),
            ("[2001:DB8::1]:443", "2001:db8::1"),
            ("2001:db8:0:0::7", "2001:db8::7"),
            ("not-an-address", PROXY),
            ("", PROXY),
        ],
    )
    def test_addresses_are_read_strictly(self, behind_one_proxy, forwarded, expected):
        assert address_of(PROXY, forwarded) == expected


class TestVerifyLimitBehindAProxy:
    """Reproduction 8: behind the documented proxy every verifier shared one budget."""

    URL = "/en/verify/7KQ2-M9XD-4HFT-X.json"

    def test_each_client_behind_the_proxy_has_its_own_budget(self, client, settings):
        settings.TRUSTED_PROXY_HOPS = 1
        settings.VERIFY_RATE_LIMIT = 2
        for _ in range(2):
            client.get(self.URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.5")
        first = client.get(self.URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.5")
        other = client.get(self.URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.6")
        assert first.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert other.status_code == HTTPStatus.OK
        assert other.json()["status"] != "rate_limited"

    def test_a_forged_header_buys_no_fresh_budget_when_no_proxy_is_trusted(self, client, settings):
        settings.VERIFY_RATE_LIMIT = 2
        for n in range(2):
            client.get(self.URL, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        response = client.get(self.URL, HTTP_X_FORWARDED_FOR="198.51.100.99")
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


class TestClassroomSignIn:
    """Reproduction 8: five wrong passwords from one address locked a whole room out."""

    def test_thirty_participants_behind_one_address_all_sign_in_though_some_mistype(self):
        room = [factories.make_user(f"participant{n}@example.org") for n in range(30)]
        for person in room[:8]:  # a few typos first, from the same address
            signed_in, _ = sign_in(person.email, "wrong-password", REMOTE_ADDR=PROXY)
            assert not signed_in
        for person in room:
            signed_in, response = sign_in(person.email, REMOTE_ADDR=PROXY)
            assert signed_in, f"{person.email} was refused"
            assert response.status_code == HTTPStatus.FOUND

    def test_a_password_guessing_run_against_one_account_is_stopped(self, learner):
        for n in range(5):
            sign_in(learner.email, f"guess-{n}", REMOTE_ADDR=PROXY)
        signed_in, response = sign_in(learner.email, REMOTE_ADDR=PROXY)
        assert not signed_in
        assert TOO_MANY in response.content.decode()
        # Moving to another address does not buy the guesser more tries on this account.
        signed_in, response = sign_in(learner.email, "guess-5", REMOTE_ADDR="198.51.100.5")
        assert not signed_in
        assert TOO_MANY in response.content.decode()

    def test_a_spray_across_accounts_from_one_address_is_stopped(self):
        accounts = [factories.make_user(f"target{n}@example.org") for n in range(31)]
        for account in accounts[:30]:
            signed_in, response = sign_in(account.email, "Summer2026!", REMOTE_ADDR=PROXY)
            assert TOO_MANY not in response.content.decode()
        signed_in, response = sign_in(accounts[30].email, REMOTE_ADDR=PROXY)
        assert not signed_in
        assert TOO_MANY in response.content.decode()
        # The accounts themselves are not locked: their owners elsewhere still sign in.
        assert sign_in(accounts[0].email, REMOTE_ADDR="198.51.100.5")[0]

    def test_behind_a_trusted_proxy_a_spray_stops_only_its_own_client(self, behind_one_proxy):
        accounts = [factories.make_user(f"target{n}@example.org") for n in range(31)]
        attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
        for account in accounts[:30]:
            sign_in(account.email, "Summer2026!", **attacker)
        assert not sign_in(accounts[30].email, **attacker)[0]
        colleague = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.5"}
        assert sign_in(accounts[30].email, **colleague)[0]


class TestSignUpLimitBehindAProxy:
    def test_each_client_behind_the_proxy_has_its_own_sign_up_budget(self, settings):
        settings.TRUSTED_PROXY_HOPS = 1
        settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"signup": "2/h/ip"}

        def sign_up(email, client_ip):
            return Client().post(
                SIGNUP,
                {"email": email, "password1": factories.PASSWORD, "password2": factories.PASSWORD},
                REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR=client_ip,
            )

        for n in range(2):
            assert sign_up(f"a{n}@example.org", "198.51.100.5").status_code == HTTPStatus.FOUND
        refused = sign_up("a2@example.org", "198.51.100.5")
        assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert sign_up("b@example.org", "198.51.100.6").status_code == HTTPStatus.FOUND

    def test_a_classroom_can_create_its_accounts_in_the_first_hour(self):
        for n in range(30):
            response = Client().post(
                SIGNUP,
                {
                    "email": f"new{n}@example.org",
                    "password1": factories.PASSWORD,
                    "password2": factories.PASSWORD,
                },
                REMOTE_ADDR=PROXY,
            )
            assert response.status_code == HTTPStatus.FOUND, n
