"""manage.py load_curriculum on the two-language miniature: pages, translations, reloads."""

import shutil
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path

from django.core.management import CommandError, call_command

from wagtail.models import Page, Revision
from wagtail_localize.models import StringTranslation, Translation

import pytest

from courses import certificates
from courses.curriculum import timing
from courses.curriculum.loader import CurriculumInvalid, load_curriculum
from courses.curriculum.source import Curriculum
from courses.models import CoursePage, LessonPage, QuizPage
from courses.models.learners import profile_for
from tests import factories

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parent / "fixtures" / "curriculum"
LESSON = "1-basics/1-first.yaml"


@pytest.fixture
def root(tmp_path):
    copy = tmp_path / "curriculum"
    shutil.copytree(FIXTURE, copy)
    return copy


@pytest.fixture
def load(root, django_capture_on_commit_callbacks):
    def run(force=False):
        with django_capture_on_commit_callbacks(execute=True):
            return load_curriculum(Curriculum(root), force=force)

    return run


def lesson(language):
    return LessonPage.objects.get(locale__language_code=language)


def state():
    """What a reload must not change."""
    return (
        Page.objects.count(),
        Revision.objects.count(),
        sorted(Page.objects.values_list("translation_key", "locale__language_code", "title")),
    )


def replace_in(root, file, old, new):
    path = root / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


class TestFirstLoad:
    def test_every_language_gets_the_whole_course(self, load):
        report = load()
        assert "en/1-basics/1-first.yaml" in report.created
        assert "fr/1-basics/1-first.yaml" in report.created
        for language, title in (("en", "Test course"), ("fr", "Cours de test")):
            course = CoursePage.objects.get(locale__language_code=language)
            assert course.title == title and course.live
            outline = course.outline()
            assert [p.slug for p in outline.items()] == (
                ["pre-test", "quick-freeze", "basics-quiz", "post-test"]
                if language == "en"
                else ["test-pre", "gel-rapide", "quiz-des-bases", "test-post"]
            )
        for page in Page.objects.all():
            assert page.numchild == page.get_children().count(), page.title

    def test_pages_in_both_languages_are_translations_of_each_other(self, load):
        load()
        assert lesson("fr").translation_key == lesson("en").translation_key
        assert lesson("fr").get_parent().specific.title == "Les bases"

    def test_citations_print_in_the_language_of_the_page(self, load, client):
        load()
        english = client.get(lesson("en").url).content.decode()
        french = client.get(lesson("fr").url).content.decode()
        assert "Budapest Convention, Art. 16" in english
        assert "presumed Art. 25, to be checked against the official text (A/RES/79/243)" in english
        assert "Convention de Budapest, art. 16" in french
        assert "art. 25 présumé, à vérifier dans le texte officiel" in french
        assert "<b>conservation</b>" in french and "<li>Elle est rapide.</li>" in french
        assert "[[" not in english + french

    def test_quizzes_keep_ids_and_answers_across_languages(self, load):
        load()
        english, french = (
            QuizPage.objects.get(kind="module", locale__language_code=code) for code in ("en", "fr")
        )
        assert [q.id for q in french.questions] == [q.id for q in english.questions]
        first_en, first_fr = english.questions[0].value, french.questions[0].value
        assert [o["correct"] for o in first_fr["options"]] == [True, False]
        assert first_fr["options"][0]["text"] == "90 jours"
        assert [b.id for b in first_fr["options"].bound_blocks] == [
            b.id for b in first_en["options"].bound_blocks
        ]
        assert french.pass_mark == 60

    def test_translations_are_recorded_for_editors(self, load, client, settings):
        load()
        fr_lesson = lesson("fr")
        translation = Translation.objects.get(
            source__object_id=fr_lesson.translation_key, target_locale__language_code="fr"
        )
        assert translation.enabled
        assert StringTranslation.objects.filter(
            locale__language_code="fr", data="Pourquoi c'est important"
        ).exists()
        settings.REQUIRE_ADMIN_MFA = False
        client.force_login(
            factories.make_user("editor@example.org", is_staff=True, is_superuser=True)
        )
        response = client.get(f"/admin/pages/{fr_lesson.pk}/edit/")
        assert response.status_code == HTTPStatus.OK
        assert "Pourquoi c" in response.content.decode()


