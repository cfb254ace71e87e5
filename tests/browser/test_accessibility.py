"""WCAG 2.1 AA in Chromium: axe-core (from npm, see package.json) on every kind of learner,
instructor and verify page in English and Arabic; what axe cannot judge is checked by hand:
a quiz answered with the keyboard alone, a visible focus outline, lang/dir in all languages."""

import json
import re
from pathlib import Path

from django.conf import settings

import pytest

from courses import bounces, certificates, emails
from courses.choices import EmailCategory
from courses.models import (
    Attempt,
    Certificate,
    InformationPage,
    LessonPage,
    ModulePage,
    Workshop,
)
from courses.quizzes import token_names
from tests import factories
from tests.conftest import require
from tests.test_quizzes import MULTI, SINGLE, TF, all_kinds

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe files these under "best-practice" rather than WCAG, but the issue asks for them: landmarks,
# one main heading, headings in order. Any impact counts.
STRUCTURE = [
    "heading-order",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "page-has-heading-one",
    "region",
    "skip-link",
]
PASSWORD = "browser-Demo-passphrase-3"
# What axe reports, trimmed to what a reader of a failure needs.
RUN_AXE = """async ([tags, structure]) => {
    const wcag = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    const rules = await axe.run(document, {runOnly: {type: "rule", values: structure}});
    const serious = wcag.violations.filter((v) => ["serious", "critical"].includes(v.impact));
    return serious.concat(rules.violations).map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map((node) => node.target.join(" ")),
    }));
}"""


@pytest.fixture
def axe_script():
    require(AXE.exists(), f"{AXE} is missing (npm ci installs it)")
    return str(AXE)


@pytest.fixture
def site(monkeypatch, tmp_path):
    """The demo (course in English and Arabic, finished learners with certificates, a running
    workshop) plus a quiz with all five kinds of question and a lesson with a video."""
    from courses import demo

    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    monkeypatch.setattr(demo, "PASSWORD_FILE", tmp_path / ".demo-password")
    demo.load_demo_content()
    module = ModulePage.objects.filter(locale__language_code="en").first()
    quiz = factories.make_quiz(module, all_kinds(), kind="practice", slug="every-kind")
    video = {
        "type": "video",
        "value": {
            "title": "Imaging a phone",
            "url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "duration": "4:12",
            "size": "18 MB",
            "poster": None,
            "transcript": "<p>The examiner photographs the phone before touching it.</p>",
        },
        "id": "6d7f3b1e-3c1a-4f0e-9a59-0c7d4d0a1b2c",
    }
    lesson = module.add_child(
        instance=LessonPage(
            title="Watching an imaging",
            slug="watching-an-imaging",
            estimated_minutes=5,
            body=json.dumps([factories.paragraph("Before the video."), video]),
        )
    )
    factories.publish(lesson)
    for page in (quiz, lesson):
        factories.translate(page, "ar")
    return {"quiz": quiz, "lesson": lesson}


@pytest.fixture
def homes(all_locales):
    """A small English tree with a home page in every language."""
    tree = factories.make_tree(modules=1, lessons_per_module=1)
    for code, _name in settings.LANGUAGES:
        if code != "en":
            factories.translate(tree.home, code)
    return tree


def in_language(page, code):
    return page.get_translation(factories.locale(code))


def sign_in(tab, base, code, email):
    tab.goto(f"{base}/{code}/accounts/login/")
    tab.locator("#id_login").fill(email)
    tab.locator("#id_password").fill(PASSWORD)
    with tab.expect_navigation():
        tab.locator("main button[type=submit]").click()
    assert "/accounts/login/" not in tab.url, f"{email} could not sign in"


def violations_on(tab, script):
    """Serious and critical WCAG 2.1 A/AA violations axe finds on the page now open, and any
    breach of the structural rules."""
    tab.add_script_tag(path=script)
    return tab.evaluate(RUN_AXE, [WCAG_21_AA, STRUCTURE])


class Audit:
    """Runs axe on each page visited and keeps every serious or critical violation."""

    def __init__(self, script):
        self.script = script
        self.pages = []
        self.problems = []

    def check(self, tab, name):
        assert tab.locator("h1").count() >= 1, f"{name}: no page heading at {tab.url}"
        self.pages.append(name)
        for v in violations_on(tab, self.script):
            targets = "\n      ".join(v["targets"])
            self.problems.append(
                f"{name} ({tab.url}): {v['id']} [{v['impact']}] {v['help']}\n      {targets}"
            )

    def report(self):
        return f"{len(self.problems)} violation(s):\n" + "\n".join(self.problems)


