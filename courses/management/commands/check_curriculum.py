"""manage.py check_curriculum: the content check on curriculum/ (also run by make test).

Dated facts past their review date (curriculum/status.yaml) are warnings; `--strict` makes
them failures, for the scheduled job in docs/curriculum.md ("Dated facts").
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from courses.curriculum import facts as dated
from courses.curriculum.check import check
from courses.curriculum.source import DEFAULT_ROOT, Curriculum, CurriculumError


def shown(value):
    return "none given" if value is None else repr(value)


class Command(BaseCommand):
    help = "Check the curriculum files: every language complete, answers, citations, dated facts."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(DEFAULT_ROOT), help="The curriculum directory.")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Fail when a dated fact is past its review_by date (for the scheduled job).",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Review the dated facts as on this date (YYYY-MM-DD), e.g. a month ahead.",
        )

    def handle(self, *args, path, strict=False, today=None, **options):
        curriculum = Curriculum(path)
        try:
            problems = check(curriculum)
        except CurriculumError as error:
            raise CommandError(str(error)) from None
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the curriculum.")
        on = today or dated.today()
        overdue = curriculum.facts.overdue(on)
        for fact in overdue:
            self.stderr.write(
                self.style.WARNING(
                    f"warning: {dated.FILE}: fact '{fact.key}' was due for review on "
                    f"{fact.review_by.isoformat()} (value {shown(fact.value)} as of "
                    f"{fact.as_of.isoformat()}); check it against its source and update it"
                )
            )
        if overdue and strict:
            raise CommandError(
                f"{len(overdue)} dated fact(s) past their review date on {on.isoformat()}."
            )
        due = f" {len(overdue)} dated fact(s) due for review." if overdue else ""
        self.stdout.write(f"Curriculum check passed.{due}")
