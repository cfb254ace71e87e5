"""Quizzes without a dead end (issue 19, items 2-5), on a 360 px phone in English and Arabic:
every result leads on, the pre-test has no pass or fail and one progress figure holds
everywhere, mistakes are shown at their questions, and the review puts the learner's own
answer beside whatever the policy shows of the key.

Texts are compared with gettext in the page's language (or found by id, role or class),
so the tests hold once the new strings are translated."""

from django.utils import translation
from django.utils.translation import gettext, pgettext

import pytest

from courses.models import AttemptAnswer, LessonCompletion
from courses.models.learners import profile_for
from courses.models.quizzes import AttemptStatus
from courses.progress import required_keys
from tests import factories
from tests.browser.conftest import BROWSER_LOCALES, PHONE, fits_the_screen, keep_screenshot, sign_in
from tests.browser.test_accessibility import AXE, violations_on
from tests.conftest import require

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "quiz-Journey-passphrase-19"
EMAIL = "officer@example.org"
LANGUAGES = ["en", "ar"]
PICK, TRUE_FALSE, PAIRS, STEPS = (
    "b1111111-1111-4111-8111-111111111111",
    "b2222222-2222-4222-8222-222222222222",
    "b3333333-3333-4333-8333-333333333333",
    "b4444444-4444-4444-8444-444444444444",
)
ARABIC_TITLES = {
    "course": "التعامل مع الأدلة الرقمية",
    "module-1": "الوحدة الأولى",
    "module-2": "الوحدة الثانية",
    "lesson-1-1": "الدرس 1.1",
    "lesson-2-1": "الدرس 2.1",
}


def _(language, msgid, /, **values):
    with translation.override(language):
        text = gettext(msgid)
    return text % values if values else text


def pick():
    return factories.single_choice("Which is volatile?", {"a": "RAM", "b": "Paper"}, "a", PICK)


def pairs():
    return factories.matching(
        "Match each kind of data.",
        {"p1": ("Traffic data", "Route"), "p2": ("Content data", "Message")},
        PAIRS,
    )


def steps():
    return factories.ordering(
        "Put the steps in order.",
        {"s1": "Secure the scene", "s2": "Record the state", "s3": "Hash the copy"},
        STEPS,
    )


class Course:
    """Two modules of one lesson, a pre-test, a module quiz in module 1 and a post-test,
    in English and in Arabic."""

    def __init__(self):
        tree = factories.make_tree(modules=2, lessons_per_module=1)
        self.course, self.modules, self.lessons = tree.course, tree.modules, tree.lessons
        self.pre_test = factories.make_quiz(self.course, [pick()], kind="pre", pass_mark=0)
        self.module_quiz = factories.make_quiz(self.modules[0], [pick()], kind="module")
        self.post_test = factories.make_quiz(self.course, [pick()], kind="post")
        self.pages = [self.course, *self.modules, *self.lessons]
        self.pages += [self.pre_test, self.module_quiz, self.post_test]
        for page in self.pages:
            factories.translate(page, "ar", title=ARABIC_TITLES.get(page.slug))

    def add_quiz(self, questions, **settings):
        """A quiz in module 1, in English and Arabic (same question ids)."""
        quiz = factories.make_quiz(self.modules[0], questions, **settings)
        factories.translate(quiz, "ar")
        return quiz


def local(page, language):
    """The page in the language (the live translation)."""
    return page.get_translation(factories.locale(language)).specific


@pytest.fixture
def course(all_locales):
    return Course()


@pytest.fixture
def learner(db):
    user = factories.make_user(EMAIL, password=PASSWORD)
    profile = profile_for(user)
    profile.certificate_name, profile.country = "Amina Yusuf", "NG"
    profile.save()
    return user


@pytest.fixture
def phone(open_phone, live_server, learner):
    """A signed-in phone: phone(language, javascript=True) -> (tab, base address)."""

    def signed_in(language, javascript=True):
        tab = open_phone(language, javascript=javascript)
        sign_in(tab, live_server.url, EMAIL, PASSWORD, language)
        return tab

    return signed_in


def go(tab, url):
    tab.goto(url)
    tab.wait_for_load_state()


def click(tab, locator):
    locator.click()
    tab.wait_for_load_state()


def heading(tab):
    return tab.locator("h1").inner_text().strip()


def take(tab, base, quiz, language, choose):
    """Open the quiz page, start, tick the labelled option and submit: the result page."""
    go(tab, base + quiz.url)
    start = tab.get_by_role("button", name=_(language, "Start the quiz"), exact=True)
    start = start.or_(tab.get_by_role("button", name=_(language, "Try again"), exact=True))
    click(tab, start)
    tab.get_by_label(choose, exact=True).check()
    click(tab, tab.get_by_role("button", name=_(language, "Submit your answers"), exact=True))
    return tab


