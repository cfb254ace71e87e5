"""Trainer certificates and cascades (issue 18): who trained whom, by generation, and the
report's figures checked against a hand count of a cascade built here."""

import uuid
from datetime import UTC, date, datetime
from http import HTTPStatus

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

import pytest

from courses import cascade, codes, programme
from courses.certificates import issue_certificate, unused_status_index
from courses.exports import report_rows
from courses.models import Certificate, Enrolment, Participant, Workshop
from courses.models.learners import profile_for
from tests import factories

pytestmark = pytest.mark.django_db

TRAINING_OF_TRAINERS = uuid.UUID("77777777-7777-4777-8777-777777777777")
FIELD_COURSE = uuid.UUID("88888888-8888-4888-8888-888888888888")


def person(email, sex, country, name=None):
    user = factories.make_user(email)
    profile = profile_for(user)
    profile.certificate_name = name or email.split("@")[0].title()
    profile.sex, profile.country = sex, country
    profile.save()
    return user


def certify(user, course_key, kind, workshop=None, issued_on=date(2026, 3, 6), status="valid"):
    return Certificate.objects.create(
        code=codes.new_code(),
        user=user,
        course_key=course_key,
        kind=kind,
        name=profile_for(user).certificate_name,
        course_title="Training of trainers" if kind == "trainer" else "Electronic evidence",
        language="en",
        issued_on=issued_on,
        issuer="Evidence Academy",
        status_index=unused_status_index(),
        workshop=workshop,
        status=status,
        revoked_at=datetime(2026, 2, 9, 12, tzinfo=UTC) if status == "revoked" else None,
        revocation_reason="Issued in error." if status == "revoked" else "",
    )


def room(title, course_key, lead_trainer, start, end=None, status="closed"):
    workshop = Workshop.objects.create(
        course_key=course_key,
        title=title,
        start_date=start,
        end_date=end or start,
        language="en",
        lead=lead_trainer,
        lead_trainer=lead_trainer,
        status=status,
    )
    workshop.instructors.add(lead_trainer)
    return workshop


def seat(workshop, user):
    Participant.objects.create(workshop=workshop, user=user, source="code")
    # Enrolled too, so that filtered reports pass the minimum group (docs/reports.md).
    Enrolment.objects.get_or_create(user=user, course_key=workshop.course_key)


def group(prefix, sex, country, count):
    return [person(f"{prefix}{n}@example.org", sex, country) for n in range(count)]