class TestReloading:
    def test_loading_twice_changes_nothing(self, load):
        load()
        before = state()
        report = load()
        assert not report.changed and report.kept == []
        assert len(report.unchanged) == 12  # six pages, two languages
        assert state() == before

    def test_an_admin_edit_is_kept_and_nothing_is_duplicated(self, load):
        load()
        page = lesson("en")
        page.title = "Quick freeze, edited by an editor"
        page.slug = "quick-freeze-edited"
        page.save_revision().publish()
        before = state()
        report = load()
        assert "en/1-basics/1-first.yaml (edited in the admin; --force overwrites)" in report.kept
        assert any(item.startswith("fr/1-basics/1-first.yaml") for item in report.kept)
        assert state() == before
        assert lesson("en").title == "Quick freeze, edited by an editor"

    def test_force_puts_the_file_back_without_duplicating(self, load):
        load()
        page = lesson("en")
        page.title = "Edited"
        page.save_revision().publish()
        pages = Page.objects.count()
        report = load(force=True)
        assert "en/1-basics/1-first.yaml" in report.updated
        assert Page.objects.count() == pages
        assert lesson("en").title == "Quick freeze"

    def test_a_translation_edited_in_wagtail_localize_is_kept(self, load):
        load()
        string = StringTranslation.objects.get(
            locale__language_code="fr", data="Pourquoi c'est important"
        )
        string.data = "Pourquoi c'est essentiel"
        string.save()
        Translation.objects.get(
            source__object_id=lesson("fr").translation_key, target_locale__language_code="fr"
        ).save_target(publish=True)
        report = load()
        assert any(item.startswith("fr/1-basics/1-first.yaml (edited") for item in report.kept)
        assert lesson("fr").body[0].value["text"] == "Pourquoi c'est essentiel"

    def test_a_changed_file_updates_the_same_pages(self, load, root):
        load()
        ids = (lesson("en").pk, lesson("fr").pk)
        replace_in(root, f"en/{LESSON}", "Logs disappear.", "Logs vanish.")
        replace_in(root, f"fr/{LESSON}", "Les journaux disparaissent.", "Les journaux s'effacent.")
        report = load()
        assert {"en/1-basics/1-first.yaml", "fr/1-basics/1-first.yaml"} <= set(report.updated)
        assert (lesson("en").pk, lesson("fr").pk) == ids
        assert "Logs vanish." in str(lesson("en").body[1].value)
        assert "Les journaux s'effacent." in str(lesson("fr").body[1].value)

    def test_broken_files_load_nothing(self, load, root):
        replace_in(root, f"en/{LESSON}", "[[bc 16]] keeps", "[[uncc 24]] keeps")
        with pytest.raises(CurriculumInvalid) as raised:
            load()
        assert any("[UNV]" in problem for problem in raised.value.problems)
        assert not CoursePage.objects.exists()

    def test_the_command_reports_and_refuses(
        self, root, capsys, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_curriculum", "--path", str(root))
        assert "15 created" in capsys.readouterr().out  # 12 pages, French locale, two homes
        call_command("load_curriculum", "--path", str(root))
        assert "0 created, 0 updated, 12 unchanged" in capsys.readouterr().out
        (root / "fr" / LESSON).unlink()
        with pytest.raises(CommandError, match="nothing was loaded"):
            call_command("load_curriculum", "--path", str(root))


class TestTime:
    """Minutes and hours come from the files (courses/curriculum/timing.py), never by hand."""

    def test_a_lessons_minutes_are_its_reading_time_and_its_scenarios_questions(self, load):
        load()
        # 56 English words (references left out) at 120 a minute, and 2 minutes for the
        # scenario's one question: 2.47, so 3 minutes, in French too.
        assert [lesson(code).estimated_minutes for code in ("en", "fr")] == [3, 3]

    def test_the_course_hours_are_the_sum_rounded_up_to_the_half_hour(self, load, client):
        load()
        # The lesson's 3 minutes, and 1.5 minutes a question for the pre-test (1 question:
        # 2), the module quiz (5: 8) and the post-test (1: 2): 15 minutes, half an hour.
        timing_ = Curriculum(FIXTURE).timing()
        assert timing_.minutes == {
            "pre-test": 2,
            "1-basics/1-first": 3,
            "1-basics/quiz": 8,
            "post-test": 2,
        }
        for code in ("en", "fr"):
            course = CoursePage.objects.get(locale__language_code=code)
            assert course.estimated_hours == Decimal("0.5")
            assert "30 minutes" in client.get(course.url).content.decode()

    def test_the_certificate_states_the_computed_hours(self, load):
        load()
        course = CoursePage.objects.get(locale__language_code="fr")
        user = factories.make_user()
        profile = profile_for(user)
        profile.certificate_name = "Amina Diallo"
        profile.save()
        certificate = certificates.issue_certificate(user, course.translation_key, "fr")
        assert certificate.hours == Decimal("0.5")
        assert certificates.printed_hours(certificate) == "30 minutes"

    def test_a_longer_lesson_changes_its_minutes_and_the_course_on_the_next_load(self, load, root):
        load()
        replace_in(root, "structure.yaml", "lesson_words: [20, 200]", "lesson_words: [20, 3000]")
        more = " ".join(["Preservation keeps the data as it is."] * 300)  # 2,100 words
        for language in ("en", "fr"):
            replace_in(root, f"{language}/{LESSON}", "- It is fast.", f"- It is fast. {more}")
        report = load()
        assert {"en/course.yaml", "fr/course.yaml", "fr/1-basics/1-first.yaml"} <= set(
            report.updated
        )
        # 2,156 words: 17.97 minutes of reading and 2 for the question, so 20; 32 in all.
        assert [lesson(code).estimated_minutes for code in ("en", "fr")] == [20, 20]
        for code in ("en", "fr"):
            course = CoursePage.objects.get(locale__language_code=code)
            assert course.estimated_hours == Decimal("1")

    def test_quiz_minutes_and_half_hours(self):
        assert timing.quiz_minutes({"questions": [{}] * 10}) == 15
        assert timing.quiz_minutes({"questions": [{}] * 11}) == 17
        assert [timing.hours_of(m) for m in (1, 30, 31, 60, 361)] == [
            Decimal("0.5"),
            Decimal("0.5"),
            Decimal("1"),
            Decimal("1"),
            Decimal("6.5"),
        ]

    def test_an_exercise_adds_five_minutes_a_part_and_its_reading(self):
        words = " ".join(["word"] * 120)
        data = {
            "body": [
                {"paragraph": words},
                {
                    "exercise": {
                        "title": "Draft",
                        "task": "Write it.",
                        "fields": [
                            {"key": "provider", "label": "Provider"},
                            {"key": "data-sought", "label": "Data"},
                        ],
                        "model_answer": "A model.",
                        "checklist": [{"key": "names-the-account", "text": "Names it."}],
                    }
                },
                {"references": [{"citation": words}]},
            ]
        }
        found = timing.lesson_time(data)
        # 120 + 9 words read (keys and references are not); two parts to draft.
        assert (found.words, found.exercise_parts) == (129, 2)
        assert found.minutes == 12  # 1.075 + 10, rounded up
