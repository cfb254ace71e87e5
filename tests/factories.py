"""Builders for test data: a small page tree, translations, users."""

import json
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import SESSION_KEY, get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Locale, Page, Site

from allauth.account.models import EmailAddress

from courses.models import CoursePage, HomePage, LessonPage, ModulePage

PASSWORD = "a-Long-test-passphrase-42"


def locale(code):
    return Locale.objects.get_or_create(language_code=code)[0]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())}


@dataclass
class Tree:
    home: HomePage
    course: CoursePage
    modules: list = field(default_factory=list)
    lessons: list = field(default_factory=list)


def make_home(title="Evidence Academy"):
    """An English home page as the default site's root (replacing Wagtail's placeholder)."""
    # After a transactional test has flushed the database, even the root is gone.
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale("en"))
    )
    home = root.add_child(instance=HomePage(title=title, slug=f"home-{uuid.uuid4().hex[:6]}"))
    publish(home)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home


def make_tree(
    modules=2,
    lessons_per_module=2,
    body=None,
    home=None,
    title="Handling digital evidence",
    slug="handling-digital-evidence",
):
    """Home → course → modules → lessons, all live, in English; a new home unless one is
    given (a second course of the same site)."""
    home = home or make_home()
    course = home.add_child(
        instance=CoursePage(
            title=title,
            slug=slug,
            summary="How to collect and preserve electronic evidence.",
            audience=["police", "judiciary"],
            estimated_hours=2,
            objectives=json.dumps(
                [{"type": "objective", "value": "Hash every copy.", "id": str(uuid.uuid4())}]
            ),
        )
    )
    publish(course)
    tree = Tree(home=home, course=course)
    for m in range(1, modules + 1):
        module = course.add_child(
            instance=ModulePage(title=f"Module {m}", slug=f"module-{m}", intro="<p>Intro</p>")
        )
        publish(module)
        tree.modules.append(module)
        for n in range(1, lessons_per_module + 1):
            lesson = module.add_child(
                instance=LessonPage(
                    title=f"Lesson {m}.{n}",
                    slug=f"lesson-{m}-{n}",
                    estimated_minutes=5,
                    body=json.dumps(body or [paragraph(f"Text of lesson {m}.{n}.")]),
                )
            )
            tree.lessons.append(publish(lesson))
    return tree


def translate(page, code, title=None):
    """A live translation of page in language code (parents copied when missing)."""
    translated = page.copy_for_translation(locale(code), copy_parents=True)
    if title:
        translated.title = title
    translated.save()
    return publish(translated)


def make_user(email="learner@example.org", password=PASSWORD, verified=True, **extra):
    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=password, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def user_of(client):
    """The user the test client is signed in as."""
    return get_user_model().objects.get(pk=client.session[SESSION_KEY])


def opened(user, *lessons, minutes_ago=24 * 60):
    """Record that user first opened these lessons minutes_ago (a state, not a wait): by
    default long enough for any minimum reading time to have passed."""
    from courses.models import LessonVisit
    from courses.progress import course_of

    at = timezone.now() - timedelta(minutes=minutes_ago)
    for lesson in lessons:
        LessonVisit.objects.update_or_create(
            user=user,
            lesson_key=lesson.translation_key,
            defaults={
                "course_key": course_of(lesson).translation_key,
                "language": lesson.locale.language_code,
                "first_opened_at": at,
            },
        )


def item(value, item_id=None):
    return {"type": "item", "value": value, "id": item_id or str(uuid.uuid4())}


def question(kind, stem, question_id=None, explanation="", **fields):
    value = {
        "stem": f"<p>{stem}</p>",
        "image": None,
        "image_alt": "",
        "explanation": f"<p>{explanation}</p>" if explanation else "",
        "points": 1,
    }
    value.update(fields)
    return {"type": kind, "value": value, "id": question_id or str(uuid.uuid4())}


