"""manage.py load_demo_content: the demo site, course and accounts (idempotent)."""

from django.core.management.base import BaseCommand

from courses.demo import database_is_empty, load_demo_content


class Command(BaseCommand):
    help = "Create the demo site, course, translations and accounts; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds pages or users.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and not database_is_empty():
            self.stdout.write("The database already has content; demo content not loaded.")
            return
        created = load_demo_content()
        if created:
            self.stdout.write(f"Demo content: created {len(created)} item(s).")
            for item in created:
                self.stdout.write(f"  + {item}")
        else:
            self.stdout.write("Demo content already complete; nothing changed.")
