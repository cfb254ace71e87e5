"""End to end in Chromium: languages, the switcher, reading a lesson without JavaScript."""

import pytest

from courses.models import CoursePage, LessonPage
from courses.models.learners import profile_for
from tests import factories
from tests.browser.conftest import submit_exercise

# Transactional: the live server's thread must see the data. Each test ends with a flushed
# database, which the demo loader rebuilds from nothing.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_site(monkeypatch, tmp_path):
    from courses import demo

    monkeypatch.setenv("DEMO_PASSWORD", "browser-Demo-passphrase-3")
    monkeypatch.setattr(demo, "PASSWORD_FILE", tmp_path / ".demo-password")
    demo.load_demo_content()


def test_home_in_english_and_arabic_with_the_language_switcher(page, live_server, demo_site):
    page.goto(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("h1").inner_text() == "Evidence Academy"

    page.locator(".language-switcher summary").click()
    page.locator('.language-switcher a[hreflang="ar"]').click()
    page.wait_for_url("**/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "أكاديمية الأدلة"
    # The switcher mirrors: in RTL its menu opens from the left edge of the summary.
    page.locator(".language-switcher summary").click()
    menu = page.locator(".language-switcher ul").bounding_box()
    summary = page.locator(".language-switcher summary").bounding_box()
    assert menu["x"] <= summary["x"] + 1

    page.locator('.language-switcher a[hreflang="en"]').click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_switching_a_lesson_to_french_and_to_an_untranslated_language(page, live_server, demo_site):
    lesson = LessonPage.objects.get(locale__language_code="en", slug="three-kinds-of-data")
    page.goto(f"{live_server.url}{lesson.url}")
    page.locator(".language-switcher summary").click()
    page.locator('.language-switcher a[hreflang="fr"]').click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Trois catégories de données"

    page.locator(".language-switcher summary").click()
    page.locator('.language-switcher a[hreflang="es"]').click()
    page.wait_for_load_state()
    assert "/es/" in page.url
    notice = page.locator(".notice")
    assert notice.is_visible()
    notice.locator("a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Trois catégories de données"


def test_a_lesson_is_readable_and_navigable_without_javascript(
    page_without_javascript, live_server, demo_site
):
    tab = page_without_javascript
    course = CoursePage.objects.get(locale__language_code="en", trains_trainers=False)
    tab.goto(f"{live_server.url}{course.url}")
    tab.get_by_role("link", name="Three kinds of data").click()
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text() == "Three kinds of data"
    assert tab.get_by_text("Key points").is_visible()
    tab.get_by_role("link", name="Next lesson").click()
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text() == "Volatility and first response"
    tab.get_by_role("link", name="Previous lesson").click()
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text() == "Three kinds of data"


def test_the_skip_link_is_the_first_stop_for_keyboard_users(page, live_server, demo_site):
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    assert page.locator(".skip-link").is_visible()


def test_a_learner_finishes_the_demo_course_without_javascript(
    page_without_javascript, live_server, demo_site
):
    """Sign in, pre-test, lessons, module quiz with feedback, post-test: course complete,
    certificate on the dashboard and valid on its verification page."""
    tab = page_without_javascript
    base = live_server.url
    # The demo learners have finished the course already; this one starts from nothing.
    newcomer = factories.make_user("newcomer@example.org", password="browser-Demo-passphrase-3")
    profile = profile_for(newcomer)
    profile.certificate_name, profile.country, profile.role = "Kofi Mensah", "GH", "police"
    profile.save()
    tab.goto(f"{base}/en/accounts/login/")
    tab.get_by_label("Email address").fill("newcomer@example.org")
    tab.get_by_label("Password").fill("browser-Demo-passphrase-3")
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_load_state()

    course = CoursePage.objects.get(locale__language_code="en", trains_trainers=False)
    tab.goto(f"{base}{course.url}")
    tab.get_by_role("button", name="Start this course").click()
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text() == "Pre-test"

    def take_quiz(choices):
        tab.get_by_role("button", name="Start the quiz").click()
        tab.wait_for_load_state()
        for label in choices:
            tab.get_by_label(label, exact=True).first.check()
        for select in tab.locator("select").all():
            # The ordering question: memory, disk, archival media.
            step = select.evaluate("el => el.labels[0].textContent")
            select.select_option({"Memory": "1", "Disk": "2", "Archival media": "3"}[step])
        tab.get_by_role("button", name="Submit your answers").click()
        tab.wait_for_load_state()
        return tab.locator(".score").inner_text()

    assert "Your score: 50%" in take_quiz(["Up to 30 days", "False"])

    lesson = LessonPage.objects.get(locale__language_code="en", slug="three-kinds-of-data")
    tab.goto(f"{base}{lesson.url}")
    # The lessons have been read: first opened an hour ago (a state, not a wait).
    factories.opened(newcomer, *LessonPage.objects.live().filter(locale__language_code="en"))
    for _ in range(2):
        tab.get_by_role("button", name="Mark as complete").click()
        tab.wait_for_load_state()

    assert tab.locator("h1").inner_text() == "Module quiz"  # the module's quiz comes next
    score = take_quiz(["Traffic data", "False"])
    assert "Your score: 100%" in score and "Passed" in score
    assert tab.get_by_text("Memory is more volatile than the disk").is_visible()  # feedback

    last = LessonPage.objects.get(locale__language_code="en", slug="expedited-preservation")
    tab.goto(f"{base}{last.url}")
    submit_exercise(tab)  # the lesson's exercise, submitted before the lesson completes
    tab.get_by_role("button", name="Mark as complete").click()
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text() == "Post-test"

    assert "Your score: 100%" in take_quiz(["90 days, renewable", "True"])

    tab.goto(f"{base}{course.url}")
    assert tab.get_by_text("100% complete").is_visible()
    assert tab.get_by_text("You completed this course on").is_visible()
    assert tab.get_by_text("a change of 50 percentage points").is_visible()

    factories.run_tasks()  # the worker makes the certificate
    tab.goto(f"{base}/en/learning/")
    tab.get_by_role("link", name="its verification page").click()
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text().endswith("Valid certificate")
    assert tab.get_by_text("Kofi Mensah").is_visible()
