"""Importing a workshop roster from CSV: the preview, the import, and the invitations it
sends (nobody joins before accepting)."""

import datetime
import re
import unicodedata
from http import HTTPStatus

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest
from allauth.account.models import EmailAddress

from courses import roster, uploads
from courses.models import (
    Enrolment,
    LearnerProfile,
    Participant,
    Workshop,
    WorkshopInvitation,
)
from courses.models.learners import profile_for
from courses.roster import MAX_BYTES, apply_roster, read_roster
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()

GOOD = (
    "name,email,organisation,country,role,sex\n"
    "Amina Wanjiru,amina@example.org,Kenya Police,KE,police,female\n"
    "Juan Pérez,juan@example.org,Fiscalía General,Colombia,Prosecution,male\n"
    "Learner Known,LEARNER@example.org,Tribunal,MZ,judiciary,\n"
).encode()


def csv(*lines, sep=","):
    return ("\n".join(sep.join(cells) for cells in lines) + "\n").encode()


def people(*rows, header=("name", "email")):
    return csv(header, *rows)


@pytest.fixture
def instructor(db):
    user = factories.make_user("trainer@example.org")
    profile = profile_for(user)
    profile.certificate_name = "Marie Dubois"
    profile.save()
    return user


@pytest.fixture
def workshop(tree, instructor):
    workshop = Workshop.objects.create(
        course_key=tree.course.translation_key,
        title="Seizing mobile phones",
        start_date=datetime.date(2026, 3, 9),
        end_date=datetime.date(2026, 3, 11),
        venue="Judicial Training Institute, Nairobi",
        language="en",
    )
    workshop.instructors.add(instructor)
    return workshop


@pytest.fixture
def do_import(workshop, instructor, django_capture_on_commit_callbacks):
    """Apply a file as the instructor would, running what waits for the commit."""

    def run(data, language="en"):
        with django_capture_on_commit_callbacks(execute=True):
            return apply_roster(data, workshop, instructor, language)

    return run


def state():
    """What an import can change, as numbers."""
    return {
        "users": User.objects.count(),
        "addresses": EmailAddress.objects.count(),
        "profiles": LearnerProfile.objects.count(),
        "participants": Participant.objects.count(),
        "invitations": WorkshopInvitation.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "emails": len(factories.sent_mail()),
    }


def outcomes(preview):
    return [(row.line, row.outcome) for row in preview.rows]


def link_in(body):
    return re.search(r"http://testserver(\S+)", body).group(1)


