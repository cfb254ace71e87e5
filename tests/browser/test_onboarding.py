"""A newcomer's first minutes on a 360 px phone (issue 19): the sign-up page speaks their
language down to the password rules, the site has one name per language on the page and in
the email, and from the confirmation link they are led through the profile form straight to
a course to start.

Item 7 in Arabic and Chinese, item 8 in English and Arabic (right to left)."""

import re
from email.utils import parseaddr

from django.contrib.auth import get_user_model, password_validation
from django.utils import translation
from django.utils.translation import gettext, ngettext

import pytest

from courses.models import CoursePage, LessonPage, ModulePage
from courses.models.learners import profile_for
from tests import factories
from tests.browser.conftest import fits_the_screen, keep_screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_cache")]

PASSWORD = "onboarding-Phone-passphrase-3"
TOO_SHORT = "Zq7#kw"  # six characters, in no list of common passwords
TOO_COMMON = "password123"
ENGLISH_NAME = "Evidence Academy"
ARABIC = {"course": "التعامل مع الأدلة الرقمية", "module": "الوحدة 1", "lesson": "الدرس 1.1"}


def _(language, message):
    with translation.override(language):
        return gettext(message)


def site_name(language):
    return _(language, ENGLISH_NAME)


def too_short_messages(language, length=8):
    """Django's own translations of its too-short error, under either wording its
    catalogues have carried; empty when the language has neither."""
    with translation.override(language):
        wordings = {
            ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                length,
            )
            % length,
            ngettext(
                "This password is too short. It must contain at least %(min_length)d character.",
                "This password is too short. It must contain at least %(min_length)d characters.",
                length,
            )
            % {"min_length": length},
        }
    return wordings - too_short_messages("en", length) if language != "en" else wordings


def help_texts(language):
    with translation.override(language):
        return password_validation.password_validators_help_texts()


def reads_from_the_right(locator):
    """For right-to-left text: its first letter starts its first line at the right, and its
    last character ends its last line at the left (an English sentence in an Arabic page
    starts mid-line and seems to open with its full stop)."""
    return locator.evaluate(
        """element => {
            const text = element.firstChild;
            const box = i => {
                const range = document.createRange();
                range.setStart(text, i);
                range.setEnd(text, i + 1);
                return range.getBoundingClientRect();
            };
            const first = box(0), last = box(text.length - 1);
            let right = -Infinity, left = Infinity;
            for (let i = 0; i < text.length; i++) {
                const b = box(i);
                if (b.width === 0) continue;
                if (Math.abs(b.top - first.top) < 2) right = Math.max(right, b.right);
                if (Math.abs(b.top - last.top) < 2) left = Math.min(left, b.left);
            }
            return first.right >= right - 0.5 && last.left <= left + 0.5;
        }"""
    )


def sign_up(tab, base, language, email, password):
    tab.goto(f"{base}/{language}/accounts/signup/")
    tab.locator("#id_email").fill(email)
    tab.locator("#id_password1").fill(password)
    tab.locator("#id_password2").fill(password)
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_load_state()


def confirmation_link(email):
    message = next(m for m in factories.sent_mail() if m.to == [email])
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)


# --- Item 7: password rules and the site's name in the learner's language -------------------


@pytest.mark.parametrize("language", ["ar", "zh-hans"])
def test_the_sign_up_page_and_its_email_speak_the_learners_language(
    open_phone, live_server, language
):
    name = site_name(language)
    tab = open_phone(language)
    tab.goto(f"{live_server.url}/{language}/accounts/signup/")

    # The password rules, as Django words them in this language.
    rules = [text.strip() for text in tab.locator("#id_password1_helptext li").all_inner_texts()]
    assert rules == help_texts(language)
    assert not set(rules) & set(help_texts("en"))

    # One name for the site in the header, the title and the footer.
    assert tab.locator(".site-header .brand").inner_text().strip() == name
    assert tab.title().endswith(f" · {name}")
    assert name in tab.locator(".site-footer p").first.inner_text()
    if name != ENGLISH_NAME:
        assert ENGLISH_NAME not in tab.title() + tab.locator("body").inner_text()
    assert fits_the_screen(tab)

    # Too short: Django's error in this language, not English.
    sign_up(tab, live_server.url, language, "newcomer@example.org", TOO_SHORT)
    error = tab.locator("#id_password1_errors li")
    assert error.count() == 1
    text = error.inner_text().strip()
    assert too_short_messages(language), "Django's catalogue lost this error"
    assert text in too_short_messages(language)
    assert not text.startswith(".")
    if language == "ar":
        assert reads_from_the_right(error)
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-07-password-rules-{language}")

    # Too common: likewise.
    sign_up(tab, live_server.url, language, "newcomer@example.org", TOO_COMMON)
    common = _(language, "This password is too common.")
    assert common != "This password is too common."
    assert tab.locator("#id_password1_errors li").all_inner_texts() == [common]
    assert factories.sent_mail() == []

    # The confirmation email names the site as the page does: subject, sender, greeting and
    # signature, and inside its sentences.
    sign_up(tab, live_server.url, language, "newcomer@example.org", PASSWORD)
    assert tab.locator("h1").inner_text().strip() == _(language, "Check your email")
    [message] = factories.sent_mail()
    assert message.subject.startswith(f"[{name}] ")
    assert parseaddr(message.from_email)[0] == name
    lines = [line for line in message.body.splitlines() if line.strip()]
    assert name in lines[0] and name in lines[1]
    assert lines[-1] == name
    if name != ENGLISH_NAME:
        assert ENGLISH_NAME not in message.subject + message.from_email + message.body


