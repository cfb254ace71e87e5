"""The learner profile: names in any script, required fields, safe redirects."""

import unicodedata
from http import HTTPStatus

from django.core.exceptions import ValidationError

import pytest

from courses.demo import DEMO_ACCOUNTS
from courses.models import LearnerProfile
from courses.models.learners import profile_for
from courses.names import clean_certificate_name

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


INVISIBLE = "The name contains invisible characters (%s) that can change how it looks."
NO_LETTER = "The name must contain at least one letter."


def refusals(text):
    """The messages the certificate name rule gives for ``text``."""
    with pytest.raises(ValidationError) as refused:
        clean_certificate_name(text)
    return " ".join(refused.value.messages)


class TestCertificateName:
    @pytest.mark.parametrize("name", NAMES)
    def test_name_is_stored_and_shown_as_typed_in_its_composed_form(
        self, client, tree, learner, name
    ):
        client.force_login(learner)
        assert save(client, certificate_name=name).status_code == HTTPStatus.FOUND
        # Decomposed input looks the same but is stored composed (NFC), as it prints.
        composed = unicodedata.normalize("NFC", name)
        assert LearnerProfile.objects.get(user=learner).certificate_name == composed
        html = client.get("/en/profile/").content.decode()
        assert f'<dd dir="auto" class="certificate-name">{composed}</dd>' in html

    def test_a_right_to_left_override_is_refused_and_changes_nothing(self, client, tree, learner):
        # The review's reproduction: shown as "Ahmed Mister" by browsers, printed reversed.
        client.force_login(learner)
        save(client, certificate_name="Ahmed Mister")
        response = save(client, certificate_name="Ahmed \u202eretsiM")
        assert response.status_code == HTTPStatus.OK
        assert INVISIBLE % "U+202E" in response.content.decode()
        assert profile_for(learner).certificate_name == "Ahmed Mister"

    def test_a_name_of_one_zero_width_space_is_refused(self, client, tree, learner):
        client.force_login(learner)
        response = save(client, certificate_name="\u200b")
        html = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert INVISIBLE % "U+200B" in html and NO_LETTER in html
        assert profile_for(learner).certificate_name == ""

    def test_spaces_inside_and_around_the_name_are_tidied(self, client, tree, learner):
        client.force_login(learner)
        save(client, certificate_name="  Ana\u3000 Maria\u00a0 Pereira ")
        assert profile_for(learner).certificate_name == "Ana Maria Pereira"

    def test_two_hundred_characters_fit_and_more_are_refused(self, client, tree, learner):
        client.force_login(learner)
        assert save(client, certificate_name="ع" * 200).status_code == HTTPStatus.FOUND
        response = save(client, certificate_name="ع" * 201)
        assert response.status_code == HTTPStatus.OK
        assert "at most 200 characters" in response.content.decode()
        assert profile_for(learner).certificate_name == "ع" * 200


class TestNameRule:
    """courses.names: the one rule for names printed on certificates."""

    @pytest.mark.parametrize(
        "control",
        ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"],
    )
    def test_every_bidi_embedding_override_and_isolate_is_refused(self, control):
        code = f"U+{ord(control):04X}"
        assert refusals(f"Ahmed {control}retsiM") == INVISIBLE % code + (
            " Type the name again without them."
        )

    @pytest.mark.parametrize(
        ("name", "code"),
        [
            ("John\u200f (Jr.)", "U+200F"),  # right-to-left mark
            ("\u200eسارة", "U+200E"),  # left-to-right mark
            ("\u061cسارة", "U+061C"),  # Arabic letter mark
            ("Ana\u200bPereira", "U+200B"),  # zero-width space
            ("Ana\u00adPereira", "U+00AD"),  # soft hyphen: invisible on screen, printed in PDFs
            ("\ufeffAna Pereira", "U+FEFF"),  # byte order mark
            ("Ana Pereira\U000e0041", "U+E0041"),  # tag character
            ("Ana\ue000Pereira", "U+E000"),  # private use
        ],
    )
    def test_invisible_characters_are_refused_and_named(self, name, code):
        assert INVISIBLE % code in refusals(name)

    @pytest.mark.parametrize("name", ["\u200b", "\u3164", "12345", "-- .", "☺☺"])
    def test_a_name_without_a_visible_letter_is_refused(self, name):
        assert NO_LETTER in refusals(name)

    def test_letters_buried_under_stacks_of_marks_are_refused(self):
        stack = "\u0300\u0301\u0302\u0303\u0308\u030a"
        assert "too many accents or marks" in refusals(f"Z{stack}algo")

    @pytest.mark.parametrize(
        "name",
        [
            "علی\u200cرضا",  # Persian: the zero-width non-joiner keeps two letters apart
            "ශ්\u200dරී ලංකා",  # Sinhala: the zero-width joiner forms a conjunct
            "שָׁלוֹם כֹּהֵן",  # Hebrew with points: up to three marks on a letter
            "สมใจ ผู้ใหญ่",  # Thai: vowel and tone marks on one letter
            *(account.certificate_name for account in DEMO_ACCOUNTS),
        ],
    )
    def test_names_in_every_script_pass_unchanged(self, name):
        assert clean_certificate_name(name) == name

    def test_decomposed_input_is_composed_and_spaces_collapsed(self):
        typed = "  " + unicodedata.normalize("NFD", "Trần  Quốc\tToản") + " "
        assert clean_certificate_name(typed) == "Trần Quốc Toản"


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