def pass_or_fail_wording(tab, language, mark):
    """Whatever pass-or-fail wording the page's main part shows."""
    words = {_(language, word) for word in ("Passed", "Not passed", "passed", "not passed")}
    found = [
        text.strip()
        for text in tab.locator("main strong, main .done").all_inner_texts()
        if text.strip() in words
    ]
    found += [
        text.strip()
        for text in tab.locator("main .attempts li").all_inner_texts()
        if any(text.strip().endswith(word) for word in words)
    ]
    main = tab.locator("main").inner_text()
    found += [
        phrase
        for phrase in (
            _(language, "Pass mark: %(mark)s%%", mark=mark),
            _(language, "Your score: %(score)s%% (pass mark %(mark)s%%).", score=0, mark=mark),
        )
        if phrase in main
    ]
    return found


def complete(learner, *lessons):
    for lesson in lessons:
        LessonCompletion.objects.create(
            user=learner,
            course_key=lesson.get_parent().get_parent().translation_key,
            lesson_key=lesson.translation_key,
            language="en",
        )


# --- Item 2 and 3: the pre-test leads on, without pass or fail --------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pre_test_leads_to_the_first_lesson_without_pass_or_fail(
    phone, live_server, course, language
):
    base, tab = live_server.url, phone(language)
    pre_test, first_lesson = local(course.pre_test, language), local(course.lessons[0], language)
    go(tab, base + pre_test.url)
    assert pass_or_fail_wording(tab, language, 0) == []
    take(tab, base, pre_test, language, "Paper")

    starting = "Your score: %(score)s%%. This tells you where you start; it does not count "
    assert tab.locator(".score").inner_text().strip() == _(
        language, starting + "towards passing.", score=0
    )
    assert pass_or_fail_wording(tab, language, 0) == []
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-02-pre-test-result-{language}")
    way_on = tab.locator(".next-steps .next-item a")
    assert way_on.inner_text().strip() == first_lesson.title
    click(tab, way_on)
    assert heading(tab) == first_lesson.title

    # The quiz page of the pre-test, taken already, says so and leads on as well.
    go(tab, base + pre_test.url)
    assert tab.locator("main .notice").first.inner_text().strip() == _(
        language, "You have already taken the pre-test."
    )
    assert pass_or_fail_wording(tab, language, 0) == []
    assert tab.locator(".attempts li").inner_text().strip().endswith("0%")
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-02-pre-test-page-{language}")
    click(tab, tab.locator(".next-steps .next-item a"))
    assert heading(tab) == first_lesson.title


@pytest.mark.parametrize("language", LANGUAGES)
def test_after_the_pre_test_the_dashboard_course_page_and_ticks_agree(
    phone, live_server, course, learner, language
):
    base, tab = live_server.url, phone(language)
    take(tab, base, local(course.pre_test, language), language, "RAM")
    complete(learner, course.lessons[0])

    go(tab, base + local(course.course, language).url)
    percent = int(tab.locator(".course-progress progress").get_attribute("value"))
    ticked = tab.locator(".outline ol .tick, .outline-test .tick").count()
    required = len(required_keys(course.course.outline()))  # 2 lessons, module quiz, post-test
    assert (ticked, required, percent) == (1, 4, 25)
    assert percent == round(100 * ticked / required)
    pre_test_item = tab.locator(".outline-test").filter(
        has=tab.locator(f'a[href="{local(course.pre_test, language).url}"]')
    )
    assert pre_test_item.locator(".tick").count() == 0  # taken, not a step of the 25 %
    assert pre_test_item.locator(".taken").is_visible()
    assert pass_or_fail_wording(tab, language, 0) == []
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-03-course-page-{language}")

    go(tab, f"{base}/{language}/learning/")
    card = tab.locator(".dashboard-course")
    assert int(card.locator("progress").get_attribute("value")) == percent
    with translation.override(language):
        shown = gettext("%(percent)s%% complete") % {"percent": percent}
    assert shown in card.inner_text()
    assert pass_or_fail_wording(tab, language, 0) == []
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-03-dashboard-{language}")


