"""The README's pictures: the main screens of the demo, as a visitor, a learner, an
instructor and a programme manager see them, saved to docs/screenshots/ of this checkout.

Each screen is checked for what it should show before it is kept, so a picture of an error
page never reaches the README; and the README must show every picture this test makes and
no picture that is not there. Run it alone to refresh them:

    .venv/bin/pytest tests/browser/test_screenshots.py

then commit docs/screenshots/ with the change that altered the screens."""

import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

import pytest

from courses.demo import DEMO_WORKSHOP
from courses.models import Certificate, CoursePage, LessonPage, QuizPage, Workshop
from courses.models.learners import profile_for
from tests import factories
from tests.browser.conftest import sign_in
from tests.conftest import require
from tests.test_handout import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(settings.BASE_DIR)
FOLDER = BASE_DIR / "docs" / "screenshots"
README = BASE_DIR / "README.md"
PASSWORD = "screenshots-Demo-passphrase-7"
PUBLIC_URL = "https://academy.example.org"
# A laptop screen: what an instructor or a programme manager uses, and wide enough for the
# README. Only the visible part is kept (not the whole page), so every file stays small.
LAPTOP = {"width": 1200, "height": 760}
LOCALES = {"en": "en-GB", "ar": "ar-EG"}
# Pictures whose total stays light for a README read on a phone.
MAX_FILE_BYTES = 300_000
MAX_TOTAL_BYTES = 1_500_000
# The screens, in the order the README shows them.
SCREENS = (
    "home",
    "lesson-en",
    "lesson-ar",
    "quiz",
    "certificate",
    "verify",
    "workshop-dashboard",
    "programme-report",
)


@pytest.fixture
def demo_site(monkeypatch, tmp_path, settings):
    from courses import demo

    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    monkeypatch.setattr(demo, "PASSWORD_FILE", tmp_path / ".demo-password")
    # The demo editor has no authenticator app here: the admin's two-factor step is
    # switched off for this test only (tests/test_permissions.py checks it is required).
    settings.REQUIRE_ADMIN_MFA = False
    # Printed and shown addresses read as a real site's, not as this run's random port.
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = PUBLIC_URL
    demo.load_demo_content()


