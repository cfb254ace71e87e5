"""The daily job that sends reminders and follow-up surveys (`manage.py send_due_mail`, or
the ``send_due_mail_task`` background task): what is due, who gets what, and the weekly cap.

The rules:

- What is due comes from three places, most urgent first: a workshop session coming up
  (courses/reminders.py), a course left untouched (courses/reminders.py), a follow-up
  survey some months after completing a course (courses/followup.py).
- A learner gets at most one of these emails in NUDGE_INTERVAL_DAYS (essential mail is not
  counted): the log of what was sent (``Nudge``) decides. When two are due, the more urgent
  goes and the other waits for a later run; a session reminder whose session has begun is
  then no longer due.
- Nothing goes to someone who turned the category off (REMINDERS, FOLLOWUP:
  courses/emails.py), to an account that is inactive or has no address, or to a pilot
  account (courses/pilot.py).
- Each learner is handled in a transaction that locks their account row: two runs at once
  (or a run twice) send nobody the same email twice; the email's task is written in the same
  transaction (courses/background.py).
- Every email is written in the learner's language (``emails.recipient_language``).
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from courses import background

logger = logging.getLogger(__name__)


@dataclass
class Due:
    """One email due to one learner: ``send(user, now)`` queues it and logs it, and returns
    whether it did (False: no longer due, or turned off)."""

    user_id: int
    kind: str
    send: object = field(repr=False)


def capped(user, now):
    """Whether ``user`` had a reminder or follow-up in the last NUDGE_INTERVAL_DAYS."""
    from courses.models.followup import Nudge

    since = now - timedelta(days=settings.NUDGE_INTERVAL_DAYS)
    return Nudge.objects.filter(user=user, sent_at__gt=since).exists()


def record(user, kind, now, course_key=None, session=None):
    from courses.models.followup import Nudge

    return Nudge.objects.create(
        user=user, kind=kind, course_key=course_key, session=session, sent_at=now
    )


def everything_due(now):
    """Every Due, most urgent first."""
    from courses import followup, reminders

    return [*reminders.sessions_due(now), *reminders.inactive_due(now), *followup.due(now)]


def send_due_mail(now=None):
    """Queue the reminders and follow-ups due now, one per learner at most, within the
    weekly cap. Returns how many were queued."""
    now = now or timezone.now()
    by_user = {}
    for item in everything_due(now):
        by_user.setdefault(item.user_id, []).append(item)
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    sent = 0
    for user_id, items in by_user.items():
        with transaction.atomic():
            user = users.select_for_update().filter(pk=user_id).first()
            if user is None or capped(user, now):
                continue
            for item in items:
                if item.send(user, now):
                    sent += 1
                    break
    logger.info("Reminders and follow-ups: %d queued", sent)
    return sent


@background.background_task
def send_due_mail_task():
    """The task: ``send_due_mail`` now (a scheduler may enqueue it daily)."""
    return send_due_mail()
