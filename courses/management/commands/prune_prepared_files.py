"""Remove prepared files (room certificate ZIPs, large exports) and their rows once old."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from courses import downloads


class Command(BaseCommand):
    help = (
        "Delete prepared files asked for more than PREPARED_FILES_KEEP_HOURS ago (or --hours), "
        "from the storage and the database. Run it on a schedule, like prune_db_task_results."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=settings.PREPARED_FILES_KEEP_HOURS)

    def handle(self, *args, hours, **options):
        removed = downloads.prune(timedelta(hours=hours))
        self.stdout.write(f"Removed {removed} prepared file(s) older than {hours} hours.")
