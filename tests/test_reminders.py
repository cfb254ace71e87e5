"""Reminders: a course left untouched (at N days, not N − 1; one per spell), a workshop
session coming up (the day before, where the workshop is), the weekly cap and the opt-out
(courses/reminders.py, courses/nudges.py)."""

from datetime import UTC, date, datetime, time, timedelta

from django.core import mail

import pytest

from courses import emails, nudges
from courses.choices import EmailCategory
from courses.models import (
    Enrolment,
    LessonVisit,
    Nudge,
    Participant,
    Session,
    Workshop,
    WorkshopStatus,
)
from courses.models.learners import profile_for
from tests import factories

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
DAYS = timedelta(days=1)


def run(now):
    """The daily job at ``now``; the emails its tasks sent (the outbox then emptied)."""
    nudges.send_due_mail(now=now)
    sent = list(factories.sent_mail())
    mail.outbox.clear()
    return sent


def started(user, course, at):
    enrolment = Enrolment.objects.create(user=user, course_key=course.translation_key)
    Enrolment.objects.filter(pk=enrolment.pk).update(started_at=at)
    return enrolment


def visited(user, lesson, at):
    LessonVisit.objects.update_or_create(
        user=user,
        lesson_key=lesson.translation_key,
        defaults={
            "course_key": lesson.get_parent().get_parent().translation_key,
            "language": "en",
            "first_opened_at": at,
        },
    )


class TestUntouchedCourses:
    def test_reminded_at_n_days_not_at_n_minus_one(self, tree, learner, settings):
        assert settings.REMINDER_INACTIVE_DAYS == 14
        started(learner, tree.course, NOW - 30 * DAYS)
        visited(learner, tree.lessons[0], NOW - 13 * DAYS)  # the latest thing they did
        assert run(NOW) == []
        (message,) = run(NOW + DAYS)
        assert message.to == [learner.email]
        assert "Handling digital evidence" in message.subject
        assert tree.course.url in message.body

    def test_one_reminder_per_spell_until_they_come_back(self, tree, learner):
        started(learner, tree.course, NOW - 14 * DAYS)
        assert len(run(NOW)) == 1
        assert run(NOW + 8 * DAYS) == []  # past the weekly cap, still the same spell
        assert run(NOW + 30 * DAYS) == []
        visited(learner, tree.lessons[1], NOW + 31 * DAYS)  # back, then away again
        assert run(NOW + 44 * DAYS) == []
        assert len(run(NOW + 45 * DAYS)) == 1

    def test_a_course_abandoned_long_before_is_let_be(self, tree, learner):
        started(learner, tree.course, NOW - (14 + 60) * DAYS)
        assert run(NOW) == []
        started(learner, factories.make_tree(home=tree.home, slug="c2").course, NOW - 73 * DAYS)
        assert len(run(NOW)) == 1

    def test_a_completed_course_is_not_reminded(self, tree, learner):
        enrolment = started(learner, tree.course, NOW - 30 * DAYS)
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=NOW - 20 * DAYS)
        assert run(NOW) == []

    def test_weekly_cap_holds_the_second_reminder_until_day_seven(self, tree, learner):
        other = factories.make_tree(home=tree.home, title="Second course", slug="second-course")
        started(learner, tree.course, NOW - 14 * DAYS)
        started(learner, other.course, NOW - 14 * DAYS)
        assert len(run(NOW)) == 1
        assert run(NOW + 6 * DAYS) == []
        (second,) = run(NOW + 7 * DAYS)
        assert second.to == [learner.email]
        subjects = set(Nudge.objects.filter(user=learner).values_list("course_key", flat=True))
        assert subjects == {tree.course.translation_key, other.course.translation_key}

    def test_a_learner_who_turned_reminders_off_gets_none(self, tree, learner):
        emails.opt_out(learner, EmailCategory.REMINDERS)
        started(learner, tree.course, NOW - 20 * DAYS)
        assert run(NOW) == []
        assert not Nudge.objects.exists()

    def test_the_reminder_is_in_the_language_they_read_the_course_in(self, tree, learner):
        factories.translate(tree.course, "fr", title="Traiter la preuve numérique")
        started(learner, tree.course, NOW - 20 * DAYS)
        LessonVisit.objects.create(
            user=learner,
            course_key=tree.course.translation_key,
            lesson_key=tree.lessons[0].translation_key,
            language="fr",
            first_opened_at=NOW - 15 * DAYS,
        )
        (message,) = run(NOW)
        assert "Traiter la preuve numérique" in message.subject
        assert "/fr/" in message.body


