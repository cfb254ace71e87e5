"""Progress: enrolment, marking lessons complete, ticks, continue, course completion."""

import threading
from http import HTTPStatus

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

import pytest

from courses.models import Certificate, Enrolment, LessonCompletion, LessonVisit
from courses.models.learners import profile_for
from courses.progress import TooEarly, first_opened_at, record_first_open
from courses.views.progress import too_early_message
from tests import factories

pytestmark = pytest.mark.django_db


def mark(client, lesson, **options):
    """Press "Mark as complete", whenever the lesson was opened (or never)."""
    return client.post(f"/en/progress/lessons/{lesson.pk}/complete/", **options)


def complete(client, lesson):
    """Mark the lesson complete as a learner who opened it an hour ago, i.e. has read it."""
    factories.opened(factories.user_of(client), lesson)
    return mark(client, lesson)


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


class TestLessonCompletion:
    def test_visitors_are_invited_to_sign_in_instead_of_a_button(self, client, tree):
        html = client.get(tree.lessons[0].url).content.decode()
        assert "Sign in to keep track of your progress" in html
        assert "Mark as complete" not in html

    def test_visiting_a_lesson_enrols_the_learner(self, signed_in, learner, tree):
        signed_in.get(tree.lessons[2].url)
        assert Enrolment.objects.filter(
            user=learner, course_key=tree.course.translation_key
        ).exists()

    def test_marking_complete_records_it_and_moves_to_the_next_lesson(
        self, signed_in, learner, tree
    ):
        response = complete(signed_in, tree.lessons[0])
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == tree.lessons[1].url
        assert LessonCompletion.objects.filter(user=learner).count() == 1
        page = signed_in.get(tree.lessons[0].url).content.decode()
        assert "You have completed this lesson." in page
        assert "Mark as complete" not in page

    def test_marking_twice_counts_once(self, signed_in, learner, tree):
        complete(signed_in, tree.lessons[0])
        response = complete(signed_in, tree.lessons[0])
        assert LessonCompletion.objects.filter(user=learner).count() == 1
        follow = signed_in.get(response.url).content.decode()
        assert "You had already completed this lesson." in follow

    def test_only_a_post_marks_a_lesson(self, signed_in, learner, tree):
        response = signed_in.get(f"/en/progress/lessons/{tree.lessons[0].pk}/complete/")
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert not LessonCompletion.objects.exists()

    def test_a_page_that_is_not_a_live_lesson_cannot_be_marked(self, signed_in, tree):
        assert mark(signed_in, tree.modules[0]).status_code == HTTPStatus.NOT_FOUND
        tree.lessons[0].unpublish()
        assert complete(signed_in, tree.lessons[0]).status_code == HTTPStatus.NOT_FOUND
        assert not LessonCompletion.objects.exists()

    def test_visitors_cannot_mark_anything(self, client, tree):
        response = mark(client, tree.lessons[0])
        assert response.status_code == HTTPStatus.FOUND
        assert "/accounts/login/" in response.url
        assert not LessonCompletion.objects.exists()


class TestCourseProgress:
    def test_start_this_course_enrols_and_opens_the_first_lesson(self, signed_in, learner, tree):
        assert "Start this course" in signed_in.get(tree.course.url).content.decode()
        response = signed_in.post(f"/en/progress/courses/{tree.course.pk}/start/")
        assert response.url == tree.lessons[0].url
        assert Enrolment.objects.filter(user=learner).count() == 1

    def test_outline_shows_ticks_percentage_and_where_to_continue(self, signed_in, tree):
        complete(signed_in, tree.lessons[0])
        complete(signed_in, tree.lessons[2])
        html = signed_in.get(tree.course.url).content.decode()
        assert "50% complete" in html
        assert html.count('<span class="tick">') == 2
        continue_link = (
            f'<a class="button button-primary" href="{tree.lessons[1].url}">'
            "Continue where you left off"
        )
        assert continue_link in html

    def test_completing_every_lesson_completes_the_course(self, signed_in, learner, tree):
        for lesson in tree.lessons:
            complete(signed_in, lesson)
        enrolment = Enrolment.objects.get(user=learner)
        assert enrolment.completed_at is not None
        html = signed_in.get(tree.course.url).content.decode()
        assert "100% complete" in html and "You completed this course on" in html
        assert "Continue where you left off" not in html

    def test_progress_survives_a_language_switch(self, signed_in, tree):
        french_lesson = factories.translate(tree.lessons[0], "fr", title="Leçon 1.1")
        factories.translate(tree.lessons[1], "fr", title="Leçon 1.2")
        french_course = french_lesson.get_parent().get_parent()
        complete(signed_in, tree.lessons[0])
        html = signed_in.get(french_course.url).content.decode()
        # 1 of the course's 4 lessons: those not yet in French still count, shown in English
        assert '<progress max="100" value="25">' in html
        assert html.count('<span class="tick">') == 1
        with translation.override("fr"):
            notice = gettext("(not yet in your language: shown in the original; still required)")
        assert html.count(notice) == 2  # module 2's lessons
        assert f'lang="en" dir="auto">{tree.modules[1].title}</a>' in html
        assert LessonCompletion.objects.get().language == "en"

    def test_a_learner_sees_only_their_own_progress(self, client, tree, learner):
        other = factories.make_user("other@example.org")
        client.force_login(other)
        complete(client, tree.lessons[0])
        client.force_login(learner)
        html = client.get(tree.course.url).content.decode()
        assert '<span class="tick">' not in html and "Start this course" in html


