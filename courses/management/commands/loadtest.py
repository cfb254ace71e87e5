"""A workshop day against a running scripts/cluster, with Locust, checked from the database.

    manage.py loadtest --cluster-dir DIR [--learners 40] [--readers 10] [--duration 120]
                       [--ramp 90] [--kill-one-server]

Run with the cluster's DATABASE_URL, never a live site's: it creates a workshop of
--learners participants (new accounts, enrolled in the course of the module quiz) and keeps
them, runs loadtest/locustfile.py headless through the cluster's proxy for --duration
seconds, then checks what a user would notice:

- every participant's attempt at the quiz was graded exactly once: one attempt each, an
  answer row per question, a score that is the percentage of its answers, the database and
  what the participants saw agreeing; all of them graded (or --min-graded);
- no answer was a 5xx (with --kill-one-server: only POSTs in flight on the killed server,
  and each quiz submission among them was sent again and graded once);
- both app servers answered requests (their access logs);

and prints p50/p95 per endpoint as a Markdown table for docs/performance.md. Exits non-zero
(CommandError) when a check fails. With --kill-one-server, the first app server's processes
are killed (SIGKILL) half-way through the run.
"""

import csv
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation

from allauth.account.models import EmailAddress

from courses.grading import percentage
from courses.models.certificates import Certificate
from courses.models.pages import LessonPage
from courses.models.quizzes import Attempt, AttemptStatus, QuizKind, QuizPage
from courses.models.workshops import Participant, Workshop
from courses.progress import course_of, enrol

LOCUSTFILE = Path(settings.BASE_DIR) / "loadtest" / "locustfile.py"
REQUEST_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) ')


