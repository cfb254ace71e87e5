"""The course catalogue (courses/catalogue.py, courses/views/catalogue.py) and the course cards
of the home page: what a visitor sees, how the filter links behave, what stays hidden, what
the proxy may keep and when it is purged."""

import re
from http import HTTPStatus

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from courses.models import CoursePage
from tests import factories, test_caching, test_curriculum_load

SHARED = test_caching.SHARED
# A fixture of another module: the proxy standing in to catch PURGEs.
catcher = test_caching.catcher


URL = "/en/catalogue/"


@pytest.fixture
def courses(all_locales):
    """Evidence (police and judiciary, introductory, certificate; in English and French) and
    Requests (prosecution, advanced, no certificate; in English and Arabic)."""
    evidence = factories.make_tree(modules=1, lessons_per_module=1)
    requests = factories.make_tree(
        modules=1,
        lessons_per_module=1,
        home=evidence.home,
        title="Cross-border data requests",
        slug="cross-border-data-requests",
    )
    course = requests.course
    course.audience = ["prosecution"]
    course.level = "advanced"
    course.certificates_enabled = False
    course.summary = "Drafting requests to foreign providers."
    factories.publish(course)
    french = factories.translate(evidence.course, "fr", title="Traiter la preuve numérique")
    arabic = factories.translate(course, "ar", title="طلبات البيانات عبر الحدود")
    return {
        "evidence": evidence.course,
        "requests": CoursePage.objects.get(pk=course.pk),
        "french": french,
        "arabic": arabic,
        "home": evidence.home,
    }


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return response.content.decode()


def titles(html):
    """The course titles on the cards, in order."""
    return [
        re.sub(r"<[^>]+>", "", title).strip()
        for title in re.findall(r'<h3 class="card-title">(.*?)</h3>', html, re.S)
    ]


def current_options(html):
    """The labels of the filter links marked as chosen."""
    found = re.findall(r'<a href="[^"]*" aria-current="true"[^>]*>([^<]*)</a>', html)
    return [label for label in found]


def link_to(html, label):
    """The address of the filter link with this label."""
    match = re.search(r'<a href="([^"]*)"[^>]*>' + re.escape(label) + "</a>", html)
    assert match, f"no link {label!r}"
    return match.group(1).replace("&amp;", "&")


class TestListing:
    def test_every_visible_course_is_a_card_with_its_facts(self, client, courses):
        html = html_of(client, URL)
        assert titles(html) == ["Handling digital evidence", "Cross-border data requests"]
        assert "2 courses" in html
        assert "How to collect and preserve electronic evidence." in html
        assert "Police and law enforcement" in html and "Judiciary" in html
        assert "Introductory" in html and "Advanced" in html
        assert "2 hours" in html

    def test_the_certificate_flag_shows_on_each_card(self, client, courses):
        html = html_of(client, URL)
        evidence, requests = html.split('<h3 class="card-title">')[1:3]
        assert "Certificate of completion" in evidence and "No certificate" not in evidence
        assert "No certificate" in requests and "Certificate of completion" not in requests

    def test_each_card_names_its_languages_in_their_own_names_linking_to_them(
        self, client, courses
    ):
        html = html_of(client, URL)
        evidence, requests = html.split('<h3 class="card-title">')[1:3]
        french_url = courses["french"].url
        assert f'<a href="{french_url}" lang="fr" hreflang="fr" dir="ltr">Français</a>' in evidence
        assert 'lang="ar"' not in evidence
        arabic_url = courses["arabic"].url
        assert f'<a href="{arabic_url}" lang="ar" hreflang="ar" dir="rtl">العربية</a>' in requests
        assert "Français" not in requests

    def test_an_untranslated_course_shows_in_its_original_language_and_says_so(
        self, client, courses
    ):
        html = html_of(client, "/zh-hans/catalogue/")
        assert titles(html) == ["Handling digital evidence", "Cross-border data requests"]
        assert 'lang="en" hreflang="en" dir="auto">Handling digital evidence</a>' in html
        assert html.count('class="card-note"') == 2

    def test_a_translated_course_shows_in_the_pages_language(self, client, courses):
        html = html_of(client, "/ar/catalogue/")
        assert titles(html) == ["Handling digital evidence", "طلبات البيانات عبر الحدود"]
        assert f'href="{courses["arabic"].url}"' in html
        assert html.count('class="card-note"') == 1  # only the course not in Arabic

    def test_an_unpublished_course_is_not_listed(self, client, courses):
        courses["requests"].unpublish()
        courses["arabic"].unpublish()
        html = html_of(client, URL)
        assert titles(html) == ["Handling digital evidence"]
        assert "1 course" in html

    def test_a_course_unpublished_in_english_still_shows_in_arabic(self, client, courses):
        courses["requests"].unpublish()
        html = html_of(client, URL)
        assert titles(html) == ["Handling digital evidence", "طلبات البيانات عبر الحدود"]
        requests = html.split('<h3 class="card-title">')[2]
        assert ">English</a>" not in requests and ">العربية</a>" in requests
        assert "Cross-border data requests" not in html

    def test_a_restricted_course_is_not_listed_here_or_on_the_home_page(self, client, courses):
        for course in (courses["requests"], courses["arabic"]):
            PageViewRestriction.objects.create(
                page=course, restriction_type=PageViewRestriction.LOGIN
            )
        assert titles(html_of(client, URL)) == ["Handling digital evidence"]
        assert titles(html_of(client, "/en/")) == ["Handling digital evidence"]

    def test_a_course_under_a_restricted_home_page_is_not_listed(self, client, courses):
        arabic_home = courses["arabic"].get_parent()
        PageViewRestriction.objects.create(
            page=arabic_home, restriction_type=PageViewRestriction.PASSWORD, password="x-42"
        )
        courses["requests"].unpublish()
        assert titles(html_of(client, URL)) == ["Handling digital evidence"]

    def test_no_course_at_all_says_so(self, client, all_locales):
        factories.make_home()
        html = html_of(client, URL)
        assert "0 courses" in html and "No courses are published yet." in html


