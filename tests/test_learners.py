"""The learner profile: names in any script, required fields, safe redirects."""

import unicodedata
from http import HTTPStatus

import pytest

from courses.models import LearnerProfile
from courses.models.learners import profile_for

pytestmark = pytest.mark.django_db
EDIT = "/en/profile/edit/"

NAMES = [
    "محمد عبد الله",  # Arabic
    "Nguyễn Thị Minh Khai",  # Vietnamese, precomposed (NFC)
    unicodedata.normalize("NFD", "Trần Quốc Toản"),  # Vietnamese, decomposed as some phones type
    "王小明",  # Chinese
    "Алексей Смирнов",  # Cyrillic
    "Jean-Luc O’Brien (Ngũgĩ)",  # mixed Latin with apostrophe and brackets
]


def save(client, **fields):
    data = {"certificate_name": "Ana Pereira", "country": "MZ"} | fields
    return client.post(EDIT, data)


class TestCertificateName:
    @pytest.mark.parametrize("name", NAMES)
    def test_name_is_stored_and_shown_exactly_as_typed(self, client, tree, learner, name):
        client.force_login(learner)
        assert save(client, certificate_name=name).status_code == HTTPStatus.FOUND
        assert LearnerProfile.objects.get(user=learner).certificate_name == name
        html = client.get("/en/profile/").content.decode()
        assert f'<dd dir="auto" class="certificate-name">{name}</dd>' in html

    def test_two_hundred_characters_fit_and_more_are_refused(self, client, tree, learner):
        client.force_login(learner)
        assert save(client, certificate_name="ع" * 200).status_code == HTTPStatus.FOUND
        response = save(client, certificate_name="ع" * 201)
        assert response.status_code == HTTPStatus.OK
        assert "at most 200 characters" in response.content.decode()
        assert profile_for(learner).certificate_name == "ع" * 200


class TestProfileForm:
    def test_profile_needs_a_signed_in_learner(self, client, tree):
        response = client.get("/en/profile/")
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith("/en/accounts/login/")

    @pytest.mark.parametrize(
        ("fields", "field_with_error"),
        [
            ({"certificate_name": "   "}, "certificate_name"),
            ({"country": ""}, "country"),
            ({"country": "XX"}, "country"),
            ({"role": "spy"}, "role"),
            ({"sex": "unknown"}, "sex"),
            ({"preferred_language": "de"}, "preferred_language"),
        ],
    )
    def test_bad_input_is_explained_and_changes_nothing(
        self, client, tree, learner, fields, field_with_error
    ):
        client.force_login(learner)
        save(client, organisation="Police nationale")
        response = save(client, organisation="Changed", **fields)
        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert f'id="id_{field_with_error}_errors"' in html
        assert 'role="alert"' in html
        assert profile_for(learner).organisation == "Police nationale"

    def test_the_sex_question_says_why_it_is_asked_and_is_optional(self, client, tree, learner):
        client.force_login(learner)
        html = client.get(EDIT).content.decode()
        assert "donors" in html
        assert save(client).status_code == HTTPStatus.FOUND
        assert profile_for(learner).sex == ""

    def test_all_fields_are_saved(self, client, tree, learner):
        client.force_login(learner)
        save(
            client,
            organisation="Parquet de Dakar",
            role="prosecution",
            sex="female",
            preferred_language="en",
        )
        profile = profile_for(learner)
        assert (profile.organisation, profile.role, profile.sex, str(profile.country)) == (
            "Parquet de Dakar",
            "prosecution",
            "female",
            "MZ",
        )

    def test_choosing_a_language_takes_the_learner_there(self, client, tree, learner):
        client.force_login(learner)
        response = save(client, preferred_language="fr")
        assert response.url == "/fr/profile/"

    def test_next_goes_back_only_to_this_site(self, client, tree, learner):
        client.force_login(learner)
        assert save(client, next="/en/").url == "/en/"
        assert save(client, next="https://evil.example/").url == "/en/profile/"

    def test_a_learner_only_ever_sees_their_own_profile(self, client, tree, learner):
        from tests.factories import make_user

        other = make_user("other@example.org")
        profile = profile_for(other)
        profile.certificate_name = "Someone Else"
        profile.save()
        client.force_login(learner)
        assert "Someone Else" not in client.get("/en/profile/").content.decode()
        assert "Someone Else" not in client.get(EDIT).content.decode()
