"""manage.py benchmark_reports: fill a scratch database with learners and time each report.

    createdb -h 127.0.0.1 -U postgres bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python manage.py \\
        benchmark_reports --learners 100000 --yes

Generated rows are marked (emails at bench.invalid) and replaced on the next run.
"""

import random
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

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
        self.stdout.write(f"\n{'report':<40} {'median':>9} {'slowest':>9}")
        for name, run in reports:
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                run()
                times.append(time.perf_counter() - started)
            self.stdout.write(f"{name:<40} {statistics.median(times):>8.3f}s {max(times):>8.3f}s")
