"""A signed-in learner's lesson straight from gunicorn: requests per second, and against an
older checkout of the project served at the same time (docs/performance.md).

Starts gunicorn (production settings, this database, 2 workers by default), signs in a
learner enrolled in the lesson's course (a real session, its cookie sent with every request)
and sends a bounded number of GETs from a pool of threads. With --baseline, a second gunicorn
serves another checkout (e.g. a `git worktree` of an older commit, on its own database with
the same demo content); batches then alternate between the two so that the rest of the
machine's load falls on both alike, and the ratio is printed. A measurement, not a test.
"""

import http.client
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.management.commands.benchmark_pages import (
    HOST,
    collect_static,
    free_port,
    load,
    start_gunicorn,
    wait_until_answering,
)
from courses.management.commands.benchmark_pages import Command as PagesCommand

LEARNER = "benchmark-learner"

# Run by `manage.py shell` inside each checkout, so that it uses that checkout's models:
# the learner, enrolled in the course of the first live English lesson (or of the lesson at
# BENCHMARK_PATH), signed in through Django's test client; prints the page and the cookie.
SIGN_IN = """
import json, os
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from courses.models.learners import LearnerProfile
from courses.models.pages import CoursePage, LessonPage
from courses.progress import enrol

lessons = LessonPage.objects.live().public().filter(locale__language_code="en").order_by("path")
wanted = os.environ.get("BENCHMARK_PATH")
lesson = next((item for item in lessons if item.url == wanted), None) if wanted else lessons.first()
if lesson is None:
    raise SystemExit("No such live English lesson: load the demo content first.")
course = lesson.get_ancestors().type(CoursePage).specific().first()
user, _ = get_user_model().objects.get_or_create(
    username=os.environ["BENCHMARK_LEARNER"],
    defaults={"email": os.environ["BENCHMARK_LEARNER"] + "@example.org"},
)
LearnerProfile.objects.update_or_create(
    user=user, defaults={"certificate_name": "Amina Diallo", "country": "SN"}
)
enrol(user, course)
client = Client()
client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
cookie = client.cookies[settings.SESSION_COOKIE_NAME]
print(json.dumps({"path": lesson.url, "cookie": f"{cookie.key}={cookie.value}"}))
"""


