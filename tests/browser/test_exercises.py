"""An exercise from draft to instructor comment, on a 360-pixel phone with JavaScript off, in
English and in Arabic: a refused draft comes back as typed, the model answer appears only
once submitted, the checklist and self-assessment are saved, the lesson then completes, and
the workshop's instructor reads the draft and comments on it.

Screenshots: test-results/screens/exercise-<language>-<step>.png."""

from django.utils import translation
from django.utils.translation import gettext, pgettext

import pytest

from courses import demo_content
from courses.models import ExerciseWork, LessonCompletion, LessonPage, Participant, Workshop
from courses.models.exercises import MAX_ANSWER_CHARS, SelfRating
from courses.models.learners import profile_for
from tests import factories
from tests.browser.conftest import fits_the_screen, keep_screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-Exercise-passphrase-8"
NAMES = {"en": "Kofi Mensah", "ar": "سلمى حداد"}


@pytest.fixture
def demo_site(monkeypatch, tmp_path):
    from courses import demo

    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    monkeypatch.setattr(demo, "PASSWORD_FILE", tmp_path / ".demo-password")
    demo.load_demo_content()
    return Workshop.objects.get(title=demo.DEMO_WORKSHOP)


def demo_exercise():
    lesson = next(
        item for item in demo_content.LESSONS if item["slug"].en == "expedited-preservation"
    )
    return next(value for kind, value in lesson["body"] if kind == "exercise")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_learner_drafts_submits_and_compares_and_the_instructor_comments(
    open_phone, live_server, demo_site, language
):
    def _(message):
        with translation.override(language):
            return gettext(message)

    def text(value):
        return getattr(value, language)

    base = live_server.url
    email = f"exercise-{language}@example.org"
    learner = factories.make_user(email, password=PASSWORD)
    profile = profile_for(learner)
    profile.certificate_name, profile.country = NAMES[language], "GH"
    profile.save()
    Participant.objects.create(workshop=demo_site, user=learner, source="code")
    english = LessonPage.objects.get(locale__language_code="en", slug="expedited-preservation")
    lesson = LessonPage.objects.get(
        locale__language_code=language, translation_key=english.translation_key
    )
    exercise = demo_exercise()
    labels = {key: text(label) for key, label, _help, _multiline in exercise["fields"]}
    model_answer = text(exercise["model_answer"][0])

    tab = open_phone(language, javascript=False)
    sign_in(tab, base, email, PASSWORD, language)
    tab.goto(f"{base}{lesson.url}")
    assert tab.locator(".exercise h2").is_visible()
    assert model_answer not in tab.content()
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"exercise-{language}-1-draft")

    # Too long a part: nothing saved, everything back as typed, the error at its part.
    too_long = "x" * (MAX_ANSWER_CHARS + 1)
    tab.get_by_label(labels["provider"], exact=True).fill("Rivernet Communications")
    tab.get_by_label(labels["data"], exact=True).fill(too_long)
    tab.get_by_role("button", name=_("Save draft"), exact=True).click()
    tab.wait_for_load_state()
    assert tab.get_by_label(labels["data"], exact=True).input_value() == too_long
    assert (
        tab.get_by_label(labels["provider"], exact=True).input_value() == "Rivernet Communications"
    )
    assert tab.locator(".exercise .error-summary").is_visible()
    assert not ExerciseWork.objects.filter(user=learner).exists()
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"exercise-{language}-2-too-long")

    # Submitted with a part left blank: saved as a draft, not submitted, the part pointed out.
    tab.get_by_label(labels["data"], exact=True).fill("Connection logs of 203.0.113.45")
    tab.get_by_label(labels["period"], exact=True).fill("3 March, 20:45-23:30 UTC; 90 days")
    with translation.override(language):
        submit = pgettext("exercise", "Submit")
    tab.get_by_role("button", name=submit, exact=True).click()
    tab.wait_for_load_state()
    blank = _("Fill in this part before you submit; if it does not apply, say why.")
    assert tab.locator(".field-error").get_by_text(blank, exact=True).is_visible()
    work = ExerciseWork.objects.get(user=learner)
    assert work.submitted_at is None and work.answers["period"].startswith("3 March")
    assert model_answer not in tab.content()

    # Submitted: the draft is final, and the model answer and the checklist appear.
    tab.get_by_label(labels["confidentiality"], exact=True).fill("Do not tell the customer.")
    tab.get_by_role("button", name=submit, exact=True).click()
    tab.wait_for_load_state()
    assert tab.get_by_text(model_answer).is_visible()
    assert (
        tab.locator(".exercise input[type=text], .exercise form textarea").count() == 1
    )  # the note
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"exercise-{language}-3-model-answer")

    # The comparison: two points ticked, a rating, a note.
    checklist = [text(item) for _key, item in exercise["checklist"]]
    tab.get_by_label(checklist[0], exact=True).check()
    tab.get_by_label(checklist[3], exact=True).check()
    with translation.override(language):
        rating = str(SelfRating.MOSTLY.label)
    tab.get_by_label(rating, exact=True).check()
    tab.locator(".exercise-assessment textarea").fill("Add the case reference next time.")
    tab.get_by_role("button", name=_("Save my self-assessment"), exact=True).click()
    tab.wait_for_load_state()
    work.refresh_from_db()
    assert work.ticked == ["specified-data", "confidentiality"]
    assert work.self_rating == SelfRating.MOSTLY
    assert tab.get_by_label(checklist[0], exact=True).is_checked()
    assert fits_the_screen(tab)

    # Submitted, the lesson completes (its reading time has passed: a state, not a wait).
    factories.opened(learner, lesson)
    tab.get_by_role("button", name=_("Mark as complete"), exact=True).click()
    tab.wait_for_load_state()
    assert LessonCompletion.objects.filter(user=learner, lesson_key=lesson.translation_key).exists()

    # The workshop's instructor reads the draft and comments, from a phone too.
    teacher = open_phone("en", javascript=False)
    sign_in(teacher, base, "instructor@example.org", PASSWORD, "en")
    teacher.goto(f"{base}/en/teach/{demo_site.pk}/")
    teacher.get_by_role("link", name="Exercises", exact=True).click()
    teacher.wait_for_load_state()
    assert fits_the_screen(teacher)
    teacher.get_by_role("link", name=NAMES[language], exact=True).click()
    teacher.wait_for_load_state()
    assert teacher.get_by_text("Connection logs of 203.0.113.45").is_visible()
    teacher.get_by_label("Your comment").fill("Good. Add your case reference next time.")
    teacher.get_by_role("button", name="Send the comment", exact=True).click()
    teacher.wait_for_load_state()
    assert fits_the_screen(teacher)
    keep_screenshot(teacher, f"exercise-{language}-4-instructor")

    tab.goto(f"{base}{lesson.url}")
    assert tab.get_by_text("Good. Add your case reference next time.").is_visible()
    assert tab.locator(".exercise-comments").get_by_text("Nguyễn Thị Lan").is_visible()
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"exercise-{language}-5-comment")