class TestFilters:
    def test_audience_alone(self, client, courses):
        html = html_of(client, f"{URL}?audience=prosecution")
        assert titles(html) == ["Cross-border data requests"]
        assert "1 course" in html
        assert current_options(html) == ["Prosecution", "All levels", "All languages"]

    def test_level_alone(self, client, courses):
        html = html_of(client, f"{URL}?level=introductory")
        assert titles(html) == ["Handling digital evidence"]
        assert "Introductory" in current_options(html)

    def test_language_alone_shows_the_courses_in_that_language(self, client, courses):
        html = html_of(client, f"{URL}?language=fr")
        assert titles(html) == ["Traiter la preuve numérique"]
        assert f'href="{courses["french"].url}" lang="fr" hreflang="fr"' in html
        # The French title in an English page carries its language, with no "not yet" note.
        assert 'class="card-note"' not in html
        assert "Français" in current_options(html)

    def test_audience_and_level_combined(self, client, courses):
        html = html_of(client, f"{URL}?audience=judiciary&level=introductory")
        assert titles(html) == ["Handling digital evidence"]
        html = html_of(client, f"{URL}?audience=judiciary&level=advanced")
        assert titles(html) == []
        assert "No course matches these filters." in html
        assert link_to(html, "Clear filters to see every course") == URL

    def test_audience_and_language_combined(self, client, courses):
        html = html_of(client, f"{URL}?audience=prosecution&language=ar")
        assert titles(html) == ["طلبات البيانات عبر الحدود"]
        html = html_of(client, f"{URL}?audience=prosecution&language=fr")
        assert titles(html) == [] and "0 courses" in html

    def test_each_link_keeps_the_other_filters(self, client, courses):
        html = html_of(client, f"{URL}?level=advanced&language=ar")
        assert (
            link_to(html, "Prosecution") == f"{URL}?audience=prosecution&level=advanced&language=ar"
        )
        assert link_to(html, "All levels") == f"{URL}?language=ar"
        assert link_to(html, "Intermediate") == f"{URL}?level=intermediate&language=ar"
        assert link_to(html, "Clear filters") == URL

    def test_options_count_the_courses_they_would_show(self, client, courses):
        html = html_of(client, URL)
        assert re.search(r">Prosecution</a> <span class=\"filter-count\">\(1\)", html)
        assert re.search(r">All audiences</a> <span class=\"filter-count\">\(2\)", html)
        assert re.search(r">Tiếng Việt</a> <span class=\"filter-count\">\(0\)", html)

    def test_the_unfiltered_page_offers_no_clear_link(self, client, courses):
        html = html_of(client, URL)
        assert "Clear filters" not in html
        assert current_options(html) == ["All audiences", "All levels", "All languages"]

    @pytest.mark.parametrize(
        "query",
        [
            "audience=astronaut",
            "level=expert&audience=police",
            "language=xx",
            "language=<script>alert(1)</script>",
            "audience=" + "a" * 5000,
            "level=",
            "audience=police&audience=unknown",
        ],
    )
    def test_unknown_values_are_ignored_with_a_message(self, client, courses, query):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        assert "<script>alert" not in html
        if query == "level=":
            assert "not recognised" not in html
        else:
            assert "A filter in this address was not recognised and has been ignored." in html
        if query.startswith("level=expert"):
            assert titles(html) == ["Handling digital evidence"]  # the valid filter still applies
        elif query != "audience=police&audience=unknown":
            assert len(titles(html)) == 2

    def test_filters_work_in_arabic_and_chinese(self, client, courses):
        html = html_of(client, "/ar/catalogue/?level=advanced")
        assert titles(html) == ["طلبات البيانات عبر الحدود"]
        assert 'href="/ar/catalogue/"' in html  # "all levels", in Arabic
        html = html_of(client, "/zh-hans/catalogue/?audience=judiciary")
        assert titles(html) == ["Handling digital evidence"]


