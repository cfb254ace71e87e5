"""Every quiz leads on (issue 19): the way on after each kind of quiz, a pre-test without
pass or fail, one progress figure, mistakes at their questions, and the learner's own answer
beside whatever the review policy shows of the key. The browser side is in
tests/browser/test_quiz_journeys.py."""

from http import HTTPStatus

import pytest

from courses.models import Attempt, AttemptAnswer, LessonCompletion
from courses.models.quizzes import AttemptStatus
from courses.progress import outline_progress
from courses.quizzes import next_steps, review
from tests import factories

pytestmark = pytest.mark.django_db

PICK, STEPS, OTHER_STEPS, PAIRS = (
    "a1111111-1111-4111-8111-111111111111",
    "a2222222-2222-4222-8222-222222222222",
    "a3333333-3333-4333-8333-333333333333",
    "a4444444-4444-4444-8444-444444444444",
)


def pick():
    return factories.single_choice("Which is volatile?", {"a": "RAM", "b": "Paper"}, "a", PICK)


def steps(question_id=STEPS):
    return factories.ordering(
        "Put the steps in order.",
        {"s1": "Secure the scene", "s2": "Record the state", "s3": "Hash the copy"},
        question_id,
    )


def pairs():
    return factories.matching(
        "Match each kind of data.",
        {"p1": ("Traffic data", "Route"), "p2": ("Content data", "Message")},
        PAIRS,
    )


@pytest.fixture
def course(tree):
    """The default tree (2 modules of 2 lessons) with a pre-test, a module quiz in module 1
    and a post-test."""
    tree.pre_test = factories.make_quiz(tree.course, [pick()], kind="pre", pass_mark=0)
    tree.module_quiz = factories.make_quiz(tree.modules[0], [pick()], kind="module")
    tree.post_test = factories.make_quiz(tree.course, [pick()], kind="post")
    return tree


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def take(client, quiz, answers):
    """Start and submit the quiz through its forms; the response to the submission."""
    factories.later()  # any wait between attempts is over
    started = client.post(f"/en/quizzes/{quiz.pk}/start/")
    assert started.status_code == HTTPStatus.FOUND, started
    return factories.post_answers(client, started.url, answers)


def complete_lessons(learner, lessons):
    factories.opened(learner, *lessons)
    for lesson in lessons:
        LessonCompletion.objects.create(
            user=learner,
            course_key=lesson.get_parent().get_parent().translation_key,
            lesson_key=lesson.translation_key,
            language="en",
        )


