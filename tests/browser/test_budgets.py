"""Page-weight budgets, measured in Chromium on the pages learners and verifiers open.

The live test server sends everything uncompressed, while production compresses text
(whitenoise for static files, the proxy or GZipMiddleware for pages). So the test takes the
body of every HTML, CSS and JavaScript response the browser received and gzips it itself at
level 6 (gzip's default and GZipMiddleware's; whitenoise compresses static files harder, so
this errs high) to count what a learner's first visit downloads, the offline service worker's
downloads included.
"""

import gzip
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

import pytest

from courses import bounces, emails
from courses.choices import EmailCategory
from courses.models import Certificate, LessonPage, QuizPage
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET = 50_000  # bytes of HTML + CSS + JS per page, compressed (DESIGN.md: under 50 KB)
COUNTED = {"text/html": "HTML", "text/css": "CSS", "text/javascript": "JS"}
FONT_EXTENSIONS = (".woff", ".woff2", ".ttf", ".otf")
# Scripts with these types are data, never run, and so never block rendering.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "importmap"}
# A mid-range Android phone: the learner this budget is for.
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2}


@dataclass
class Measurement:
    """What one first visit to a page downloaded: its own HTML, CSS and JS by type, and what
    the offline service worker fetched for its cache as it installed."""

    name: str
    page: dict = field(default_factory=lambda: dict.fromkeys(COUNTED.values(), 0))
    worker: int = 0
    requested: list = field(default_factory=list)
    images: list = field(default_factory=list)
    blocking_scripts: list = field(default_factory=list)

    @property
    def total(self):
        return sum(self.page.values()) + self.worker

    def row(self):
        """A Markdown table row, in KB (1 KB = 1,000 bytes)."""
        cells = [self.name, *(f"{size / 1000:.1f}" for size in self.page.values())]
        cells += [f"{self.worker / 1000:.1f}", f"**{self.total / 1000:.1f}**"]
        return "| " + " | ".join(cells) + " |"


# Resolves with the worker's state: "none" without one, "activated" once it has installed
# and activated. `ready` resolves as soon as there is an active worker, which may still be
# "activating" on a busy machine: then it waits for the state to change. It gives up after
# 30 seconds rather than hang on a worker that never gets there.
WORKER_STATE = """async () => {
    const registration = "serviceWorker" in navigator
        && await navigator.serviceWorker.getRegistration();
    if (!registration) return "none";
    const timeout = new Promise(resolve => setTimeout(resolve, 30000));
    await Promise.race([navigator.serviceWorker.ready, timeout]);
    const worker = registration.active || registration.waiting || registration.installing;
    if (!worker) return "failed to install";
    const settled = () => worker.state === "activated" || worker.state === "redundant";
    if (!settled()) {
        const changed = new Promise(resolve => worker.addEventListener("statechange", () => {
            if (settled()) resolve();
        }));
        await Promise.race([changed, timeout]);
    }
    return worker.state;
}"""


def kind_of(content_type):
    """HTML, CSS or JS for a response's Content-Type; None for anything else."""
    media_type = content_type.split(";")[0].strip().lower()
    return COUNTED.get(media_type) or ("JS" if "javascript" in media_type else None)


def gzipped_size(body):
    return len(gzip.compress(body, compresslevel=6))


def measure(browser, url, name, session=None):
    """Load url in a fresh phone-sized browser (empty cache) and record every response."""
    context = browser.new_context(locale="en-GB", **PHONE)
    if session:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    measurement = Measurement(name)
    responses = []
    # On the context, not the tab: what the offline service worker downloads counts too.
    context.on("request", lambda request: measurement.requested.append(request.url))
    context.on("response", lambda response: responses.append(response))
    tab = context.new_page()
    try:
        first = tab.goto(url, wait_until="networkidle")
        assert first.ok, f"{name}: {url} answered {first.status}"
        # A worker caches its files while installing: wait until it is active.
        worker = tab.evaluate(WORKER_STATE)
        assert worker in ("none", "activated"), f"{name}: the service worker is {worker}"
        tab.wait_for_load_state("networkidle")
        for response in responses:
            if response.from_service_worker or 300 <= response.status < 400:
                continue  # answered from the worker's cache, or a redirect without a body
            if response.request.resource_type == "image":
                measurement.images.append(response.url)
            kind = kind_of(response.headers.get("content-type", ""))
            if not kind:
                continue
            if response.request.service_worker:
                # The worker may drop a body it decides not to keep, and Playwright would wait
                # for it forever: fetch the same address again, with the same cookies.
                body = context.request.get(response.url).body()
                measurement.worker += gzipped_size(body)
            else:
                measurement.page[kind] += gzipped_size(response.body())
        measurement.blocking_scripts = tab.eval_on_selector_all(
            "head script",
            """(scripts, dataTypes) => scripts
                .filter(s => !dataTypes.includes((s.type || '').toLowerCase()))
                .filter(s => !(s.type === 'module' || (s.src && (s.defer || s.async))))
                .map(s => s.outerHTML.slice(0, 120))""",
            sorted(DATA_SCRIPT_TYPES),
        )
    finally:
        context.close()
    return measurement