class TestGoodFile:
    def test_preview_says_who_is_new_existing_or_already_there(self, workshop, learner):
        preview = read_roster(GOOD, workshop)
        assert preview.problem is None
        assert outcomes(preview) == [(2, "new"), (3, "new"), (4, "existing")]
        assert preview.counts == {"new": 2, "existing": 1, "already": 0, "invited": 0, "error": 0}
        assert preview.can_apply
        assert preview.rows[2].user == learner
        assert all(row.reason == "" for row in preview.rows)

    def test_import_creates_accounts_and_invites_everyone_but_adds_nobody(
        self, workshop, learner, do_import
    ):
        preview = do_import(GOOD)
        assert preview.counts["new"] == 2
        amina = User.objects.get(email="amina@example.org")
        assert not amina.has_usable_password()
        assert EmailAddress.objects.filter(
            user=amina, email="amina@example.org", verified=True, primary=True
        ).exists()
        invited = WorkshopInvitation.objects.filter(workshop=workshop, status="pending")
        assert set(invited.values_list("user__email", flat=True)) == {
            "amina@example.org",
            "juan@example.org",
            "learner@example.org",
        }
        assert invited.get(user=amina).name == "Amina Wanjiru"
        assert not Participant.objects.exists()
        assert not Enrolment.objects.exists()

    def test_each_person_gets_one_email_with_the_workshop_details(
        self, workshop, learner, do_import
    ):
        do_import(GOOD)
        assert sorted(message.to[0] for message in factories.sent_mail()) == [
            "amina@example.org",
            "juan@example.org",
            "learner@example.org",
        ]
        for message in factories.sent_mail():
            assert "Seizing mobile phones" in message.subject
            assert "Marie Dubois" in message.body
            assert "March 9, 2026 to March 11, 2026" in message.body
            assert "Judicial Training Institute, Nairobi" in message.body

    def test_new_account_email_has_a_link_that_sets_the_password(self, client, do_import):
        do_import(GOOD)
        message = next(m for m in factories.sent_mail() if m.to == ["amina@example.org"])
        link = link_in(message.body)
        assert link.startswith("/en/accounts/password/reset/key/")
        response = client.get(link, follow=True)
        assert response.status_code == HTTPStatus.OK
        form_url = response.redirect_chain[-1][0]
        assert 'name="password1"' in response.content.decode()
        new = "a-Brand-new-passphrase-31"
        client.post(form_url, {"password1": new, "password2": new})
        assert User.objects.get(email="amina@example.org").check_password(new)

    def test_existing_account_email_points_to_the_invitation_not_to_a_new_password(
        self, learner, do_import
    ):
        do_import(GOOD)
        message = next(m for m in factories.sent_mail() if m.to == ["learner@example.org"])
        assert "invites you to the workshop" in message.body
        assert "http://testserver/en/invitations/" in message.body
        assert "/password/reset/key/" not in message.body
        assert learner.check_password(factories.PASSWORD)

    def test_new_account_email_also_links_to_the_invitation(self, do_import):
        do_import(GOOD)
        message = next(m for m in factories.sent_mail() if m.to == ["amina@example.org"])
        assert "http://testserver/en/invitations/" in message.body

    def test_links_follow_the_language_of_the_email(self, do_import):
        do_import(GOOD, language="fr")
        assert all("http://testserver/fr/accounts/" in m.body for m in factories.sent_mail())

    def test_a_roster_never_writes_into_a_profile(self, learner, do_import):
        profile = profile_for(learner)
        profile.certificate_name = "Lerato Mokoena"
        profile.save()
        do_import(GOOD)
        profile.refresh_from_db()
        assert profile.certificate_name == "Lerato Mokoena"
        assert (profile.organisation, profile.role, profile.sex) == ("", "", "")
        amina = profile_for(User.objects.get(email="amina@example.org"))
        assert (amina.certificate_name, amina.organisation, amina.sex) == ("", "", "")

    def test_only_a_verified_address_matches_an_account(self, workshop, do_import):
        squatter = factories.make_user("squatter@example.org")
        EmailAddress.objects.create(user=squatter, email="amina@example.org", verified=False)
        do_import(GOOD)
        invitation = WorkshopInvitation.objects.get(email="amina@example.org")
        assert invitation.user != squatter
        assert not WorkshopInvitation.objects.filter(user=squatter).exists()

    def test_username_gets_a_number_when_taken(self, workshop, do_import):
        factories.make_user("amina@another.org")  # username "amina"
        do_import(GOOD)
        assert User.objects.get(email="amina@example.org").username == "amina2"


