"""Gentle reminders: a course started and left untouched, a workshop session coming up. Sent
by the daily job (courses/nudges.py), which applies the weekly cap and the opt-out.

The rules:

- A course is untouched when the learner started it, has not completed it, and has done
  nothing in it for REMINDER_INACTIVE_DAYS: nothing since the latest of their enrolment, a
  lesson first opened, a lesson completed, a quiz attempt started or submitted. At that
  many days they get one reminder, one day earlier none; and one per spell: once reminded,
  nothing more until they do something in the course and leave it again. A spell older than
  REMINDER_INACTIVE_WINDOW_DAYS more (a reminder held that long by the weekly cap, or a
  course abandoned before reminders were switched on) is let be.
- A workshop participant is reminded REMINDER_SESSION_DAYS_BEFORE days before a session,
  counting days where the workshop is (its time zone): the day before a session on the 10th
  is the 9th there, whatever the server's clock says. Not for a closed workshop, nor a
  session that has begun; once per session.
- Email is in the learner's language: their preferred one, else the one they last opened a
  lesson of the course in (courses) or the workshop's (sessions).
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import DateTimeField, Exists, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation

from courses import brand, emails, links, nudges
from courses.choices import EmailCategory
from courses.models.followup import Nudge, NudgeKind
from courses.models.progress import Enrolment, LessonCompletion, LessonVisit
from courses.models.quizzes import Attempt
from courses.models.workshops import Participant, Session, WorkshopStatus
from courses.pilot import not_pilot

EMAIL_TEMPLATES = "courses/reminders/email"


# --- Courses left untouched ----------------------------------------------------------------


def latest(model, field):
    """The learner's latest ``field`` in this enrolment's course, as a subquery."""
    return Subquery(
        model.objects.filter(user=OuterRef("user"), course_key=OuterRef("course_key"))
        .order_by()
        .values("user")
        .annotate(latest=Max(field))
        .values("latest"),
        output_field=DateTimeField(),
    )


def with_last_activity(enrolments):
    """The enrolments annotated with ``last_activity``: the latest thing the learner did in
    the course (never earlier than enrolling)."""
    started = "started_at"
    return enrolments.annotate(
        last_activity=Greatest(
            started,
            Coalesce(latest(LessonVisit, "first_opened_at"), started),
            Coalesce(latest(LessonCompletion, "completed_at"), started),
            Coalesce(latest(Attempt, "started_at"), started),
            Coalesce(latest(Attempt, "submitted_at"), started),
        )
    )


def untouched(now):
    """Enrolments left untouched for REMINDER_INACTIVE_DAYS (but not for longer than
    REMINDER_INACTIVE_WINDOW_DAYS more: a course abandoned long ago is not brought up) and
    not reminded since."""
    cutoff = now - timedelta(days=settings.REMINDER_INACTIVE_DAYS)
    too_old = cutoff - timedelta(days=settings.REMINDER_INACTIVE_WINDOW_DAYS)
    reminded = Nudge.objects.filter(
        user=OuterRef("user"),
        kind=NudgeKind.INACTIVE,
        course_key=OuterRef("course_key"),
        sent_at__gte=OuterRef("last_activity"),
    )
    enrolments = Enrolment.objects.filter(
        not_pilot(), completed_at__isnull=True, user__is_active=True
    ).exclude(user__email="")
    return (
        with_last_activity(enrolments)
        .filter(last_activity__lte=cutoff, last_activity__gt=too_old)
        .exclude(Exists(reminded))
        .order_by("last_activity", "pk")
    )


def inactive_due(now):
    return [
        nudges.Due(
            enrolment.user_id,
            NudgeKind.INACTIVE,
            partial(send_inactive, enrolment=enrolment),
        )
        for enrolment in untouched(now)
    ]


def course_language(user, course_key):
    visited = (
        LessonVisit.objects.filter(user=user, course_key=course_key)
        .order_by("-first_opened_at")
        .values_list("language", flat=True)
        .first()
    )
    return emails.recipient_language(user, visited)


def send_inactive(user, now, *, enrolment):
    from courses.progress import course_in_language

    if not emails.may_send(user, EmailCategory.REMINDERS):
        return False
    language = course_language(user, enrolment.course_key)
    course = course_in_language(enrolment.course_key, language)
    if course is None:
        return False  # the course is no longer published: nothing to come back to
    with translation.override(language):
        context = {
            "course_title": course.title,
            "course_url": links.absolute(course.get_url()),
            "days": settings.REMINDER_INACTIVE_DAYS,
        }
        message = email("inactive", context, user)
    if not emails.enqueue_email(
        message, user=user, category=EmailCategory.REMINDERS, kind="reminder", language=language
    ):
        return False
    nudges.record(user, NudgeKind.INACTIVE, now, course_key=enrolment.course_key)
    return True


# --- Workshop sessions -----------------------------------------------------------------------


def coming_sessions(now):
    """Sessions whose reminder is due now: REMINDER_SESSION_DAYS_BEFORE days ahead (or
    fewer, for a run that missed a day) on the workshop's own calendar, not begun, of a
    workshop that is not closed."""
    ahead = settings.REMINDER_SESSION_DAYS_BEFORE
    today = now.date()
    # Wide enough for every time zone; the exact day is checked per session below.
    sessions = (
        Session.objects.filter(
            date__gte=today - timedelta(days=1), date__lte=today + timedelta(days=ahead + 1)
        )
        .exclude(workshop__status=WorkshopStatus.CLOSED)
        .select_related("workshop")
        .order_by("date", "starts_at", "pk")
    )
    found = []
    for session in sessions:
        local_today = now.astimezone(session.workshop.zone).date()
        if 0 < (session.date - local_today).days <= ahead and session.starts > now:
            found.append(session)
    return found


def sessions_due(now):
    found = []
    for session in coming_sessions(now):
        reminded = Nudge.objects.filter(
            user=OuterRef("user"), kind=NudgeKind.SESSION, session=session
        )
        participants = (
            Participant.objects.filter(not_pilot(), workshop=session.workshop)
            .exclude(Exists(reminded))
            .order_by("pk")
        )
        found += [
            nudges.Due(
                participant.user_id,
                NudgeKind.SESSION,
                partial(send_session, session=session),
            )
            for participant in participants
        ]
    return found


def send_session(user, now, *, session):
    if not emails.may_send(user, EmailCategory.REMINDERS) or session.starts <= now:
        return False
    workshop = session.workshop
    language = emails.recipient_language(user, workshop.language)
    with translation.override(language):
        context = {
            "workshop_title": workshop.title,
            "session_title": session.title,
            "date": formats.date_format(session.date, "DATE_FORMAT"),
            "starts_at": formats.time_format(session.starts_at, "TIME_FORMAT"),
            "ends_at": formats.time_format(session.ends_at, "TIME_FORMAT"),
            "venue": workshop.venue,
            "online_link": workshop.online_link,
            "workshop_url": links.absolute(reverse("workshop_home", args=[workshop.pk])),
        }
        message = email("session", context, user)
    if not emails.enqueue_email(
        message,
        user=user,
        category=EmailCategory.REMINDERS,
        kind="session_reminder",
        language=language,
    ):
        return False
    nudges.record(user, NudgeKind.SESSION, now, session=session)
    return True


def email(name, context, user):
    """One reminder email (with the recipient's language active)."""
    subject = render_to_string(f"{EMAIL_TEMPLATES}/{name}_subject.txt", context)
    body = render_to_string(f"{EMAIL_TEMPLATES}/{name}_message.txt", context)
    return EmailMessage(brand.email_subject(subject), body, brand.sender(), [user.email])