@pytest.fixture
def site(monkeypatch, tmp_path):
    """The demo course, with a photo and a video poster in its first lesson."""
    from courses import demo

    monkeypatch.setenv("DEMO_PASSWORD", "browser-Demo-passphrase-3")
    monkeypatch.setattr(demo, "PASSWORD_FILE", tmp_path / ".demo-password")
    demo.load_demo_content()
    lesson = LessonPage.objects.get(locale__language_code="en", slug="three-kinds-of-data")
    photo = factories.make_image(1600, 900)
    video = {
        "type": "video",
        "value": {
            "title": "Requesting subscriber information",
            "url": "https://media.example.org/subscriber-data.mp4",
            "duration": "3:40",
            "size": "14 MB",
            "poster": photo.pk,
            "transcript": "<p>The officer explains which data the request covers.</p>",
        },
        "id": "budget-video",
    }
    body = [factories.image_block(photo), *lesson.body.raw_data, video]
    lesson.body = json.dumps(list(body))
    factories.publish(lesson)
    return lesson, photo


def signed_in_session(email):
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def test_learner_pages_stay_within_budget_without_fonts_third_parties_or_blocking_scripts(
    browser, live_server, site
):
    lesson, photo = site
    client, session = signed_in_session("learner@example.org")
    quiz = max(
        QuizPage.objects.filter(locale__language_code="en", kind="module"),
        key=lambda quiz: len(quiz.questions),
    )
    factories.later()  # the demo learner took it just now: the wait is over
    started = client.post(f"/en/quizzes/{quiz.pk}/start/")
    assert "/quizzes/attempts/" in started["Location"], "the learner could not start the quiz"
    certificate = Certificate.objects.get(user__email="learner@example.org")
    trainer = Certificate.objects.get(user__email="trainer.a@example.org", kind="trainer")
    # A learner from Demonstria (a fictional jurisdiction): the lesson shows its notes.
    _client, demonstrian = signed_in_session("ama@example.org")
    arabic_lesson = LessonPage.objects.get(
        locale__language_code="ar", translation_key=lesson.translation_key
    )
    pages = [
        ("lesson with country notes", lesson.url, demonstrian),
        ("lesson with country notes, Arabic", arabic_lesson.url, demonstrian),
        ("country profiles", "/en/countries/", None),
        ("country profile, Arabic", "/ar/countries/xa/", None),
        ("home", "/en/", session),
        ("home, visitor, Arabic", "/ar/", None),
        ("catalogue", "/en/catalogue/", None),
        ("catalogue, Arabic, filtered", "/ar/catalogue/?level=introductory", None),
        ("course outline", lesson.get_parent().get_parent().url, session),
        ("lesson (image, video)", lesson.url, session),
        ("quiz", started["Location"], session),
        ("dashboard", "/en/learning/", session),
        ("transcript", "/en/learning/transcript/", session),
        ("certificate verify", f"/en/verify/{certificate.code}/", None),
        ("trainer profile", f"/en/trainers/{trainer.code}/", None),
        ("trainer profile, Arabic", f"/ar/trainers/{trainer.code}/", None),
        # The demo's legal update: the verify page above lists it; the holder's update path.
        ("update path", f"/en/learning/updates/{certificate.course_key}/", session),
        ("privacy page, Arabic", "/ar/privacy-notice/", None),  # the longest information page
        ("search results", "/en/search/?q=laptop", None),
        ("follow-up survey", factories.followup_link("learner@example.org"), None),
        ("follow-up survey, Arabic", factories.followup_link("judge@example.org", "ar"), None),
    ]
    # The profile, with its "Emails" section and the notice of an address that bounces; an
    # email's unsubscribe page in Arabic (no sign-in).
    learner = get_user_model().objects.get(email="learner@example.org")
    bounces.record(learner.email, "bounce", permanent=True, source="operator")
    unsubscribe = emails.unsubscribe_token(learner, EmailCategory.REMINDERS)
    pages += [
        ("profile with emails", "/en/profile/", session),
        ("unsubscribe, Arabic", f"/ar/email/unsubscribe/{unsubscribe}/", None),
    ]
    origin = urlsplit(live_server.url)
    measurements = [
        measure(browser, f"{live_server.url}{path}", name, cookie) for name, path, cookie in pages
    ]

    print(f"\nPage weight (HTML + CSS + JS, gzip level 6, KB); budget {BUDGET / 1000:.0f} KB")
    print("| page | HTML | CSS | JS | offline worker | total |")
    print("|---|---:|---:|---:|---:|---:|")
    for measurement in measurements:
        print(measurement.row())

    for measurement in measurements:
        elsewhere = [
            url
            for url in measurement.requested
            if urlsplit(url).scheme not in ("data", "blob")
            and urlsplit(url)[:2] != (origin.scheme, origin.netloc)
        ]
        assert not elsewhere, f"{measurement.name} asked third parties: {elsewhere}"
        fonts = [
            url for url in measurement.requested if urlsplit(url).path.endswith(FONT_EXTENSIONS)
        ]
        assert not fonts, f"{measurement.name} fetched web fonts: {fonts}"
        assert not measurement.blocking_scripts, (
            f"{measurement.name} has render-blocking scripts: {measurement.blocking_scripts}"
        )
        assert measurement.page["HTML"] > 0 and measurement.page["CSS"] > 0
        assert measurement.total < BUDGET, measurement.row()

    # On a phone the lesson photo comes as a column-sized WebP, never the original upload.
    lesson_images = next(m for m in measurements if m.name.startswith("lesson")).images
    assert lesson_images, "the lesson's photo was not requested"
    assert all(urlsplit(url).path.endswith(".webp") for url in lesson_images), lesson_images
    assert not any(photo.file.url in url for url in lesson_images)