class TestHomePage:
    def test_the_home_page_shows_its_courses_as_cards_and_links_to_the_catalogue(
        self, client, courses
    ):
        html = html_of(client, "/en/")
        assert titles(html) == ["Handling digital evidence", "Cross-border data requests"]
        assert 'href="/en/catalogue/"' in html
        assert ">Français</a>" in html and "Certificate of completion" in html

    def test_a_translated_home_page_lists_only_its_own_courses(self, client, courses):
        html = html_of(client, courses["french"].get_parent().url)
        assert titles(html) == ["Traiter la preuve numérique"]
        assert 'href="/fr/catalogue/"' in html


class TestCovers:
    @pytest.fixture
    def covered(self, courses):
        image = factories.make_image(1600, 900)
        for course in CoursePage.objects.all():
            course.cover_image = image
            course.save()
        return image

    def test_a_cover_is_a_lazy_responsive_picture(self, client, covered):
        html = html_of(client, URL)
        assert html.count('<div class="card-cover">') == html.count("<picture>") == 2
        assert 'type="image/webp"' in html and 'loading="lazy"' in html
        assert re.search(r'srcset="[^"]+ 320w, [^"]+ 640w"', html)
        assert 'width="320" height="180"' in html

    def test_with_data_saver_on_no_cover_is_loaded(self, client, covered):
        client.cookies["data_saver"] = "1"
        for url in (URL, "/en/"):
            html = html_of(client, url)
            assert "<picture>" not in html and "/media/" not in html
            assert len(titles(html)) == 2


def count_queries(client, url):
    client.get(url)  # fills the caches (renditions, site roots, the page tree)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(captured)


class TestQueries:
    @pytest.mark.parametrize("url", [URL, f"{URL}?audience=police&language=fr", "/en/"])
    def test_the_query_count_does_not_grow_with_the_number_of_courses(self, client, courses, url):
        image = factories.make_image(800, 450)
        CoursePage.objects.update(cover_image=image)
        small = count_queries(client, url)
        for number in range(4):
            extra = factories.make_tree(
                modules=1,
                lessons_per_module=1,
                home=courses["home"],
                title=f"Extra course {number}",
                slug=f"extra-{number}",
            )
            extra.course.cover_image = factories.make_image(800, 450, title=f"Cover {number}")
            factories.publish(extra.course)
            factories.translate(extra.course, "fr", title=f"Cours {number}")
        big = count_queries(client, url)
        assert len(titles(html_of(client, URL))) == 6
        assert big == small, f"{small} queries with 2 courses, {big} with 6"