@pytest.fixture
def built(db):
    """The cascade counted by hand in the tests below.

    A (certified self-paced: generation 1) leads W1, where 20 people earn certificates:
    5 in each of female/male × XA/XB; among them B (female, XA) and C (male, XB) earn trainer
    certificates (generation 2). Not reached in W1: one participant without a certificate and
    one whose certificate was revoked.
    B leads W2: 20 people, 5 in each cell again, one of them a W1 person (reached in both
    generations), one reached by a certificate of completion made after W2 started (no
    workshop named); E (female, XA) earns a trainer certificate there (generation 3). Not
    reached: one whose completion certificate predates W2.
    C leads W3: 3 people, all female in XA (a small cell).
    E leads W4, still running: 2 people, male in XB.
    """
    a = person("a@example.org", "male", "XA", "Trainer Alpha")
    certify(a, TRAINING_OF_TRAINERS, "trainer", issued_on=date(2026, 1, 10))
    w1 = room("W1", TRAINING_OF_TRAINERS, a, date(2026, 2, 2), date(2026, 2, 6))
    cells = {
        ("female", "XA"): group("w1fa", "female", "XA", 4),
        ("male", "XA"): group("w1ma", "male", "XA", 5),
        ("female", "XB"): group("w1fb", "female", "XB", 5),
        ("male", "XB"): group("w1mb", "male", "XB", 4),
    }
    b = person("b@example.org", "female", "XA", "Trainer Beta")
    c = person("c@example.org", "male", "XB", "Trainer Gamma")
    cells[("female", "XA")].append(b)
    cells[("male", "XB")].append(c)
    for people in cells.values():
        for user in people:
            seat(w1, user)
            kind = "trainer" if user in (b, c) else "attendance"
            certify(user, TRAINING_OF_TRAINERS, kind, w1, date(2026, 2, 6))
    for user in (person("w1none@example.org", "female", "XA"),):
        seat(w1, user)
    revoked = person("w1revoked@example.org", "male", "XA")
    seat(w1, revoked)
    certify(revoked, TRAINING_OF_TRAINERS, "attendance", w1, date(2026, 2, 6), status="revoked")

    w2 = room("W2", TRAINING_OF_TRAINERS, b, date(2026, 4, 6), date(2026, 4, 10))
    again = cells[("female", "XA")][0]  # reached in W1 already
    e = person("e@example.org", "female", "XA", "Trainer Epsilon")
    late = person("w2late@example.org", "male", "XB")
    second = {
        ("female", "XA"): [again, e, *group("w2fa", "female", "XA", 3)],
        ("male", "XA"): group("w2ma", "male", "XA", 5),
        ("female", "XB"): group("w2fb", "female", "XB", 5),
        ("male", "XB"): [late, *group("w2mb", "male", "XB", 4)],
    }
    for people in second.values():
        for user in people:
            seat(w2, user)
            if user == late:
                # Completed on their own after the workshop started: earned there.
                certify(user, TRAINING_OF_TRAINERS, "trainer", None, date(2026, 4, 20))
            else:
                # The W1 person already holds W1's attendance certificate of this course.
                kind = {e: "trainer", again: "participation"}.get(user, "attendance")
                certify(user, TRAINING_OF_TRAINERS, kind, w2, date(2026, 4, 10))
    early = person("w2early@example.org", "male", "XB")
    seat(w2, early)
    certify(early, TRAINING_OF_TRAINERS, "completion", None, date(2026, 3, 1))

    w3 = room("W3", FIELD_COURSE, c, date(2026, 5, 4))
    for user in group("w3fa", "female", "XA", 3):
        seat(w3, user)
        certify(user, FIELD_COURSE, "attendance", w3, date(2026, 5, 4))

    w4 = room("W4", FIELD_COURSE, e, date(2026, 6, 1), date(2099, 1, 1), status="running")
    for user in group("w4mb", "male", "XB", 2):
        seat(w4, user)
        certify(user, FIELD_COURSE, "attendance", w4, date(2026, 6, 1))
    return {"a": a, "b": b, "c": c, "e": e, "late": late, "w1": w1, "w2": w2, "w4": w4}


def report(**filters):
    built = programme.build_report(programme.Filters(**filters))
    assert not built.get("withheld"), built
    return {table.title: table for table in built["tables"]}


def rows(table):
    return [list(row) for row in table.rows]


PER_GENERATION = "Cascade: people reached per generation of trainers"
BY_SEX = "Cascade: people reached per generation, by sex"
BY_COUNTRY = "Cascade: people reached per generation, by country"
PER_TRAINER = "Cascade: people reached per trainer"


class TestGenerations:
    def test_generations_follow_who_led_the_workshop_of_each_trainer_certificate(self, built):
        found = cascade.generations()
        assert found == {
            built["a"].pk: 1,
            built["b"].pk: 2,
            built["c"].pk: 2,
            built["late"].pk: 3,  # completed after W2 started, so certified in W2
            built["e"].pk: 3,
        }

    def test_a_revoked_trainer_certificate_makes_nobody_a_trainer(self, built):
        Certificate.objects.filter(user=built["c"], kind="trainer").update(status="revoked")
        assert built["c"].pk not in cascade.generations()

    def test_a_trainer_certified_by_someone_no_longer_a_trainer_starts_a_chain(self, built):
        Certificate.objects.filter(user=built["a"], kind="trainer").update(status="revoked")
        found = cascade.generations()
        assert found[built["b"].pk] == 1 and found[built["e"].pk] == 2

    def test_a_loop_of_trainers_certifying_each_other_ends(self):
        # x certified by y, y by x, z by x: no first trainer; cut at the lowest id.
        assert cascade.assign({1, 2, 3}, {1: {2}, 2: {1}, 3: {1}}, set()) == {1: 1, 2: 2, 3: 2}

    def test_a_trainer_leading_their_own_certifying_workshop_is_not_their_own_parent(self, built):
        w5 = room("W5", TRAINING_OF_TRAINERS, built["b"], date(2026, 7, 1))
        certify(built["b"], FIELD_COURSE, "trainer", w5, date(2026, 7, 1))
        assert cascade.generations()[built["b"].pk] == 2