def single_choice(stem, options, right, question_id=None, **extra):
    """options: {option id: text}; right: the correct option id."""
    items = [
        item({"text": text, "correct": oid == right, "feedback": ""}, oid)
        for oid, text in options.items()
    ]
    return question("single_choice", stem, question_id, options=items, **extra)


def multiple_response(stem, options, right, question_id=None, **extra):
    items = [
        item({"text": text, "correct": oid in right, "feedback": ""}, oid)
        for oid, text in options.items()
    ]
    return question("multiple_response", stem, question_id, options=items, **extra)


def true_false(stem, answer, question_id=None, **extra):
    return question(
        "true_false", stem, question_id, answer=answer, feedback_true="", feedback_false="", **extra
    )


def matching(stem, pairs, question_id=None, **extra):
    """pairs: {pair id: (left, right)}."""
    items = [item({"left": left, "right": right}, pid) for pid, (left, right) in pairs.items()]
    return question("matching", stem, question_id, pairs=items, **extra)


def ordering(stem, steps, question_id=None, **extra):
    """steps: {step id: text}, in the correct order."""
    items = [item(text, sid) for sid, text in steps.items()]
    return question("ordering", stem, question_id, items=items, **extra)


def make_quiz(parent, questions, kind="module", slug=None, **settings):
    from courses.models import QuizPage

    quiz = parent.add_child(
        instance=QuizPage(
            title=f"{kind.title()} quiz",
            slug=slug or f"quiz-{kind}-{uuid.uuid4().hex[:6]}",
            kind=kind,
            questions=json.dumps(questions),
            **settings,
        )
    )
    return publish(quiz)


def queries_for(client, url):
    """How many queries a successful GET of url costs."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def run_in_threads(target, *names):
    """Run target in one thread per name (each sees its name) and wait for all of them."""
    import threading

    threads = [threading.Thread(target=target, name=name) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def make_image(width=1600, height=900, kind="JPEG", title="Seized laptop on an evidence table"):
    """A Wagtail image from a real photo-like file (a gradient with grain), as editors upload."""
    from io import BytesIO

    from django.core.files.images import ImageFile

    from wagtail.images import get_image_model
    from wagtail.models import Collection

    from PIL import Image as PillowImage

    gradient = PillowImage.linear_gradient("L").resize((width, height))
    grain = PillowImage.effect_noise((width, height), 40)
    picture = PillowImage.merge("RGB", (gradient, grain, PillowImage.blend(gradient, grain, 0.5)))
    data = BytesIO()
    picture.save(data, kind)
    extension = {"JPEG": "jpg", "PNG": "png"}[kind]
    # After a transactional test has flushed the database, even the root collection is gone.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return get_image_model().objects.create(
        title=title, file=ImageFile(data, name=f"evidence-{width}x{height}.{extension}")
    )


def image_block(image, alt="A laptop in a sealed evidence bag", caption=""):
    return {
        "type": "image",
        "value": {"image": image.pk, "alt_text": alt, "caption": caption},
        "id": str(uuid.uuid4()),
    }


def video_block(poster=None, size="18 MB"):
    """A click-to-load video with a poster and a transcript, as StreamField raw data."""
    return {
        "type": "video",
        "value": {
            "title": "Imaging a disk",
            "url": "https://youtu.be/dQw4w9WgXcQ",
            "duration": "4:10",
            "size": size,
            "poster": poster.pk if poster else None,
            "transcript": "<p>First, attach a write blocker.</p>",
        },
        "id": str(uuid.uuid4()),
    }


def attempt_form(attempt, answers):
    """The POST a learner's browser sends for ``attempt``, from answers written with the
    quiz's own ids as the tests know them: ``q:<question>`` → option id(s), or
    ``q:<question>:<item>`` → match id (matching) or position (ordering). The form itself
    only ever carries the attempt's random tokens."""
    from courses.quizzes import FIELD_PREFIX, token_names

    names = token_names(attempt)
    kinds = {}
    for question_id, part in names:
        if part[:2] in ("r:", "s:"):
            kinds[question_id] = part[:2]
    form = {}
    for name, value in answers.items():
        _q, question_id, *item = name.split(":")
        if question_id not in {qid for qid, _part in names}:
            form[name] = value  # not in this attempt: sent as it is, to be refused
            continue
        if item:
            prefix = kinds[question_id]
            field = FIELD_PREFIX + names[(question_id, f"{prefix}{item[0]}")]
            if prefix == "r:" and value:
                value = names.get((question_id, f"m:{value}"), value)
            form[field] = value
        else:
            values = value if isinstance(value, list) else [value]
            tokens = [names.get((question_id, f"o:{v}"), v) for v in values]
            form[FIELD_PREFIX + names[(question_id, "")]] = (
                tokens if isinstance(value, list) else tokens[0]
            )
    return form


