"""The pilot cohort (courses/pilot.py, manage.py seed_pilot_cohort): simulated learners take
a course's quizzes through the quiz rules, so that "Results by question" has figures to
show; they never appear in programme reports."""

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import QueryDict

import pytest

from courses import pilot
from courses.grading import Kind, QuestionKey
from courses.models import Attempt, Enrolment
from courses.models.quizzes import AttemptStatus
from courses.programme import queries
from courses.quizzes import start_attempt, submit_attempt
from courses.reports import quiz_item_analysis
from tests import factories

pytestmark = pytest.mark.django_db


def questions(prefix):
    return [
        factories.single_choice(
            f"{prefix}: what do you seize first?",
            {"a": "The charger", "b": "The SIM", "c": "Nothing"},
            "b",
            f"{prefix}-single",
        ),
        factories.multiple_response(
            f"{prefix}: which are traffic data?",
            {"a": "Route", "b": "Time", "c": "Message text", "d": "Attachment"},
            {"a", "b"},
            f"{prefix}-multiple",
        ),
        factories.true_false(f"{prefix}: preservation discloses data.", False, f"{prefix}-tf"),
        factories.true_false(f"{prefix}: a hash shows no change since.", True, f"{prefix}-tf2"),
        factories.matching(
            f"{prefix}: match each kind of data.",
            {"p1": ("Traffic data", "Route"), "p2": ("Content data", "Message")},
            f"{prefix}-match",
        ),
        factories.ordering(
            f"{prefix}: put the steps in order.",
            {"s1": "Secure the scene", "s2": "Record the state", "s3": "Hash the copy"},
            f"{prefix}-order",
        ),
        factories.single_choice(
            f"{prefix}: who orders preservation?",
            {"a": "A competent authority", "b": "The victim", "c": "The provider"},
            "a",
            f"{prefix}-single2",
        ),
        factories.true_false(
            f"{prefix}: the 24/7 network works round the clock.", True, f"{prefix}-tf3"
        ),
    ]


@pytest.fixture
def course(tree):
    """The two-module tree with a pre-test, a quiz per module and a post-test."""
    factories.make_quiz(tree.course, questions("pre"), kind="pre", slug="pre-test", pass_mark=0)
    for number, module in enumerate(tree.modules, 1):
        factories.make_quiz(module, questions(f"m{number}"), kind="module", pass_mark=70)
    factories.make_quiz(tree.course, questions("post"), kind="post", slug="post-test")
    tree.course.place_tests()
    return tree.course


def quizzes(course):
    return pilot.quizzes_of(course)


def seed(course, learners=12, *extra):
    call_command(
        "seed_pilot_cohort", "--learners", str(learners), "--course", str(course.pk), *extra
    )