class TestReportHandCount:
    def test_reach_per_generation_matches_the_hand_count(self, built):
        # Generation 1: W1's 20. Generation 2: W2's 20 (one of them also in W1) + W3's 3.
        # Generation 3: W4's 2.
        assert rows(report()[PER_GENERATION]) == [[1, 1, 1, 20], [2, 2, 2, 23], [3, 1, 1, "<5"]]

    def test_reach_by_sex_matches_the_hand_count(self, built):
        table = report()[BY_SEX]
        assert table.columns == [
            "Generation",
            "Female",
            "Male",
            "Another",
            "Prefer not to say",
            "Not stated",
            "Total",
        ]
        assert rows(table) == [
            [1, 10, 10, 0, 0, 0, 20],
            [2, 13, 10, 0, 0, 0, 23],
            [3, 0, "<5", 0, 0, 0, "<5"],
        ]

    def test_reach_by_country_matches_the_hand_count(self, built):
        table = report()[BY_COUNTRY]
        assert [(g, str(country)[:10], n) for g, country, n in rows(table)] == [
            (1, "Demonstria", 10),
            (1, "Exemplaria", 10),
            (2, "Demonstria", 13),
            (2, "Exemplaria", 10),
            (3, "Exemplaria", "<5"),
        ]

    def test_reach_per_trainer_matches_the_hand_count_with_small_cells_withheld(self, built):
        # B reached 20 and C 3 in generation 2, whose total (23) is shown: B's 20 would give
        # C's 3 away, so B's is withheld as well ("×").
        assert rows(report()[PER_TRAINER]) == [
            ["Trainer Alpha", 1, 1, 20],
            ["Trainer Beta", 2, 1, "×"],
            ["Trainer Gamma", 2, 1, "<5"],
            ["Trainer Epsilon", 3, 1, "<5"],
        ]

    def test_a_small_country_cell_is_withheld_with_a_complement(self, built):
        # In generation 2, XA's 13 = B's 10 + C's 3 (small): no filter shows C's cell alone.
        table = report(country="XA")[PER_TRAINER]
        gamma = next(row for row in rows(table) if row[0] == "Trainer Gamma")
        beta = next(row for row in rows(table) if row[0] == "Trainer Beta")
        assert gamma[3] == "<5" and beta[3] == "×"
        assert rows(report(country="XA")[PER_GENERATION])[1][3] == 13

    def test_the_sex_filter_shows_the_same_cells_as_the_breakdown(self, built):
        unfiltered = rows(report()[BY_SEX])
        for column, sex in ((1, "female"), (2, "male")):
            filtered = rows(report(sex=sex)[PER_GENERATION])
            assert [row[3] for row in filtered] == [row[column] for row in unfiltered]

    def test_filters_on_course_dates_and_workshop_narrow_the_workshops(self, built):
        # Enrolments here started today, outside those dates: min_group=0 shows the cascade.
        # The field course has 5 people: a report on it is withheld, as everywhere.
        assert programme.build_report(programme.Filters(course_key=FIELD_COURSE))["withheld"]
        only_field = rows(report(course_key=FIELD_COURSE, min_group=1)[PER_GENERATION])
        assert only_field == [[2, 1, 1, "<5"], [3, 1, 1, "<5"]]
        spring = rows(
            report(start=date(2026, 4, 1), end=date(2026, 4, 30), min_group=0)[PER_GENERATION]
        )
        assert spring == [[2, 1, 1, 20]]
        one = rows(report(workshop_id=built["w1"].pk)[PER_GENERATION])
        assert one == [[1, 1, 1, 20]]
        assert rows(report(mode="self", min_group=0)[PER_GENERATION]) == []

    def test_the_exports_carry_the_cascade_tables(self, built):
        filters = programme.Filters()
        exported = report_rows(programme.build_report(filters), filters)
        assert [PER_TRAINER] in exported
        assert ["Trainer Beta", 2, 1, "×"] in exported


