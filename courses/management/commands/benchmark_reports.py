"""manage.py benchmark_reports: fill a scratch database with learners and time each report.

    createdb -h 127.0.0.1 -U postgres bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python manage.py \\
        benchmark_reports --learners 100000 --yes

Generated rows are marked (emails at bench.invalid) and replaced on the next run.
"""

import json
import os
import random
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import override_settings

from courses import codes, programme
from courses.choices import Audience, Sex
from courses.models import (
    Attempt,
    Attendance,
    Certificate,
    Enrolment,
    LessonCompletion,
    Participant,
    Session,
    SurveyResponse,
    Workshop,
)
from courses.models.learners import LearnerProfile
from courses.models.reports import ReportSummary
from courses.programme import summary

DOMAIN = "bench.invalid"
COURSES = [uuid.UUID(int=0xBE7C_0000_0000_4000_8000_0000_0000_0001 + n) for n in range(3)]
COUNTRIES = ["KE", "GH", "NG", "SN", "VN", "PE", "EG", "KZ", "ID", "BR", "MZ", "JO"]
BATCH = 5000


def spread_enrolment_dates():
    """started_at is set on insert; move it back to a month before completion, or spread it
    over the last 600 days for those who have not completed."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE courses_enrolment SET started_at = COALESCE("
            "completed_at - INTERVAL '30 days', started_at - (id %% 600) * INTERVAL '1 day') "
            "WHERE course_key = ANY(%s)",
            [COURSES],
        )


# PostgreSQL: generate_in_sql(). Same shares as generate(): one course in three learners of
# four, two for the rest; progress uniform; a pre-test above 20 % progress, completion above
# 55 %, a post-test then; a lesson per twelfth of progress; certificates for completions up
# to the status list's size, 1 % revoked.
STATUS_LIST_SIZE = 131_072
USERS_SQL = """
INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,
                       is_staff, is_active, date_joined)
SELECT '!', false, 'bench' || n, '', '', 'bench' || n || '@' || %s, false, true, now()
FROM generate_series(0, %s - 1) AS n
"""
# The lists of generate() (countries, roles, sexes), one drawn at random for each learner.
PROFILES_SQL = """
INSERT INTO courses_learnerprofile (user_id, certificate_name, country, organisation, role,
    sex, preferred_language, data_saver, email_opt_outs, public_trainer_profile, created_at,
    updated_at)
SELECT id, 'Learner ' || id, c[1 + floor(random() * cardinality(c))::int],
    'Agency ' || floor(random() * 40)::int, r[1 + floor(random() * cardinality(r))::int],
    s[1 + floor(random() * cardinality(s))::int], '', false, '[]', false, now(), now()
FROM auth_user, CAST(%s AS text[]) AS c, CAST(%s AS text[]) AS r, CAST(%s AS text[]) AS s
WHERE email LIKE %s
"""
ENROLMENT_TABLE_SQL = """
CREATE UNLOGGED TABLE bench_enrolment AS
SELECT u.id AS user_id, (CAST(%s AS uuid[]))[1 + (u.first + j) %% 3] AS course_key,
    random() AS progress, floor(random() * 600)::int AS day,
    floor(random() * 90)::int AS pre, floor(random() * 50)::int AS gain
FROM (SELECT id, floor(random() * 3)::int AS first,
             CASE WHEN random() < 0.25 THEN 2 ELSE 1 END AS courses
      FROM auth_user WHERE email LIKE %s) AS u
CROSS JOIN LATERAL generate_series(0, u.courses - 1) AS j
"""
ENROLMENTS_SQL = """
INSERT INTO courses_enrolment (user_id, course_key, started_at, last_activity_at,
    completed_at, pre_test_score, post_test_score)
SELECT user_id, course_key,
    CASE WHEN progress > 0.55 THEN TIMESTAMPTZ '2025-01-01 09:00Z' + day * INTERVAL '1 day'
         ELSE now() - (user_id % 600) * INTERVAL '1 day' END,
    now(),
    CASE WHEN progress > 0.55
         THEN TIMESTAMPTZ '2025-01-31 09:00Z' + day * INTERVAL '1 day' END,
    CASE WHEN progress > 0.2 THEN pre END,
    CASE WHEN progress > 0.55 THEN LEAST(100, pre + gain) END
FROM bench_enrolment
"""
LESSONS_SQL = """
INSERT INTO courses_lessoncompletion (user_id, course_key, lesson_key, language,
    completed_at, seconds_on_task)
SELECT e.user_id, e.course_key, gen_random_uuid(), 'en', now(),
    120 + floor(random() * 1680)::int