def visit_of(learner, lesson):
    return LessonVisit.objects.get(user=learner, lesson_key=lesson.translation_key)


class TestReadingTime:
    """A lesson can be marked complete once part of its reading time has passed since the
    server first saw it opened. The tree's lessons take 5 minutes and its course issues
    certificates with the default share of 50 %: 2.5 minutes."""

    def test_opening_a_lesson_records_the_first_open_once(self, signed_in, learner, tree):
        lesson = tree.lessons[0]
        before = timezone.now()
        signed_in.get(lesson.url)
        assert before <= visit_of(learner, lesson).first_opened_at <= timezone.now()
        factories.opened(learner, lesson, minutes_ago=30)
        first = visit_of(learner, lesson).first_opened_at
        signed_in.get(lesson.url)
        french = factories.translate(lesson, "fr", title="Leçon 1.1")
        assert signed_in.get(french.url).status_code == HTTPStatus.OK
        assert LessonVisit.objects.filter(user=learner).count() == 1
        assert visit_of(learner, lesson).first_opened_at == first

    def test_the_lesson_page_records_it_in_one_query_and_none_for_visitors(
        self, client, learner, tree
    ):
        def visit_queries():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(tree.lessons[0].url).status_code == HTTPStatus.OK
            return [query["sql"] for query in queries if "courses_lessonvisit" in query["sql"]]

        assert visit_queries() == []
        assert not LessonVisit.objects.exists()
        client.force_login(learner)
        assert len(visit_queries()) == 1  # the first visit
        assert len(visit_queries()) == 1  # and a later one, which keeps the first time

    def test_marking_complete_too_early_is_refused_with_the_time_left(
        self, signed_in, learner, tree
    ):
        lesson = tree.lessons[0]
        factories.opened(learner, lesson, minutes_ago=2)
        response = mark(signed_in, lesson)
        assert response.status_code == HTTPStatus.FOUND and response.url == lesson.url
        html = signed_in.get(response.url).content.decode()
        assert (
            "You opened this lesson 2 minutes ago. "
            "Take your time: you can mark it complete in about 1 minute."
        ) in html
        assert "Mark as complete" in html
        assert not LessonCompletion.objects.exists()

    def test_a_post_without_opening_the_lesson_opens_it_and_is_refused(
        self, signed_in, learner, tree
    ):
        lesson = tree.lessons[0]
        html = mark(signed_in, lesson, follow=True).content.decode()
        assert (
            "You opened this lesson less than a minute ago. "
            "Take your time: you can mark it complete in about 3 minutes."
        ) in html
        assert LessonVisit.objects.filter(user=learner).count() == 1
        assert not LessonCompletion.objects.exists()

    def test_a_script_marking_every_lesson_at_once_gets_nothing(self, signed_in, learner, tree):
        profile = profile_for(learner)
        profile.certificate_name, profile.country = "Amina Diallo", "SN"
        profile.save()
        for lesson in tree.lessons:
            assert mark(signed_in, lesson).url == lesson.url
        assert not LessonCompletion.objects.exists()
        assert Enrolment.objects.get(user=learner).completed_at is None
        assert not Certificate.objects.exists()

    def test_after_the_minimum_it_is_accepted_with_the_time_on_task(self, signed_in, learner, tree):
        factories.opened(learner, tree.lessons[0], minutes_ago=3)
        response = mark(signed_in, tree.lessons[0])
        assert response.url == tree.lessons[1].url
        seconds = LessonCompletion.objects.get(user=learner).seconds_on_task
        assert 180 <= seconds < 190

    def test_time_on_task_stops_at_three_times_the_estimate(self, signed_in, learner, tree):
        factories.opened(learner, tree.lessons[0], minutes_ago=16 * 60)  # open overnight
        mark(signed_in, tree.lessons[0])
        assert LessonCompletion.objects.get(user=learner).seconds_on_task == 3 * 5 * 60

    @pytest.mark.parametrize(
        "setting",
        [{"min_reading_share": 0}, {"certificates_enabled": False}],
        ids=["share-0", "no-certificates"],
    )
    def test_without_a_minimum_a_lesson_can_be_marked_at_once(
        self, signed_in, learner, tree, setting
    ):
        for name, value in setting.items():
            setattr(tree.course, name, value)
        tree.course.save_revision().publish()
        response = mark(signed_in, tree.lessons[0])
        assert response.url == tree.lessons[1].url
        assert LessonCompletion.objects.get(user=learner).seconds_on_task == 0

    def test_a_lesson_completed_before_openings_were_recorded_stays_complete(
        self, signed_in, learner, tree
    ):
        lesson = tree.lessons[0]
        LessonCompletion.objects.create(
            user=learner,
            course_key=tree.course.translation_key,
            lesson_key=lesson.translation_key,
            language="en",
        )
        html = mark(signed_in, lesson, follow=True).content.decode()
        assert "You had already completed this lesson." in html
        assert LessonCompletion.objects.get().seconds_on_task is None  # unknown, kept so

    def test_the_message_counts_whole_minutes_in_words(self):
        with translation.override("en"):
            assert too_early_message(TooEarly(opened_seconds_ago=60, seconds_left=61)) == (
                "You opened this lesson 1 minute ago. "
                "Take your time: you can mark it complete in about 2 minutes."
            )
            assert too_early_message(TooEarly(opened_seconds_ago=179, seconds_left=1)) == (
                "You opened this lesson 2 minutes ago. "
                "Take your time: you can mark it complete in about 1 minute."
            )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two connections racing; .ci/run runs it on PostgreSQL",
)
def test_two_first_openings_at_once_keep_one_row(all_locales, learner):
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    lesson, course = tree.lessons[0], tree.course
    both_ready = threading.Barrier(2)
    errors = []

    def opener():
        both_ready.wait()
        try:
            if threading.current_thread().name == "page":
                record_first_open(learner, lesson, course, "en")
            else:
                first_opened_at(learner, lesson, course, "fr")
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    factories.run_in_threads(opener, "page", "button")
    assert errors == []
    assert LessonVisit.objects.filter(user=learner).count() == 1