class TestLeadTrainer:
    @pytest.fixture
    def setting_up(self, client, tree):
        instructor = factories.make_user("lead@example.org")
        instructor.user_permissions.add(Permission.objects.get(codename="run_workshops"))
        profile = profile_for(instructor)
        profile.certificate_name, profile.country = "Lead Instructor", "XA"
        profile.save()
        workshop = room("Room", tree.course.translation_key, instructor, date(2026, 3, 2))
        Workshop.objects.filter(pk=workshop.pk).update(lead_trainer=None)
        client.force_login(instructor)
        data = {
            "title": "Room",
            "course": str(tree.course.translation_key),
            "start_date": "2026-03-02",
            "end_date": "2026-03-02",
            "language": "en",
            "capacity": 30,
            "attendance_threshold": 80,
            "status": "running",
            "joining_open": "on",
        }
        return instructor, workshop, data

    def test_an_instructor_without_a_trainer_certificate_is_refused_with_a_reason(
        self, client, setting_up
    ):
        instructor, workshop, data = setting_up
        response = client.post(
            f"/en/teach/{workshop.pk}/edit/", data | {"lead_trainer": instructor.pk}
        )
        assert "holds no valid trainer certificate" in response.content.decode()
        workshop.refresh_from_db()
        assert workshop.lead_trainer is None

    def test_someone_not_teaching_the_workshop_cannot_be_its_lead_trainer(self, client, setting_up):
        _instructor, workshop, data = setting_up
        outsider = person("outsider@example.org", "female", "XA")
        certify(outsider, TRAINING_OF_TRAINERS, "trainer")
        response = client.post(
            f"/en/teach/{workshop.pk}/edit/", data | {"lead_trainer": outsider.pk}
        )
        assert response.status_code == HTTPStatus.OK
        assert "Select a valid choice" in response.content.decode()
        workshop.refresh_from_db()
        assert workshop.lead_trainer is None

    def test_a_certified_instructor_becomes_lead_trainer_and_the_dashboard_says_so(
        self, client, setting_up
    ):
        instructor, workshop, data = setting_up
        certify(instructor, TRAINING_OF_TRAINERS, "trainer")
        response = client.post(
            f"/en/teach/{workshop.pk}/edit/", data | {"lead_trainer": instructor.pk}
        )
        assert response.status_code == HTTPStatus.FOUND
        workshop.refresh_from_db()
        assert workshop.lead_trainer == instructor
        page = client.get(f"/en/teach/{workshop.pk}/").content.decode()
        assert "Lead trainer:" in page and "Lead Instructor" in page