def form_names(tab):
    """The open attempt's form names, from the server: the page never says which answer is
    right, so the test looks the key up as the server knows it."""
    attempt = Attempt.objects.get(pk=re.search(r"/attempts/(\d+)/", tab.url).group(1))
    return token_names(attempt)


def option(names, question, value):
    return f'input[name="a-{names[(question, "")]}"][value="{names[(question, f"o:{value}")]}"]'


def right_value(names, select):
    """The right value for a matching row (its pair's match) or an ordering row (steps s1,
    s2, s3 go in that order)."""
    by_token = {token: ref for ref, token in names.items()}
    question, part = by_token[select.get_attribute("name").removeprefix("a-")]
    if part.startswith("r:"):
        return names[(question, "m:" + part[2:])]
    return part.removeprefix("s:s")


def answer_every_question(tab):
    """Right answers to the all-kinds quiz (options and rows come shuffled): with the mouse
    here, the keyboard test below does it without."""
    names = form_names(tab)
    tab.locator(option(names, SINGLE, "b")).check()
    tab.locator(option(names, MULTI, "a")).check()
    tab.locator(option(names, MULTI, "c")).check()
    tab.locator(option(names, TF, "false")).check()
    for select in tab.locator(".matching select, .ordering select").all():
        select.select_option(right_value(names, select))