FROM bench_enrolment AS e
CROSS JOIN LATERAL generate_series(1, floor(e.progress * 12)::int) AS n
"""
ATTEMPTS_SQL = """
WITH quiz AS (
    SELECT q ->> 0 AS course, q ->> 1 AS kind, (q ->> 2)::uuid AS quiz_key
    FROM jsonb_array_elements(%s::jsonb) AS q
), scored AS (
    SELECT user_id, course_key, 'pre' AS kind, pre AS score FROM bench_enrolment
    WHERE progress > 0.2
    UNION ALL
    SELECT user_id, course_key, 'post', LEAST(100, pre + gain) FROM bench_enrolment
    WHERE progress > 0.55
)
INSERT INTO courses_attempt (user_id, quiz_key, course_key, kind, language, status,
    started_at, question_ids, option_orders, tokens, score, passed, pass_mark)
SELECT s.user_id, quiz.quiz_key, s.course_key, s.kind, 'en', 'submitted', now(),
    '[]', '{}', '{}', s.score, s.score >= 70, 70
FROM scored AS s JOIN quiz ON quiz.course = s.course_key::text AND quiz.kind = s.kind
"""
CERTIFICATES_SQL = """
INSERT INTO courses_certificate (code, user_id, course_key, kind, name, course_title,
    language, issued_on, issuer, issuer_url, issuer_email, venue, status, revoked_at,
    revocation_reason, pdf, pdf_sha256, credential, status_index, created_at, course_version)
SELECT upper(substr(md5(random()::text || e.id), 1, 13)), e.user_id, e.course_key,
    'completion', 'Learner ' || e.user_id, 'Benchmark course', 'en',
    (e.completed_at)::date, 'Evidence Academy', '', '', '',
    CASE WHEN random() < 0.01 THEN 'revoked' ELSE 'valid' END,
    e.completed_at + INTERVAL '30 days', '', '', '', '{}',
    row_number() OVER (ORDER BY random()) - 1, now(), 1
