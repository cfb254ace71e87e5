"""The query budget (issue 15), with Redis as the cache as in production: a signed-in lesson
page runs at most 12 SQL queries, an anonymous one at most 8; the course outline and the
learner's dashboard cost the same whatever the number of lessons, enrolments and
certificates. Facts about the page tree are cached until it changes (courses/pagetree.py):
the tests below also check that an editor's change shows on the very next request.

Redis must answer on QUERY_BUDGET_REDIS_URL (default: db 15 of the local server, flushed
before and after each test): when it does not, these tests fail rather than skip."""

import os
from http import HTTPStatus

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest

from courses.certificates import issue_certificate
from courses.models import Enrolment
from courses.models.learners import LearnerProfile
from courses.models.workshops import Workshop, WorkshopInvitation
from courses.progress import course_of, enrol
from tests import factories

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("QUERY_BUDGET_REDIS_URL", "redis://127.0.0.1:6379/15")
SIGNED_IN_LESSON_BUDGET = 12
ANONYMOUS_LESSON_BUDGET = 8


@pytest.fixture(autouse=True)
def redis_cache(settings):
    """Redis as the cache, empty before and after the test (only its own db is flushed)."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    cache.clear()  # raises when Redis does not answer: the test fails, never skips
    yield cache
    cache.clear()


def queries(client, url, status=HTTPStatus.OK):
    """The SQL of a GET of url (after one GET that fills the caches), and its response."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status, url
    return [query["sql"] for query in captured], response


def listing(sqls):
    return "\n".join(f"{number:3}. {sql}" for number, sql in enumerate(sqls, 1))


def assert_within(sqls, budget, what):
    assert len(sqls) <= budget, f"{what}: {len(sqls)} queries, budget {budget}\n{listing(sqls)}"


def assert_same_count(small, big, what):
    assert len(big) == len(small), (
        f"{what}: {len(small)} queries when small, {len(big)} when big\n"
        f"small:\n{listing(small)}\nbig:\n{listing(big)}"
    )


def named(user):
    LearnerProfile.objects.update_or_create(
        user=user, defaults={"certificate_name": "Amina Diallo", "country": "SN", "role": "police"}
    )
    return user


class TestLessonPage:
    def test_a_signed_in_learner_reads_a_lesson_within_the_budget(self, client, all_locales):
        tree = factories.make_tree(modules=2, lessons_per_module=3)
        learner = factories.make_user()
        client.force_login(learner)
        lesson = tree.lessons[1]
        sqls, response = queries(client, lesson.url)
        assert_within(sqls, SIGNED_IN_LESSON_BUDGET, "signed-in lesson")
        html = response.content.decode()
        assert "Mark as complete" in html
        assert f"/modules/{tree.modules[0].pk}/handout.pdf" in html
        assert tree.lessons[0].title in html and tree.lessons[2].title in html  # the pager
        assert Enrolment.objects.filter(user=learner).count() == 1

    def test_a_completed_lesson_says_so_within_the_budget(self, client, all_locales):
        tree = factories.make_tree(modules=1, lessons_per_module=2)
        learner = factories.make_user()
        client.force_login(learner)
        lesson = tree.lessons[0]
        factories.opened(learner, lesson)
        client.post(f"/en/progress/lessons/{lesson.pk}/complete/")
        sqls, response = queries(client, lesson.url)
        assert_within(sqls, SIGNED_IN_LESSON_BUDGET, "completed lesson")
        assert "You have completed this lesson." in response.content.decode()

    def test_a_visitor_reads_a_lesson_within_the_budget(self, client, all_locales):
        tree = factories.make_tree(modules=2, lessons_per_module=3)
        sqls, response = queries(client, tree.lessons[1].url)
        assert_within(sqls, ANONYMOUS_LESSON_BUDGET, "anonymous lesson")
        assert "Sign in to keep track of your progress" in response.content.decode()

    def test_a_translated_lesson_stays_within_the_budget(self, client, all_locales):
        tree = factories.make_tree(modules=1, lessons_per_module=2)
        french = factories.translate(tree.lessons[0], "fr", title="Leçon 1.1")
        sqls, response = queries(client, french.url)
        assert_within(sqls, ANONYMOUS_LESSON_BUDGET, "French lesson")
        assert "Leçon 1.1" in response.content.decode()