@pytest.mark.parametrize("code", ["en", "ar"])
def test_learner_instructor_and_verify_pages_have_no_serious_violations(
    browser, live_server, site, axe_script, code
):
    base = live_server.url
    audit = Audit(axe_script)
    valid = Certificate.objects.get(user__email="learner@example.org")
    revoked = Certificate.objects.get(user__email="judge@example.org")
    certificates.revoke(revoked, None, "Issued in error.")
    # axe is injected as an inline script, which the site's Content-Security-Policy
    # forbids: these audits bypass it (the other browser tests run under it).
    context = browser.new_context(locale="ar" if code == "ar" else "en-GB", bypass_csp=True)
    tab = context.new_page()

    tab.goto(f"{base}/{code}/")
    assert tab.locator("html").get_attribute("lang") == code
    audit.check(tab, "home")
    tab.goto(f"{base}/{code}/catalogue/")
    assert tab.locator(".course-card").count() >= 1
    audit.check(tab, "catalogue")
    tab.goto(f"{base}/{code}/catalogue/?audience=defence&level=advanced")
    audit.check(tab, "catalogue: no course matches")
    tab.goto(f"{base}/{code}/accounts/login/")
    audit.check(tab, "sign-in")
    tab.goto(f"{base}/{code}/verify/")
    audit.check(tab, "verify form")
    tab.goto(f"{base}/{code}/verify/{valid.code}/")
    assert tab.locator(".verify-valid").count() == 1
    assert tab.locator(".verify-version .legal-update").count() == 1  # the demo's update
    audit.check(tab, "verify: valid")
    tab.goto(f"{base}/{code}/verify/{revoked.code}/")
    assert tab.locator(".verify-revoked").count() == 1
    audit.check(tab, "verify: revoked")
    tab.goto(f"{base}/{code}/verify/?code=not-a-code")
    audit.check(tab, "verify: not found")
    # The demo's trainer A turned their public trainer profile on.
    trainer = Certificate.objects.get(user__email="trainer.a@example.org", kind="trainer")
    tab.goto(f"{base}/{code}/trainers/{trainer.code}/")
    assert tab.locator(".trainer-certificates li").count() == 1
    audit.check(tab, "trainer profile")
    information = InformationPage.objects.filter(locale__language_code=code).live()
    assert information.count() == 4  # About, Contact, Privacy, Terms
    for info in information:
        tab.goto(f"{base}{info.url}")
        audit.check(tab, f"{info.kind} page")
    # A word of the demo's scenario lesson ("laptop"; "محمول" for "portable").
    tab.goto(f"{base}/{code}/search/?q={'محمول' if code == 'ar' else 'laptop'}")
    assert tab.locator(".search-result mark").count() >= 1
    audit.check(tab, "search results")
    # Country profiles, and a lesson with Demonstria's notes (a fictional jurisdiction).
    tab.goto(f"{base}/{code}/countries/")
    audit.check(tab, "country profiles")
    tab.goto(f"{base}/{code}/countries/xa/")
    assert tab.locator(".country-status tbody tr").count() == 4
    audit.check(tab, "country profile")
    slug = "three-kinds-of-data" if code == "en" else "ثلاثة-أنواع-من-البيانات"
    noted = LessonPage.objects.get(locale__language_code=code, slug=slug)
    tab.goto(f"{base}/{code}/countries/choose/?country=XA&next={noted.url}")
    assert tab.locator(".country-note").count() >= 1
    audit.check(tab, "lesson with country notes")

    # The follow-up survey from its emailed link, without signing in: the questions (the
    # demo survey's own translation), then an incomplete answer refused.
    tab.goto(f"{base}{factories.followup_link('learner@example.org', code)}")
    assert tab.locator("main fieldset").count() >= 2
    audit.check(tab, "follow-up survey")
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").first.click()
    assert tab.locator(".field-error").count() >= 1, "the empty answer was not refused"
    audit.check(tab, "follow-up survey with an error")

    sign_in(tab, base, code, "learner@example.org")
    lesson = in_language(site["lesson"], code)
    tab.goto(f"{base}{lesson.get_parent().get_parent().url}")
    audit.check(tab, "course outline")
    # The lessons a learner may open (the demo's train-the-trainer course is for instructors).
    for lesson_page in LessonPage.objects.filter(locale__language_code=code).live().public():
        tab.goto(f"{base}{lesson_page.url}")
        audit.check(tab, f"lesson {lesson_page.slug}")
    tab.goto(f"{base}{in_language(site['quiz'], code).url}")
    audit.check(tab, "quiz start page")
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").click()
    assert tab.locator("fieldset.question").count() == 5
    audit.check(tab, "quiz attempt")
    answer_every_question(tab)
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").last.click()
    assert "/result/" in tab.url
    audit.check(tab, "quiz result")
    tab.goto(f"{base}/{code}/learning/")
    # The demo course's legal update: the learner's version-1 certificate is offered it.
    assert tab.locator(".dashboard-update").count() == 1
    audit.check(tab, "dashboard")
    tab.goto(f"{base}/{code}/learning/updates/{valid.course_key}/")
    assert tab.locator(".legal-update").count() == 1
    audit.check(tab, "update path")
    tab.goto(f"{base}/{code}/learning/transcript/")
    assert tab.locator(".transcript-course").count() >= 1
    audit.check(tab, "transcript")
    tab.goto(f"{base}/{code}/profile/edit/")
    tab.locator("#id_certificate_name").fill("")
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").click()
    assert tab.locator(".field-error").count() >= 1, "the empty name was not refused"
    audit.check(tab, "profile edit with an error")
    # The profile's "Emails" section, with the notice of an address that bounces.
    learner = Certificate.objects.get(user__email="learner@example.org").user
    bounces.record(learner.email, "bounce", permanent=True, source="operator")
    tab.goto(f"{base}/{code}/profile/")
    assert tab.locator(".email-choices input[type=checkbox]").count() == 3
    assert tab.locator(".email-undelivered").count() == 1
    audit.check(tab, "profile with emails")
    context.close()

    # An email's unsubscribe link, opened without signing in: the question, then the answer.
    context = browser.new_context(locale="ar" if code == "ar" else "en-GB", bypass_csp=True)
    tab = context.new_page()
    token = emails.unsubscribe_token(learner, EmailCategory.FOLLOWUP)
    tab.goto(f"{base}/{code}/email/unsubscribe/{token}/")
    audit.check(tab, "unsubscribe: confirm")
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").click()
    assert tab.locator(".unsubscribe-done").count() == 1
    audit.check(tab, "unsubscribe: done")
    tab.goto(f"{base}/{code}/email/unsubscribe/not-a-token/")
    assert tab.locator(".unsubscribe-invalid").count() == 1
    audit.check(tab, "unsubscribe: invalid link")
    context.close()

    # axe is injected as an inline script, which the site's Content-Security-Policy
    # forbids: these audits bypass it (the other browser tests run under it).
    context = browser.new_context(locale="ar" if code == "ar" else "en-GB", bypass_csp=True)
    tab = context.new_page()
    sign_in(tab, base, code, "instructor@example.org")
    workshop = Workshop.objects.get(instructors__email="instructor@example.org")
    tab.goto(f"{base}/{code}/teach/{workshop.pk}/")
    audit.check(tab, "workshop dashboard")
    session = workshop.sessions.order_by("date", "starts_at").first()
    tab.goto(f"{base}/{code}/teach/{workshop.pk}/sessions/{session.pk}/")
    audit.check(tab, "attendance")
    context.close()

    assert len(audit.pages) >= 15
    assert not audit.problems, audit.report()


