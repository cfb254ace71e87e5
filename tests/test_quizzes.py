"""Taking quizzes: the form, grading on the server, every kind of bad input, and review."""

import json
import random
import re
import threading
import time
from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus

from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.utils import timezone

import pytest

from courses.models import Attempt, AttemptAnswer
from courses.models.quizzes import AttemptStatus
from courses.progress import enrol
from courses.quizzes import QuizError, start_attempt, submit_attempt
from tests import factories

pytestmark = pytest.mark.django_db

SINGLE, MULTI, TF, MATCH, ORDER = (
    "11111111-1111-4111-8111-111111111111",
    "22222222-2222-4222-8222-222222222222",
    "33333333-3333-4333-8333-333333333333",
    "44444444-4444-4444-8444-444444444444",
    "55555555-5555-4555-8555-555555555555",
)
OTHER_QUESTION = "99999999-9999-4999-8999-999999999999"


def all_kinds():
    return [
        factories.single_choice(
            "How many years make a serious crime?",
            {"a": "Two", "b": "Four", "c": "Ten"},
            "b",
            SINGLE,
            explanation="See lesson 1: at least four years.",
        ),
        factories.multiple_response(
            "Which are traffic data?",
            {"a": "Route", "b": "Message text", "c": "Duration", "d": "Photo"},
            {"a", "c"},
            MULTI,
        ),
        factories.true_false("Preservation hands data to the police.", False, TF),
        factories.matching(
            "Match each kind of data.",
            {"p1": ("Traffic data", "Route"), "p2": ("Content data", "Message")},
            MATCH,
        ),
        factories.ordering(
            "Put the steps in order.",
            {"s1": "Secure the scene", "s2": "Record the state", "s3": "Hash the copy"},
            ORDER,
        ),
    ]


RIGHT = {
    f"q:{SINGLE}": "b",
    f"q:{MULTI}": ["a", "c"],
    f"q:{TF}": "false",
    f"q:{MATCH}:p1": "p1",
    f"q:{MATCH}:p2": "p2",
    f"q:{ORDER}:s1": "1",
    f"q:{ORDER}:s2": "2",
    f"q:{ORDER}:s3": "3",
}


@pytest.fixture
def quiz(tree):
    return factories.make_quiz(tree.modules[0], all_kinds(), pass_mark=70)


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def field_of(attempt, question_id, part=""):
    """The form field name of a question (or a matching's item) in this attempt."""
    from courses.quizzes import FIELD_PREFIX, token_names

    return FIELD_PREFIX + token_names(attempt)[(question_id, part)]


def start(client, quiz):
    response = client.post(f"/en/quizzes/{quiz.pk}/start/")
    assert response.status_code == HTTPStatus.FOUND
    match = re.search(r"/quizzes/attempts/(\d+)/$", response.url)
    assert match, response.url
    return Attempt.objects.get(pk=match.group(1))


def submit(client, attempt, data):
    """Post answers written with the quiz's own ids, as the attempt's form names them."""
    attempt.refresh_from_db()
    return client.post(f"/en/quizzes/attempts/{attempt.pk}/", factories.attempt_form(attempt, data))