def add_notes(lesson, countries, per_country):
    """Published country notes on the lesson: per_country for each country, in English."""
    from courses.models.countries import CountryNote

    for country in countries:
        for number in range(per_country):
            note = CountryNote(
                country=country,
                lesson=lesson,
                locale=lesson.locale,
                text=f"<p>{country} note {number}.</p>",
                provisions="[]",
            )
            note.save()
            note.save_revision().publish()


class TestCountryNotes:
    """Notes come from the cache: a lesson costs the same with one note or many, and a
    visitor who chose no country pays nothing for them."""

    def test_a_learner_with_a_country_reads_notes_within_the_budget(self, client, all_locales):
        tree = factories.make_tree(modules=1, lessons_per_module=3)
        learner = factories.make_user()
        LearnerProfile.objects.create(user=learner, country="XA")
        client.force_login(learner)
        plain, _response = queries(client, tree.lessons[2].url)
        add_notes(tree.lessons[0], ["XA", "XB"], 1)
        few, _response = queries(client, tree.lessons[0].url)
        # One query finds the learner's country (their workshop's, else their profile's).
        assert len(few) == len(plain) + 1, listing(few)
        add_notes(tree.lessons[1], ["XA", "XB", "KE"], 6)
        many, response = queries(client, tree.lessons[1].url)
        assert_within(many, SIGNED_IN_LESSON_BUDGET, "signed-in lesson with notes")
        assert_same_count(few, many, "lesson with notes")
        assert response.content.decode().count('class="country-note"') == 6

    def test_a_visitor_reads_a_lesson_with_notes_within_the_budget(self, client, all_locales):
        tree = factories.make_tree(modules=1, lessons_per_module=2)
        add_notes(tree.lessons[0], ["XA", "XB"], 3)
        sqls, response = queries(client, tree.lessons[0].url)
        assert_within(sqls, ANONYMOUS_LESSON_BUDGET, "anonymous lesson with notes")
        assert "country-choice" in response.content.decode()
        plain, _response = queries(client, tree.lessons[1].url)
        assert_same_count(plain, sqls, "anonymous lesson with and without notes")


class TestFlatPages:
    """The same number of queries for a small and a big course, or learner."""

    def test_the_course_outline_does_not_grow_with_lessons(self, client, all_locales):
        learner = factories.make_user()
        client.force_login(learner)
        small = factories.make_tree(modules=1, lessons_per_module=2)
        factories.opened(learner, small.lessons[0])
        client.post(f"/en/progress/lessons/{small.lessons[0].pk}/complete/")
        small_sqls, _response = queries(client, small.course.url)
        big = factories.make_tree(modules=4, lessons_per_module=5, slug="big-course")
        factories.opened(learner, *big.lessons[:7])
        for lesson in big.lessons[:7]:
            client.post(f"/en/progress/lessons/{lesson.pk}/complete/")
        big_sqls, response = queries(client, big.course.url)
        assert_same_count(small_sqls, big_sqls, "course outline")
        assert "35% complete" in response.content.decode()  # 7 of 20 lessons

    def test_the_anonymous_outline_does_not_grow_with_lessons(self, client, all_locales):
        small = factories.make_tree(modules=1, lessons_per_module=2)
        small_sqls, _response = queries(client, small.course.url)
        big = factories.make_tree(modules=4, lessons_per_module=5, slug="big-course")
        big_sqls, response = queries(client, big.course.url)
        assert_same_count(small_sqls, big_sqls, "anonymous course outline")
        assert_within(big_sqls, ANONYMOUS_LESSON_BUDGET, "anonymous course outline")
        assert "Lesson 4.5" in response.content.decode()

    def test_the_dashboard_does_not_grow_with_enrolments_or_certificates(self, client, all_locales):
        home = factories.make_home()
        courses = [
            factories.make_tree(
                modules=1 + number % 3,
                lessons_per_module=2,
                home=home,
                title=f"Course {number}",
                slug=f"course-{number}",
            ).course
            for number in range(5)
        ]
        # Invitations listed with their courses, and a suggested course, cost no more.
        teacher = factories.make_user("teacher@example.org")
        workshops = [
            Workshop.objects.create(
                course_key=course.translation_key,
                title=f"Workshop {number}",
                start_date=timezone.localdate(),
                end_date=timezone.localdate(),
                language="en",
            )
            for number, course in enumerate(courses)
        ]
        counts = []
        for email, taken in (("one@example.org", courses[:1]), ("five@example.org", courses)):
            learner = named(factories.make_user(email))
            for course in taken:
                enrol(learner, course)
                issue_certificate(learner, course.translation_key, "en")
            for workshop in workshops[: len(taken)]:
                WorkshopInvitation.objects.create(
                    workshop=workshop,
                    user=learner,
                    role="participant",
                    email=email,
                    invited_by=teacher,
                )
            Enrolment.objects.filter(user=learner).update(completed_at=timezone.now())
            client.force_login(learner)
            sqls, response = queries(client, "/en/learning/")
            html = response.content.decode()
            assert html.count("download the PDF") == len(taken)
            assert html.count("Accept or decline") == len(taken)
            # The one-course learner is shown Course 1 next; nothing is left for the other.
            assert ("See this course" in html) == (len(taken) == 1)
            counts.append(sqls)
        assert_same_count(*counts, "dashboard")


