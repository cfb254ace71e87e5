"""A workshop day for Locust: 40 participants sign in, read lessons and take the same module
quiz at once, anonymous readers browse, a verifier checks certificates.

Run by `manage.py loadtest` (courses/management/commands/loadtest.py), which creates the
accounts and writes the plan this file reads (LOADTEST_PLAN, JSON: accounts, addresses,
certificate codes), then checks the database after the run. What each request answered is
written to LOADTEST_OUT (JSON) when Locust quits: status codes by request name, and each
learner's quiz outcome, so the driver can hold the run to "no 5xx" and "graded once".
"""

import itertools
import json
import os
import random
import re
from collections import Counter
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"], encoding="utf-8").read())  # noqa: SIM115
OUT = os.environ["LOADTEST_OUT"]
STATUSES = Counter()  # "name status" -> count
FAILED_SUBMISSIONS = []  # [{"account", "status", "retry_status", "retry_url"}]
OUTCOMES = {}  # account email -> "graded" / what went wrong
_accounts = itertools.count()
pick = random.SystemRandom()  # the same generator courses/quizzes.py uses


@events.request.add_listener
def count_status(request_type, name, response, exception, **_kwargs):
    status = getattr(response, "status_code", None) or 0  # 0: no answer at all
    STATUSES[f"{request_type} {name} {status}"] += 1


@events.quitting.add_listener
def write_outcome(**_kwargs):
    with open(OUT, "w", encoding="utf-8") as out:
        json.dump(
            {
                "statuses": dict(STATUSES),
                "failed_submissions": FAILED_SUBMISSIONS,
                "outcomes": OUTCOMES,
            },
            out,
            indent=1,
        )


class Form(HTMLParser):
    """The fields of one form on a page: hidden inputs, radio/checkbox choices, selects."""

    def __init__(self, action_contains):
        super().__init__()
        self.action_contains = action_contains
        self.inside = False
        self.action = None
        self.hidden, self.choices, self.selects = {}, {}, {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag == "form"
            and self.action is None
            and self.action_contains in (attrs.get("action") or "")
        ):
            self.inside, self.action = True, attrs.get("action")
        if not self.inside:
            return
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind == "hidden":
                self.hidden[attrs["name"]] = attrs.get("value", "")
            elif kind in ("radio", "checkbox"):
                self.choices.setdefault(attrs["name"], (kind, []))[1].append(attrs.get("value"))
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            self.selects[self._select] = []
        elif tag == "option" and self._select and attrs.get("value"):
            self.selects[self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_on(html, action_contains):
    parser = Form(action_contains)
    parser.feed(html)
    return parser if parser.action else None


def answers(form):
    """Some answers, as a hurried participant gives them: one choice per single-choice or
    true/false question, one or two boxes ticked for multiple response, a match for each
    matching item. Ordering questions stay blank (they score nothing; a wrong numbering
    would only send the form back)."""
    data = dict(form.hidden)
    for name, (kind, values) in form.choices.items():
        if kind == "radio":
            data[name] = pick.choice(values)
        else:
            data[name] = pick.sample(values, min(len(values), pick.randint(1, 2)))
    for name, values in form.selects.items():
        numbered = all(re.fullmatch(r"\d+", value) for value in values)
        data[name] = "" if numbered or not values else pick.choice(values)
    return data


class Participant(HttpUser):
    """One of the workshop's participants: signs in, reads, takes the module quiz once."""

    fixed_count = len(PLAN["accounts"])
    weight = 0
    wait_time = between(2, 6)

    def on_start(self):
        self.account = PLAN["accounts"][next(_accounts) % len(PLAN["accounts"])]
        self.quiz_done = False
        OUTCOMES[self.account["email"]] = "not signed in"
        self.sign_in()

    def sign_in(self):
        page = self.client.get(PLAN["login"], name="sign-in form")
        form = form_on(page.text, "login") if page.ok else None
        if form is None:
            return
        data = dict(form.hidden) | {
            "login": self.account["email"],
            "password": self.account["password"],
        }
        with self.client.post(
            PLAN["login"], data=data, name="sign in", catch_response=True
        ) as response:
            if response.ok and "sessionid" in self.client.cookies:
                OUTCOMES[self.account["email"]] = "signed in"
            elif response.ok:
                response.failure("not signed in")

    def read(self):
        self.client.get(pick.choice(PLAN["lessons"]), name="lesson (signed in)")

    @task
    def day(self):
        if OUTCOMES[self.account["email"]] == "not signed in":
            self.sign_in()
            return
        if self.quiz_done:
            self.read()
            return
        for _lesson in range(2):
            self.read()
        self.take_quiz()

    def take_quiz(self):
        page = self.client.get(PLAN["quiz"], name="quiz page")
        start = form_on(page.text, "/start/") if page.ok else None
        if start is None:
            OUTCOMES[self.account["email"]] = "no start button"
            return
        attempt = self.post_once_more(start.action, dict(start.hidden), "quiz start")
        if attempt is None or "/quizzes/attempts/" not in attempt.url:
            OUTCOMES[self.account["email"]] = "could not start"
            return
        OUTCOMES[self.account["email"]] = "started"
        form = form_on(attempt.text, "/quizzes/attempts/")
        if form is None:
            OUTCOMES[self.account["email"]] = "no quiz form"
            return
        # Until the answer comes: a run that ends now may leave this attempt graded or open.
        OUTCOMES[self.account["email"]] = "submitting"
        result = self.post_once_more(form.action, answers(form), "quiz submit")
        if result is not None and result.url.rstrip("/").endswith("/result"):
            OUTCOMES[self.account["email"]] = "graded"
            self.quiz_done = True
        else:
            OUTCOMES[self.account["email"]] = "not graded"

    def post_once_more(self, path, data, name):
        """POST, and if no app server answered it properly (5xx, or the connection dropped:
        the server died under it), send the same form again, as a participant would."""
        with self.client.post(path, data=data, name=name, catch_response=True) as response:
            if response.ok:
                return response
            status = response.status_code or 0
            if status and status < 500:
                return None
        retry = self.client.post(path, data=data, name=f"{name} (retry)")
        if name == "quiz submit":
            FAILED_SUBMISSIONS.append(
                {
                    "account": self.account["email"],
                    "status": status,
                    "retry_status": retry.status_code,
                    "retry_url": retry.url,
                }
            )
        return retry if retry.ok else None


class Reader(HttpUser):
    """Somebody without an account browsing the course."""

    fixed_count = PLAN["readers"]
    weight = 0
    wait_time = between(1, 4)

    @task(3)
    def lesson(self):
        self.client.get(pick.choice(PLAN["lessons"]), name="lesson (anonymous)")

    @task(1)
    def course(self):
        self.client.get(PLAN["course"], name="course page (anonymous)")


class Verifier(HttpUser):
    """An employer checking certificates, by page and by JSON; now and then a code that
    does not exist (404 is the right answer). Slow enough for the verify rate limit."""

    fixed_count = 1 if PLAN["certificates"] else 0
    weight = 0
    wait_time = between(5, 8)

    @task
    def check(self):
        code = pick.choice(PLAN["certificates"])
        self.client.get(PLAN["verify"].format(code=code), name="verify page")
        self.client.get(PLAN["verify_json"].format(code=code), name="verify JSON")

    @task
    def unknown(self):
        with self.client.get(
            PLAN["verify"].format(code="NOSUCHCODE00"), name="verify page (unknown)",
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 404:
                response.success()