class Command(BaseCommand):
    help = __doc__.strip().splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--cluster-dir", required=True, help="scripts/cluster's --dir")
        parser.add_argument("--learners", type=int, default=40, help="workshop participants")
        parser.add_argument("--readers", type=int, default=10, help="anonymous readers")
        parser.add_argument("--duration", type=int, default=120, help="seconds of load")
        parser.add_argument(
            "--ramp", type=int, default=90, help="seconds in which everybody arrives"
        )
        parser.add_argument("--quiz", type=int, help="the module quiz's page id (default: first)")
        parser.add_argument("--kill-one-server", action="store_true")
        parser.add_argument(
            "--min-graded",
            type=int,
            help="participants who must get their quiz graded in time (default: all)",
        )
        parser.add_argument("--out", help="where Locust's files go (default: the cluster dir)")

    def handle(self, *args, **options):
        state = json.loads((Path(options["cluster_dir"]) / "cluster.json").read_text())
        out = Path(options["out"] or state["dir"]) / f"loadtest-{int(time.time())}"
        out.mkdir(parents=True)
        quiz = self.module_quiz(options["quiz"])
        users, plan = self.prepare(quiz, options["learners"], options["readers"])
        (out / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        (out / "plan.json").chmod(0o600)  # the participants' (throw-away) passwords
        logs = {port: Path(state["dir"]) / f"app-{port}-access.log" for port in state["app_ports"]}
        offsets = {port: log.stat().st_size if log.exists() else 0 for port, log in logs.items()}
        killed = self.run_locust(state, out, plan, options)
        outcome = json.loads((out / "outcome.json").read_text(encoding="utf-8"))
        served = {port: self.requests_in(log, offsets[port]) for port, log in logs.items()}
        stats = self.stats(out / "locust_stats.csv")
        self.report(stats, served, outcome, options, killed)
        min_graded = options["min_graded"]
        if min_graded is None:
            min_graded = options["learners"]
        problems = self.findings(quiz, users, outcome, served, killed, min_graded)
        if problems:
            raise CommandError("Load test failed:\n- " + "\n- ".join(problems))
        self.stdout.write(self.style.SUCCESS("Load test passed."))

    # --- Before ------------------------------------------------------------------------

    @staticmethod
    def module_quiz(page_id):
        quizzes = QuizPage.objects.live().public().filter(kind=QuizKind.MODULE)
        quiz = (
            quizzes.filter(pk=page_id).first()
            if page_id
            else quizzes.filter(locale__language_code="en").order_by("path").first()
        )
        if quiz is None:
            raise CommandError("No live module quiz: start the cluster with --demo.")
        return quiz

    @transaction.atomic
    def prepare(self, quiz, learners, readers):
        """The workshop, its participants (signed-up, verified accounts) and the plan."""
        course = course_of(quiz)
        stamp = f"{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(2)}"
        workshop = Workshop.objects.create(
            course_key=course.translation_key,
            title=f"Load test workshop {stamp}",
            start_date=timezone.localdate(),
            end_date=timezone.localdate(),
            language="en",
            capacity=learners,
        )
        password = secrets.token_urlsafe(16)
        user_model = get_user_model()
        users, accounts = [], []
        for number in range(learners):
            email = f"loadtest-{stamp}-{number}@example.org"
            user = user_model.objects.create_user(
                username=f"loadtest-{stamp}-{number}", email=email, password=password
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            Participant.objects.create(workshop=workshop, user=user, source="code")
            enrol(user, course)
            users.append(user)
            accounts.append({"email": email, "password": password})
        lessons = (
            LessonPage.objects.live()
            .public()
            .descendant_of(course)
            .filter(locale=quiz.locale)
            .order_by("path")
        )
        codes = list(Certificate.objects.order_by("pk").values_list("code", flat=True)[:5])
        with translation.override(quiz.locale.language_code):
            plan = {
                "accounts": accounts,
                "readers": readers,
                "login": reverse("account_login"),
                "course": course.url,
                "lessons": [lesson.url for lesson in lessons] or [course.url],
                "quiz": quiz.url,
                "certificates": codes,
                "verify": reverse("verify_code", args=["CODE"]).replace("CODE", "{code}"),
                "verify_json": reverse("verify_json", args=["CODE"]).replace("CODE", "{code}"),
            }
        self.stdout.write(
            f"Workshop {workshop.title!r}: {learners} participants, quiz {quiz.url}, "
            f"{len(plan['lessons'])} lessons, {len(codes)} certificates to verify"
        )
        return users, plan

    # --- During ------------------------------------------------------------------------

    def run_locust(self, state, out, plan, options):
        users = len(plan["accounts"]) + plan["readers"] + (1 if plan["certificates"] else 0)
        rate = max(users / max(options["ramp"], 1), 0.1)
        locust = Path(sys.executable).parent / "locust"
        command = [
            str(locust), "-f", str(LOCUSTFILE), "--headless", "--host", state["url"],
            "--users", str(users), "--spawn-rate", f"{rate:.2f}",
            "--run-time", f"{options['duration']}s", "--stop-timeout", "10",
            "--csv", str(out / "locust"), "--only-summary", "--loglevel", "WARNING",
            "--exit-code-on-error", "0",
        ]  # fmt: skip
        env = dict(os.environ, LOADTEST_PLAN=str(out / "plan.json"))
        env["LOADTEST_OUT"] = str(out / "outcome.json")
        self.stdout.write(
            f"Locust: {users} users arriving over {options['ramp']} s, {options['duration']} s "
            f"against {state['url']}"
        )
        with open(out / "locust.log", "wb") as log:
            process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
            killed = None
            if options["kill_one_server"]:
                killed = self.kill_later(state, process, options["duration"] / 2)
            process.wait()
        if process.returncode:
            raise CommandError(f"Locust failed ({process.returncode}); see {out}/locust.log")
        return killed() if killed else None

    def kill_later(self, state, process, after):
        """Kill the first app server (its whole process group) ``after`` seconds into the
        run, unless Locust finished first; returns a function giving the killed port."""
        port = state["app_ports"][0]
        pid = state["processes"][f"app server {port}"]
        done = {}

        def kill():
            try:
                process.wait(timeout=after)  # Locust ended early: nothing to kill
            except subprocess.TimeoutExpired:
                os.killpg(pid, signal.SIGKILL)
                done["port"] = port
                self.stdout.write(f"Killed the app server on {port} (pid {pid}).")

        thread = threading.Thread(target=kill)
        thread.start()

        def joined():
            thread.join()
            return done.get("port")

        return joined

    # --- After -------------------------------------------------------------------------

    @staticmethod
    def requests_in(log, offset):
        counts = Counter()
        if log.exists():
            with log.open(encoding="utf-8", errors="replace") as lines:
                lines.seek(offset)
                for line in lines:
                    match = REQUEST_LINE.search(line)
                    if match and match["path"] != "/readyz":
                        counts[match["status"][0] + "xx"] += 1
        return counts

    @staticmethod
    def stats(path):
        with path.open(encoding="utf-8") as rows:
            return [row for row in csv.DictReader(rows) if row["Name"] != "Aggregated"]

    def report(self, stats, served, outcome, options, killed):
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        self.stdout.write(
            f"\n{timezone.now():%Y-%m-%d %H:%M} UTC, load average after the run {load}; "
            f"{options['learners']} participants, {options['readers']} readers, "
            f"{options['duration']} s"
            + (f", app server {killed} killed half-way" if killed else "")
        )
        self.stdout.write("\n| Endpoint | Requests | Failures | p50 ms | p95 ms |")
        self.stdout.write("|---|---:|---:|---:|---:|")
        for row in sorted(stats, key=lambda row: row["Name"]):
            self.stdout.write(
                f"| {row['Type']} {row['Name']} | {row['Request Count']} | "
                f"{row['Failure Count']} | {row['50%']} | {row['95%']} |"
            )
        spread = ", ".join(
            f"{port}: {sum(counts.values())} ({dict(counts)})" for port, counts in served.items()
        )
        self.stdout.write(f"\nRequests per app server (access logs): {spread}")
        outcomes = Counter(outcome["outcomes"].values())
        self.stdout.write(f"Participants: {dict(outcomes)}")
        retried = outcome["failed_submissions"]
        if retried:
            self.stdout.write(f"Quiz submissions sent again after a failure: {retried}")

    def findings(self, quiz, users, outcome, served, killed, min_graded):
        problems = []
        statuses = Counter()
        for key, count in outcome["statuses"].items():
            method, _name_and_status = key.split(" ", 1)
            status = int(key.rsplit(" ", 1)[1])
            if status >= 500 or status == 0:
                statuses[(method, status)] += count
        if killed is None and statuses:
            problems.append(f"5xx or unanswered requests: {dict(statuses)}")
        if killed is not None:
            not_posts = {key: count for key, count in statuses.items() if key[0] != "POST"}
            if not_posts:
                problems.append(f"GETs failed although the proxy could retry them: {not_posts}")
            for failure in outcome["failed_submissions"]:
                if not failure["retry_url"].rstrip("/").endswith("/result"):
                    problems.append(f"a quiz submission sent again was not graded: {failure}")
        for port, counts in served.items():
            if not sum(counts.values()):
                problems.append(f"the app server on {port} answered no request")
        problems += self.graded_once(quiz, users, outcome, min_graded)
        return problems

    @staticmethod
    def graded_once(quiz, users, outcome, min_graded):
        """Each participant's attempts against what Locust saw. A participant whose run was
        cut off by the end of the test ("started", "submitting") may have an open attempt,
        or a graded one whose page never arrived; nobody has two."""
        problems = []
        seen = outcome["outcomes"]
        attempts = Attempt.objects.filter(user__in=users, quiz_key=quiz.translation_key)
        several = attempts.values("user").annotate(n=Count("pk")).filter(n__gt=1)
        if several:
            problems.append(f"{len(several)} participants have more than one attempt")
        graded = {email for email, result in seen.items() if result == "graded"}
        if len(graded) < min_graded:
            problems.append(f"only {len(graded)} participants got their quiz graded")
        submitted = list(
            attempts.filter(status=AttemptStatus.SUBMITTED)
            .select_related("user")
            .prefetch_related("answers")
        )
        submitted_by = {attempt.user.email for attempt in submitted}
        if graded - submitted_by:
            problems.append(f"graded on screen, not in the database: {graded - submitted_by}")
        unexplained = {e for e in submitted_by - graded if seen.get(e) != "submitting"}
        if unexplained:
            problems.append(f"submitted in the database, never sent: {unexplained}")
        for attempt in submitted:
            answers = list(attempt.answers.all())
            if len(answers) != len(attempt.question_ids) or len(
                {answer.question_id for answer in answers}
            ) != len(answers):
                problems.append(f"attempt {attempt.pk}: {len(answers)} answer rows")
            if attempt.score != percentage(answers) or attempt.passed != (
                attempt.score >= attempt.pass_mark
            ):
                problems.append(f"attempt {attempt.pk}: score {attempt.score} ≠ its answers")
        left_open = attempts.filter(status=AttemptStatus.OPEN).select_related("user")
        wrongly_open = [
            a.user.email
            for a in left_open
            if seen.get(a.user.email) not in ("started", "submitting")
        ]
        if wrongly_open:
            problems.append(f"attempts open although their form was answered: {wrongly_open}")
        return problems