class TestTheWayOn:
    def test_after_the_pre_test_the_result_leads_to_the_first_lesson(self, signed_in, course):
        response = take(signed_in, course.pre_test, {f"q:{PICK}": "b"})
        html = signed_in.get(response.url).content.decode()
        assert f'<a class="button" href="{course.lessons[0].url}">' in html

    def test_the_page_of_a_pre_test_already_taken_leads_on_too(self, signed_in, course):
        take(signed_in, course.pre_test, {f"q:{PICK}": "a"})
        html = signed_in.get(course.pre_test.url).content.decode()
        assert "You have already taken the pre-test." in html
        assert f'<a class="button" href="{course.lessons[0].url}">' in html

    def test_a_pre_test_closed_because_lessons_began_leads_to_the_next_lesson(
        self, signed_in, learner, course
    ):
        complete_lessons(learner, course.lessons[:1])
        html = signed_in.get(course.pre_test.url).content.decode()
        assert "The pre-test is taken before the first lesson." in html
        assert f'<a class="button" href="{course.lessons[1].url}">' in html

    def test_a_passed_module_quiz_leads_to_the_next_modules_first_lesson(
        self, learner, signed_in, course
    ):
        complete_lessons(learner, course.lessons[:2])
        response = take(signed_in, course.module_quiz, {f"q:{PICK}": "a"})
        steps = next_steps(learner, course.module_quiz)
        assert steps["next"].pk == course.lessons[2].pk
        assert steps["retry"] is None and steps["revisit"] == []
        html = signed_in.get(response.url).content.decode()
        assert f'<a class="button" href="{course.lessons[2].url}">' in html

    def test_a_failed_module_quiz_says_when_to_retry_and_which_lessons_to_revise(
        self, learner, signed_in, course
    ):
        response = signed_in.post(f"/en/quizzes/{course.module_quiz.pk}/start/")
        factories.post_answers(signed_in, response.url, {f"q:{PICK}": "b"})
        steps = next_steps(learner, course.module_quiz)
        assert "You can try again in 10 minutes" in steps["retry"]
        assert [page.pk for page in steps["revisit"]] == [
            lesson.pk for lesson in course.lessons[:2]
        ]
        html = signed_in.get(f"/en/quizzes/attempts/{Attempt.objects.get().pk}/result/")
        html = html.content.decode()
        assert "You can try again in 10 minutes" in html and "Revise these lessons:" in html
        for lesson in course.lessons[:2]:
            assert f'<a href="{lesson.url}">{lesson.title}</a>' in html
        factories.later()
        assert next_steps(learner, course.module_quiz)["retry"] == ""  # open again now

    def test_a_failed_post_test_names_the_modules_to_revise(self, learner, signed_in, course):
        response = take(signed_in, course.post_test, {f"q:{PICK}": "b"})
        html = signed_in.get(response.url).content.decode()
        assert "Revise these modules:" in html and "You can try again in 60 minutes" in html
        for module in course.modules:
            assert f'<a href="{module.url}">{module.title}</a>' in html

    def test_a_passed_post_test_that_completes_the_course_leads_to_the_certificate(
        self, learner, signed_in, course
    ):
        complete_lessons(learner, course.lessons)
        take(signed_in, course.module_quiz, {f"q:{PICK}": "a"})
        response = take(signed_in, course.post_test, {f"q:{PICK}": "a"})
        # Until the worker has made it, the result page says the certificate is coming.
        html = signed_in.get(response.url).content.decode()
        assert "Your certificate is being prepared." in html
        assert 'href="/en/learning/">Check again</a>' in html
        factories.run_tasks()
        steps = next_steps(learner, course.post_test)
        assert steps["completed_at"] is not None and steps["certificate"] is not None
        html = signed_in.get(response.url).content.decode()
        assert f'href="/en/verify/{steps["certificate"].code}/">See your certificate' in html
        assert 'href="/en/learning/">My learning' in html and "being prepared" not in html

    def test_a_passed_post_test_before_the_lessons_are_done_leads_to_what_is_left(
        self, learner, signed_in, course
    ):
        take(signed_in, course.post_test, {f"q:{PICK}": "a"})
        steps = next_steps(learner, course.post_test)
        assert steps["completed_at"] is None and steps["next"].pk == course.lessons[0].pk

    def test_an_expired_pre_test_does_not_hold_the_learner_at_the_pre_test(
        self, learner, signed_in, course
    ):
        signed_in.post(f"/en/quizzes/{course.pre_test.pk}/start/")
        Attempt.objects.update(status=AttemptStatus.EXPIRED)
        progress = outline_progress(learner, course.course, course.course.outline())
        assert progress["continue_lesson"].pk == course.lessons[0].pk


class TestThePreTestHasNoPassOrFail:
    def test_quiz_page_result_and_outline_use_no_pass_wording(self, signed_in, course):
        response = take(signed_in, course.pre_test, {f"q:{PICK}": "b"})
        result = signed_in.get(response.url).content.decode()
        assert (
            "Your score: 0%. This tells you where you start; it does not count towards passing."
            in result
        )
        quiz_page = signed_in.get(course.pre_test.url).content.decode()
        outline = signed_in.get(course.course.url).content.decode()
        for html in (result, quiz_page, outline):
            main = html[html.index("<main") : html.index("</main>")]
            for wording in ("Passed", "Not passed", "passed", "Pass mark", "pass mark"):
                assert wording not in main
        assert "it does not count towards passing" in quiz_page

    def test_the_pre_test_is_taken_not_ticked_and_the_figures_agree(
        self, learner, signed_in, course
    ):
        take(signed_in, course.pre_test, {f"q:{PICK}": "a"})
        complete_lessons(learner, course.lessons[:1])
        progress = outline_progress(learner, course.course, course.course.outline())
        assert course.pre_test.translation_key in progress["taken_keys"]
        assert course.pre_test.translation_key not in progress["completed_keys"]
        # 1 lesson of 4 lessons, the module quiz and the post-test
        assert progress["percent"] == 17
        page = signed_in.get(course.course.url).content.decode()
        dashboard = signed_in.get("/en/learning/").content.decode()
        assert '<progress max="100" value="17">' in page
        assert '<progress max="100" value="17">' in dashboard
        outline = page[page.index('id="outline-heading"') :]
        assert outline.count('<span class="tick">') == 1
        assert outline.count("taken; not counted in your progress") == 1