@pytest.fixture
def tabs(browser):
    """tabs("ar") -> a fresh laptop-sized tab whose browser asks for that language."""
    contexts = []

    def open_tab(language="en"):
        context = browser.new_context(
            viewport=LAPTOP, locale=LOCALES[language], accept_downloads=True
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def heading(tab):
    return tab.locator("main h1, h1").first.inner_text().strip()


def keep(tab, name):
    """The visible part of the page as docs/screenshots/<name>.png."""
    tab.evaluate("document.fonts.ready")
    path = FOLDER / f"{name}.png"
    tab.screenshot(path=path, full_page=False, animations="disabled", caret="hide")
    return path


def scroll_to(locator):
    """Bring this part of the page near the top of the window."""
    # At once (the admin scrolls smoothly), in whichever box scrolls, a little space above.
    locator.evaluate(
        "element => { element.style.scrollMarginTop = '24px';"
        " element.scrollIntoView({block: 'start', behavior: 'instant'}); }"
    )


def a_lesson(language):
    """The demo's second lesson (three kinds of data, with a table-like list), in ``language``."""
    return LessonPage.objects.live().filter(locale__language_code=language).order_by("path")[1]


def test_the_readme_pictures_show_the_main_screens(tabs, live_server, demo_site, tmp_path):
    base = live_server.url
    FOLDER.mkdir(parents=True, exist_ok=True)
    made = []

    # The home page, as a first-time visitor finds it.
    tab = tabs("en")
    tab.goto(f"{base}/en/")
    course = CoursePage.objects.get(locale__language_code="en", trains_trainers=False)
    assert tab.get_by_role("link", name=course.title).first.is_visible()
    made.append(keep(tab, "home"))

    # A lesson in English, then the same lesson in Arabic, right to left.
    for language in ("en", "ar"):
        lesson = a_lesson(language)
        tab = tabs(language)
        tab.goto(f"{base}{lesson.url}")
        assert heading(tab) == lesson.title
        assert tab.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        assert tab.locator("html").get_attribute("lang") == language
        made.append(keep(tab, f"lesson-{language}"))

    # A quiz as a learner takes it: a new learner, signed in, starts the module quiz.
    learner = factories.make_user("kofi@example.org", password=PASSWORD)
    profile = profile_for(learner)
    profile.certificate_name, profile.country, profile.role = "Kofi Mensah", "GH", "police"
    profile.save()
    tab = tabs("en")
    sign_in(tab, base, learner.email, PASSWORD)
    quiz = QuizPage.objects.get(locale__language_code="en", kind="module")
    tab.goto(f"{base}{quiz.url}")
    tab.get_by_role("button", name="Start the quiz", exact=True).click()
    tab.wait_for_load_state()
    assert heading(tab) == quiz.title
    assert tab.get_by_role("button", name="Submit your answers", exact=True).is_visible()
    assert tab.locator("fieldset").count() >= 2  # the questions, one set of choices each
    made.append(keep(tab, "quiz"))

    # The demo learner's certificate: the PDF's first page, as it prints.
    require(shutil.which("pdftoppm"), "pdftoppm (poppler-utils) is not installed")
    certificate = Certificate.objects.get(user__email="learner@example.org")
    response = tab.request.get(f"{base}/en/verify/{certificate.code}/certificate.pdf")
    assert response.ok
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.body())
    printed = pdf_text(response.body(), tmp_path)
    assert "Amina Diallo" in printed and "Certificate of completion" in printed
    image = FOLDER / "certificate.png"
    subprocess.run(
        ["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to-x", "1100"]
        + ["-scale-to-y", "-1", str(pdf), str(image.with_suffix(""))],
        check=True,
    )
    assert image.read_bytes().startswith(b"\x89PNG")
    made.append(image)

    # Its verification page, as an employer opens it from the QR code.
    tab = tabs("en")
    tab.goto(f"{base}/en/verify/{certificate.code}/")
    assert heading(tab).endswith("Valid certificate")
    assert tab.locator(".certificate-fields").get_by_text("Amina Diallo").is_visible()
    made.append(keep(tab, "verify"))

    # The instructor's dashboard of the demo workshop.
    workshop = Workshop.objects.get(title=DEMO_WORKSHOP)
    tab = tabs("en")
    sign_in(tab, base, "instructor@example.org", PASSWORD)
    tab.goto(f"{base}/en/teach/{workshop.pk}/")
    assert heading(tab) == workshop.title
    assert tab.locator(".join-code").inner_text().strip() == workshop.join_code
    # The cohort: each participant's progress, scores and attendance.
    roster = tab.locator("table.roster")
    assert roster.get_by_role("rowheader", name="Amina Diallo").is_visible()
    assert roster.locator("tbody tr").count() == workshop.participants.count()
    scroll_to(tab.locator("#cohort-heading"))
    made.append(keep(tab, "workshop-dashboard"))

    # The programme report, in the admin, as the demo editor sees it.
    tab = tabs("en")
    sign_in(tab, base, "editor@example.org", PASSWORD)
    tab.goto(f"{base}/admin/programme-report/")
    assert "Programme report" in heading(tab)
    # The demo's people in figures (not withheld as too few), charts first.
    assert tab.locator(".report-withheld").count() == 0
    assert tab.locator(".report-charts svg").count() >= 1
    assert tab.locator("table.listing tbody tr").count() >= 1
    scroll_to(tab.locator(".report-legend"))
    made.append(keep(tab, "programme-report"))

    # Each file is a picture of the size chosen, and all of them stay light.
    assert [path.stem for path in made] == list(SCREENS)
    sizes = {path.name: path.stat().st_size for path in made}
    for name, size in sizes.items():
        assert 0 < size <= MAX_FILE_BYTES, f"{name}: {size} bytes"
    assert sum(sizes.values()) <= MAX_TOTAL_BYTES, sizes

    # The README shows exactly these pictures, each with a caption.
    readme = README.read_text(encoding="utf-8")
    shown = re.findall(r"!\[([^\]]*)\]\((docs/screenshots/[^)\s]+)\)", readme)
    assert {path for _caption, path in shown} == {f"docs/screenshots/{path.name}" for path in made}
    assert all(caption.strip() for caption, _path in shown)
    for _caption, path in shown:
        assert (BASE_DIR / path).is_file(), path