class TestProgressQueryCounts:
    def test_outline_queries_do_not_grow_with_lessons_or_completions(self, signed_in, all_locales):
        small = factories.make_tree(modules=1, lessons_per_module=2)
        complete(signed_in, small.lessons[0])
        small_counts = [factories.queries_for(signed_in, small.course.url)]
        small_counts.append(factories.queries_for(signed_in, small.lessons[1].url))
        big = factories.make_tree(modules=4, lessons_per_module=8)
        for lesson in big.lessons[:10]:
            complete(signed_in, lesson)
        big_counts = [factories.queries_for(signed_in, big.course.url)]
        big_counts.append(factories.queries_for(signed_in, big.lessons[12].url))
        assert big_counts == small_counts


class TestCompletionWithQuizzes:
    """Module quiz and post-test count for completion; practice and pre-test never do."""

    @pytest.fixture
    def course(self, tree):
        one = [factories.single_choice("Pick", {"a": "Right", "b": "Wrong"}, "a")]
        tree.module_quiz = factories.make_quiz(tree.modules[0], one, kind="module")
        tree.practice = factories.make_quiz(tree.modules[1], one, kind="practice")
        tree.pre_test = factories.make_quiz(tree.course, one, kind="pre")
        tree.post_test = factories.make_quiz(tree.course, one, kind="post")
        tree.question_id = json_id(tree.module_quiz)
        return tree

    def take(self, client, quiz, option):
        factories.later()  # the wait between attempts is over
        response = client.post(f"/en/quizzes/{quiz.pk}/start/")
        factories.post_answers(client, response.url, {f"q:{json_id(quiz)}": option})

    def enrolment(self, learner):
        return Enrolment.objects.get(user=learner)

    def test_lessons_alone_do_not_complete_a_course_with_quizzes(self, signed_in, learner, course):
        for lesson in course.lessons:
            complete(signed_in, lesson)
        assert self.enrolment(learner).completed_at is None
        self.take(signed_in, course.module_quiz, "b")  # failed
        assert self.enrolment(learner).completed_at is None
        self.take(signed_in, course.module_quiz, "a")
        assert self.enrolment(learner).completed_at is None  # post-test still to pass
        self.take(signed_in, course.post_test, "a")
        assert self.enrolment(learner).completed_at is not None

    def test_practice_and_pre_test_are_not_required(self, signed_in, learner, course):
        self.take(signed_in, course.pre_test, "b")
        for lesson in course.lessons:
            complete(signed_in, lesson)
        self.take(signed_in, course.module_quiz, "a")
        self.take(signed_in, course.post_test, "a")
        assert self.enrolment(learner).completed_at is not None  # practice never taken

    def test_the_outline_lists_the_quizzes_with_ticks(self, signed_in, course):
        self.take(signed_in, course.module_quiz, "a")
        page = signed_in.get(course.course.url).content.decode()
        html = page[page.index('id="outline-heading"') :]
        for quiz in (course.pre_test, course.module_quiz, course.practice, course.post_test):
            assert f'href="{quiz.url}"' in html
        assert html.index(course.pre_test.url) < html.index(course.lessons[0].url)
        assert html.index(course.post_test.url) > html.index(course.lessons[-1].url)
        assert html.count('<span class="tick">') == 1
        assert "17% complete" in page  # 1 of 4 lessons + module quiz + post-test

    def test_the_course_starts_with_the_pre_test(self, signed_in, course):
        response = signed_in.post(f"/en/progress/courses/{course.course.pk}/start/")
        assert response.url == course.pre_test.url

    def test_the_pre_test_is_taken_once_and_before_the_first_lesson(self, signed_in, course):
        self.take(signed_in, course.pre_test, "a")
        again = signed_in.post(f"/en/quizzes/{course.pre_test.pk}/start/", follow=True)
        assert "You have already taken the pre-test." in again.content.decode()

    def test_no_pre_test_after_lessons_have_begun(self, signed_in, learner, course):
        complete(signed_in, course.lessons[0])
        response = signed_in.post(f"/en/quizzes/{course.pre_test.pk}/start/", follow=True)
        assert "The pre-test is taken before the first lesson." in response.content.decode()
        assert not learner.quiz_attempts.exists()

    def test_learning_gain_uses_the_first_pre_and_post_test(self, signed_in, learner, course):
        self.take(signed_in, course.pre_test, "b")  # 0 %
        self.take(signed_in, course.post_test, "a")  # 100 %
        self.take(signed_in, course.post_test, "b")  # a later attempt does not replace it
        enrolment = self.enrolment(learner)
        assert (enrolment.pre_test_score, enrolment.post_test_score) == (0, 100)
        html = signed_in.get(course.course.url).content.decode()
        assert "Pre-test 0%, post-test 100%: a change of 100 percentage points." in html


