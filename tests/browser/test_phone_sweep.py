"""The phone-width sweep (issue 19): at 360 px, in English, Arabic and Chinese, no page of the
learner's, the instructor's or the verifier's journey scrolls sideways or is cut at an edge.

Each test walks one journey through the short demo and reports every page that fails at once,
with its address and by how many pixels it is too wide, rather than stopping at the first."""

from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale

import pytest

from courses import certificates, demo, quizzes
from courses.models import (
    CoursePage,
    InformationPage,
    LessonPage,
    ModulePage,
    Participant,
    QuizPage,
    Workshop,
)
from courses.models.workshops import InvitationRole
from courses.workshops import invite
from tests.browser.conftest import keep_screenshot, overflow, sign_in
from tests.browser.test_e2e import PASSWORD, demo_site  # noqa: F401  (a fixture used below)

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["en", "ar", "zh-hans"]
# Unbroken text of the kinds that push a phone page sideways.
LONG_EMAIL = "inspector.general.cybercrime.investigations@ministry-of-interior.example.org"
ROSTER = (
    "name,email,organisation\n"
    "Kwame Boateng,kwame@example.org,Ghana Police Service\n"
    f"Bartholomew Featherstonehaugh-Wolfeschlegelsteinhausen,{LONG_EMAIL},Prosecution\n"
    "ليلى عبد الرحمن,not-an-address,Ministry of Justice\n"
)
UNKNOWN_CODE = "7KQ2-M9XD-4HFT-X"

# The elements drawn past the left or right edge of the screen, outermost first. In Arabic the
# page cannot scroll to what lies past the right edge, so the document's width misses them.
CUT_AT_AN_EDGE = """() => {
  const width = document.documentElement.clientWidth;
  const inScrollRegion = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const cut = (el) => {
    const box = el.getBoundingClientRect();
    // checkVisibility() leaves out what a closed <details> keeps laid out but hidden.
    return box.width > 0 && box.height > 0 && (box.left < -0.5 || box.right > width + 0.5)
      && el.checkVisibility() && !inScrollRegion(el);
  };
  return [...document.body.querySelectorAll("*")]
    .filter((el) => cut(el) && !cut(el.parentElement))
    .map((el) => {
      const box = el.getBoundingClientRect();
      const text = el.textContent.trim().slice(0, 40);
      return `<${el.localName}> at ${Math.round(box.left)}..${Math.round(box.right)} "${text}"`;
    });
}"""


def user(email):
    return get_user_model().objects.get(email=email)


def with_chinese_pages():
    """The demo course in the Chinese tree, its text left in English (the demo has no Chinese
    content): the interface around it is what the sweep measures."""
    english = CoursePage.objects.get(locale__language_code="en", trains_trainers=False)
    chinese = Locale.objects.get(language_code="zh-hans")
    same = {text.en: text.en for text in demo.all_strings()}
    for page in [english, *english.get_descendants().order_by("path").specific()]:
        if page.get_translation_or_none(chinese) is None:
            demo.translate_with(page, chinese, same)


class Sweep:
    """One tab walking pages in one language, noting each page that does not fit."""

    def __init__(self, tab, base, language):
        self.tab, self.base, self.language = tab, base, language
        self.problems = []

    def url(self, name, *args):
        with translation.override(self.language):
            return reverse(name, args=args)

    def visit(self, what, path, keep_in=None):
        response = self.tab.goto(f"{self.base}{path}")
        self.tab.wait_for_load_state()
        if not response.ok or urlsplit(self.tab.url).path != urlsplit(path).path:
            self.problems.append(f"{what} ({path}): did not open, {response.status} {self.tab.url}")
            return
        self.check(what, keep_in)

    def check(self, what, keep_in=None):
        """Note the page now shown if it is wider than the screen or cut at an edge. Pages that
        did not fit before issue 19 keep a screenshot, in the one language given."""
        wider, cut = overflow(self.tab), self.tab.evaluate(CUT_AT_AN_EDGE)
        if wider or cut:
            self.problems.append(
                f"{what} ({self.tab.url}): {wider} px too wide; cut at an edge: {cut or 'nothing'}"
            )
        elif keep_in == self.language:
            name = "-".join(what.replace(",", "").split())
            keep_screenshot(self.tab, f"sweep-{name}-{self.language}")