@pytest.fixture
def workshop(tree):
    """A workshop in Auckland (UTC+13 in December) with a session on 10 December, 09:00."""
    instructor = factories.make_user("instructor@example.org")
    room = Workshop.objects.create(
        course_key=tree.course.translation_key,
        title="Evidence in Auckland",
        start_date=date(2026, 12, 10),
        end_date=date(2026, 12, 10),
        language="en",
        venue="Court House, room 2",
        time_zone="Pacific/Auckland",
        lead=instructor,
    )
    Session.objects.create(
        workshop=room, date=date(2026, 12, 10), starts_at=time(9), ends_at=time(12)
    )
    return room


def seated(workshop, email="participant@example.org"):
    user = factories.make_user(email)
    Participant.objects.create(workshop=workshop, user=user, source="code")
    return user


class TestSessionReminders:
    def test_the_day_before_counts_where_the_workshop_is(self, workshop):
        participant = seated(workshop)
        # 8 December 23:00 in Auckland: two days before.
        assert run(datetime(2026, 12, 8, 10, 0, tzinfo=UTC)) == []
        # 9 December 01:00 in Auckland (still the 8th in UTC): the day before.
        (message,) = run(datetime(2026, 12, 8, 12, 0, tzinfo=UTC))
        assert message.to == [participant.email]
        assert "Evidence in Auckland" in message.subject
        assert "Court House, room 2" in message.body
        assert f"/en/workshops/{workshop.pk}/" in message.body
        # Once per session.
        assert run(datetime(2026, 12, 8, 20, 0, tzinfo=UTC)) == []

    def test_in_the_servers_time_zone_the_same_moment_is_two_days_before(self, workshop):
        Workshop.objects.filter(pk=workshop.pk).update(time_zone="UTC")
        seated(workshop)
        assert run(datetime(2026, 12, 8, 12, 0, tzinfo=UTC)) == []
        assert len(run(datetime(2026, 12, 9, 0, 0, tzinfo=UTC))) == 1

    def test_no_reminder_for_a_closed_workshop_or_a_session_under_way(self, workshop):
        seated(workshop)
        Workshop.objects.filter(pk=workshop.pk).update(status=WorkshopStatus.CLOSED)
        assert run(datetime(2026, 12, 8, 12, 0, tzinfo=UTC)) == []
        Workshop.objects.filter(pk=workshop.pk).update(status=WorkshopStatus.RUNNING)
        # 10 December 09:30 in Auckland: begun.
        assert run(datetime(2026, 12, 9, 20, 30, tzinfo=UTC)) == []

    def test_the_session_goes_first_and_the_course_reminder_waits(self, workshop, tree):
        participant = seated(workshop)
        moment = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
        started(participant, tree.course, moment - 20 * DAYS)
        (first,) = run(moment)
        assert "Evidence in Auckland" in first.subject
        assert run(moment + 6 * DAYS) == []
        (second,) = run(moment + 7 * DAYS)
        assert "Handling digital evidence" in second.subject

    def test_in_the_workshops_language_unless_they_chose_one(self, workshop):
        Workshop.objects.filter(pk=workshop.pk).update(language="fr")
        first = seated(workshop)
        second = seated(workshop, "second@example.org")
        profile = profile_for(second)
        profile.preferred_language = "ar"
        profile.save()
        sent = {m.to[0]: m for m in run(datetime(2026, 12, 8, 12, 0, tzinfo=UTC))}
        assert f"/fr/workshops/{workshop.pk}/" in sent[first.email].body
        assert f"/ar/workshops/{workshop.pk}/" in sent[second.email].body

    def test_opted_out_participants_get_no_session_reminder(self, workshop):
        participant = seated(workshop)
        emails.opt_out(participant, EmailCategory.REMINDERS)
        assert run(datetime(2026, 12, 8, 12, 0, tzinfo=UTC)) == []
