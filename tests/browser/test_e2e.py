"""Whole journeys in Chromium, as people take them: a learner from sign-up to a verified
certificate (in English and in Arabic), an instructor running a workshop to the ZIP of its
certificates, and a verifier checking a valid and a revoked certificate.

Every step leaves a screenshot in test-results/e2e/<journey>/<nn>-<step>.png."""

import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext

import pytest

from courses import certificates, codes, demo_content
from courses.models import Certificate, CoursePage, LessonPage, QuizPage, Workshop
from courses.models.learners import profile_for
from tests import factories
from tests.browser.conftest import download_prepared, submit_exercise
from tests.conftest import require
from tests.test_workshops import make_instructor

pytestmark = pytest.mark.django_db(transaction=True)

ARTEFACTS = Path(settings.BASE_DIR) / "test-results" / "e2e"
PASSWORD = "e2e-Journey-passphrase-5"
LAYLA = "ليلى عبد الرحمن"


class Steps:
    """Numbered screenshots of one journey: 01-sign-up.png, 02-email-confirmed.png…"""

    def __init__(self, journey):
        self.folder = ARTEFACTS / journey
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def shot(self, tab, step):
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        tab.screenshot(path=path, full_page=True)
        return path


@pytest.fixture
def demo_site(monkeypatch, tmp_path):
    from courses import demo

    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    monkeypatch.setattr(demo, "PASSWORD_FILE", tmp_path / ".demo-password")
    demo.load_demo_content()