class TestSeeding:
    def test_twelve_pilot_learners_take_every_quiz_once(self, course, capsys):
        seed(course)
        users = get_user_model().objects.filter(email__endswith="@pilot.example.org")
        assert users.count() == 12
        assert sorted(users.values_list("email", flat=True))[0] == "pilot-001@pilot.example.org"
        assert not any(user.has_usable_password() for user in users)
        assert len(quizzes(course)) == 4
        for quiz in quizzes(course):
            attempts = Attempt.objects.filter(quiz_key=quiz.translation_key)
            assert attempts.count() == 12
            assert set(attempts.values_list("status", flat=True)) == {AttemptStatus.SUBMITTED}
        assert "12 learner(s) (12 new), 48 attempt(s) submitted" in capsys.readouterr().out

    def test_running_it_again_doubles_nothing(self, course, capsys):
        seed(course)
        before = (get_user_model().objects.count(), Attempt.objects.count())
        seed(course)
        assert (get_user_model().objects.count(), Attempt.objects.count()) == before
        assert "(0 new), 0 attempt(s) submitted, 48 already taken" in capsys.readouterr().out
        seed(course, 14)  # two more learners: only theirs are added
        assert Attempt.objects.count() == before[1] + 2 * 4

    def test_the_same_seed_gives_the_same_answers(self, course):
        seed(course)
        first = sorted(Attempt.objects.values_list("user__email", "quiz_key", "score"))
        call_command("seed_pilot_cohort", "--remove")
        assert not get_user_model().objects.filter(email__endswith="@pilot.example.org").exists()
        assert not Attempt.objects.exists()
        seed(course)
        assert sorted(Attempt.objects.values_list("user__email", "quiz_key", "score")) == first

    def test_results_by_question_show_figures_and_discrimination(self, course, client, settings):
        seed(course)
        quiz = quizzes(course)[1]  # module 1's quiz
        analysis = quiz_item_analysis(quiz)
        assert not analysis["withheld"]
        assert (analysis["learners"], analysis["pilots"], analysis["group_size"]) == (12, 12, 3)
        rows = {row["label"]: row for row in analysis["questions"]}
        assert all(not row["withheld"] and row["share_right"] is not None for row in rows.values())
        # The question the model makes most discriminating for this cohort (a steep curve
        # about where their abilities lie, after the lessons) separates the groups.
        model = pilot.PilotModel(pilot.DEFAULT_SEED)
        sharpest = max(
            quiz.questions,
            key=lambda block: model.information(pilot.STUDY_GAIN, model.item(block.id)),
        )
        assert model.item(sharpest.id).discrimination > 1
        label = next(label for label in rows if label in sharpest.value["stem"].source)
        assert rows[label]["discrimination"] > 0
        settings.REQUIRE_ADMIN_MFA = False
        client.force_login(
            factories.make_user("editor@example.org", is_staff=True, is_superuser=True)
        )
        page = client.get(f"/admin/quiz-analysis/{quiz.pk}/").content.decode()
        assert 'id="analysis-withheld"' not in page
        assert "12 learners, counted once each" in page
        assert "12 of these learners are simulated pilot learners" in page
        assert "The SIM" in page and "%" in page

    def test_pilot_learners_are_left_out_of_programme_reports(self, course):
        real = factories.make_user("amina@example.org")
        quiz = quizzes(course)[0]
        attempt = start_attempt(real, quiz, "en")
        submit_attempt(attempt, quiz, QueryDict(mutable=True))  # submitted blank
        seed(course)
        assert Enrolment.objects.count() == 13
        everyone = queries.Filters()
        assert queries.funnel(everyone)["enrolled"] == 1
        assert queries.funnel(everyone)["started"] == 1
        by_course = queries.Filters(course_key=course.translation_key)
        assert queries.funnel(by_course)["enrolled"] == 1
        assert sum(row["enrolled"] for row in queries.breakdown(everyone, ["sex"])) == 1

    def test_an_unknown_course_is_refused(self, tree):
        with pytest.raises(CommandError, match="No such live course"):
            call_command("seed_pilot_cohort", "--course", "no-such-course")


class TestModel:
    def test_stronger_learners_answer_a_discriminating_question_right_more_often(self):
        model = pilot.PilotModel(7)
        key = QuestionKey("q", Kind.SINGLE_CHOICE, options=("a", "b", "c"), correct=("b",))
        item = pilot.Item(difficulty=0.0, discrimination=2.0)
        model.item = lambda question_id: item

        def share_right(ability):
            answers = [model.response(n, ability, key) for n in range(400)]
            return sum(answer == ["b"] for answer in answers) / len(answers)

        assert share_right(1.5) > 0.95 > 0.5 > share_right(-1.5)

    def test_wrong_answers_are_plausible_and_never_the_key(self):
        model = pilot.PilotModel(3)
        model.item = lambda question_id: pilot.Item(0.0, 1.0)
        keys = [
            QuestionKey("m", Kind.MULTIPLE_RESPONSE, options=("a", "b", "c"), correct=("a", "b")),
            QuestionKey("p", Kind.MATCHING, pairs={"x": "x", "y": "y", "z": "z"}),
            QuestionKey("o", Kind.ORDERING, correct=("1", "2", "3")),
            QuestionKey("t", Kind.TRUE_FALSE, options=("true", "false"), correct=("false",)),
        ]
        for key in keys:
            for number in range(50):
                answer = model.response(number, -6.0, key)  # a learner who knows nothing
                right = dict(key.pairs) if key.kind == Kind.MATCHING else list(key.correct)
                assert answer != right, (key.kind, answer)
                if key.kind == Kind.ORDERING and answer:
                    assert sorted(answer) == ["1", "2", "3"]
