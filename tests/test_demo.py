"""manage.py load_demo_content: a site to click through, created once."""

import re
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.models import Page

import pytest

from courses import demo
from courses.models import CoursePage, HomePage, LessonPage
from tests.conftest import DEMO_PASSWORD as PASSWORD

pytestmark = pytest.mark.django_db

DEMO_LEARNERS = ("learner@example.org", "judge@example.org")


@pytest.fixture
def loaded(demo_for_module, db):
    """The demo, loaded once for this module (tests/conftest.py ``demo_loaded``)."""


def test_every_language_has_a_home_page(loaded, client):
    languages = set(HomePage.objects.values_list("locale__language_code", flat=True))
    assert languages == {code for code, _name in settings.LANGUAGES}
    for code, _name in settings.LANGUAGES:
        assert client.get(f"/{code}/").status_code == HTTPStatus.OK


def test_the_course_exists_in_english_french_and_arabic(loaded, client):
    languages = set(CoursePage.objects.live().values_list("locale__language_code", flat=True))
    assert languages == {"en", "fr", "ar"}
    assert LessonPage.objects.live().filter(locale__language_code="fr").count() == 3


def test_french_pages_read_in_french_and_their_outline_works(loaded, client):
    course = CoursePage.objects.get(locale__language_code="fr")
    html = client.get(course.url).content.decode()
    assert "La preuve électronique : un premier aperçu" in html
    assert "Trois catégories de données" in html  # lessons found under the translated modules
    lesson = LessonPage.objects.get(locale__language_code="fr", slug="trois-categories-de-donnees")
    assert (
        "Les données relatives au trafic décrivent une communication"
        in client.get(lesson.url).content.decode()
    )


def test_arabic_course_reads_right_to_left_in_arabic(loaded, client):
    course = CoursePage.objects.get(locale__language_code="ar")
    html = client.get(course.url).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "الأدلة الإلكترونية: نظرة أولى" in html


def test_translations_are_editable_in_wagtail_localize(loaded):
    from wagtail_localize.models import Translation

    assert Translation.objects.filter(target_locale__language_code="fr").exists()


def test_demo_accounts_sign_in_with_the_demo_password(loaded, client):
    for account in demo.DEMO_ACCOUNTS:
        response = client.post(
            "/en/accounts/login/", {"login": account.email, "password": PASSWORD}
        )
        assert response.status_code == HTTPStatus.FOUND, account.email
        client.post("/en/accounts/logout/")
    editor = get_user_model().objects.get(email="editor@example.org")
    assert editor.is_staff