def pdf_text(path):
    """The text pdftotext reads from a PDF, Arabic letters in their basic forms."""
    pdftotext = shutil.which("pdftotext")
    require(pdftotext, "pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = unicodedata.normalize("NFKC", text)
    # pdftotext wraps the right-to-left runs it reorders in directional controls.
    return re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


def new_tab(browser, locale="en-GB"):
    context = browser.new_context(locale=locale, accept_downloads=True)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def heading(tab):
    return tab.locator("h1").inner_text().strip()


# --- The learner ---------------------------------------------------------------------------


def quiz_questions(slug):
    return next(quiz for quiz in demo_content.QUIZZES if quiz["slug"].en == slug)["questions"]


def option(quiz_slug, number, correct, language):
    """The text of the first right (or wrong) option of a single-choice demo question."""
    options = quiz_questions(quiz_slug)[number]["options"]
    return next(getattr(text, language) for text, right in options if right == correct)


def answer_the_quiz(tab, submit, choices, order=None):
    """Tick the labelled choices and give each ordering step its position; submit."""
    for label in choices:
        tab.get_by_label(label, exact=True).check()
    for select in tab.locator("select").all():
        step = select.evaluate("el => el.labels[0].textContent").strip()
        select.select_option(str(order[step]))
    tab.get_by_role("button", name=submit, exact=True).click()
    tab.wait_for_load_state()
    return tab.locator(".score").inner_text()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_learner_signs_up_completes_the_course_and_verifies_the_certificate(
    browser, live_server, demo_site, language
):
    steps = Steps(f"learner-{language}")
    base = live_server.url
    locale = "ar-EG" if language == "ar" else "en-GB"
    email = f"new-learner-{language}@example.org"
    country = "EG" if language == "ar" else "GH"

    def _(message, **values):
        with translation.override(language):
            text = gettext(message)
        return text % values if values else text

    submit = _("Submit your answers")
    # The demo's own mail (its legal update's notice to the certified demo learners) is sent
    # before the journey starts.
    earlier = len(factories.sent_mail())

    def score(percent, mark):
        return _("Your score: %(score)s%% (pass mark %(mark)s%%).", score=percent, mark=mark)

    # Sign up, then close the browser: the email is read later.
    signup, tab = new_tab(browser, locale)
    try:
        tab.goto(f"{base}/{language}/accounts/signup/")
        assert tab.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        assert heading(tab) == _("Create an account")
        tab.get_by_label(_("Email address")).fill(email)
        # The labels end in an asterisk hidden from screen readers: find the fields by id.
        tab.locator("#id_password1").fill(PASSWORD)
        tab.locator("#id_password2").fill(PASSWORD)
        steps.shot(tab, "sign-up")
        tab.get_by_role("button", name=_("Create account"), exact=True).click()
        tab.wait_for_load_state()
        steps.shot(tab, "check-your-email")
    finally:
        signup.close()

    context, tab = new_tab(browser, locale)
    try:
        # Confirm the address from the link in the email.
        assert [message.to for message in factories.sent_mail()[earlier:]] == [[email]]
        link = re.search(
            r"https?://\S+/accounts/confirm-email/\S+/", factories.sent_mail()[earlier].body
        )
        assert link and link.group(0).startswith(f"{base}/{language}/")
        tab.goto(link.group(0))
        steps.shot(tab, "confirm-email")
        tab.get_by_role("button", name=_("Confirm"), exact=True).click()
        tab.wait_for_load_state()
        steps.shot(tab, "email-confirmed")

        # Confirming from another browser does not sign in: the sign-in page says it worked.
        assert heading(tab) == _("Sign in")
        confirmed = _("Your email address %(email)s is confirmed.", email=email)
        assert tab.locator(".messages").inner_text().strip() == confirmed

        # Sign in: a new account is asked for its certificate name first.
        tab.get_by_label(_("Email address")).fill(email)
        tab.locator("#id_password").fill(PASSWORD)
        steps.shot(tab, "sign-in")
        tab.get_by_role("button", name=_("Sign in"), exact=True).click()
        tab.wait_for_load_state()
        assert heading(tab) == _("Edit profile")
        assert tab.locator(".notice").is_visible()  # the welcome
        tab.locator("#id_certificate_name").fill(LAYLA)
        tab.locator("#id_country").select_option(country)
        tab.locator("#id_role").select_option("judiciary")
        steps.shot(tab, "profile")
        tab.get_by_role("button", name=_("Save"), exact=True).click()
        tab.wait_for_load_state()
        assert tab.get_by_text(_("Your profile has been saved.")).is_visible()
        # Saved as typed, and the learner is taken on to learning rather than left on the
        # profile (issue 19): the demo's one course in this language, ready to start.
        assert profile_for(get_user_model().objects.get(email=email)).certificate_name == LAYLA
        assert tab.get_by_role("button", name=_("Start this course"), exact=True).is_visible()
        steps.shot(tab, "profile-saved")

        # Find the course from the home page and start it: the pre-test comes first.
        course = CoursePage.objects.get(locale__language_code=language, trains_trainers=False)
        tab.goto(f"{base}/{language}/")
        tab.get_by_role("link", name=course.title).first.click()
        tab.wait_for_load_state()
        assert heading(tab) == course.title
        steps.shot(tab, "course")
        tab.get_by_role("button", name=_("Start this course"), exact=True).click()
        tab.wait_for_load_state()
        pre_test = QuizPage.objects.get(locale__language_code=language, kind="pre")
        assert heading(tab) == pre_test.title
        tab.get_by_role("button", name=_("Start the quiz"), exact=True).click()
        tab.wait_for_load_state()
        steps.shot(tab, "pre-test")
        # One answer of two right.
        result = answer_the_quiz(tab, submit, [option("pre-test", 0, False, language), _("False")])
        starting = "Your score: %(score)s%%. This tells you where you start; it does not count "
        assert _(starting + "towards passing.", score=50) in result  # a pre-test has no pass mark
        steps.shot(tab, "pre-test-result")

        # Read the lessons: the course page leads back to the first one.
        tab.goto(f"{base}{course.url}")
        tab.get_by_role("link", name=_("Continue where you left off")).click()
        tab.wait_for_load_state()
        lessons = list(
            LessonPage.objects.live()
            .filter(locale__language_code=language)
            .order_by("path")
            .values_list("title", flat=True)
        )
        assert heading(tab) == lessons[0]
        steps.shot(tab, "first-lesson")
        # Marked at once, the lesson is refused: the server saw it opened only just now.
        tab.get_by_role("button", name=_("Mark as complete"), exact=True).click()
        tab.wait_for_load_state()
        assert heading(tab) == lessons[0]
        assert tab.locator(".messages").is_visible()
        steps.shot(tab, "too-early")
        # Time passes (written, not waited for): the lessons were first opened an hour ago.
        factories.opened(
            get_user_model().objects.get(email=email),
            *LessonPage.objects.live().filter(locale__language_code=language),
        )
        tab.get_by_role("button", name=_("Mark as complete"), exact=True).click()
        tab.wait_for_load_state()
        assert heading(tab) == lessons[1]  # straight on to the next lesson
        steps.shot(tab, "second-lesson")
        tab.get_by_role("button", name=_("Mark as complete"), exact=True).click()
        tab.wait_for_load_state()

        # The module quiz comes next: fail it, then pass it.
        module_quiz = QuizPage.objects.get(locale__language_code=language, kind="module")
        assert heading(tab) == module_quiz.title
        tab.get_by_role("button", name=_("Start the quiz"), exact=True).click()
        tab.wait_for_load_state()
        steps.shot(tab, "module-quiz")
        steps_in_order = [
            getattr(item, language) for item in quiz_questions("module-quiz")[2]["items"]
        ]
        backwards = {step: len(steps_in_order) - i for i, step in enumerate(steps_in_order)}
        result = answer_the_quiz(
            tab, submit, [option("module-quiz", 0, False, language), _("True")], backwards
        )
        # Two answers wrong and the steps backwards: at most the middle step is right.
        assert _("Not passed") in result
        assert int(re.search(r"(\d+)%", result).group(1)) < 70
        steps.shot(tab, "module-quiz-failed")
        tab.get_by_role("link", name=_("Back to the quiz")).click()
        tab.wait_for_load_state()
        # A quiz that counts asks the learner to wait (and revise) before the next try.
        assert tab.get_by_role("button", name=_("Try again"), exact=True).count() == 0
        assert tab.locator("main .notice").count() == 1
        steps.shot(tab, "module-quiz-wait")
        factories.later()  # ten minutes on: the server's record, not a sleep
        tab.reload()
        tab.get_by_role("button", name=_("Try again"), exact=True).click()
        tab.wait_for_load_state()
        in_order = {step: i + 1 for i, step in enumerate(steps_in_order)}
        result = answer_the_quiz(
            tab, submit, [option("module-quiz", 0, True, language), _("False")], in_order
        )
        assert score(100, 70) in result and _("Passed") in result
        steps.shot(tab, "module-quiz-passed")

        # The last lesson, then the post-test.
        tab.goto(f"{base}{course.url}")
        tab.get_by_role("link", name=_("Continue where you left off")).click()
        tab.wait_for_load_state()
        assert heading(tab) == lessons[2]
        steps.shot(tab, "last-lesson")
        submit_exercise(tab)  # the lesson's exercise, submitted before the lesson completes
        steps.shot(tab, "exercise-submitted")
        tab.get_by_role("button", name=_("Mark as complete"), exact=True).click()
        tab.wait_for_load_state()
        post_test = QuizPage.objects.get(locale__language_code=language, kind="post")
        assert heading(tab) == post_test.title
        tab.get_by_role("button", name=_("Start the quiz"), exact=True).click()
        tab.wait_for_load_state()
        steps.shot(tab, "post-test")
        result = answer_the_quiz(tab, submit, [option("post-test", 0, True, language), _("True")])
        assert score(100, 70) in result and _("Passed") in result
        steps.shot(tab, "post-test-passed")

        # "My learning" has the certificate: the PDF carries the Arabic name. The result
        # page leads there itself.
        factories.run_tasks()  # the worker makes the certificate
        tab.locator(".next-steps").get_by_role("link", name=_("My learning")).click()
        tab.wait_for_load_state()
        gain = _(
            "Pre-test %(pre)s%%, post-test %(post)s%%: a change of %(gain)s percentage points.",
            pre=50,
            post=100,
            gain=50,
        )
        assert tab.get_by_text(gain).is_visible()
        steps.shot(tab, "my-learning")
        certificate = Certificate.objects.get(user__email=email)
        with tab.expect_download() as download:
            tab.get_by_role("link", name=_("download the PDF")).click()
        pdf = steps.folder / download.value.suggested_filename  # kept beside the screenshots
        download.value.save_as(pdf)
        assert pdf.name == f"certificate-{certificate.code}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        printed = pdf_text(pdf)
        assert LAYLA in printed
        assert _("Certificate of completion") in printed  # in the learner's language
        assert course.title.split(":")[0] in printed

        # The address printed under the QR code opens the verification page: valid, and whose.
        address = re.search(r"HTTPS?://\S+?(/C/[0-9A-Z]+)", printed)
        assert address and certificate.code in address.group(1)
        tab.goto(f"{base}{address.group(1)}")
        tab.wait_for_load_state()
        assert heading(tab).endswith(_("Valid certificate"))
        assert tab.locator(".certificate-fields").get_by_text(LAYLA).is_visible()
        assert tab.locator(".certificate-fields").get_by_text(course.title).is_visible()
        steps.shot(tab, "verified")
    finally:
        context.close()


# --- The instructor ------------------------------------------------------------------------


def sign_in(tab, base, email):
    tab.goto(f"{base}/en/accounts/login/")
    tab.get_by_label("Email address").fill(email)
    tab.locator("#id_password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in", exact=True).click()
    tab.wait_for_load_state()


def participant(email, name, country):
    user = factories.make_user(email, password=PASSWORD)
    profile = profile_for(user)
    profile.certificate_name, profile.country = name, country
    profile.save()
    return user


def test_an_instructor_runs_a_workshop_and_downloads_the_rooms_certificates(
    browser, live_server, all_locales, tmp_path
):
    steps = Steps("instructor")
    base = live_server.url
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    trainer = make_instructor("trainer@example.org")
    trainer.set_password(PASSWORD)
    trainer.save()
    present = participant("kofi@example.org", "Kofi Mensah", "GH")
    absent = participant("amal@example.org", "أمل حداد", "JO")
    instructor_context, teach = new_tab(browser)
    participant_context, phone = new_tab(browser)
    try:
        # A new workshop.
        sign_in(teach, base, "trainer@example.org")
        teach.goto(f"{base}/en/teach/new/")
        teach.get_by_label("Title").fill("Electronic evidence workshop, Accra")
        teach.get_by_role("combobox", name="Course").select_option(label=tree.course.title)
        teach.get_by_label("First day").fill("2026-11-23")
        teach.get_by_label("Last day").fill("2026-11-25")
        teach.locator("#id_language").select_option("en")
        steps.shot(teach, "new-workshop")
        teach.get_by_role("button", name="Save", exact=True).click()
        teach.wait_for_load_state()
        assert heading(teach) == "Electronic evidence workshop, Accra"
        workshop = Workshop.objects.get(title="Electronic evidence workshop, Accra")
        join_code = teach.locator(".join-code").inner_text().strip()
        assert join_code == workshop.join_code
        steps.shot(teach, "workshop-dashboard")

        # A session on the first day.
        teach.locator("summary", has_text="Add a session").click()
        teach.get_by_label("Date").fill("2026-11-23")
        teach.get_by_label("Starts at").fill("09:00")
        teach.get_by_label("Ends at").fill("12:30")
        steps.shot(teach, "add-session")
        teach.get_by_role("button", name="Add the session", exact=True).click()
        teach.wait_for_load_state()
        session_link = teach.locator(".card li a", has_text="09:00–12:30")
        assert session_link.count() == 1
        steps.shot(teach, "session-added")

        # Two participants join with the code, typed as they heard it: in lower case.
        for person in (present, absent):
            sign_in(phone, base, person.email)
            phone.goto(f"{base}/en/join/")
            phone.get_by_label("Code").fill(join_code.lower())
            if person == present:
                steps.shot(phone, "participant-joins")
            phone.get_by_role("button", name="Join", exact=True).click()
            phone.wait_for_load_state()
            assert heading(phone) == workshop.title
            phone.goto(f"{base}/en/accounts/logout/")
            phone.get_by_role("button", name="Sign out", exact=True).click()
            phone.wait_for_load_state()
        steps.shot(phone, "participant-joined")

        # Attendance: only Kofi came.
        teach.reload()
        assert teach.get_by_text("2 of 30 places taken").is_visible()
        session_link.click()
        teach.wait_for_load_state()
        assert heading(teach) == "Attendance"
        teach.get_by_label("Kofi Mensah").check()
        assert not teach.get_by_label("أمل حداد").is_checked()
        steps.shot(teach, "attendance")
        teach.get_by_role("button", name="Save attendance", exact=True).click()
        teach.wait_for_load_state()
        assert teach.get_by_text("1 present").is_visible()
        assert teach.get_by_label("Kofi Mensah").is_checked()
        steps.shot(teach, "attendance-saved")

        # Certificates for the room: one attendance certificate, in a ZIP.
        teach.goto(f"{base}/en/teach/{workshop.pk}/")
        teach.get_by_role("link", name="Certificates").click()
        teach.wait_for_load_state()
        assert heading(teach) == "Certificates for the room"
        steps.shot(teach, "certificates-due")
        teach.get_by_role("button", name="Issue 1 certificate", exact=True).click()
        teach.wait_for_load_state()
        assert teach.get_by_text("No certificates are due.").is_visible()
        steps.shot(teach, "certificates-issued")
        download = download_prepared(teach, "Download 1 certificate as one ZIP file")
        archive_path = steps.folder / download.suggested_filename
        download.save_as(archive_path)
        assert archive_path.name == "certificates-electronic-evidence-workshop-accra.zip"
        with zipfile.ZipFile(archive_path) as archive:
            names = archive.namelist()
            assert len(names) == 1 and names[0].startswith("attendance-")
            pdf = tmp_path / names[0]
            pdf.write_bytes(archive.read(names[0]))
        assert pdf.read_bytes().startswith(b"%PDF")
        text = pdf_text(pdf)
        assert "Kofi Mensah" in text and "أمل" not in text
        assert Certificate.objects.get().user == present
    finally:
        participant_context.close()
        instructor_context.close()


# --- The verifier --------------------------------------------------------------------------


def test_a_verifier_checks_a_sloppily_typed_code_and_a_revoked_certificate(
    page, live_server, all_locales
):
    steps = Steps("verifier")
    base = live_server.url
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    key = tree.course.translation_key
    kofi = participant("kofi@example.org", "Kofi Mensah", "GH")
    amal = participant("amal@example.org", "أمل حداد", "JO")
    valid = certificates.issue_certificate(kofi, key, "en")
    revoked = certificates.issue_certificate(amal, key, "en")
    registrar = factories.make_user("registrar@example.org", is_staff=True)
    certificates.revoke(revoked, registrar, "Issued to the wrong participant")

    # The code as printed, "7KQ2-M9XD-4HFT-X", typed as "7kq2m9xd-4hft-x": lower case, the
    # first dash left out.
    printed = codes.grouped(valid.code)
    first, rest = printed.split("-", 1)
    typed = (first + rest).lower()
    assert typed.count("-") == printed.count("-") - 1 and typed != typed.upper()
    page.goto(f"{base}/en/verify/")
    assert heading(page) == "Check a certificate"
    page.get_by_label("Certificate code").fill(typed)
    steps.shot(page, "typed-code")
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_load_state()
    assert heading(page).endswith("Valid certificate")
    fields = page.locator(".certificate-fields")
    assert fields.get_by_text("Kofi Mensah").is_visible()
    assert fields.get_by_text(printed, exact=True).is_visible()  # shown as printed
    assert fields.get_by_text(tree.course.title).is_visible()
    steps.shot(page, "valid")

    # The revoked one, typed into the form on the result page.
    page.get_by_label("Certificate code").fill(codes.grouped(revoked.code))
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_load_state()
    assert heading(page).endswith("Revoked certificate")
    assert page.get_by_text("It is no longer valid.").is_visible()
    assert page.get_by_text("Issued to the wrong participant").is_visible()
    assert page.locator(".certificate-fields").get_by_text("أمل حداد").is_visible()
    # A revoked certificate's PDF is not offered again.
    assert page.get_by_role("link", name="The issued PDF").count() == 0
    steps.shot(page, "revoked")
