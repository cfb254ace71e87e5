"""manage.py seed_pilot_cohort: simulated learners take a course's quizzes, so that editors
can read "Results by question" before real learners have (courses/pilot.py,
docs/reports.md). Idempotent: a second run adds only what is missing."""

from django.core.management.base import BaseCommand, CommandError

from courses import pilot
from courses.curriculum.source import Curriculum, CurriculumError
from courses.models.pages import CoursePage


class Command(BaseCommand):
    help = (
        "Create pilot learners (pilot-NNN@pilot.example.org, no usable password, left out "
        "of programme reports) who take the course's pre-test, module quizzes and post-test "
        "once each, answering from a seeded model."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--learners",
            type=int,
            default=pilot.DEFAULT_LEARNERS,
            help=f"How many pilot learners (default {pilot.DEFAULT_LEARNERS}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=pilot.DEFAULT_SEED,
            help="The random model's seed: the same seed gives the same cohort.",
        )
        parser.add_argument(
            "--course",
            help="The course's page id or slug (default: the starter course from curriculum/).",
        )
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Delete every pilot account, with its attempts, instead.",
        )

    def handle(self, *args, learners, seed, course=None, remove=False, **options):
        if remove:
            count = pilot.remove_pilot_cohort()
            self.stdout.write(f"Removed {count} pilot account(s) and their attempts.")
            return
        if learners < 1:
            raise CommandError("--learners must be at least 1.")
        page = self.find_course(course)
        report = pilot.seed_pilot_cohort(page, learners=learners, seed=seed)
        self.stdout.write(
            f"Pilot cohort for “{page.title}”: {learners} learner(s) ({report.created} new), "
            f"{report.submitted} attempt(s) submitted, {report.already} already taken, "
            f"over {len(report.quizzes)} quiz(zes)."
        )
        for title, reason in report.refused:
            self.stdout.write(f"  not taken: {title}: {reason}")
        for quiz in report.quizzes:
            self.stdout.write(
                f"  Results by question: /admin/quiz-analysis/{quiz.pk}/  {quiz.title}"
            )

    @staticmethod
    def find_course(given):
        courses = CoursePage.objects.live()
        if given:
            found = courses.filter(pk=int(given)) if given.isdigit() else courses.filter(slug=given)
        else:
            try:
                key = Curriculum().entries()[0].translation_key
            except CurriculumError as error:
                raise CommandError(
                    f"No --course given and the curriculum is unreadable: {error}"
                ) from None
            found = courses.filter(translation_key=key)
        page = found.select_related("locale").first()
        if page is None:
            raise CommandError(
                "No such live course. Load the starter course first (make curriculum), or name "
                "one with --course <page id or slug>."
            )
        # Its source-language page: what completion and the quizzes' keys follow.
        return page.source_course()