def assert_all_fit(*sweeps):
    problems = [problem for sweep in sweeps for problem in sweep.problems]
    assert not problems, "\n".join(problems)


@pytest.fixture
def journeys(demo_site):  # noqa: F811  (the fixture imported above)
    """The short demo, with Chinese pages and the states the journeys pass through: an open
    quiz attempt and a submitted one, an invitation, a revoked certificate."""
    with_chinese_pages()
    kwame, maria = user("kwame@example.org"), user("maria@example.org")
    module_quiz = QuizPage.objects.get(locale__language_code="en", kind="module")
    post_test = QuizPage.objects.get(locale__language_code="en", kind="post")
    open_attempt = quizzes.start_attempt(kwame, post_test, "en")
    submitted = quizzes.start_attempt(kwame, module_quiz, "en")
    quizzes.submit_attempt(submitted, module_quiz, {})
    workshop = Workshop.objects.get(title=demo.DEMO_WORKSHOP)
    # The demo has Kwame's evaluation in already; the sweep shows him the form.
    Participant.objects.filter(workshop=workshop, user=kwame).update(evaluated=False)
    advanced = Workshop.objects.create(
        course_key=workshop.course_key,
        title="Cross-border requests for electronic evidence — advanced workshop, Addis Ababa",
        start_date=workshop.start_date,
        end_date=workshop.end_date,
        venue="African Union Conference Centre, Hall of Nations",
        language="en",
        lead=workshop.lead,
    )
    invite(advanced, kwame, InvitationRole.PARTICIPANT, workshop.lead)
    registrar = get_user_model().objects.create_user(
        "registrar", "registrar@example.org", PASSWORD, is_staff=True
    )
    revoked = certificates.issue_certificate(maria, workshop.course_key, "en")
    certificates.revoke(revoked, registrar, "Issued before the post-test was passed")
    return {
        "open_attempt": open_attempt,
        "submitted": submitted,
        "workshop": workshop,
        "valid": user("learner@example.org").certificates.get(),
        "revoked": revoked,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_of_the_learner_journey_scrolls_sideways(
    open_phone, live_server, journeys, language
):
    base = live_server.url
    visitor = Sweep(open_phone(language), base, language)
    visitor.visit("home", f"/{language}/")
    visitor.visit("sign in", visitor.url("account_login"))
    visitor.visit("sign up", visitor.url("account_signup"))
    visitor.visit("password reset", visitor.url("account_reset_password"))
    visitor.tab.locator("input[name=email]").fill(LONG_EMAIL)
    visitor.tab.locator("main form button[type=submit]").first.click()
    visitor.tab.wait_for_load_state()
    visitor.check("password reset sent")
    # /privacy/ leads to the demo's Privacy page; every footer page is swept.
    footer_pages = InformationPage.objects.live().filter(locale__language_code=language)
    assert len(footer_pages) == 4
    for page in footer_pages:
        visitor.visit(f"{page.kind} page", page.url)

    # Kwame is half-way through the course, in the demo workshop and invited to another.
    kwame = Sweep(open_phone(language), base, language)
    sign_in(kwame.tab, base, "kwame@example.org", PASSWORD, language)
    course = CoursePage.objects.live().get(locale__language_code=language, trains_trainers=False)
    module = ModulePage.objects.live().child_of(course).order_by("path").first()
    lesson = LessonPage.objects.live().descendant_of(course).order_by("path").first()
    quiz = QuizPage.objects.live().descendant_of(course).get(kind="module")
    workshop = journeys["workshop"]
    kwame.visit("home, signed in", f"/{language}/")
    kwame.visit("course page", course.url)
    kwame.visit("module page", module.url)
    kwame.visit("lesson", lesson.url)
    kwame.visit("quiz start page", quiz.url)
    kwame.visit("quiz attempt", kwame.url("quiz_attempt", journeys["open_attempt"].pk))
    kwame.visit("quiz result", kwame.url("quiz_result", journeys["submitted"].pk))
    kwame.visit("my learning", kwame.url("dashboard"))
    kwame.visit("invitations", kwame.url("workshop_invitations"))
    kwame.visit("workshop page", kwame.url("workshop_home", workshop.pk))
    kwame.visit("workshop evaluation", kwame.url("workshop_evaluation", workshop.pk))
    kwame.visit("join a workshop", kwame.url("workshop_join"))

    # The demo learner has finished the course and holds a certificate; her address is long.
    learner = user("learner@example.org")
    learner.emailaddress_set.update(email=LONG_EMAIL)
    learner.email = LONG_EMAIL
    learner.save()
    finished = Sweep(open_phone(language), base, language)
    sign_in(finished.tab, base, LONG_EMAIL, PASSWORD, language)
    finished.visit("my learning, with a certificate", finished.url("dashboard"))
    finished.visit("profile", finished.url("learner_profile"), keep_in="en")
    finished.visit("profile edit", finished.url("learner_profile_edit"))
    finished.visit("email addresses", finished.url("account_email"), keep_in="en")
    finished.visit("change password", finished.url("account_change_password"))
    finished.visit("two-factor authentication", finished.url("mfa_index"))
    finished.visit("delete my account", finished.url("privacy_delete"))
    assert_all_fit(visitor, kwame, finished)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_of_the_instructor_journey_scrolls_sideways(
    open_phone, live_server, journeys, language
):
    workshop = journeys["workshop"]
    session = workshop.sessions.order_by("date", "starts_at").first()
    sweep = Sweep(open_phone(language), live_server.url, language)
    sign_in(sweep.tab, live_server.url, "instructor@example.org", PASSWORD, language)
    sweep.visit("my workshops", sweep.url("teach"))
    sweep.visit("new workshop", sweep.url("workshop_new"))
    sweep.visit("workshop dashboard", sweep.url("workshop_dashboard", workshop.pk), keep_in="ar")
    sweep.visit("workshop settings", sweep.url("workshop_edit", workshop.pk))
    sweep.visit("roster import", sweep.url("workshop_roster", workshop.pk))
    sweep.tab.locator("input[type=file]").set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": ROSTER.encode()}]
    )
    sweep.tab.locator("button[value=preview]").click()
    sweep.tab.wait_for_load_state()
    sweep.check("roster import preview")
    sweep.visit("attendance", sweep.url("workshop_attendance", workshop.pk, session.pk))
    sweep.visit("pacing", sweep.url("workshop_pacing", workshop.pk))
    sweep.visit("certificates for the room", sweep.url("workshop_certificates", workshop.pk))
    assert_all_fit(sweep)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_of_the_verifier_journey_scrolls_sideways(
    open_phone, live_server, journeys, language
):
    sweep = Sweep(open_phone(language), live_server.url, language)
    sweep.visit("verify form", sweep.url("verify"))
    sweep.visit("valid certificate", sweep.url("verify_code", journeys["valid"].code))
    sweep.tab.locator("#compare-pdf").set_input_files(
        files=[{"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    sweep.tab.locator("form:has(#compare-pdf) button[type=submit]").click()
    sweep.tab.wait_for_load_state()
    sweep.check("PDF comparison result", keep_in="en")
    sweep.visit("revoked certificate", sweep.url("verify_code", journeys["revoked"].code))
    sweep.visit("unknown code", sweep.url("verify_code", UNKNOWN_CODE))
    assert_all_fit(sweep)