class TestFileFormats:
    def test_a_byte_order_mark_is_ignored(self, workshop):
        preview = read_roster(b"\xef\xbb\xbf" + GOOD, workshop)
        assert preview.problem is None
        assert preview.counts["new"] == 3

    def test_semicolons_as_excel_writes_them_in_many_languages(self, workshop):
        data = csv(
            ("Name", "E-mail address", "Email", "Organization"),
            ("Ana Pereira", "ignored", "ana@example.org", "PGR, Maputo"),
            sep=";",
        )
        [row] = read_roster(data, workshop).rows
        assert (row.name, row.email, row.organisation) == (
            "Ana Pereira",
            "ana@example.org",
            "PGR, Maputo",
        )
        assert row.outcome == "new"

    def test_header_names_ignore_case_spaces_and_unknown_columns(self, workshop):
        data = people(("1", "Ana", " ana@example.org "), header=("No.", " NAME ", "Email  "))
        [row] = read_roster(data, workshop).rows
        assert (row.name, row.email, row.outcome) == ("Ana", "ana@example.org", "new")

    def test_line_numbers_count_the_header_and_skip_blank_rows(self, workshop):
        data = b'name,email\nAna,ana@example.org\n,\n\n"Bo\nBo",bo@example.org\nCy,bad\n'
        preview = read_roster(data, workshop)
        assert outcomes(preview) == [(2, "new"), (5, "new"), (7, "error")]
        # One quoted cell across two lines; a name keeps single spaces, as it prints.
        assert preview.rows[1].name == "Bo Bo"

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "The file is empty."),
            (b"\n \r\n", "The file is empty."),
            (b"name,email\n", "header row but nobody"),
            (b"\xef\xbb\xbfname;email;country\n;;\n", "header row but nobody"),
            (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "This is not a CSV file."),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV file."),
            (bytes(range(256)) * 4, "This is not a CSV file."),
            (b"name,email\nAna,ana@example.org\x07\n", "This is not a CSV file."),
            ("name,email\nJosé,jose@example.org\n".encode("cp1252"), "CSV UTF-8"),
            (b"nom;courriel\nAna;ana@example.org\n", "Missing: name, email."),
            (b"Name,Phone\nAna,555\n", "Missing: email."),
            (b"Just a letter to the participants.\nRegards\n", "Missing: name, email."),
        ],
    )
    def test_a_file_that_cannot_be_read_is_refused_with_a_reason(
        self, workshop, do_import, data, message
    ):
        before = state()
        preview = read_roster(data, workshop)
        assert message in preview.problem
        assert preview.rows == []
        assert not preview.can_apply
        assert do_import(data).problem == preview.problem
        assert state() == before

    def test_a_file_over_one_megabyte_is_refused_and_creates_nothing(self, workshop, do_import):
        row = b"Ana Pereira,ana@example.org\n"
        data = b"name,email\n" + row * (5_000_000 // len(row))
        assert len(data) > MAX_BYTES
        before = state()
        preview = do_import(data)
        assert preview.problem.startswith("The file is larger than 1 MB")
        assert state() == before


class TestRowProblems:
    def error(self, workshop, *row, header=("name", "email", "country", "role", "sex")):
        preview = read_roster(people(row, header=header), workshop)
        [result] = preview.rows
        assert result.outcome == "error"
        assert result.user is None
        return result.reason

    def test_missing_name(self, workshop):
        assert self.error(workshop, "", "ana@example.org", "", "", "") == "The name is missing."

    @pytest.mark.parametrize("email", ["ana@", "ana example.org", "Ana <ana@example.org>"])
    def test_invalid_email(self, workshop, email):
        reason = self.error(workshop, "Ana", email, "", "", "")
        assert reason == f"“{email}” is not a valid email address."

    def test_missing_email(self, workshop):
        reason = self.error(workshop, "Ana", "", "", "", "")
        assert reason == "The email address is missing."

    def test_name_longer_than_a_certificate_holds(self, workshop):
        reason = self.error(workshop, "A" * 201, "ana@example.org", "", "", "")
        assert reason == "The name is longer than 200 characters."

    def test_unknown_country(self, workshop):
        reason = self.error(workshop, "Ana", "ana@example.org", "Narnia", "", "")
        assert reason.startswith("Unknown country “Narnia”.")

    def test_unknown_role_lists_the_accepted_ones(self, workshop):
        reason = self.error(workshop, "Ana", "ana@example.org", "", "chef", "")
        assert reason.startswith("Unknown role “chef”. Use one of: police, prosecution")

    def test_unknown_sex(self, workshop):
        reason = self.error(workshop, "Ana", "ana@example.org", "", "", "x")
        assert reason.startswith("Unknown sex “x”.")

    @pytest.mark.parametrize(
        ("name", "reason"),
        [
            (
                "Ahmed \u202eretsiM",
                "The name contains invisible characters (U+202E) that can change how it looks. "
                "Type the name again without them.",
            ),
            (
                "\u200b",
                "The name contains invisible characters (U+200B) that can change how it looks. "
                "Type the name again without them. The name must contain at least one letter.",
            ),
        ],
        ids=["right-to-left-override", "zero-width-space"],
    )
    def test_a_name_that_would_print_unlike_it_looks_is_not_imported(
        self, workshop, do_import, name, reason
    ):
        assert self.error(workshop, name, "ana@example.org", "", "", "") == reason
        data = people((name, "ana@example.org"), ("Bo Chen", "bo@example.org"))
        assert outcomes(do_import(data)) == [(2, "error"), (3, "new")]
        assert not User.objects.filter(email="ana@example.org").exists()

    def test_every_problem_of_a_row_is_listed(self, workshop):
        reason = self.error(workshop, "", "nope", "Narnia", "", "")
        assert "The name is missing." in reason
        assert "not a valid email address" in reason
        assert "Unknown country" in reason

    def test_the_same_email_twice_is_refused_the_second_time(self, workshop):
        data = people(
            ("Ana", "ana@example.org"), ("Bo", "bo@example.org"), ("Ana P.", "ANA@example.org ")
        )
        preview = read_roster(data, workshop)
        assert outcomes(preview) == [(2, "new"), (3, "new"), (4, "error")]
        assert preview.rows[2].reason == "Same email as line 2."

    def test_rows_with_errors_are_skipped_and_the_rest_imported(self, workshop, do_import):
        data = people(("Ana", "ana@example.org"), ("Bo", "bo@"), ("Cy", "cy@example.org"))
        preview = do_import(data)
        assert preview.counts == {"new": 2, "existing": 0, "already": 0, "invited": 0, "error": 1}
        assert set(workshop.invitations.values_list("user__email", flat=True)) == {
            "ana@example.org",
            "cy@example.org",
        }
        assert not User.objects.filter(email__startswith="bo").exists()
        assert len(factories.sent_mail()) == 2

    def test_a_file_of_errors_only_cannot_be_applied(self, workshop, do_import):
        data = people(("Ana", "ana@"), ("", "bo@example.org"))
        before = state()
        assert not read_roster(data, workshop).can_apply
        assert do_import(data).counts["error"] == 2
        assert state() == before


class TestValuesAccepted:
    @pytest.mark.parametrize(
        ("given", "code"),
        [
            ("KE", "KE"),
            ("ke", "KE"),
            ("Kenya", "KE"),
            ("  KENYA ", "KE"),
            ("Côte d'Ivoire", "CI"),
            ("Viet Nam", "VN"),
            ("", ""),
        ],
    )
    def test_country_by_code_or_english_name(self, workshop, given, code):
        data = people(("Ana", "ana@example.org", given), header=("name", "email", "country"))
        [row] = read_roster(data, workshop).rows
        assert (row.outcome, row.country) == ("new", code)

    def test_country_name_in_the_workshops_language(self, workshop):
        workshop.language = "fr"
        data = people(("Ana", "ana@example.org", "Mexique"), header=("name", "email", "country"))
        assert read_roster(data, workshop).rows[0].country == "MX"

    @pytest.mark.parametrize(
        ("given", "code"),
        [
            ("police", "police"),
            ("PROSECUTION", "prosecution"),
            ("Judiciary", "judiciary"),
            ("forensic laboratory", "forensic_lab"),
            ("Defence lawyers", "defence"),
        ],
    )
    def test_role_by_value_or_english_label(self, workshop, given, code):
        data = people(("Ana", "ana@example.org", given), header=("name", "email", "role"))
        assert read_roster(data, workshop).rows[0].role == code

    @pytest.mark.parametrize(
        ("given", "code"),
        [("Female", "female"), ("MALE", "male"), ("Prefer not to say", "undisclosed")],
    )
    def test_sex_by_value_or_english_label(self, workshop, given, code):
        data = people(("Ana", "ana@example.org", given), header=("name", "email", "sex"))
        assert read_roster(data, workshop).rows[0].sex == code

    def test_names_are_stored_composed_with_single_spaces(self, workshop, do_import):
        typed = unicodedata.normalize("NFD", "Trần  Quốc Toản")
        do_import(people((typed, "t@example.org")))
        invitation = WorkshopInvitation.objects.get(email="t@example.org")
        assert invitation.name == "Trần Quốc Toản"

    def test_names_in_any_script_are_kept_as_typed(self, workshop, do_import):
        data = people(("محمد عبد الله", "m@example.org"), ("Nguyễn Thị Minh Khai", "n@example.org"))
        do_import(data)
        names = set(WorkshopInvitation.objects.values_list("name", flat=True))
        assert names == {"محمد عبد الله", "Nguyễn Thị Minh Khai"}


class TestCapacity:
    def test_rows_beyond_the_places_left_are_refused(self, workshop, learner, do_import):
        workshop.capacity = 3
        workshop.save()
        Participant.objects.create(workshop=workshop, user=learner, source="code")
        data = people(
            ("Known", "learner@example.org"),  # already in: takes no new place
            ("Ana", "ana@example.org"),
            ("Bo", "bo@"),  # an error takes no place either
            ("Cy", "cy@example.org"),
            ("Di", "di@example.org"),
        )
        preview = read_roster(data, workshop)
        assert outcomes(preview) == [
            (2, "already"),
            (3, "new"),
            (4, "error"),
            (5, "new"),
            (6, "error"),
        ]
        assert preview.rows[4].reason.startswith("No places left: the workshop has 3 places.")
        do_import(data)
        assert workshop.invitations.count() == 2  # places held until they answer
        assert not User.objects.filter(email="di@example.org").exists()
        again = read_roster(people(("Di", "di@example.org")), workshop)
        assert again.rows[0].reason.startswith("No places left")


class TestNothingChangesUnlessApplied:
    def test_preview_changes_nothing(self, workshop, learner):
        before = state()
        read_roster(GOOD, workshop)
        assert state() == before

    def test_preview_queries_do_not_grow_with_the_rows(self, workshop, learner):
        def queries(count):
            data = people(*[(f"P{n}", f"p{n}@example.org") for n in range(count)])
            with CaptureQueriesContext(connection) as captured:
                read_roster(data, workshop)
            return len(captured)

        assert queries(3) == queries(30)

    def test_a_failure_half_way_leaves_nothing_and_sends_nothing(
        self, workshop, learner, do_import, monkeypatch
    ):
        add_person = roster.add_person
        calls = []

        def fail_on_third_row(row, *args):
            calls.append(row.line)
            if len(calls) == 3:
                raise RuntimeError("the database went away")
            return add_person(row, *args)

        monkeypatch.setattr(roster, "add_person", fail_on_third_row)
        before = state()
        with pytest.raises(RuntimeError):
            do_import(GOOD)
        assert calls == [2, 3, 4]
        assert state() == before
        assert profile_for(learner).organisation == ""

    def test_importing_the_same_file_again_changes_nothing(self, workshop, learner, do_import):
        do_import(GOOD)
        before = state()
        preview = do_import(GOOD)
        assert [row.outcome for row in preview.rows] == ["invited"] * 3
        assert not preview.can_apply
        assert state() == before


class TestUploadSize:
    """The page refuses a file over 1 MB before reading it, or stops reading at 1 MB."""

    TOO_LARGE = "The file is larger than 1 MB. Split the list into several files."

    @pytest.fixture
    def page(self, client, instructor, workshop):
        instructor.user_permissions.add(Permission.objects.get(codename="run_workshops"))
        client.force_login(instructor)
        return f"/en/teach/{workshop.pk}/roster/"

    def test_a_file_declared_over_one_megabyte_is_refused_unread(self, client, page):
        before = state()
        body = factories.RequestBody(allowed=0)
        declared = MAX_BYTES + uploads.FORM_OVERHEAD + 1
        html = factories.post_body(client, page, body, declared).content.decode()
        assert self.TOO_LARGE in html and body.taken == 0
        assert state() == before and "roster-upload" not in client.session

    def test_a_file_growing_past_one_megabyte_is_cut_off_there(self, client, page):
        before = state()
        head = factories.file_part("file", "roster.csv", "text/csv") + b"name,email\n"
        body = factories.RequestBody(head, endless=True)
        declared = MAX_BYTES + uploads.FORM_OVERHEAD
        html = factories.post_body(client, page, body, declared).content.decode()
        assert self.TOO_LARGE in html and "This field is required" not in html
        assert state() == before and "roster-upload" not in client.session

    def test_uploading_still_needs_the_forms_csrf_token(self, instructor, page):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(instructor)
        upload = SimpleUploadedFile("roster.csv", GOOD, "text/csv")
        response = browser.post(page, {"file": upload, "action": "preview"})
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert "roster-upload" not in browser.session