def json_id(quiz):
    return next(iter(quiz.questions)).id


class TestDashboard:
    def test_visitors_are_asked_to_sign_in(self, client, tree):
        assert "/accounts/login/" in client.get("/en/learning/").url

    def test_nothing_started_yet(self, signed_in, tree):
        html = signed_in.get("/en/learning/").content.decode()
        assert "You have not started a course yet." in html

    def test_courses_in_progress_and_completed_with_quiz_results(self, signed_in, tree):
        quiz = factories.make_quiz(
            tree.modules[0], [factories.single_choice("Pick", {"a": "A", "b": "B"}, "a")]
        )
        complete(signed_in, tree.lessons[0])
        response = signed_in.post(f"/en/quizzes/{quiz.pk}/start/")
        factories.post_answers(signed_in, response.url, {f"q:{json_id(quiz)}": "a"})
        html = signed_in.get("/en/learning/").content.decode()
        assert "In progress" in html and tree.course.title in html
        assert "40% complete" in html  # 1 lesson + the quiz, of 4 lessons + the quiz
        assert "best score 100%" in html
        resume = f'<a class="button button-primary" href="{tree.lessons[1].url}">Continue where'
        assert resume in html
        for lesson in tree.lessons[1:]:
            complete(signed_in, lesson)
        html = signed_in.get("/en/learning/").content.decode()
        assert "<h2>Completed</h2>" in html and "You completed this course on" in html

    def test_the_dashboard_follows_the_language(self, signed_in, tree):
        factories.translate(tree.course, "fr", title="Traiter la preuve numérique")
        factories.translate(tree.lessons[0], "fr", title="Leçon 1.1")
        complete(signed_in, tree.lessons[0])
        assert "Traiter la preuve numérique" in signed_in.get("/fr/learning/").content.decode()
        assert tree.course.title in signed_in.get("/en/learning/").content.decode()

    def test_query_count_does_not_grow_with_lessons(self, client, all_locales):
        small_user = factories.make_user("small@example.org")
        big_user = factories.make_user("big@example.org")
        # Each tree becomes the site's root in turn, so each is used before the next is made.
        small = factories.make_tree(modules=1, lessons_per_module=2)
        client.force_login(small_user)
        complete(client, small.lessons[0])
        small_count = factories.queries_for(client, "/en/learning/")
        big = factories.make_tree(modules=4, lessons_per_module=8)
        client.force_login(big_user)
        for lesson in big.lessons[:10]:
            complete(client, lesson)
        assert factories.queries_for(client, "/en/learning/") == small_count
