"""manage.py load_curriculum: the starter course from curriculum/, in every language."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from courses import covers
from courses.curriculum.loader import CurriculumInvalid, load_curriculum
from courses.curriculum.source import DEFAULT_ROOT, Curriculum, CurriculumError


class Command(BaseCommand):
    help = (
        "Create or update the starter course from the YAML files in curriculum/, in every "
        "language; unchanged files and pages edited in the admin are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(DEFAULT_ROOT), help="The curriculum directory.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite pages edited in the admin since they were loaded.",
        )

    def handle(self, *args, path, force=False, verbosity=1, **options):
        try:
            report = load_curriculum(Curriculum(path), force=force)
        except CurriculumInvalid as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"{error}; nothing was loaded.") from None
        except CurriculumError as error:
            raise CommandError(f"{error}; nothing was loaded.") from None
        self.stdout.write(
            f"Curriculum: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.kept)} kept as edited."
        )
        # A course nobody has given a picture yet gets an abstract one for its catalogue card,
        # once the translations are published (on commit; at once outside a transaction).
        transaction.on_commit(self.give_covers)
        for label, items in (("+", report.created), ("~", report.updated), ("!", report.kept)):
            if verbosity > 1 or label == "!":
                for item in items:
                    self.stdout.write(f"  {label} {item}")

    def give_covers(self):
        for title in covers.ensure_covers():
            self.stdout.write(f"  + generated cover image for {title}")