class TestCaching:
    def test_the_unfiltered_catalogue_is_shared(self, client, courses):
        response = client.get(URL)
        assert response["Cache-Control"] == SHARED

    def test_a_filtered_catalogue_is_worked_out_each_time(self, client, courses):
        response = client.get(f"{URL}?level=advanced")
        assert response["Cache-Control"] == "private, no-cache"

    def test_publishing_a_course_purges_the_catalogue_in_every_language(
        self, courses, catcher, django_capture_on_commit_callbacks, settings
    ):
        course = courses["requests"]
        with django_capture_on_commit_callbacks(execute=True):
            course.title = "Cross-border requests, revised"
            factories.publish(course)
        catcher.wait_for(*(f"/{code}/catalogue/" for code, _name in settings.LANGUAGES))

    def test_unpublishing_a_course_purges_the_catalogue_in_every_language(
        self, courses, catcher, django_capture_on_commit_callbacks, settings
    ):
        with django_capture_on_commit_callbacks(execute=True):
            courses["arabic"].unpublish()
        catcher.wait_for(*(f"/{code}/catalogue/" for code, _name in settings.LANGUAGES))

    def test_publishing_a_lesson_leaves_the_catalogue_cached(
        self, courses, catcher, django_capture_on_commit_callbacks
    ):
        lesson = courses["evidence"].get_descendants().type(factories.LessonPage).first()
        with django_capture_on_commit_callbacks(execute=True):
            factories.publish(lesson.specific)
        catcher.wait_for(lesson.url)
        assert "/en/catalogue/" not in catcher.paths()


class TestGeneratedCovers:
    def test_the_same_course_always_gets_the_same_picture(self):
        from courses.covers import draw_cover

        first, again = draw_cover("a-key", (160, 90)), draw_cover("a-key", (160, 90))
        other = draw_cover("another-key", (160, 90))
        assert first.tobytes() == again.tobytes() != other.tobytes()
        assert len(first.getcolors(maxcolors=160 * 90)) > 2  # a picture, not a flat colour

    def test_a_course_without_a_cover_gets_one_in_every_language(self, client, courses):
        from wagtail.models import Revision

        from courses.covers import ensure_covers

        given = ensure_covers()
        assert sorted(given) == ["Cross-border data requests", "Handling digital evidence"]
        evidence = CoursePage.objects.filter(translation_key=courses["evidence"].translation_key)
        assert {page.cover_image_id for page in evidence} == {
            CoursePage.objects.get(pk=courses["evidence"].pk).cover_image_id
        }
        assert None not in {page.cover_image_id for page in CoursePage.objects.all()}
        # The admin's form (the latest revision) shows it too; no new revision was taken.
        english = CoursePage.objects.get(pk=courses["evidence"].pk)
        assert english.latest_revision_id == courses["evidence"].latest_revision_id
        revision = Revision.objects.get(pk=english.latest_revision_id)
        assert revision.content["cover_image"] == english.cover_image_id
        assert html_of(client, URL).count("<picture>") == 2
        # Run again: nothing left to do.
        assert ensure_covers() == []

    def test_a_cover_chosen_by_an_editor_is_kept(self, courses):
        from courses.covers import ensure_covers

        image = factories.make_image(800, 450)
        CoursePage.objects.filter(translation_key=courses["evidence"].translation_key).update(
            cover_image=image
        )
        assert ensure_covers() == ["Cross-border data requests"]
        assert CoursePage.objects.get(pk=courses["evidence"].pk).cover_image_id == image.pk


@pytest.mark.django_db
class TestDemo:
    def test_the_demo_courses_have_covers_and_show_as_cards(
        self, demo_once, client, django_capture_on_commit_callbacks
    ):
        from wagtail.images import get_image_model

        from courses import demo

        assert CoursePage.objects.exists()
        assert not CoursePage.objects.filter(cover_image__isnull=True).exists()
        html = html_of(client, URL)
        assert len(titles(html)) == html.count("<picture>") >= 1
        images = get_image_model().objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            assert demo.load_demo_content() == []
        assert get_image_model().objects.count() == images


@pytest.mark.django_db
class TestCurriculumCovers:
    def test_the_starter_course_gets_a_cover_and_still_loads_as_unchanged(
        self, tmp_path, capsys, django_capture_on_commit_callbacks
    ):
        import shutil

        from django.core.management import call_command

        root = tmp_path / "curriculum"
        shutil.copytree(test_curriculum_load.FIXTURE, root)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_curriculum", "--path", str(root))
        assert "generated cover image for" in capsys.readouterr().out
        covers = set(CoursePage.objects.values_list("cover_image_id", flat=True))
        assert len(covers) == 1 and None not in covers  # one picture, in both languages
        # The loader does not take the cover for an editor's change: nothing is kept back.
        call_command("load_curriculum", "--path", str(root))
        out = capsys.readouterr().out
        assert "0 created, 0 updated, 12 unchanged, 0 kept" in out
        assert "generated cover" not in out
