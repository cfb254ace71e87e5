"""Editors in Wagtail's admin (issue 19), through the Django test client: a course kept in
the order learners meet it; a quiz's results by question, counted by hand."""

import json
from decimal import Decimal
from http import HTTPStatus

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import OperationalError
from django.http import QueryDict

from wagtail.admin.views.pages.edit import EditView
from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest

from courses import demo
from courses.models import Attempt, CoursePage, QuizPage
from courses.quizzes import start_attempt, submit_attempt
from courses.reports import Tally, quiz_item_analysis, score_groups, verdict
from tests import factories

pytestmark = pytest.mark.django_db
QUESTION = [factories.true_false("Is a hash a fingerprint of the data?", True)]


@pytest.fixture
def editor(client, settings, all_locales):
    settings.REQUIRE_ADMIN_MFA = False
    user = factories.make_user("editor@example.org", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def children(page):
    """The titles of a page's children in tree order (the admin explorer's default)."""
    return [child.title for child in Page.objects.child_of(page).order_by("path")]


# --- Item 18: the tree order is the order learners meet the pages ----------------------------


class TestCourseOrder:
    def test_a_module_added_in_the_admin_keeps_the_post_test_last(self, client, editor):
        tree = factories.make_tree(modules=1, lessons_per_module=1)
        factories.make_quiz(tree.course, QUESTION, kind="post")
        form = nested_form_data(
            {
                "title": "Module 2",
                "slug": "module-2",
                "intro": rich_text("<p>More.</p>"),
                "comments": inline_formset([]),
                "action-publish": "publish",
            }
        )
        response = client.post(f"/admin/pages/add/courses/modulepage/{tree.course.pk}/", form)
        assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
        assert children(tree.course) == ["Module 1", "Module 2", "Post quiz"]

    def test_a_pre_test_added_after_the_modules_is_placed_first(self, tree):
        factories.make_quiz(tree.course, QUESTION, kind="post")
        factories.make_quiz(tree.course, QUESTION, kind="pre")
        assert children(tree.course) == ["Module 1", "Module 2", "Post quiz", "Pre quiz"]
        tree.course.place_tests()
        assert children(tree.course) == ["Pre quiz", "Module 1", "Module 2", "Post quiz"]
        # Moving pages left the outline and the lessons' addresses as they were.
        outline = CoursePage.objects.get(pk=tree.course.pk).outline()
        assert [page.title for page in outline.items()][0] == "Pre quiz"
        assert Page.objects.get(pk=tree.lessons[0].pk).url_path.endswith("/module-1/lesson-1-1/")

    def test_the_demo_course_starts_with_its_pre_test_and_ends_with_its_post_test(
        self, monkeypatch, tmp_path, django_capture_on_commit_callbacks
    ):
        monkeypatch.setenv("DEMO_PASSWORD", "demo-Passphrase-for-tests-1")
        monkeypatch.setattr(demo, "PASSWORD_FILE", tmp_path / ".demo-password")
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo_content")
        # The train-the-trainer course (for instructors, English only) has no tests.
        assert CoursePage.objects.filter(trains_trainers=True).count() == 1
        for course in CoursePage.objects.filter(trains_trainers=False):
            pages = Page.objects.child_of(course).order_by("path").specific()
            kinds = [getattr(page, "kind", "module") for page in pages]
            assert kinds[0] == "pre" and kinds[-1] == "post", course.locale.language_code
            # Between them: the modules and the update quiz of the demo's legal update.
            assert set(kinds[1:-1]) == {"module", "update"}
            assert isinstance(pages[0], QuizPage)


# --- Item 19: results by question ------------------------------------------------------------

SINGLE, TF, MATCH, ORDER = "q-single", "q-tf", "q-match", "q-order"
STEM = "The suspect&#x27;s phone &amp; SIM: what do you seize first?"  # as rich text stores it


def questions():
    return [
        factories.single_choice(
            STEM, {"a": "The charger", "b": "The SIM", "c": "Nothing"}, "b", SINGLE
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


# Ten learners' first attempts: (single choice, true/false, matching, ordering). Their scores,
# highest first: L0 100, L1 83.25, L2 75, L3 and L4 58.25, L6 50, L5 37.5, L7 and L8 33.25,
# L9 0. The upper group is L0-L2, the lower one L7-L9 (27 % of ten: three each).
SWAPPED = {"p1": "p2", "p2": "p1"}
MATCHED = {"p1": "p1", "p2": "p2"}
IN_ORDER = ["s1", "s2", "s3"]
ANSWERS = [
    ("b", "false", MATCHED, IN_ORDER),  # L0
    ("b", "false", MATCHED, ["s2", "s1", "s3"]),  # L1
    ("b", "true", MATCHED, IN_ORDER),  # L2
    ("b", "false", SWAPPED, ["s1", "s3", "s2"]),  # L3
    ("a", "false", MATCHED, ["s2", "s1", "s3"]),  # L4
    ("c", "false", {"p1": "p1", "p2": "p1"}, []),  # L5
    ("b", "true", SWAPPED, IN_ORDER),  # L6
    ("a", "false", SWAPPED, ["s2", "s1", "s3"]),  # L7
    ("a", "true", MATCHED, ["s3", "s2", "s1"]),  # L8
    ("c", "true", {}, []),  # L9
]


def take(user, quiz, single, true_false, matches, order):
    attempt = start_attempt(user, quiz, "en")
    answers = {f"q:{SINGLE}": single, f"q:{TF}": true_false}
    answers |= {f"q:{MATCH}:{left}": right for left, right in matches.items()}
    answers |= {f"q:{ORDER}:{step}": str(n) for n, step in enumerate(order, start=1)}
    post = QueryDict(mutable=True)
    for name, value in factories.attempt_form(attempt, answers).items():
        post.setlist(name, value if isinstance(value, list) else [value])
    return submit_attempt(attempt, quiz, post)


@pytest.fixture
def analysed_quiz(tree):
    """A practice quiz (retakes allowed at once) with the ten first attempts above and a
    retake by L9 that must not count."""
    quiz = factories.make_quiz(tree.modules[0], questions(), kind="practice", pass_mark=70)
    for number, answers in enumerate(ANSWERS):
        take(factories.make_user(f"l{number}@example.org"), quiz, *answers)
    last = Attempt.objects.get(user__email="l9@example.org")
    take(last.user, quiz, "b", "false", MATCHED, IN_ORDER)
    return quiz


def rows(analysis):
    return {row["kind"]: row for row in analysis["questions"]}


class TestResultsByQuestion:
    def test_the_figures_match_a_hand_count_of_first_attempts(self, analysed_quiz):
        analysis = quiz_item_analysis(analysed_quiz)
        assert (analysis["learners"], analysis["attempts"]) == (10, 11)
        assert (analysis["pass_rate"], analysis["mean_score"]) == (30, 53)  # L0-L2; 52.875
        assert analysis["group_size"] == 3
        found = rows(analysis)

        single = found["single_choice"]
        assert (single["answered"], single["share_right"], single["discrimination"]) == (10, 50, 1)
        assert [(part["text"], part["share"], part["correct"]) for part in single["parts"]] == [
            ("The charger", 30, False),
            ("The SIM", 50, True),
            ("Nothing", 20, False),
        ]
        assert single["verdict"] == "good"

        # Upper group 2 of 3 right, lower 1 of 3: 0.67 − 0.33.
        true_false = found["true_false"]
        assert (true_false["share_right"], true_false["discrimination"]) == (60, 0.33)
        assert [part["share"] for part in true_false["parts"]] == [40, 60]  # True, False

        matching = found["matching"]
        assert (matching["share_right"], matching["discrimination"]) == (50, 0.67)
        assert [(part["text"], part["share"]) for part in matching["parts"]] == [
            ("Traffic data → Route", 60),
            ("Content data → Message", 50),
        ]
        assert matching["unanswered"] == 10

        ordering = found["ordering"]
        assert (ordering["share_right"], ordering["discrimination"]) == (30, 0.67)
        assert [(part["position"], part["share"]) for part in ordering["parts"]] == [
            (1, 40),
            (2, 40),
            (3, 60),
        ]
        assert ordering["unanswered"] == 20

    def test_the_groups_are_the_top_and_bottom_27_percent_ties_to_the_earlier_attempt(self):
        upper, lower, size = score_groups({n: Decimal(score) for n, score in enumerate(range(11))})
        assert (upper, lower, size) == ({10, 9, 8}, {0, 1, 2}, 3)
        upper, lower, size = score_groups({n: Decimal(50) for n in range(10)})
        assert (upper, lower, size) == ({0, 1, 2}, {7, 8, 9}, 3)

    def test_a_question_the_weaker_learners_get_right_more_often_has_a_negative_index(self):
        question = {"kind": "true_false", "options": [{"id": "true"}, {"id": "false"}]}
        tally = Tally()
        for group, is_right in [("upper", False)] * 3 + [("lower", True)] * 2 + [("lower", False)]:
            tally.add(question, ["true"], is_right, group)
        assert tally.discrimination == -0.67
        assert verdict(tally.discrimination) == "negative"
        assert [verdict(index) for index in (0.3, 0.29, 0.2, 0.19, None)] == [
            "good",
            "fair",
            "fair",
            "weak",
            "",
        ]

    def test_below_the_minimum_group_nothing_but_that_fact_is_shown(self, tree, client, editor):
        quiz = factories.make_quiz(tree.modules[0], questions(), kind="practice")
        for number, answers in enumerate(ANSWERS[:9]):
            take(factories.make_user(f"l{number}@example.org"), quiz, *answers)
        assert quiz_item_analysis(quiz) == {"withheld": True, "minimum": 10}
        page = client.get(f"/admin/quiz-analysis/{quiz.pk}/").content.decode()
        assert "Fewer than 10 learners have submitted this quiz." in page
        assert "The SIM" not in page and "50%" not in page

    def test_a_question_asked_of_too_few_learners_keeps_its_figures_back(self, analysed_quiz):
        quiz = analysed_quiz
        blocks = questions()[1:] + [factories.true_false("Is a hash a fingerprint?", True)]
        quiz.questions = json.dumps(blocks)
        factories.publish(quiz)
        found = {row["label"]: row for row in quiz_item_analysis(quiz)["questions"]}
        assert found["Is a hash a fingerprint?"] == {
            "label": "Is a hash a fingerprint?",
            "kind": "true_false",
            "removed": False,
            "answered": 0,
            "withheld": True,
        }
        # The question taken out keeps its row, described as learners saw it.
        removed = found["The suspect's phone & SIM: what do you seize first?"]
        assert removed["removed"] and removed["share_right"] == 50

    def test_the_page_shows_apostrophes_once_escaped_and_every_figure(
        self, analysed_quiz, client, editor
    ):
        page = client.get(f"/admin/quiz-analysis/{analysed_quiz.pk}/").content.decode()
        # Escaped once by the template: the browser shows "suspect's" and "&".
        assert "The suspect&#x27;s phone &amp; SIM" in page
        assert "&amp;#x27;" not in page and "&amp;amp;" not in page
        assert "10 learners, counted once each" in page
        assert "1.00" in page and "0.33" in page and "0.67" in page
        assert "Traffic data → Route" in page

    def test_the_quiz_edit_form_links_to_its_results(self, analysed_quiz, client, editor):
        form = client.get(f"/admin/pages/{analysed_quiz.pk}/edit/").content.decode()
        assert 'id="quiz-results-link"' in form
        assert f'href="/admin/quiz-analysis/{analysed_quiz.pk}/"' in form

    def test_only_those_who_may_edit_the_quiz_see_its_results(self, analysed_quiz, client, tree):
        url = f"/admin/quiz-analysis/{analysed_quiz.pk}/"
        moderators = Group.objects.create(name="Course editors")
        moderators.permissions.add(Permission.objects.get(codename="access_admin"))
        course_editor = factories.make_user("course-editor@example.org")
        course_editor.groups.add(moderators)
        client.force_login(course_editor)
        assert client.get(url).status_code != HTTPStatus.OK  # in the admin, not the course's
        GroupPagePermission.objects.create(
            group=moderators,
            page=tree.course,
            permission=Permission.objects.get(codename="change_page"),
        )
        assert client.get(url).status_code == HTTPStatus.OK
        client.force_login(factories.make_user("learner2@example.org"))
        assert client.get(url).status_code != HTTPStatus.OK


# --- Item 20: publishing while the database is busy ------------------------------------------
# tests/browser/test_editor_journeys.py holds a real lock on a real file; these cover the
# other answers of the view.


def edit_form(page, title, action="action-publish"):
    return nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "intro": rich_text("<p>Intro</p>"),
            "comments": inline_formset([]),
            action: action,
        }
    )


def fails_with(message):
    def publish_action(view):
        view.page.title = "changed in memory by the failed publish"
        raise OperationalError(message)

    return publish_action


class TestDatabaseBusy:
    def test_sqlite_waits_for_the_lock_and_takes_it_when_a_transaction_begins(self, settings):
        assert settings.SQLITE_OPTIONS == {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",  # readers go on beside the writer
        }

    def test_a_busy_database_gives_the_form_back_with_the_edit_and_the_message(
        self, client, editor, tree, monkeypatch
    ):
        module = tree.modules[0]
        monkeypatch.setattr(EditView, "publish_action", fails_with("database is locked"))
        url = f"/admin/pages/{module.pk}/edit/"
        response = client.post(url, edit_form(module, "Module 1, revised"))
        assert response.status_code == HTTPStatus.OK
        page = response.content.decode()
        assert "The database was busy; nothing was lost — publish again." in page
        assert 'value="Module 1, revised"' in page
        assert Page.objects.get(pk=module.pk).title == "Module 1"

    def test_an_autosave_that_meets_a_busy_database_is_told_so(
        self, client, editor, tree, monkeypatch
    ):
        module = tree.modules[0]
        monkeypatch.setattr(EditView, "save_action", fails_with("database is locked"))
        response = client.post(
            f"/admin/pages/{module.pk}/edit/",
            edit_form(module, "Module 1, autosaved", action="autosave"),
            headers={"Accept": "application/json"},
        )
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["error_code"] == "database_busy"

    def test_other_database_errors_are_not_hidden(self, client, editor, tree, monkeypatch):
        module = tree.modules[0]
        monkeypatch.setattr(EditView, "publish_action", fails_with("no such table: nowhere"))
        with pytest.raises(OperationalError):
            client.post(f"/admin/pages/{module.pk}/edit/", edit_form(module, "Module 1, again"))