def test_axe_reports_what_it_should(browser, live_server, site, axe_script):
    """The audit is not blind: a field without a label, white-on-white text and a heading that
    skips levels are caught."""
    context = browser.new_context(locale="en-GB", bypass_csp=True)  # axe is inline
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/verify/")
        page.evaluate(
            """() => {
            document.querySelector("main form").insertAdjacentHTML("beforeend", '<input name="x">');
            document.querySelector("h1").style.color = "#fafafa";
            document.querySelector("h1").insertAdjacentHTML("afterend", "<h4>Skipped</h4>");
        }"""
        )
        found = {v["id"] for v in violations_on(page, axe_script)}
    finally:
        context.close()
    assert {"label", "color-contrast", "heading-order"} <= found


def tab_to(tab, css, limit=80):
    """Press Tab until the focused element matches css; fail if it is never reached."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("(css) => document.activeElement.matches(css)", css):
            return
    pytest.fail(f"{css} cannot be reached with the Tab key")


def focused(tab, expression):
    return tab.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


def choose_with_arrows(tab, wanted, limit=10):
    """In a radio group or a select that has the focus, move with the arrow keys to wanted."""
    for _ in range(limit):
        if focused(tab, "el.value") == wanted:
            break
        tab.keyboard.press("ArrowDown")
    assert focused(tab, "el.value") == wanted


@pytest.mark.parametrize("code", ["en", "ar"])
def test_a_quiz_of_every_kind_can_be_taken_with_the_keyboard_alone(page, live_server, site, code):
    """Radios with the arrow keys, checkboxes with Space, matching and ordering selects with the
    arrow keys, submitted with Enter; and every stop shows a focus outline."""
    sign_in(page, live_server.url, code, "learner@example.org")
    page.goto(f"{live_server.url}{in_language(site['quiz'], code).url}")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("fieldset.question").count() == 5
    outlines = []

    def note_outline():
        outlines.append(focused(page, "getComputedStyle(el).outlineStyle + ' ' + el.tagName"))

    names = form_names(page)
    tab_to(page, f'input[name="a-{names[(SINGLE, "")]}"]')
    choose_with_arrows(page, names[(SINGLE, "o:b")])
    page.keyboard.press("Space")
    note_outline()
    for value in ("a", "c"):
        tab_to(page, option(names, MULTI, value))
        page.keyboard.press("Space")
        note_outline()
    tab_to(page, f'input[name="a-{names[(TF, "")]}"]')
    choose_with_arrows(page, names[(TF, "o:false")])
    page.keyboard.press("Space")
    matching = page.locator(".matching select")
    for n in range(matching.count()):
        select_id = matching.nth(n).get_attribute("id")
        tab_to(page, f"#{select_id}")
        choose_with_arrows(page, right_value(names, matching.nth(n)))
        note_outline()
    ordering = page.locator(".ordering select")
    for n in range(ordering.count()):
        tab_to(page, f"#{ordering.nth(n).get_attribute('id')}")
        choose_with_arrows(page, right_value(names, ordering.nth(n)))
        note_outline()
    tab_to(page, "main form button[type=submit]")
    note_outline()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "/result/" in page.url
    wrong = page.locator(".review li.wrong").all_inner_texts()
    assert "100%" in page.locator(".score").inner_text(), wrong
    assert outlines and all(not style.startswith("none") for style in outlines), outlines


def test_keyboard_focus_is_outlined_clearly(page, live_server, homes):
    """Links, the language switcher, fields and buttons: a solid outline at least 2px wide
    when reached with the Tab key."""
    page.goto(f"{live_server.url}/en/verify/")
    for css in (".skip-link", ".site-nav a", ".language-switcher summary", "#verify-code"):
        tab_to(page, css)
        style = focused(
            page, "[getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]"
        )
        assert style[0] == "solid" and float(style[1].removesuffix("px")) >= 2, (css, style)
    tab_to(page, "main button[type=submit]")
    style = focused(page, "[getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]")
    assert style[0] == "solid" and float(style[1].removesuffix("px")) >= 2, style


def test_every_language_sets_lang_and_direction_on_the_page(page, live_server, homes):
    seen = {}
    for code, _name in settings.LANGUAGES:
        page.goto(f"{live_server.url}/{code}/")
        # The attributes, and the direction the browser actually lays the page out in.
        seen[code] = (
            page.locator("html").get_attribute("lang"),
            page.locator("html").get_attribute("dir"),
            page.evaluate("getComputedStyle(document.body).direction"),
        )
    expected = {
        code: (code, "rtl", "rtl") if code == "ar" else (code, "ltr", "ltr")
        for code, _name in settings.LANGUAGES
    }
    assert seen == expected