def submit_attempt(learner, quiz, answers, language="en"):
    """Start an attempt at ``quiz`` for ``learner`` and submit ``answers`` (written as for
    ``attempt_form``) through the quiz rules, as the attempt view does."""
    from django.http import QueryDict

    from courses import quizzes

    attempt = quizzes.start_attempt(learner, quiz, language)
    form = QueryDict(mutable=True)
    for name, value in attempt_form(attempt, answers).items():
        form.setlist(name, value if isinstance(value, list) else [value])
    return quizzes.submit_attempt(attempt, quiz, form)


def post_answers(client, attempt_url, answers):
    """Submit answers (written as for ``attempt_form``) to the attempt at ``attempt_url``."""
    import re

    from courses.models import Attempt

    attempt = Attempt.objects.get(pk=re.search(r"/attempts/(\d+)/", attempt_url).group(1))
    return client.post(attempt_url, attempt_form(attempt, answers))


def right_answers(attempt, quiz):
    """{form field: value or values} that answers every question of ``attempt`` right, found
    from the quiz on the server (never from the page)."""
    from courses.quizzes import FIELD_PREFIX, answer_key, questions_by_id, token_names

    names = token_names(attempt)
    form = {}
    for question_id, block in questions_by_id(quiz).items():
        if question_id not in attempt.question_ids:
            continue
        key = answer_key(block)
        if key.kind == "matching":
            for left, right in key.pairs.items():
                form[FIELD_PREFIX + names[(question_id, f"r:{left}")]] = names[
                    (question_id, f"m:{right}")
                ]
        elif key.kind == "ordering":
            for position, step in enumerate(key.correct, 1):
                form[FIELD_PREFIX + names[(question_id, f"s:{step}")]] = str(position)
        else:
            tokens = [names[(question_id, f"o:{option}")] for option in key.correct]
            multiple = key.kind == "multiple_response"
            form[FIELD_PREFIX + names[(question_id, "")]] = tokens if multiple else tokens[0]
    return form


def later(days=1):
    """Move every finished attempt ``days`` into the past, as if the learner came back
    later: cool-downs between attempts are over (a state, not a wait)."""
    from datetime import timedelta

    from django.db.models import F

    from courses.models import Attempt

    Attempt.objects.filter(submitted_at__isnull=False).update(
        submitted_at=F("submitted_at") - timedelta(days=days),
        started_at=F("started_at") - timedelta(days=days),
    )


def quiz_form_errors(parent, **fields):
    """The errors of the admin's quiz form for a new quiz under parent, with fields."""
    from courses.models import QuizPage

    form_class = QuizPage.get_edit_handler().get_form_class()
    data = {"title": "Q", "slug": "q", "pass_mark": 70, "questions-count": 0} | fields
    form = form_class(data=data, instance=QuizPage(), parent_page=parent, for_user=None)
    form.is_valid()
    return form.errors


