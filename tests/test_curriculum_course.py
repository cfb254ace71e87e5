"""The real starter course, loaded once for this module: readable and takeable in all eight
languages, and reloading it changes nothing."""

import re
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import TestCase
from django.utils.html import escape
from django.utils.translation import gettext as _

from wagtail.models import Page, Revision

import pytest

from courses import exercises
from courses.curriculum.loader import load_curriculum
from courses.curriculum.source import Curriculum
from courses.models import Attempt, Certificate, CoursePage, Enrolment, LessonPage, QuizPage
from courses.models.learners import profile_for
from tests import factories

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the real curriculum once; roll it back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            report = load_curriculum(Curriculum())
        yield report
        transaction.set_rollback(True)


def submit_exercises(client, language, lesson):
    """Write and submit the lesson's exercises through their form: a lesson with an exercise
    is complete only once it is submitted. The model answer then shows, markers printed."""
    for block_id, exercise in exercises.exercises_in(lesson):
        draft = {f"exercise-{block_id}-{part['key']}": "A draft." for part in exercise["fields"]}
        url = f"/{language}/progress/lessons/{lesson.pk}/exercises/{block_id}/"
        assert client.post(url, draft | {"action": "submit"}).status_code == HTTPStatus.FOUND
        page = client.get(lesson.url).content.decode()
        assert 'class="model-answer"' in page and "[[" not in page


def course_in(language):
    return CoursePage.objects.get(
        locale__language_code=language, translation_key=Curriculum().entries()[0].translation_key
    )


def right_answers(quiz):
    """The form data a learner who knows every answer would send."""
    data = {}
    for block in quiz.questions:
        field, value = f"q:{block.id}", block.value
        if block.block_type in ("single_choice", "multiple_response"):
            right = [b.id for b in value["options"].bound_blocks if b.value["correct"]]
            data[field] = right[0] if block.block_type == "single_choice" else right
        elif block.block_type == "true_false":
            data[field] = "true" if value["answer"] else "false"
        elif block.block_type == "matching":
            data.update({f"{field}:{b.id}": b.id for b in value["pairs"].bound_blocks})
        else:
            data.update(
                {f"{field}:{b.id}": str(n) for n, b in enumerate(value["items"].bound_blocks, 1)}
            )
    return data


def take(client, language, quiz, answers):
    factories.later()  # any wait between attempts is over
    response = client.post(f"/{language}/quizzes/{quiz.pk}/start/")
    assert response.status_code == HTTPStatus.FOUND, response
    attempt_url = response.url
    assert re.search(r"/quizzes/attempts/\d+/$", attempt_url), attempt_url
    assert client.get(attempt_url).status_code == HTTPStatus.OK
    attempt = Attempt.objects.get(pk=re.search(r"/attempts/(\d+)/$", attempt_url).group(1))
    response = client.post(attempt_url, factories.attempt_form(attempt, answers))
    assert response.status_code == HTTPStatus.FOUND
    return client.get(response.url)


@pytest.mark.django_db
def test_the_course_has_every_page_in_every_language(loaded):
    curriculum = Curriculum()
    entries = curriculum.entries()
    for language in LANGUAGES:
        for entry in entries:
            page = Page.objects.get(
                translation_key=entry.translation_key, locale__language_code=language
            )
            assert page.live, (language, entry.key)
            assert page.title == curriculum.fields(language, entry)["title"]
            assert page.slug == curriculum.fields(language, entry)["slug"]
        assert LessonPage.objects.filter(locale__language_code=language).count() >= 13
        assert QuizPage.objects.filter(locale__language_code=language).count() >= 6
    for page in Page.objects.all():
        assert page.numchild == page.get_children().count(), page.title


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_learner_takes_the_whole_course(loaded, client, language):
    user = factories.make_user(f"learner-{language}@example.org")
    profile = profile_for(user)
    profile.certificate_name, profile.country, profile.role = "Test Learner", "KE", "police"
    profile.save()
    client.force_login(user)
    course = course_in(language)
    outline = course.outline()
    assert course.title in client.get(f"/{language}/").content.decode()
    html = client.get(course.url).content.decode()
    assert f'lang="{language}"' in html and course.title in html
    assert ('dir="rtl"' in html) == (language == "ar")

    assert client.post(f"/{language}/progress/courses/{course.pk}/start/").status_code == 302
    take(client, language, outline.pre_test, {})  # a pre-test measures; blank is allowed
    for module, items in outline.modules:
        assert client.get(module.url).status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
        for item in items:
            if isinstance(item, LessonPage):
                page = client.get(item.url).content.decode()
                assert item.title in page and "[[" not in page
                factories.opened(user, item)  # and read it: first opened an hour ago
                submit_exercises(client, language, item)
                response = client.post(f"/{language}/progress/lessons/{item.pk}/complete/")
                assert response.status_code == HTTPStatus.FOUND
                assert response.url != item.url  # accepted: on to what comes next
            else:
                result = take(client, language, item, right_answers(item))
                assert result.status_code == HTTPStatus.OK
    result = take(client, language, outline.post_test, right_answers(outline.post_test))
    assert "100" in result.content.decode()

    enrolment = Enrolment.objects.get(user=user, course_key=course.translation_key)
    assert enrolment.completed_at is not None
    assert enrolment.pre_test_score == 0 and enrolment.post_test_score == 100
    dashboard = client.get(f"/{language}/learning/").content.decode()
    assert course.title in dashboard


