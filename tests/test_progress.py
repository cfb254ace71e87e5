"""Progress: enrolment, marking lessons complete, ticks, continue, course completion."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Enrolment, LessonCompletion
from tests import factories

pytestmark = pytest.mark.django_db


def complete(client, lesson):
    return client.post(f"/en/progress/lessons/{lesson.pk}/complete/")


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
        assert complete(signed_in, tree.modules[0]).status_code == HTTPStatus.NOT_FOUND
        tree.lessons[0].unpublish()
        assert complete(signed_in, tree.lessons[0]).status_code == HTTPStatus.NOT_FOUND
        assert not LessonCompletion.objects.exists()

    def test_visitors_cannot_mark_anything(self, client, tree):
        response = complete(client, tree.lessons[0])
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
            f'<a class="button" href="{tree.lessons[1].url}">Continue where you left off'
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
        assert "50%" in html  # 1 of the 2 lessons translated so far
        assert html.count('<span class="tick">') == 1
        assert LessonCompletion.objects.get().language == "en"

    def test_a_learner_sees_only_their_own_progress(self, client, tree, learner):
        other = factories.make_user("other@example.org")
        client.force_login(other)
        complete(client, tree.lessons[0])
        client.force_login(learner)
        html = client.get(tree.course.url).content.decode()
        assert '<span class="tick">' not in html and "Start this course" in html


class TestProgressQueryCounts:
    @staticmethod
    def count(client, url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == HTTPStatus.OK
        return len(queries)

    def test_outline_queries_do_not_grow_with_lessons_or_completions(self, signed_in, all_locales):
        small = factories.make_tree(modules=1, lessons_per_module=2)
        complete(signed_in, small.lessons[0])
        small_counts = [self.count(signed_in, small.course.url)]
        small_counts.append(self.count(signed_in, small.lessons[1].url))
        big = factories.make_tree(modules=4, lessons_per_module=8)
        for lesson in big.lessons[:10]:
            complete(signed_in, lesson)
        big_counts = [self.count(signed_in, big.course.url)]
        big_counts.append(self.count(signed_in, big.lessons[12].url))
        assert big_counts == small_counts