class TestTrainerCertificate:
    @pytest.fixture
    def trainer_course(self, tree):
        tree.course.trains_trainers = True
        tree.course.save_revision().publish()
        tree.course.refresh_from_db()
        return tree

    def test_a_train_the_trainer_course_issues_a_trainer_certificate(self, trainer_course):
        learner = person("t@example.org", "female", "XA", "Nadia Trainer")
        certificate = issue_certificate(learner, trainer_course.course.translation_key, "en")
        assert certificate.kind == "trainer"
        assert certificate.get_kind_display() == "Trainer certificate"
        assert certificate.credential["credentialSubject"]["achievement"]["achievementType"] == (
            "Certification"
        )
        # Asked again (say by the room's button), the same certificate comes back.
        again = issue_certificate(learner, trainer_course.course.translation_key, "en")
        assert again == certificate

    def test_the_verify_page_names_the_trainer_certificate(self, client, trainer_course):
        learner = person("t@example.org", "female", "XA", "Nadia Trainer")
        certificate = issue_certificate(learner, trainer_course.course.translation_key, "en")
        page = client.get(f"/en/verify/{certificate.code}/").content.decode()
        assert "Valid certificate" in page and "Trainer certificate" in page

    def test_its_pdf_credential_revocation_and_transcript_read_trainer_certificate(
        self, client, trainer_course, tmp_path
    ):
        from courses import certificates
        from tests.test_certificates import verifies
        from tests.test_pdf import run, tool

        learner = person("t@example.org", "female", "XA", "Nadia Trainer")
        certificate = issue_certificate(learner, trainer_course.course.translation_key, "en")
        tool("pdftotext", "poppler-utils")
        path = tmp_path / "trainer.pdf"
        path.write_bytes(certificate.pdf.open("rb").read())
        printed = run(["pdftotext", str(path), "-"])
        assert "Trainer certificate" in printed and "certified as a trainer" in printed
        credential = client.get(f"/en/verify/{certificate.code}/credential.json").json()
        assert verifies(credential).ok
        assert credential["name"].startswith("Trainer certificate: ")
        client.force_login(learner)
        transcript = client.get("/en/learning/transcript/").content.decode()
        assert "Trainer certificate, issued on" in transcript
        certificates.revoke(certificate, None, "Issued in error.")
        page = client.get(f"/en/verify/{certificate.code}/").content.decode()
        assert "Revoked certificate" in page and "Issued in error." in page
        # Revocation is final: completing again issues nothing.
        assert issue_certificate(learner, trainer_course.course.translation_key, "en") is None

    def test_other_courses_still_issue_certificates_of_completion(self, tree):
        learner = person("t@example.org", "female", "XA", "Nadia Learner")
        certificate = issue_certificate(learner, tree.course.translation_key, "en")
        assert certificate.kind == "completion"


class TestPublicProfile:
    def test_off_by_default_and_the_same_404_as_an_unknown_code(self, client, built):
        code = Certificate.objects.get(user=built["a"], kind="trainer").code
        hidden = client.get(f"/en/trainers/{code}/")
        unknown = client.get("/en/trainers/7KQ2-M9XD-4HFT-X/")
        assert hidden.status_code == unknown.status_code == HTTPStatus.NOT_FOUND
        # The same page but for the address asked for, which the 404 page repeats.
        same = hidden.content.decode().replace(code, "7KQ2-M9XD-4HFT-X")
        assert same == unknown.content.decode()
        assert "Trainer Alpha" not in hidden.content.decode()

    def test_once_turned_on_it_shows_the_certificate_and_finished_workshops_only(
        self, client, built
    ):
        profile = profile_for(built["a"])
        profile.public_trainer_profile = True
        profile.save()
        certificate = Certificate.objects.get(user=built["a"], kind="trainer")
        page = client.get(f"/en/trainers/{codes.grouped(certificate.code)}/").content.decode()
        assert "Trainer Alpha" in page
        assert f"/en/verify/{certificate.code}/" in page
        assert "Has led 1 finished workshop as lead trainer." in page
        # Nothing about the people trained.
        assert "W1" not in page and "w1fa0" not in page.lower()

    def test_a_workshop_still_running_is_not_counted(self, client, built):
        profile = profile_for(built["e"])
        profile.public_trainer_profile = True
        profile.save()
        code = Certificate.objects.get(user=built["e"], kind="trainer").code
        page = client.get(f"/en/trainers/{code}/").content.decode()
        assert "Has led 0 finished workshops as lead trainer." in page

    def test_another_kind_of_certificate_or_a_revoked_one_finds_no_profile(self, client, built):
        profile = profile_for(built["a"])
        profile.public_trainer_profile = True
        profile.save()
        attendance = Certificate.objects.filter(kind="attendance").first()
        assert client.get(f"/en/trainers/{attendance.code}/").status_code == 404
        Certificate.objects.filter(user=built["a"], kind="trainer").update(status="revoked")
        code = Certificate.objects.get(user=built["a"], kind="trainer").code
        assert client.get(f"/en/trainers/{code}/").status_code == 404

    def test_the_toggle_is_offered_to_trainers_only(self, client, built):
        client.force_login(built["a"])
        assert "public_trainer_profile" in client.get("/en/profile/edit/").content.decode()
        client.force_login(get_user_model().objects.get(email="w3fa0@example.org"))
        assert "public_trainer_profile" not in client.get("/en/profile/edit/").content.decode()