@pytest.mark.django_db
def test_a_module_quiz_can_be_failed_then_passed(loaded, client):
    user = factories.make_user("retry@example.org")
    client.force_login(user)
    course = course_in("fr")
    _module, items = course.outline().modules[0]
    quiz = next(item for item in items if isinstance(item, QuizPage))
    client.post(f"/fr/progress/courses/{course.pk}/start/")
    take(client, "fr", course.outline().pre_test, {})
    take(client, "fr", quiz, {})
    take(client, "fr", quiz, right_answers(quiz))
    attempts = list(user.quiz_attempts.filter(quiz_key=quiz.translation_key).order_by("pk"))
    assert [a.passed for a in attempts] == [False, True]


@pytest.mark.django_db
def test_reloading_the_real_curriculum_changes_nothing(loaded, django_capture_on_commit_callbacks):
    pages = [item for item in loaded.created if item.endswith(".yaml")]
    assert len(pages) == len(LANGUAGES) * len(Curriculum().entries())
    before = (Page.objects.count(), Revision.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        report = load_curriculum(Curriculum())
    assert not report.changed and report.kept == []
    assert (Page.objects.count(), Revision.objects.count()) == before


def blind_answers(quiz):
    """What a script sends without knowing anything: the first option, "true", every item
    matched to the first match, the steps in the order written backwards."""
    data = {}
    for block in quiz.questions:
        field, value = f"q:{block.id}", block.value
        if block.block_type in ("single_choice", "multiple_response"):
            data[field] = value["options"].bound_blocks[0].id
        elif block.block_type == "true_false":
            data[field] = "true"
        elif block.block_type == "matching":
            first = value["pairs"].bound_blocks[0].id
            data.update({f"{field}:{b.id}": first for b in value["pairs"].bound_blocks})
        else:
            items = value["items"].bound_blocks
            data.update({f"{field}:{b.id}": str(len(items) - n) for n, b in enumerate(items)})
    return data


@pytest.mark.django_db
def test_a_script_earns_no_certificate_in_a_hurry_or_by_copying(loaded, client):
    """HTTP only, no browser, as fast as it likes: lessons opened and marked complete at
    once are refused; a failed post-test reveals no answers to copy, its form cannot be
    replayed, and copying what was learnt from it does not pass."""
    user = factories.make_user("script@example.org")
    profile = profile_for(user)
    profile.certificate_name, profile.country = "Scripted Learner", "KE"
    profile.save()
    client.force_login(user)
    course = course_in("en")
    outline = course.outline()
    client.post(f"/en/progress/courses/{course.pk}/start/")
    take(client, "en", outline.pre_test, {})
    lessons = [item for item in outline.items() if isinstance(item, LessonPage)]
    for lesson in lessons:  # every lesson opened first, then all marked complete
        client.get(lesson.url)
    for lesson in lessons:
        response = client.post(f"/en/progress/lessons/{lesson.pk}/complete/", follow=True)
        assert response.status_code == HTTPStatus.OK
    assert not user.lesson_completions.exists()

    post_test = outline.post_test
    blind = blind_answers(post_test)
    review = take(client, "en", post_test, blind).content.decode()
    first = user.quiz_attempts.get(quiz_key=post_test.translation_key)
    assert not first.passed
    # Nothing in the review gives away an answer the script got wrong.
    for answer in first.answers.all():
        if answer.is_correct:
            continue
        snapshot = answer.snapshot
        for option in snapshot.get("options", []):
            chosen = option["id"] in (answer.response or [])  # shown as its own answer
            if option["correct"] and not chosen and option["text"] != _("True"):
                assert escape(option["text"]) not in review, option["text"]
        for pair in snapshot.get("pairs", []):
            if (answer.response or {}).get(pair["id"]) == pair["id"]:
                continue  # a pair the script matched right itself
            assert f"{escape(pair['left'])} → {escape(pair['right'])}" not in review
    # Replaying the first attempt's form on the second records nothing.
    factories.later()
    replay = factories.attempt_form(first, blind)
    client.post(f"/en/quizzes/{post_test.pk}/start/")
    second = user.quiz_attempts.get(status="open")
    html = client.post(f"/en/quizzes/attempts/{second.pk}/", replay).content.decode()
    assert "Nothing was recorded" in html
    # Copying its own earlier answers scores what they scored: not a pass.
    client.post(f"/en/quizzes/attempts/{second.pk}/", factories.attempt_form(second, blind))
    second.refresh_from_db()
    assert second.score == first.score and not second.passed
    assert not Certificate.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_the_demo_learners_who_finished_the_demo_course_are_offered_this_one(
    loaded, client, monkeypatch, tmp_path, django_capture_on_commit_callbacks
):
    """`make demo` loads the demo and this course: the demo learners who finished the demo
    course find this one under "What to learn next" (the two share an audience), in the
    language they studied in (courses/suggestions.py)."""
    from courses import demo

    monkeypatch.setenv("DEMO_PASSWORD", "demo-Passphrase-for-tests-1")
    monkeypatch.setattr(demo, "PASSWORD_FILE", tmp_path / ".demo-password")
    with django_capture_on_commit_callbacks(execute=True):
        demo.load_demo_content()
    for email, language in (("learner@example.org", "en"), ("judge@example.org", "ar")):
        user = get_user_model().objects.get(email=email)
        assert Enrolment.objects.filter(user=user, completed_at__isnull=False).exists()
        client.force_login(user)
        html = client.get(f"/{language}/learning/").content.decode()
        start = html.index('class="dashboard-next"')
        assert course_in(language).title in html[start : html.index("</section>", start)]