class TestMistakesAtTheirQuestions:
    def test_every_mistake_is_named_at_its_question_and_nothing_is_recorded(self, signed_in, tree):
        quiz = factories.make_quiz(
            tree.modules[0], [pick(), steps(), steps(OTHER_STEPS), pairs()], kind="practice"
        )
        answers = {f"q:{PICK}": "a", f"q:{STEPS}:s1": "1", f"q:{STEPS}:s2": "1"}
        answers |= {f"q:{OTHER_STEPS}:s1": "2", f"q:{OTHER_STEPS}:s2": "2"}
        response = take(signed_in, quiz, answers)
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        mistake = "Give each step a different position, from 1 to 3."
        assert f'<a href="#question-2">Question 2: {mistake}</a>' in html
        assert f'<a href="#question-3">Question 3: {mistake}</a>' in html
        unanswered = "You have not answered this question yet."
        assert '<a href="#question-4">Question 4: ' + unanswered in html
        assert '<a href="#question-1">' not in html  # answered, and fine
        assert 'id="question-2-error"' in html and 'id="question-3-error"' in html
        assert html.count('aria-invalid="true" aria-describedby="question-2-error"') == 3
        # Unanswered is allowed: pointed out, described, but not invalid.
        assert 'aria-describedby="question-4-error"' in html
        assert 'aria-invalid="true" aria-describedby="question-4-error"' not in html
        assert 'role="alert"' in html
        assert not AttemptAnswer.objects.exists()
        assert Attempt.objects.get().status == AttemptStatus.OPEN

    def test_a_blank_submission_without_mistakes_is_still_accepted(self, signed_in, tree):
        quiz = factories.make_quiz(tree.modules[0], [pick(), steps()], kind="practice")
        response = take(signed_in, quiz, {})
        assert response.status_code == HTTPStatus.FOUND
        assert Attempt.objects.get().status == AttemptStatus.SUBMITTED


def submitted(learner, quiz, answers):
    """An attempt at quiz after the wait, submitted with answers in the quiz's own ids."""
    factories.later()
    return factories.submit_attempt(learner, quiz, answers)


WRONG = {
    f"q:{PAIRS}:p1": "p2",
    f"q:{PAIRS}:p2": "p1",
    f"q:{STEPS}:s1": "2",
    f"q:{STEPS}:s2": "1",
    f"q:{STEPS}:s3": "3",
}


class TestYourAnswerBesideTheKey:
    def quiz(self, tree, kind, policy):
        return factories.make_quiz(tree.modules[0], [pairs(), steps()], kind=kind, **policy)

    def test_under_mistakes_a_wrong_question_shows_only_the_learners_rows(self, learner, tree):
        quiz = self.quiz(tree, "module", {"review_policy": "mistakes"})
        attempt = submitted(learner, quiz, WRONG)
        matching, ordering = review(attempt, quiz)["questions"]
        assert [(r["label"], r["yours"], r["key"], r["right"]) for r in matching["rows"]] == [
            ("Traffic data", "Message", None, None),
            ("Content data", "Route", None, None),
        ]
        assert [(r["label"], r["yours"], r["key"]) for r in ordering["rows"]] == [
            (1, "Record the state", None),
            (2, "Secure the scene", None),
            (3, "Hash the copy", None),
        ]

    def test_under_full_the_key_stands_beside_each_row(self, learner, tree):
        quiz = self.quiz(tree, "practice", {"review_policy": "full"})
        attempt = submitted(learner, quiz, WRONG)
        matching, ordering = review(attempt, quiz)["questions"]
        assert [(r["yours"], r["key"], r["right"]) for r in matching["rows"]] == [
            ("Message", "Route", False),
            ("Route", "Message", False),
        ]
        assert [(r["yours"], r["key"], r["right"]) for r in ordering["rows"]] == [
            ("Record the state", "Secure the scene", False),
            ("Secure the scene", "Record the state", False),
            ("Hash the copy", "Hash the copy", True),
        ]

    def test_rows_of_an_unanswered_question_are_blank(self, learner, tree):
        quiz = self.quiz(tree, "practice", {"review_policy": "full"})
        attempt = submitted(learner, quiz, {})
        matching, ordering = review(attempt, quiz)["questions"]
        assert {r["yours"] for r in matching["rows"] + ordering["rows"]} == {""}
        assert not any(r["right"] for r in matching["rows"] + ordering["rows"])

    def test_score_only_shows_no_rows(self, learner, tree):
        quiz = self.quiz(tree, "module", {"review_policy": "score"})
        attempt = submitted(learner, quiz, WRONG)
        assert review(attempt, quiz)["questions"] == []
