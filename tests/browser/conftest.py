"""Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import shutil
from pathlib import Path

from django.conf import settings

import pytest

from tests.conftest import require

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium keeps dialling Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits(fresh_cache):
    """Every browser test starts with empty rate-limit counters: all of them come from
    127.0.0.1, and a verify or sign-in limit reached by one test must not turn up in the
    next one's pages."""


@pytest.fixture(autouse=True)
def _public_site_is_the_live_server(request, settings):
    """The browser's site is the live server: addresses that leave it (emails, QR codes,
    printed links) are built from SITE_URL, so that is where they must lead."""
    if "live_server" in request.fixturenames:
        live_server = request.getfixturevalue("live_server")
        settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    require(os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, which Django takes for async
    # code; the database work here is plain test set-up, and the live server has its own thread.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def page_without_javascript(browser):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    yield tab
    context.close()


# --- Phones (issue 19) ----------------------------------------------------------------------

PHONE = {"width": 360, "height": 740}
BROWSER_LOCALES = {"en": "en-GB", "ar": "ar-EG", "zh-hans": "zh-CN", "fr": "fr-FR"}
SCREENSHOTS = Path(settings.BASE_DIR) / "test-results" / "screens"


@pytest.fixture
def open_phone(browser):
    """open_phone("ar") -> a fresh 360 x 740 tab whose browser asks for that language."""
    contexts = []

    def open_tab(language="en", javascript=True, viewport=PHONE):
        context = browser.new_context(
            viewport=viewport,
            locale=BROWSER_LOCALES.get(language, language),
            java_script_enabled=javascript,
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def overflow(tab):
    """How many CSS pixels the document is wider than the viewport (0 when it fits)."""
    return tab.evaluate(
        "Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)"
    )


def fits_the_screen(tab):
    """Nothing scrolls sideways: the document is no wider than the viewport."""
    return overflow(tab) == 0


def keep_screenshot(tab, name):
    """Keep a screenshot of a fixed screen as test-results/screens/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=path, full_page=True)
    return path


def sign_in(tab, base, email, password, language="en"):
    """Sign in through the form of the given language; the page after it has loaded."""
    tab.goto(f"{base}/{language}/accounts/login/")
    tab.locator("input[name=login]").fill(email)
    tab.locator("input[name=password]").fill(password)
    tab.locator("main form button[type=submit]").first.click()
    tab.wait_for_load_state()


def submit_exercise(tab, text="Connection logs of 203.0.113.45, 3 March, 20:45-23:30 UTC."):
    """Fill in every part of the lesson's first exercise and submit it, in any language: a
    lesson with an exercise is complete only once it is submitted."""
    form = tab.locator(".exercise form").first
    for part in form.locator("input[type=text], textarea").all():
        part.fill(text)
    form.locator("button[value=submit]").click()
    tab.wait_for_load_state()


def download_prepared(tab, link_name):
    """Ask for a file the worker prepares (courses/downloads.py) by its link, see the page
    that waits for it, let the worker run, and download it from the page once it is ready:
    Playwright's Download."""
    from tests import factories

    tab.get_by_role("link", name=link_name).click()
    tab.wait_for_load_state()
    assert tab.get_by_role("status").filter(has_text="Being prepared").is_visible()
    assert factories.run_tasks() >= 1
    tab.get_by_role("link", name="Check again").click()
    tab.wait_for_load_state()
    with tab.expect_download() as download:
        tab.locator("a[download]").click()
    return download.value