class TestCachedTreeFollowsEdits:
    """What the cache keeps about the page tree changes as soon as an editor changes it."""

    def test_a_published_change_shows_on_the_next_request(self, client, all_locales):
        tree = factories.make_tree(modules=1, lessons_per_module=2)
        lesson = tree.lessons[1]
        assert client.get(tree.lessons[0].url).status_code == HTTPStatus.OK  # cached now
        lesson.title = "Imaging a seized phone"
        factories.publish(lesson)
        html = client.get(tree.lessons[0].url).content.decode()
        assert "Imaging a seized phone" in html  # the pager's next lesson
        assert "Imaging a seized phone" in client.get(tree.course.url).content.decode()

    def test_an_unpublished_lesson_is_gone_at_once(self, client, all_locales):
        tree = factories.make_tree(modules=1, lessons_per_module=2)
        lesson = tree.lessons[1]
        assert client.get(lesson.url).status_code == HTTPStatus.OK
        lesson.unpublish()
        assert client.get(lesson.url).status_code == HTTPStatus.NOT_FOUND
        assert lesson.title not in client.get(tree.course.url).content.decode()

    def test_a_renamed_lesson_moves_to_its_new_address(self, client, all_locales):
        tree = factories.make_tree(modules=1, lessons_per_module=2)
        lesson = tree.lessons[0]
        old_url = lesson.url
        assert client.get(old_url).status_code == HTTPStatus.OK
        lesson.slug = "chain-of-custody"
        factories.publish(lesson)
        assert client.get(old_url).status_code == HTTPStatus.NOT_FOUND
        assert client.get(lesson.url).status_code == HTTPStatus.OK
        assert lesson.url.endswith("/chain-of-custody/")

    def test_a_lesson_moved_to_another_module_is_served_there(self, client, all_locales):
        tree = factories.make_tree(modules=2, lessons_per_module=1)
        lesson = tree.lessons[0]
        old_url = lesson.url
        assert client.get(old_url).status_code == HTTPStatus.OK
        lesson.move(tree.modules[1], pos="last-child")
        lesson.refresh_from_db()
        assert client.get(lesson.url).status_code == HTTPStatus.OK
        # The old address now leads there (Wagtail's redirect for a moved page).
        response = client.get(old_url)
        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
        assert response["Location"] == lesson.url
        assert course_of(lesson).pk == tree.course.pk

    def test_a_section_made_private_asks_visitors_to_sign_in(self, client, all_locales):
        tree = factories.make_tree(modules=1, lessons_per_module=1)
        lesson = tree.lessons[0]
        assert client.get(lesson.url).status_code == HTTPStatus.OK
        PageViewRestriction.objects.create(
            page=tree.modules[0], restriction_type=PageViewRestriction.LOGIN
        )
        response = client.get(lesson.url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].endswith(f"login/?next={lesson.url}")

    def test_an_unknown_address_is_not_found_and_not_remembered(
        self, client, all_locales, redis_cache
    ):
        tree = factories.make_tree(modules=1, lessons_per_module=1)
        keys = redis_cache._cache.get_client().keys
        assert client.get(f"{tree.course.url}no-such-lesson/").status_code == HTTPStatus.NOT_FOUND
        before = len(keys("*"))
        for number in range(3):
            url = f"{tree.course.url}no-such-lesson-{number}/"
            assert client.get(url).status_code == HTTPStatus.NOT_FOUND
        assert len(keys("*")) == before