def sign_in(tree, env, path):
    """The lesson's URL and a session cookie of the learner, from the checkout ``tree``."""
    run = subprocess.run(  # noqa: S603  (our own interpreter and that checkout's manage.py)
        [sys.executable, "manage.py", "shell", "-c", SIGN_IN],
        cwd=tree,
        env={**env, "BENCHMARK_PATH": path or "", "BENCHMARK_LEARNER": LEARNER},
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise CommandError(f"Signing in the learner in {tree} failed:\n{run.stderr[-2000:]}")
    answer = json.loads(run.stdout.strip().splitlines()[-1])
    return answer["path"], {"Cookie": answer["cookie"]}


class Side:
    """One checkout served by its own gunicorn, with its learner's cookie."""

    def __init__(self, label, name, tree, env, port=None):
        self.label, self.name, self.tree, self.env = label, name, Path(tree), env
        self.port, self.process, self.seconds, self.requests = port or free_port(), None, [], 0

    def start(self, workers, directory, path):
        collect_static(self.tree, self.env)
        self.path, self.headers = sign_in(self.tree, self.env, path)
        self.log = open(Path(directory) / f"gunicorn-{self.name}.log", "ab")  # noqa: SIM115
        self.process = start_gunicorn(self.tree, self.env, self.port, workers, self.log)
        wait_until_answering(self.port, self.path, self.process)

    def check_signed_in(self):
        """One GET must show the learner signed in (a sign-out link), else the figures would
        be an anonymous page's."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", self.path, headers={"Host": HOST, **self.headers})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        if response.status != 200 or b"/logout/" not in body:
            raise CommandError(
                f"{self.label}: {self.path} answered {response.status} without a sign-out link:"
                " the learner is not signed in."
            )

    def batch(self, requests, concurrency):
        seconds, statuses, _cached = load(self.port, self.path, requests, concurrency, self.headers)
        if set(statuses) != {200}:
            raise CommandError(f"{self.label}: answers other than 200: {statuses}")
        self.seconds.append(seconds)
        self.requests += requests
        return requests / seconds

    @property
    def rate(self):
        return self.requests / sum(self.seconds)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.log.close()


class Command(BaseCommand):
    help = __doc__.strip().splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=60, help="per batch and checkout")
        parser.add_argument("--batches", type=int, default=10)
        parser.add_argument("--concurrency", type=int, default=4)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers each")
        parser.add_argument("--path", help="the lesson to ask for (default: the first one)")
        parser.add_argument("--dir", help="gunicorn logs (default: a new temp dir)")
        parser.add_argument(
            "--port",
            type=int,
            help="for this checkout, the baseline on the next one (default: free ones)",
        )
        parser.add_argument("--baseline", help="another checkout of the project to compare with")
        parser.add_argument(
            "--baseline-database-url",
            help="the baseline's database (required with --baseline; same content as this one)",
        )

    def handle(self, *args, **options):
        if options["baseline"] and not options["baseline_database_url"]:
            raise CommandError("--baseline needs --baseline-database-url (its own database).")
        if options["requests"] < 1 or options["batches"] < 1:
            raise CommandError("--requests and --batches must be at least 1.")
        directory = options["dir"] or tempfile.mkdtemp(prefix="ea-benchmark-signed-in-")
        Path(directory).mkdir(parents=True, exist_ok=True)
        port = options["port"]
        sides = [
            Side("this checkout", "current", settings.BASE_DIR, PagesCommand.production_env(), port)
        ]
        if options["baseline"]:
            env = self.baseline_env(options, directory)
            sides.append(Side("baseline", "baseline", options["baseline"], env, port and port + 1))
        try:
            for side in sides:
                side.start(options["workers"], directory, options["path"])
            if len({side.path for side in sides}) > 1:
                paths = ", ".join(f"{side.label} {side.path}" for side in sides)
                raise CommandError(f"The databases differ: the first lesson is {paths}.")
            for side in sides:
                side.check_signed_in()
                load(side.port, side.path, 20, 2, side.headers)  # warm-up: caches, connections
            self.measure(sides, options)
        finally:
            for side in sides:
                side.stop()

    def measure(self, sides, options):
        pair_ratios = []
        for number in range(options["batches"]):
            # Alternate which checkout goes first, so neither always follows the other.
            order = sides if number % 2 == 0 else sides[::-1]
            rates = {
                side.label: side.batch(options["requests"], options["concurrency"])
                for side in order
            }
            if len(sides) == 2:
                pair_ratios.append(rates[sides[0].label] / rates[sides[1].label])
        self.stdout.write(
            f"{sides[0].path}, signed in, {options['concurrency']} connections, "
            f"{options['workers']} workers each, {options['batches']} batches of "
            f"{options['requests']} requests"
        )
        for side in sides:
            self.stdout.write(
                f"  {side.label:<14} {side.rate:8.1f} requests/s  "
                f"({side.requests} in {sum(side.seconds):.2f} s)"
            )
        if pair_ratios:
            self.stdout.write(
                f"  ratio          {sides[0].rate / sides[1].rate:8.2f}×  (per batch pair: median "
                f"{statistics.median(pair_ratios):.2f}×, range {min(pair_ratios):.2f}–"
                f"{max(pair_ratios):.2f}×)"
            )

    @staticmethod
    def baseline_env(options, directory):
        """The production environment on the baseline's database. Its cache keys get a prefix
        of their own (a settings module written to ``directory``), so that both checkouts can
        share one Redis database without reading each other's entries."""
        module = Path(directory) / "benchmark_baseline_settings.py"
        module.write_text(
            "from config.settings.production import *  # noqa: F403\n\n"
            'CACHES["default"] = {**CACHES["default"], "KEY_PREFIX": "baseline"}  # noqa: F405\n'
        )
        env = PagesCommand.production_env()
        env.update(
            DATABASE_URL=options["baseline_database_url"],
            DJANGO_SETTINGS_MODULE="benchmark_baseline_settings",
            PYTHONPATH=str(directory),
        )
        return env