class TestTakingAQuiz:
    def test_a_full_set_of_right_answers_passes_and_is_stored(self, signed_in, learner, quiz):
        attempt = start(signed_in, quiz)
        response = submit(signed_in, attempt, RIGHT)
        assert response.url == f"/en/quizzes/attempts/{attempt.pk}/result/"
        attempt.refresh_from_db()
        assert (attempt.status, attempt.score, attempt.passed) == ("submitted", 100, True)
        assert attempt.language == "en" and attempt.quiz_key == quiz.translation_key
        answers = {answer.question_id: answer for answer in attempt.answers.all()}
        assert set(answers) == {SINGLE, MULTI, TF, MATCH, ORDER}
        assert answers[SINGLE].response == ["b"]
        assert answers[SINGLE].snapshot["options"][1] == {
            "id": "b",
            "text": "Four",
            "correct": True,
            "feedback": "",
        }
        html = signed_in.get(response.url).content.decode()
        assert "Your score: 100% (pass mark 70%)." in html
        assert "See lesson 1: at least four years." in html

    def test_the_review_lists_steps_only_for_ordering_questions(self, signed_in, tree):
        single = factories.make_quiz(tree.modules[0], all_kinds()[:1], pass_mark=70)
        attempt = start(signed_in, single)
        response = submit(signed_in, attempt, {f"q:{SINGLE}": "b"})
        html = signed_in.get(response.url).content.decode()
        assert "Four" in html and "<ol>" not in html  # no empty numbered list of nothing

    def test_partial_and_wrong_answers_are_scored_on_the_server(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        data = dict(RIGHT) | {f"q:{SINGLE}": "a", f"q:{MATCH}:p2": "p1"}
        submit(signed_in, attempt, data)
        attempt.refresh_from_db()
        # 3 right of 5 points, plus half of the matching question.
        assert attempt.score == Decimal("70.00") and attempt.passed
        html = signed_in.get(f"/en/quizzes/attempts/{attempt.pk}/result/").content.decode()
        assert "Partly right" in html and "Wrong" in html

    def test_an_empty_submission_is_recorded_as_zero(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        submit(signed_in, attempt, {})
        attempt.refresh_from_db()
        assert attempt.score == 0 and attempt.passed is False
        assert attempt.answers.count() == 5

    def test_the_form_works_without_javascript_and_hides_the_answers(
        self, signed_in, tree, monkeypatch
    ):
        def rendered(right):
            # The same randomness for both quizzes: then the pages must be identical, so
            # nothing in them (names, values, order) depends on which option is right.
            monkeypatch.setattr("courses.quizzes._random", random.Random(2026))  # noqa: S311 seeded on purpose
            questions = [
                factories.single_choice("Pick", {"a": "A", "b": "B"}, right, SINGLE),
                factories.multiple_response("Pick", {"a": "A", "b": "B"}, {right}, MULTI),
                factories.true_false("True?", right == "a", TF),
            ]
            quiz = factories.make_quiz(tree.modules[0], questions)
            attempt = start(signed_in, quiz)
            html = signed_in.get(f"/en/quizzes/attempts/{attempt.pk}/").content.decode()
            html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
            html = re.sub(r"/(quizzes|progress)/[^\"]*?\d+/", "/ID/", html)
            return re.sub(r"Module quiz|/quiz-module-\w+/", "", html)

        with_a, with_b = rendered("a"), rendered("b")
        assert "<script" not in with_a.split("<main", 1)[1].split("</main>")[0]
        assert 'type="radio"' in with_a and 'type="checkbox"' in with_a
        assert with_a == with_b  # nothing in the page depends on which option is right

    def test_learners_must_sign_in_first(self, client, quiz):
        html = client.get(quiz.url).content.decode()
        assert "Sign in to take this quiz" in html
        response = client.post(f"/en/quizzes/{quiz.pk}/start/")
        assert "/accounts/login/" in response.url
        assert not Attempt.objects.exists()

    def test_starting_twice_resumes_the_open_attempt(self, signed_in, quiz):
        first = start(signed_in, quiz)
        assert start(signed_in, quiz) == first
        assert "Continue your attempt" in signed_in.get(quiz.url).content.decode()


class TestBadInput:
    def assert_nothing_recorded(self, attempt):
        attempt.refresh_from_db()
        assert attempt.status == AttemptStatus.OPEN
        assert not AttemptAnswer.objects.filter(attempt=attempt).exists()

    def test_an_option_that_is_not_part_of_the_question(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        response = submit(signed_in, attempt, RIGHT | {f"q:{SINGLE}": "zzz"})
        assert response.status_code == HTTPStatus.OK
        assert "Some answers do not belong to this quiz. Nothing was recorded" in (
            response.content.decode()
        )
        self.assert_nothing_recorded(attempt)

    def test_two_options_for_a_single_choice(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        submit(signed_in, attempt, RIGHT | {f"q:{SINGLE}": ["a", "b"]})
        self.assert_nothing_recorded(attempt)

    def test_a_question_that_is_not_in_the_attempt(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        response = submit(signed_in, attempt, RIGHT | {f"q:{OTHER_QUESTION}": "a"})
        assert "Nothing was recorded" in response.content.decode()
        self.assert_nothing_recorded(attempt)

    def test_a_step_order_with_the_same_position_twice_keeps_the_answers(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        data = RIGHT | {f"q:{ORDER}:s2": "1"}
        html = submit(signed_in, attempt, data).content.decode()
        assert "Give each step a different position, from 1 to 3." in html
        form = factories.attempt_form(attempt, data)
        single, match = form[field_of(attempt, SINGLE)], form[field_of(attempt, MATCH, "r:p1")]
        # the answers given are kept
        assert f'name="{field_of(attempt, SINGLE)}" value="{single}" checked' in html
        assert f'<option value="{match}" selected>' in html
        assert '<option value="1" selected>' in html
        self.assert_nothing_recorded(attempt)

    def test_a_second_submission_counts_once(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        submit(signed_in, attempt, RIGHT)
        response = submit(signed_in, attempt, {})  # back button, replay
        assert response.url.endswith(f"/quizzes/attempts/{attempt.pk}/result/")
        attempt.refresh_from_db()
        assert attempt.score == 100 and attempt.answers.count() == 5

    def test_the_same_submission_sent_again_is_graded_once(self, signed_in, learner, quiz):
        # What a participant's retry sends after the app server died under the first POST
        # (manage.py loadtest --kill-one-server): the identical form, a second time.
        attempt = start(signed_in, quiz)
        attempt.refresh_from_db()
        form = factories.attempt_form(attempt, RIGHT)
        url = f"/en/quizzes/attempts/{attempt.pk}/"
        first = signed_in.post(url, form)
        graded = Attempt.objects.get(pk=attempt.pk)
        again = signed_in.post(url, form)
        assert first.status_code == again.status_code == HTTPStatus.FOUND
        assert again.url == first.url == f"/en/quizzes/attempts/{attempt.pk}/result/"
        assert Attempt.objects.filter(user=learner).count() == 1
        attempt.refresh_from_db()
        assert (attempt.status, attempt.score) == (AttemptStatus.SUBMITTED, 100)
        assert attempt.submitted_at == graded.submitted_at
        assert AttemptAnswer.objects.filter(attempt=attempt).count() == 5

    def test_a_submission_after_the_time_limit(self, signed_in, tree):
        quiz = factories.make_quiz(tree.modules[0], all_kinds(), time_limit_minutes=10)
        attempt = start(signed_in, quiz)
        assert attempt.deadline is not None
        Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
        response = submit(signed_in, attempt, RIGHT)
        attempt.refresh_from_db()
        assert attempt.status == AttemptStatus.EXPIRED and attempt.score is None
        assert not attempt.answers.exists()
        follow = signed_in.get(response.url).content.decode()
        assert "ran out" in follow

    def test_beyond_the_attempt_limit(self, signed_in, learner, tree):
        quiz = factories.make_quiz(tree.modules[0], all_kinds(), max_attempts=1)
        submit(signed_in, start(signed_in, quiz), {})
        response = signed_in.post(f"/en/quizzes/{quiz.pk}/start/", follow=True)
        assert "You have used all your attempts at this quiz." in response.content.decode()
        assert Attempt.objects.filter(user=learner).count() == 1

    def test_another_learners_attempt_is_not_found(self, client, quiz, learner):
        client.force_login(learner)
        attempt = start(client, quiz)
        intruder = factories.make_user("intruder@example.org")
        client.force_login(intruder)
        for url in (
            f"/en/quizzes/attempts/{attempt.pk}/",
            f"/en/quizzes/attempts/{attempt.pk}/result/",
        ):
            assert client.get(url).status_code == HTTPStatus.NOT_FOUND
        assert submit(client, attempt, RIGHT).status_code == HTTPStatus.NOT_FOUND
        self.assert_nothing_recorded(attempt)


class TestQuizSettings:
    def test_draw_n_questions_from_the_pool(self, signed_in, tree):
        quiz = factories.make_quiz(tree.modules[0], all_kinds(), draw_count=2)
        attempt = start(signed_in, quiz)
        assert len(attempt.question_ids) == 2
        assert set(attempt.question_ids) <= {SINGLE, MULTI, TF, MATCH, ORDER}
        html = signed_in.get(f"/en/quizzes/attempts/{attempt.pk}/").content.decode()
        assert html.count('<fieldset class="question"') == 2
        drawn = {k: v for k, v in RIGHT.items() if k.split(":")[1] in attempt.question_ids}
        submit(signed_in, attempt, drawn)
        attempt.refresh_from_db()
        assert attempt.score == 100 and attempt.answers.count() == 2

    def test_shuffled_options_are_a_permutation_kept_for_the_attempt(self, signed_in, tree):
        quiz = factories.make_quiz(
            tree.modules[0], all_kinds(), shuffle_options=True, shuffle_questions=True
        )
        attempt = start(signed_in, quiz)
        assert sorted(attempt.question_ids) == sorted([SINGLE, MULTI, TF, MATCH, ORDER])
        assert sorted(attempt.option_orders[MULTI]) == ["a", "b", "c", "d"]
        assert sorted(attempt.option_orders[ORDER]) == ["s1", "s2", "s3"]
        first = signed_in.get(f"/en/quizzes/attempts/{attempt.pk}/").content.decode()
        again = signed_in.get(f"/en/quizzes/attempts/{attempt.pk}/").content.decode()
        strip = lambda html: re.sub(r'value="[^"]{40,}"', "", html)  # noqa: E731 csrf token
        assert strip(first) == strip(again)

    def test_score_only_feedback_shows_no_explanations(self, signed_in, tree):
        quiz = factories.make_quiz(tree.modules[0], all_kinds(), review_policy="score")
        attempt = start(signed_in, quiz)
        submit(signed_in, attempt, RIGHT)
        html = signed_in.get(f"/en/quizzes/attempts/{attempt.pk}/result/").content.decode()
        assert "Your score: 100%" in html
        assert "See lesson 1" not in html and "correct answer" not in html


class TestPastAttemptsSurviveEdits:
    def test_editing_the_quiz_changes_nothing_in_a_past_review(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        submit(signed_in, attempt, RIGHT)
        questions = all_kinds()[1:]  # the single-choice question is deleted …
        questions[1]["value"]["answer"] = True  # … and the true/false answer flipped
        questions[0]["value"]["stem"] = "<p>Reworded stem</p>"
        quiz.questions = json.dumps(questions)
        factories.publish(quiz)
        html = signed_in.get(f"/en/quizzes/attempts/{attempt.pk}/result/").content.decode()
        assert "How many years make a serious crime?" in html
        assert "Which are traffic data?" in html and "Reworded stem" not in html
        attempt.refresh_from_db()
        assert attempt.score == 100

    def test_a_quiz_translated_later_keeps_the_same_question_ids(self, signed_in, quiz):
        french = factories.translate(quiz, "fr", title="Quiz du module")
        assert [block.id for block in french.questions] == [SINGLE, MULTI, TF, MATCH, ORDER]
        response = signed_in.post(f"/fr/quizzes/{french.pk}/start/")
        attempt = Attempt.objects.get()
        assert attempt.language == "fr" and attempt.quiz_key == quiz.translation_key
        signed_in.post(response.url, factories.attempt_form(attempt, RIGHT))
        english_page = signed_in.get(quiz.url).content.decode()
        assert "100%" in english_page  # the attempt shows in every language


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locking between connections; .ci/run runs it on PostgreSQL",
)
def test_two_racing_submissions_count_once(all_locales, learner, monkeypatch):
    """Both submissions read the attempt while it is open; the first then holds its
    transaction open while the second tries: only one may record answers."""
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    quiz = factories.make_quiz(tree.modules[0], all_kinds())
    client = Client()
    client.force_login(learner)
    attempt_id = start(client, quiz).pk
    both_read = threading.Barrier(2)
    first_writing = threading.Event()
    bulk_create = AttemptAnswer.objects.bulk_create

    def slow_bulk_create(objects, *args, **kwargs):
        created = bulk_create(objects, *args, **kwargs)
        if threading.current_thread().name == "first":
            first_writing.set()
            time.sleep(1)  # keep the transaction open while the second submits
        return created

    monkeypatch.setattr(AttemptAnswer.objects, "bulk_create", slow_bulk_create)
    outcomes = {}
    post = QueryDict(mutable=True)
    form = factories.attempt_form(Attempt.objects.get(pk=attempt_id), RIGHT)
    for name, value in form.items():
        post.setlist(name, value if isinstance(value, list) else [value])

    def racer():
        name = threading.current_thread().name
        mine = Attempt.objects.get(pk=attempt_id)  # both see it open
        both_read.wait()
        if name == "second":
            first_writing.wait(5)
        try:
            submit_attempt(mine, quiz, post)
            outcomes[name] = "recorded"
        except QuizError:
            outcomes[name] = "refused"
        connection.close()

    factories.run_in_threads(racer, "first", "second")
    assert outcomes == {"first": "recorded", "second": "refused"}
    assert AttemptAnswer.objects.filter(attempt_id=attempt_id).count() == 5
    assert Attempt.objects.get(pk=attempt_id).status == AttemptStatus.SUBMITTED


class TestItemAnalysis:
    @pytest.fixture
    def editor(self, client, tree, settings):
        settings.REQUIRE_ADMIN_MFA = False
        user = factories.make_user("editor@example.org", is_staff=True, is_superuser=True)
        return user

    def test_editors_see_attempts_pass_rate_and_share_right_per_question(
        self, client, quiz, editor, settings
    ):
        settings.REPORT_MIN_GROUP = 3  # tests/test_editor_journeys.py keeps the real minimum
        for n, single in enumerate(["b", "a", "a"]):
            learner = factories.make_user(f"l{n}@example.org")
            client.force_login(learner)
            submit(client, start(client, quiz), RIGHT | {f"q:{SINGLE}": single})
        from courses.reports import quiz_item_analysis

        analysis = quiz_item_analysis(quiz)
        assert analysis["attempts"] == analysis["learners"] == 3
        assert analysis["pass_rate"] == 100  # 80 % each, pass mark 70
        shares = {row["label"]: row["share_right"] for row in analysis["questions"]}
        assert shares["How many years make a serious crime?"] == 33
        assert shares["Which are traffic data?"] == 100
        client.force_login(editor)
        html = client.get(f"/admin/quiz-analysis/{quiz.pk}/").content.decode()
        assert "3 learners, counted once each" in html and "fully right: 33%" in html
        edit_page = client.get(f"/admin/pages/{quiz.pk}/edit/").content.decode()
        assert f"/admin/quiz-analysis/{quiz.pk}/" in edit_page

    def test_learners_cannot_open_it(self, client, quiz, learner):
        client.force_login(learner)
        response = client.get(f"/admin/quiz-analysis/{quiz.pk}/")
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
        assert "Submitted attempts" not in response.content.decode()


class TestEditorsBuildQuizzes:
    @pytest.fixture
    def editor(self, client, tree, settings):
        settings.REQUIRE_ADMIN_MFA = False
        user = factories.make_user("editor@example.org", is_staff=True, is_superuser=True)
        client.force_login(user)
        return user

    def test_the_admin_forms_open(self, client, editor, tree, quiz):
        assert client.get(f"/admin/pages/{quiz.pk}/edit/").status_code == HTTPStatus.OK
        add = f"/admin/pages/add/courses/quizpage/{tree.course.pk}/"
        assert client.get(add).status_code == HTTPStatus.OK

    @pytest.mark.parametrize(
        ("where", "kind", "ok"),
        [
            ("course", "pre", True),
            ("course", "module", False),
            ("module", "post", False),
            ("module", "practice", True),
        ],
    )
    def test_the_kind_must_fit_the_place(self, tree, where, kind, ok):
        parent = tree.course if where == "course" else tree.modules[0]
        errors = factories.quiz_form_errors(parent, kind=kind, max_attempts="", review_policy="")
        assert ("kind" not in errors) is ok

    def test_questions_and_options_are_offered_for_translation(self, quiz):
        from wagtail_localize.models import StringSegment, TranslationSource

        source, _created = TranslationSource.get_or_create_from_instance(quiz)
        texts = set(
            StringSegment.objects.filter(source=source).values_list("string__data", flat=True)
        )
        assert {
            "How many years make a serious crime?",
            "Four",
            "Secure the scene",
            "Traffic data",
            "Route",
            "See lesson 1: at least four years.",
        } <= texts

    @pytest.mark.parametrize("right", [[], ["a", "b"]])
    def test_a_single_choice_needs_exactly_one_right_option(self, right):
        from django.core.exceptions import ValidationError

        from courses.blocks import SingleChoiceBlock

        block = SingleChoiceBlock()
        raw = factories.single_choice("Pick", {"a": "A", "b": "B"}, None)["value"]
        for option in raw["options"]:
            option["value"]["correct"] = option["id"] in right
        with pytest.raises(ValidationError):
            block.clean(block.to_python(raw))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locking between connections; .ci/run runs it on PostgreSQL",
)
def test_two_racing_starts_open_one_attempt(all_locales, learner, monkeypatch):
    """The first start holds its transaction open after creating the attempt; the second,
    started meanwhile, must wait for it and resume that attempt instead of making another."""
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    quiz = factories.make_quiz(tree.modules[0], all_kinds())
    enrol(learner, tree.course)
    first_created = threading.Event()
    create = Attempt.objects.create

    def slow_create(**fields):
        attempt = create(**fields)
        if threading.current_thread().name == "first":
            first_created.set()
            time.sleep(1)  # keep the transaction open while the second start runs
        return attempt

    monkeypatch.setattr(Attempt.objects, "create", slow_create)
    started = {}

    def racer():
        name = threading.current_thread().name
        if name == "second":
            first_created.wait(5)
        started[name] = start_attempt(learner, quiz, "en").pk
        connection.close()

    factories.run_in_threads(racer, "first", "second")
    assert Attempt.objects.filter(user=learner).count() == 1
    assert started["first"] == started["second"]
