"""manage.py send_due_mail: the daily reminders and follow-up surveys (courses/nudges.py)."""

from django.core.management.base import BaseCommand

from courses import background, nudges


class Command(BaseCommand):
    help = (
        "Queue the reminders (untouched courses, coming workshop sessions) and follow-up "
        "surveys that are due, at most one per learner a week. Run it daily; --queue hands the "
        "work to the background worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="Enqueue it as a task.")

    def handle(self, *args, queue, **options):
        if queue:
            background.enqueue(nudges.send_due_mail_task)
            self.stdout.write("Enqueued the reminders and follow-ups task.")
            return
        sent = nudges.send_due_mail()
        self.stdout.write(f"Queued {sent} reminder and follow-up email(s).")