FROM courses_enrolment AS e JOIN bench_enrolment AS b USING (user_id, course_key)
WHERE e.completed_at IS NOT NULL
LIMIT %s
"""


class Command(BaseCommand):
    help = "Generate learners with realistic progress and time every programme report."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=3, help="Timed runs per report.")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--reuse", action="store_true", help="Time the data already there.")
        parser.add_argument(
            "--yes", action="store_true", help="Really write generated rows to this database."
        )

    def handle(self, *args, learners, repeat, seed, reuse, yes, **options):
        if not reuse:
            if not yes:
                raise CommandError("This writes many rows; use a scratch database and pass --yes.")
            started = time.perf_counter()
            self.generate(learners, random.Random(seed))  # noqa: S311  (test data, not secrets)
            self.stdout.write(
                f"Generated {learners:,} learners in {time.perf_counter() - started:.0f} s "
                f"on {connection.vendor}."
            )
        self.time_reports(repeat)

    # --- data ---------------------------------------------------------------------------

    def generate(self, count, rng):
        user_model = get_user_model()
        with transaction.atomic():
            old = user_model.objects.filter(email__endswith=f"@{DOMAIN}")
            Certificate.objects.filter(user__in=old).delete()
            Workshop.objects.filter(course_key__in=COURSES).delete()
            old.delete()
        if connection.vendor == "postgresql":
            self.generate_in_sql(count, rng)
            return
        self.stdout.write("Creating learners…")
        users = []
        for start in range(0, count, BATCH):
            batch = [
                user_model(
                    username=f"bench{n}",
                    email=f"bench{n}@{DOMAIN}",
                    password="!",  # noqa: S106  (Django's unusable-password mark)
                )
                for n in range(start, min(count, start + BATCH))
            ]
            users += user_model.objects.bulk_create(batch)
        sexes = [Sex.FEMALE] * 4 + [Sex.MALE] * 5 + [Sex.UNDISCLOSED, ""]
        roles = [value for value, _label in Audience.choices] + [""]
        profiles = [
            LearnerProfile(
                user=user,
                certificate_name=f"Learner {user.pk}",
                country=rng.choice(COUNTRIES + [""]),
                organisation=f"Agency {rng.randrange(40)}",
                role=rng.choice(roles),
                sex=rng.choice(sexes),
            )
            for user in users
        ]
        LearnerProfile.objects.bulk_create(profiles, batch_size=BATCH)
        self.stdout.write("Enrolments, lessons, attempts, certificates…")
        enrolments, lessons, attempts, certificates = [], [], [], []
        indexes = rng.sample(range(131_072), k=min(131_072, count))
        first_day = date(2025, 1, 1)
        for user in users:
            for course in rng.sample(COURSES, k=rng.choice([1, 1, 1, 2])):
                day = first_day + timedelta(days=rng.randrange(600))
                started_at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
                progress = rng.random()
                pre = rng.randrange(0, 90) if progress > 0.2 else None
                completed = progress > 0.55
                post = (
                    min(100, pre + rng.randrange(0, 50)) if completed and pre is not None else None
                )
                enrolments.append(
                    Enrolment(
                        user=user,
                        course_key=course,
                        pre_test_score=pre,
                        post_test_score=post,
                        completed_at=started_at + timedelta(days=30) if completed else None,
                    )
                )
                for _lesson in range(int(progress * 12)):
                    lessons.append(
                        LessonCompletion(
                            user=user,
                            course_key=course,
                            lesson_key=uuid.uuid4(),
                            language="en",
                            seconds_on_task=rng.randrange(120, 1800),
                        )
                    )
                if pre is not None:
                    attempts.append(self.attempt(user, course, "pre", pre))
                if post is not None:
                    attempts.append(self.attempt(user, course, "post", post))
                if completed and len(certificates) < len(indexes):
                    certificates.append(
                        Certificate(
                            code=codes.new_code(),
                            user=user,
                            course_key=course,
                            kind="completion",
                            name=f"Learner {user.pk}",
                            course_title="Benchmark course",
                            language="en",
                            issued_on=(started_at + timedelta(days=30)).date(),
                            issuer="Evidence Academy",
                            status="revoked" if rng.random() < 0.01 else "valid",
                            revoked_at=started_at + timedelta(days=60),
                            status_index=indexes[len(certificates)],
                        )
                    )
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        LessonCompletion.objects.bulk_create(lessons, batch_size=BATCH)
        Attempt.objects.bulk_create(attempts, batch_size=BATCH)
        Certificate.objects.bulk_create(certificates, batch_size=BATCH)
        spread_enrolment_dates()
        self.workshops(users, rng)
        self.stdout.write(
            f"  {len(enrolments):,} enrolments, {len(lessons):,} lesson completions, "
            f"{len(attempts):,} attempts, {len(certificates):,} certificates"
        )

    def generate_in_sql(self, count, rng):
        """The same learners as generate(), made by PostgreSQL itself (INSERT … SELECT over
        generate_series, with its seeded random()): a million learners take minutes, not
        the hours of building each row in Python."""
        user_model = get_user_model()
        quizzes = [
            (str(course), kind, str(uuid.uuid5(course, kind)))
            for course in COURSES
            for kind in ("pre", "post")
        ]
        everyone = f"%@{DOMAIN}"
        roles = [value for value, _label in Audience.choices] + [""]
        sexes = [str(sex) for sex in [Sex.FEMALE] * 4 + [Sex.MALE] * 5 + [Sex.UNDISCLOSED, ""]]
        steps = [
            ("Creating learners…", USERS_SQL, [DOMAIN, count]),
            ("Profiles…", PROFILES_SQL, [COUNTRIES + [""], roles, sexes, everyone]),
            ("Enrolments…", ENROLMENT_TABLE_SQL, [[str(c) for c in COURSES], everyone]),
            ("", ENROLMENTS_SQL, None),
            ("Lessons…", LESSONS_SQL, None),
            ("Attempts…", ATTEMPTS_SQL, [json.dumps(quizzes)]),
            ("Certificates…", CERTIFICATES_SQL, [STATUS_LIST_SIZE]),
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [rng.random() * 2 - 1])
            for label, sql, params in steps:
                if label:
                    self.stdout.write(label)
                with transaction.atomic():
                    cursor.execute(sql, params)
            cursor.execute("DROP TABLE IF EXISTS bench_enrolment")
        people = list(user_model.objects.filter(email__endswith=f"@{DOMAIN}").order_by("?")[:1000])
        self.workshops(people, rng)
        with connection.cursor() as cursor:
            if not connection.in_atomic_block:  # as autovacuum would, before the timing
                self.stdout.write("VACUUM ANALYZE…")
                cursor.execute("VACUUM ANALYZE")
            counts = [
                model.objects.filter(user__email__endswith=f"@{DOMAIN}").count()
                for model in (Enrolment, LessonCompletion, Attempt, Certificate)
            ]
        self.stdout.write(
            "  {:,} enrolments, {:,} lesson completions, {:,} attempts, {:,} certificates".format(
                *counts
            )
        )

    @staticmethod
    def attempt(user, course, kind, score):
        return Attempt(
            user=user,
            quiz_key=uuid.uuid5(course, kind),
            course_key=course,
            kind=kind,
            language="en",
            status="submitted",
            score=score,
            passed=score >= 70,
            pass_mark=70,
        )

    def workshops(self, users, rng):
        """Forty workshops of 25 with three days of sessions, attendance and evaluations."""
        for number in range(40):
            day = date(2025, 1, 6) + timedelta(days=14 * number)
            workshop = Workshop.objects.create(
                course_key=COURSES[number % len(COURSES)],
                title=f"Benchmark workshop {number}",
                start_date=day,
                end_date=day + timedelta(days=2),
                language="en",
            )
            sessions = Session.objects.bulk_create(
                [
                    Session(
                        workshop=workshop,
                        date=day + timedelta(days=d),
                        starts_at="09:00",
                        ends_at="17:00",
                    )
                    for d in range(3)
                ]
            )
            people = rng.sample(users, 25)
            Participant.objects.bulk_create(
                [Participant(workshop=workshop, user=user, source="roster") for user in people]
            )
            Attendance.objects.bulk_create(
                [
                    Attendance(session=session, user=user, method="list")
                    for session in sessions
                    for user in people
                    if rng.random() < 0.85
                ]
            )
            SurveyResponse.objects.bulk_create(
                [
                    SurveyResponse(
                        workshop=workshop,
                        relevance=rng.randint(3, 5),
                        quality=rng.randint(2, 5),
                        applicability=rng.randint(2, 5),
                    )
                    for _answer in range(15)
                ]
            )

    # --- timing -------------------------------------------------------------------------

    def time_reports(self, repeat):
        everyone = programme.Filters()
        women_in_kenya = programme.Filters(sex="female", country="KE")
        one_year = programme.Filters(start=date(2025, 6, 1), end=date(2026, 5, 31))
        workshops_only = programme.Filters(mode="workshop", course_key=COURSES[0])
        reports = [
            ("people trained (funnel)", lambda: programme.funnel(everyone)),
            ("funnel, women in Kenya", lambda: programme.funnel(women_in_kenya)),
            ("funnel, workshops of one course", lambda: programme.funnel(workshops_only)),
            ("learning gain", lambda: programme.learning_gain(everyone)),
            ("time on lessons", lambda: programme.time_on_lessons(everyone)),
            ("by sex", lambda: programme.breakdown(everyone, ["sex"])),
            ("by country", lambda: programme.breakdown(everyone, ["country"])),
            ("by role", lambda: programme.breakdown(everyone, ["role"])),
            (
                "by sex × country × role",
                lambda: programme.breakdown(everyone, ["sex", "country", "role"]),
            ),
            ("certificates per month, one year", lambda: programme.certificates_by_month(one_year)),
            ("trained per month by sex", lambda: programme.trained_by_month_and_sex(everyone)),
            ("workshop summary", lambda: programme.workshop_summary(everyone)),
            (
                "whole report (all tables)",
                lambda: programme.build_report(everyone, ["sex", "country"]),
            ),
        ]
        self.stdout.write(f"\nOn {connection.vendor}, {Enrolment.objects.count():,} enrolments.")
        ReportSummary.objects.all().delete()
        # Live: as every report is computed below REPORT_SUMMARY_FROM enrolments, and as a
        # filtered one is at any size.
        with override_settings(REPORT_SUMMARY_FROM=10**12):
            live = [self.timed(run, repeat) for _name, run in reports]
        # Stored: the whole programme's figures as the background task stores them (at any
        # size here, so that a small trial run shows both).
        with override_settings(REPORT_SUMMARY_FROM=0):
            started = time.perf_counter()
            summary.refresh_report_summary.call()
            refresh = time.perf_counter() - started
            stored = [self.timed(run, repeat) for _name, run in reports]
        self.stdout.write(
            f"\n{'report':<40} {'live':>9} {'slowest':>9} {'stored':>9} {'slowest':>9}"
        )
        for (name, _run), (live_median, live_max), (median, slowest) in zip(
            reports, live, stored, strict=True
        ):
            self.stdout.write(
                f"{name:<40} {live_median:>8.3f}s {live_max:>8.3f}s "
                f"{median:>8.3f}s {slowest:>8.3f}s"
            )
        self.stdout.write(f"\nRefreshing the stored figures (the background task): {refresh:.1f} s")
        self.stdout.write(f"Load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
                self.stdout.write(f"PostgreSQL {cursor.fetchone()[0]}")

    @staticmethod
    def timed(run, repeat):
        """(median, slowest) seconds of `repeat` runs."""
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        return statistics.median(times), max(times)