# --- Item 2: module quiz and post-test lead on ------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_module_quiz_and_post_test_lead_on_to_the_next_module_and_the_certificate(
    phone, live_server, course, learner, language
):
    base, tab = live_server.url, phone(language)
    module_quiz, post_test = local(course.module_quiz, language), local(course.post_test, language)
    complete(learner, course.lessons[0])

    # Failed: when to try again, and what to revise meanwhile.
    take(tab, base, module_quiz, language, "Paper")
    steps = tab.locator(".next-steps")
    assert steps.locator(".notice").is_visible()
    assert _(language, "Revise these lessons:") in steps.inner_text()
    assert steps.locator(".revisit a").all_inner_texts() == [
        local(course.lessons[0], language).title
    ]
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-02-module-quiz-failed-{language}")

    # The wait is over (the server's record, not a sleep): the result page says so.
    factories.later()
    tab.reload()
    assert _(language, "You can try again now.") in steps.locator(".notice").inner_text()
    click(tab, steps.get_by_role("link", name=_(language, "Try again"), exact=True))
    assert heading(tab) == module_quiz.title

    # Passed: on to the first lesson of the next module.
    take(tab, base, module_quiz, language, "RAM")
    assert tab.locator(".next-steps .notice").count() == 0
    next_lesson = local(course.lessons[1], language)
    assert tab.locator(".next-steps .next-item a").inner_text().strip() == next_lesson.title
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-02-module-quiz-passed-{language}")
    click(tab, tab.locator(".next-steps .next-item a"))
    assert heading(tab) == next_lesson.title
    complete(learner, course.lessons[1])

    # The post-test, failed: the modules to revise; passed: the certificate.
    take(tab, base, post_test, language, "Paper")
    modules = [local(module, language).title for module in course.modules]
    assert tab.locator(".next-steps .revisit a").all_inner_texts() == modules
    assert tab.locator(".next-steps .notice").is_visible()
    keep_screenshot(tab, f"item-02-post-test-failed-{language}")
    factories.later(days=2)
    take(tab, base, post_test, language, "RAM")
    factories.run_tasks()  # the worker makes the certificate; the result page then links it
    tab.reload()
    certificate = tab.get_by_role("link", name=_(language, "See your certificate"), exact=True)
    assert certificate.is_visible()
    assert (
        tab.locator(".next-steps")
        .get_by_role("link", name=_(language, "My learning"), exact=True)
        .is_visible()
    )
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-02-post-test-passed-{language}")
    click(tab, certificate)
    assert heading(tab).endswith(_(language, "Valid certificate"))


# --- Item 4: mistakes at their questions -------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_mistakes_are_shown_at_their_questions_and_the_answers_are_kept(
    phone, live_server, course, language
):
    questions = [pick(), pairs(), factories.true_false("RAM keeps data.", False, TRUE_FALSE)]
    quiz = local(course.add_quiz([*questions, steps()], kind="practice"), language)
    base, tab = live_server.url, phone(language, javascript=False)
    go(tab, base + quiz.url)
    click(tab, tab.get_by_role("button", name=_(language, "Start the quiz"), exact=True))
    attempt_url = tab.url

    tab.get_by_label("RAM", exact=True).check()
    tab.locator("#question-2").get_by_label("Traffic data").select_option(label="Route")
    tab.locator("#question-2").get_by_label("Content data").select_option(label="Message")
    # Question 3 left unanswered; question 4 gives two steps the same position.
    order = {"Secure the scene": "1", "Record the state": "1", "Hash the copy": "2"}
    for step, position in order.items():
        tab.locator("#question-4").get_by_label(step).select_option(position)
    click(tab, tab.get_by_role("button", name=_(language, "Submit your answers"), exact=True))

    mistake = _(language, "Give each step a different position, from 1 to %(count)s.", count=3)
    unanswered = _(
        language,
        "You have not answered this question yet. An unanswered question scores nothing.",
    )
    summary = tab.locator(".error-summary[role=alert]")
    assert summary.is_visible()
    assert summary.locator("a").all_inner_texts() == [
        _(language, "Question %(number)s: %(message)s", number=3, message=unanswered),
        _(language, "Question %(number)s: %(message)s", number=4, message=mistake),
    ]
    # Each message at its question, tied to its fields.
    assert mistake in tab.locator("#question-4-error").inner_text()
    assert unanswered in tab.locator("#question-3-error").inner_text()
    for select in tab.locator("#question-4 select").all():
        assert select.get_attribute("aria-invalid") == "true"
        assert select.get_attribute("aria-describedby") == "question-4-error"
    for choice in tab.locator("#question-3 input").all():
        assert choice.get_attribute("aria-describedby") == "question-3-error"
    assert tab.locator("#question-1 [aria-invalid], #question-2 [aria-invalid]").count() == 0
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-04-mistakes-{language}")

    # The summary's link leads to the question.
    click(tab, summary.locator('a[href="#question-4"]'))
    assert tab.url.endswith("#question-4")
    assert tab.locator("#question-4").bounding_box()["y"] < 740
    assert tab.locator("#question-4").bounding_box()["y"] > -1

    # Nothing was recorded and nothing was lost.
    assert not AttemptAnswer.objects.exists()
    assert tab.get_by_label("RAM", exact=True).is_checked()
    for row, match in (("Traffic data", "Route"), ("Content data", "Message")):
        chosen = tab.locator("#question-2").get_by_label(row).locator("option:checked")
        assert chosen.text_content() == match
    for step, position in order.items():
        assert tab.locator("#question-4").get_by_label(step).input_value() == position

    # Put right, the form goes through (a blank answer is allowed: it scores nothing).
    tab.locator("#question-4").get_by_label("Record the state").select_option("2")
    tab.locator("#question-4").get_by_label("Hash the copy").select_option("3")
    click(tab, tab.get_by_role("button", name=_(language, "Submit your answers"), exact=True))
    assert tab.url != attempt_url and tab.url.endswith("/result/")
    assert tab.locator(".score").is_visible()


