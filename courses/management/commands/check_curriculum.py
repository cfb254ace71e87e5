"""manage.py check_curriculum: the content check on curriculum/ (also run by make test)."""

from django.core.management.base import BaseCommand, CommandError

from courses.curriculum.check import check
from courses.curriculum.source import DEFAULT_ROOT, Curriculum, CurriculumError


class Command(BaseCommand):
    help = "Check the curriculum files: complete in every language, answers, citations."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(DEFAULT_ROOT), help="The curriculum directory.")

    def handle(self, *args, path, **options):
        try:
            problems = check(Curriculum(path))
        except CurriculumError as error:
            raise CommandError(str(error)) from None
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the curriculum.")
        self.stdout.write("Curriculum check passed.")
