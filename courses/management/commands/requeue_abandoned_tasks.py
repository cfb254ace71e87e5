"""Put background tasks that a killed worker left running back in the queue."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from courses import background


class Command(BaseCommand):
    help = (
        "Tasks claimed more than TASK_ABANDONED_AFTER_MINUTES ago (or --minutes) and never "
        "finished, because their worker was killed, wait again for the next worker. Run it "
        "on a schedule, like prune_db_task_results."
    )

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=settings.TASK_ABANDONED_AFTER_MINUTES)

    def handle(self, *args, minutes, **options):
        if minutes < 1:
            self.stderr.write("--minutes must be at least 1.")
            raise SystemExit(2)
        count = background.requeue_abandoned(timedelta(minutes=minutes))
        self.stdout.write(f"{count} task(s) left running for over {minutes} minutes wait again.")