class RequestBody:
    """A request body for upload tests: ``head``, then (if ``endless``) filler bytes for
    ever. Counts what the server reads, and fails the test once it reads past ``allowed``."""

    def __init__(self, head=b"", endless=False, allowed=None):
        self.head, self.endless, self.allowed = head, endless, allowed
        self.taken = 0

    def read(self, size=-1):
        if size is None or size < 0:
            assert not self.endless, "the server asked for the whole of an endless body"
            size = len(self.head) - self.taken
        end = self.taken + size if self.endless else min(self.taken + size, len(self.head))
        if self.allowed is not None and end > self.allowed:
            raise AssertionError(f"the server read {end} bytes; at most {self.allowed} allowed")
        filler = max(0, end - max(self.taken, len(self.head)))
        chunk = self.head[self.taken : end] + b"%" * filler
        self.taken = end
        return chunk

    def readline(self, size=-1):
        raise AssertionError("a multipart body is read in chunks, never by lines")


def file_part(field, filename, content_type="application/octet-stream"):
    """The start of a multipart body: one file field, its content to follow."""
    from django.test.client import BOUNDARY

    return (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()


def post_body(client, url, body, declared_length):
    """POST a multipart body that claims to be declared_length bytes long."""
    from django.test.client import MULTIPART_CONTENT

    extra = {"wsgi.input": body, "CONTENT_LENGTH": str(declared_length)}
    return client.generic("POST", url, CONTENT_TYPE=MULTIPART_CONTENT, **extra)


EXERCISE_ID = "0b7e4c1e-6a43-4b9f-9d67-2f1f3f0e9a11"
MODEL_ANSWER = "Ask Rivernet to keep the connection logs of 203.0.113.45 for 90 days."


def exercise_block(block_id=EXERCISE_ID, title="Draft the preservation request"):
    """An exercise with a one-line and a several-line part and three checklist items, as
    StreamField raw data; its model answer is MODEL_ANSWER."""
    return {
        "type": "exercise",
        "value": {
            "title": title,
            "task": "<p>Draft the request to the provider.</p>",
            "fields": [
                item(
                    {
                        "key": "provider",
                        "label": "Provider",
                        "help": "Who holds it.",
                        "multiline": False,
                    }
                ),
                item({"key": "data", "label": "Specified data", "help": "", "multiline": True}),
            ],
            "model_answer": f"<p>{MODEL_ANSWER}</p>",
            "checklist": [
                item({"key": "specified", "text": "Names the data precisely."}),
                item({"key": "period", "text": "Gives an exact period."}),
                item({"key": "confidential", "text": "Asks for confidentiality."}),
            ],
        },
        "id": block_id,
    }


def run_tasks(limit=100):
    """Run the background tasks waiting in the database backend's table, one batch, as
    `manage.py db_worker --backend background --batch` does: the worker's own claim-and-run
    (``background.run_next``) in this process and this test's transaction (the command's loop
    would close the test's connection between tasks). Returns how many ran; a task that
    raises is recorded as failed, as the worker records it."""
    from courses import background

    worker = background.in_process_worker("tests")
    for ran in range(limit):
        if background.run_next(worker) is None:
            return ran
    raise AssertionError(f"more than {limit} tasks: one keeps enqueueing another")


def sent_mail():
    """The emails sent so far, once the worker has run the waiting tasks: emails are sent
    by a background task (courses/emails.py)."""
    from django.core import mail

    run_tasks()
    return mail.outbox


def followup_link(email, language="en"):
    """The path of a follow-up survey link (courses/followup.py) for the learner's first
    enrolment, with the site-wide survey, sent now."""
    from django.urls import reverse
    from django.utils import translation

    from courses import followup
    from courses.models import Enrolment, FollowUpInvitation, FollowUpSurvey

    enrolment = Enrolment.objects.filter(user__email=email).order_by("pk").first()
    invitation, _created = FollowUpInvitation.objects.get_or_create(
        user=enrolment.user,
        course_key=enrolment.course_key,
        defaults={
            "survey_key": FollowUpSurvey.objects.filter(course=None).first().translation_key,
            "sent_at": timezone.now(),
            "nonce": uuid.uuid4().hex[:16],
            "language": language,
        },
    )
    with translation.override(language):
        return reverse("followup", args=[followup.token_for(invitation)])