# --- Item 5: your answer beside the key --------------------------------------------------


SWAPPED = {
    f"q:{PICK}": "a",
    f"q:{PAIRS}:p1": "p2",
    f"q:{PAIRS}:p2": "p1",
    f"q:{STEPS}:s1": "2",
    f"q:{STEPS}:s2": "1",
    f"q:{STEPS}:s3": "3",
}


def table(question):
    """The rows of a question's review table: [row header, cell, cell…] each."""
    return [
        [" ".join(cell.split()) for cell in row.locator("th, td").all_inner_texts()]
        for row in question.locator("tbody tr").all()
    ]


@pytest.mark.parametrize("policy", ["mistakes", "full"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_review_shows_your_own_pairs_and_order_beside_what_the_policy_allows(
    phone, live_server, course, learner, language, policy
):
    kind = "module" if policy == "mistakes" else "practice"
    quiz = course.add_quiz([pairs(), steps(), pick()], kind=kind, review_policy=policy)
    attempt = factories.submit_attempt(learner, local(quiz, language), SWAPPED, language)
    assert attempt.status == AttemptStatus.SUBMITTED and not attempt.passed
    tab = phone(language)
    go(tab, f"{live_server.url}/{language}/quizzes/attempts/{attempt.pk}/result/")
    matching, ordering, single = tab.locator(".review > li").all()

    with translation.override(language):
        yours, the_answer = gettext("Your answer"), gettext("The answer")
        item, position = pgettext("matching question", "Item"), gettext("Position")
    right, wrong = _(language, "Right"), _(language, "Wrong")
    if policy == "mistakes":
        # Both wrong: the learner's own answer only, no key, no verdict per row.
        assert matching.locator("thead th").all_inner_texts() == [item, yours]
        assert ordering.locator("thead th").all_inner_texts() == [position, yours]
        assert table(matching) == [["Traffic data", "Message"], ["Content data", "Route"]]
        assert table(ordering) == [
            ["1", "Record the state"],
            ["2", "Secure the scene"],
            ["3", "Hash the copy"],
        ]
        assert tab.locator(".review .key").count() == 1  # the single choice, answered right
        assert single.locator(".key").is_visible()
    else:
        assert matching.locator("thead th").all_inner_texts() == [item, yours, the_answer]
        assert table(matching) == [
            ["Traffic data", f"Message ✗ {wrong}", "Route"],
            ["Content data", f"Route ✗ {wrong}", "Message"],
        ]
        assert table(ordering) == [
            ["1", f"Record the state ✗ {wrong}", "Secure the scene"],
            ["2", f"Secure the scene ✗ {wrong}", "Record the state"],
            ["3", f"Hash the copy ✓ {right}", "Hash the copy"],
        ]
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-05-review-{policy}-{language}")


# --- Items 4 and 5 with a screen reader in mind: axe finds nothing serious ----------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_refused_form_and_the_review_have_no_serious_accessibility_violations(
    browser, live_server, course, learner, language
):
    require(AXE.exists(), f"{AXE} is missing (npm ci installs it)")
    quiz = local(course.add_quiz([pick(), steps()], kind="practice"), language)
    base = live_server.url
    # axe is injected inline: this phone alone lets it past the site's CSP.
    context = browser.new_context(viewport=PHONE, locale=BROWSER_LOCALES[language], bypass_csp=True)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    try:
        sign_in(tab, base, EMAIL, PASSWORD, language)
        go(tab, base + quiz.url)
        click(tab, tab.get_by_role("button", name=_(language, "Start the quiz"), exact=True))
        for step in ("Secure the scene", "Record the state", "Hash the copy"):
            tab.get_by_label(step).select_option("1")
        click(tab, tab.get_by_role("button", name=_(language, "Submit your answers"), exact=True))
        assert tab.locator(".error-summary").is_visible()
        assert violations_on(tab, str(AXE)) == []

        answered = {name: value for name, value in SWAPPED.items() if PAIRS not in name}
        attempt = factories.submit_attempt(
            learner, quiz, answered, language
        )  # the open attempt, answered
        go(tab, f"{base}/{language}/quizzes/attempts/{attempt.pk}/result/")
        assert tab.locator(".review-answers").count() == 1
        assert violations_on(tab, str(AXE)) == []
    finally:
        context.close()