def test_loading_twice_changes_nothing(loaded, django_capture_on_commit_callbacks):
    before = (Page.objects.count(), get_user_model().objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load_demo_content() == []
    assert (Page.objects.count(), get_user_model().objects.count()) == before


def test_if_empty_leaves_an_existing_site_alone(loaded, capsys):
    call_command("load_demo_content", "--if-empty")
    assert "already has content" in capsys.readouterr().out


def test_the_tree_counts_its_children(loaded):
    for page in Page.objects.all():
        assert page.numchild == page.get_children().count(), page.title


def test_a_generated_password_is_kept_for_the_next_run(monkeypatch, tmp_path):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    monkeypatch.setattr(demo, "PASSWORD_FILE", tmp_path / ".demo-password")
    first = demo.demo_password()
    assert len(first) >= 16
    assert demo.demo_password() == first
    assert (tmp_path / ".demo-password").stat().st_mode & 0o077 == 0


def test_two_demo_learners_hold_certificates_one_in_arabic(loaded, client, capsys):
    from courses.models import Certificate

    english = Certificate.objects.get(user__email="learner@example.org")
    arabic = Certificate.objects.get(user__email="judge@example.org")
    assert english.is_valid and english.language == "en" and english.name == "Amina Diallo"
    assert arabic.language == "ar" and arabic.name == "ليلى عبد الرحمن"
    assert arabic.course_title == "الأدلة الإلكترونية: نظرة أولى"
    html = client.get(f"/en/verify/{arabic.code}/").content.decode()
    assert "Valid certificate" in html and "ليلى عبد الرحمن" in html
    call_command("demo_accounts")
    out = capsys.readouterr().out
    assert f"/C/{english.code}" in out and f"/C/{arabic.code}" in out


def test_the_demo_learners_read_their_lessons_at_a_plausible_pace(loaded):
    from courses.models import LessonCompletion, LessonVisit

    course = CoursePage.objects.get(locale__language_code="en", slug=demo.content.COURSE["slug"].en)
    minutes = dict(
        LessonPage.objects.filter(locale__language_code="en")
        .descendant_of(course)
        .values_list("translation_key", "estimated_minutes")
    )
    completions = LessonCompletion.objects.filter(user__email__in=DEMO_LEARNERS)
    assert completions.count() == 2 * len(minutes)
    for completion in completions:
        estimate = minutes[completion.lesson_key] * 60
        assert 0.5 * estimate <= completion.seconds_on_task <= 1.6 * estimate
    assert LessonVisit.objects.filter(user__email__in=DEMO_LEARNERS).count() == 2 * len(minutes)


def test_a_running_workshop_led_by_the_instructor(loaded, client, capsys):
    from courses.models import Workshop

    workshop = Workshop.objects.get(instructors__email="instructor@example.org")
    assert workshop.status == "running" and workshop.participants.count() == 6
    instructor = get_user_model().objects.get(email="instructor@example.org")
    client.force_login(instructor)
    html = client.get(f"/en/teach/{workshop.pk}/").content.decode()
    assert workshop.join_code in html and "Олег Иванов" in html and "More time on" in html
    call_command("demo_accounts")
    assert f"join code {workshop.join_code}" in capsys.readouterr().out


def test_the_demo_course_has_a_legal_update_offered_to_its_learner(loaded, client, capsys):
    from courses.models import Certificate, LegalUpdate
    from courses.models.versions import current_version

    certificate = Certificate.objects.get(user__email="learner@example.org")
    assert certificate.course_version == 1
    assert current_version(certificate.course_key) == 2
    languages = set(LegalUpdate.objects.values_list("locale__language_code", flat=True))
    assert {"en", "fr", "ar"} <= languages
    html = client.get(f"/en/verify/{certificate.code}/").content.decode()
    assert "Issued for version 1 of the course" in html and "Art. 2(c) and (d)" in html
    french = client.get(f"/fr/verify/{certificate.code}/").content.decode()
    assert "art. 2, al. c) et d)" in french
    client.force_login(certificate.user)
    dashboard = client.get("/en/learning/").content.decode()
    assert "dashboard-update" in dashboard and "Three kinds of data" in dashboard
    update = client.get(f"/en/learning/updates/{certificate.course_key}/").content.decode()
    assert "Three kinds of data" in update and "Update quiz" in update
    call_command("demo_accounts")
    assert "(course version 1)" in capsys.readouterr().out


def test_a_trainer_cascade_counted_by_hand(loaded, client, capsys):
    """Trainer A (self-paced, generation 1) certified 3 trainers among 10 people (5 women and
    5 men, all police in Demonstria) in a finished workshop; trainer B (generation 2) led a
    finished workshop where 10 people (5 and 5, prosecutors in Exemplaria) earned
    certificates."""
    from courses import cascade, programme
    from courses.demo_cascade import TRAINER_A, TRAINER_B
    from courses.models import Certificate

    trainers = dict(
        Certificate.objects.filter(kind="trainer", status="valid").values_list(
            "user__email", "user_id"
        )
    )
    found = cascade.generations()
    assert found[trainers[TRAINER_A]] == 1 and found[trainers[TRAINER_B]] == 2
    assert len(trainers) == 4
    tables = {t.title: t for t in programme.build_report(programme.Filters())["tables"]}
    reach = tables["Cascade: people reached per generation of trainers"].rows
    assert [list(row) for row in reach] == [[1, 1, 1, 10], [2, 1, 1, 10]]
    by_sex = tables["Cascade: people reached per generation, by sex"].rows
    assert [list(row) for row in by_sex] == [[1, 5, 5, 0, 0, 0, 10], [2, 5, 5, 0, 0, 0, 10]]
    by_country = tables["Cascade: people reached per generation, by country"].rows
    assert [(g, str(country)[:10], n) for g, country, n in by_country] == [
        (1, "Demonstria", 10),
        (2, "Exemplaria", 10),
    ]
    by_trainer = tables["Cascade: people reached per trainer"].rows
    assert [list(row) for row in by_trainer] == [
        ["Kofi Asante", 1, 1, 10],
        ["Lina Haddad", 2, 1, 10],
    ]
    call_command("demo_accounts")
    printed = capsys.readouterr().out
    assert TRAINER_A in printed and TRAINER_B in printed
    page = client.get(re.search(r"/en/trainers/\S+/", printed).group(0))
    assert page.status_code == HTTPStatus.OK
    assert "Kofi Asante" in page.content.decode()
    assert "Has led 1 finished workshop as lead trainer." in page.content.decode()