# --- Item 8: from the confirmation link to a course to start --------------------------------


def make_course(home, title, slug, language):
    """A live course with one module and one lesson, translated into Arabic when asked."""
    course = home.add_child(
        instance=CoursePage(
            title=title, slug=slug, summary="Summary.", audience=["police"], estimated_hours=1
        )
    )
    factories.publish(course)
    module = factories.publish(
        course.add_child(instance=ModulePage(title="Module 1", slug="module-1", intro=""))
    )
    lesson = factories.publish(
        module.add_child(
            instance=LessonPage(
                title="Lesson 1.1", slug="lesson-1-1", estimated_minutes=5, body="[]"
            )
        )
    )
    if language == "ar":
        course = factories.translate(course, "ar", title=f"{ARABIC['course']}: {title}")
        factories.translate(module, "ar", title=ARABIC["module"])
        lesson = factories.translate(lesson, "ar", title=ARABIC["lesson"])
    return course, lesson


def in_the_first_screen(tab, locator):
    tab.evaluate("window.scrollTo(0, 0)")
    box = locator.bounding_box()
    viewport = tab.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
    )


def fill_the_welcome_form(tab, language, name, country):
    """The profile form, opened with its welcome; filled and saved."""
    assert tab.locator("h1").inner_text().strip() == _(language, "Edit profile")
    assert tab.locator("main .notice").is_visible()  # the welcome
    assert fits_the_screen(tab)
    tab.locator("#id_certificate_name").fill(name)
    tab.locator("#id_country").select_option(country)
    keep_screenshot(tab, f"item-08-welcome-{language}")
    tab.get_by_role("button", name=_(language, "Save"), exact=True).click()
    tab.wait_for_load_state()


def assert_one_action_starts(tab, language, course, lesson):
    """On the course's page, with the profile saved, one prominent button starts it."""
    assert tab.locator("h1").inner_text().strip() == course.title
    assert tab.get_by_text(_(language, "Your profile has been saved.")).is_visible()
    start = tab.get_by_role("button", name=_(language, "Start this course"), exact=True)
    assert tab.locator("main button, main a.button").count() == 1
    assert in_the_first_screen(tab, start)
    assert fits_the_screen(tab)
    keep_screenshot(tab, f"item-08-start-{language}")
    start.click()
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text().strip() == lesson.title


@pytest.mark.parametrize("language", ["en", "ar"])
def test_confirming_the_address_leads_through_the_profile_to_the_course(
    open_phone, live_server, all_locales, language
):
    home = factories.make_home()
    course, lesson = make_course(home, "Handling digital evidence", "handling", language)
    email = f"officer-{language}@example.org"
    tab = open_phone(language)
    sign_up(tab, live_server.url, language, email, PASSWORD)
    assert tab.locator("h1").inner_text().strip() == _(language, "Check your email")

    # The link, opened in the browser that signed up, confirms and signs in at once.
    tab.goto(confirmation_link(email))
    tab.get_by_role("button", name=_(language, "Confirm"), exact=True).click()
    tab.wait_for_load_state()
    assert "—" not in tab.locator("main").inner_text()  # not a profile of dashes
    fill_the_welcome_form(tab, language, "Amina Diallo", "SN")
    assert profile_for(get_user_model().objects.get(email=email)).is_complete

    # The only course of the language, with its one button; it opens the first lesson.
    assert_one_action_starts(tab, language, course, lesson)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_signing_in_from_a_course_comes_back_to_it_after_the_profile(
    open_phone, live_server, all_locales, language
):
    home = factories.make_home()
    make_course(home, "Cybercrime investigation", "investigation", language)
    course, lesson = make_course(home, "Handling digital evidence", "handling", language)
    email = f"prosecutor-{language}@example.org"
    signing_up = open_phone(language)
    sign_up(signing_up, live_server.url, language, email, PASSWORD)

    # The email is read on another browser: confirming there does not sign in.
    tab = open_phone(language)
    tab.goto(confirmation_link(email))
    tab.get_by_role("button", name=_(language, "Confirm"), exact=True).click()
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text().strip() == _(language, "Sign in")

    # From the course the learner wants: sign in, fill the profile, and back to the course.
    tab.goto(f"{live_server.url}{course.url}")
    tab.get_by_role("link", name=_(language, "Sign in to start this course")).click()
    tab.wait_for_load_state()
    tab.locator("input[name=login]").fill(email)
    tab.locator("input[name=password]").fill(PASSWORD)
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_load_state()
    fill_the_welcome_form(tab, language, "Nguyen Van An", "VN")
    assert_one_action_starts(tab, language, course, lesson)
