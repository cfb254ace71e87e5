"""Where each learner stands: enrolments, lessons opened and completed, keyed by
translation_key.

Keys, not page ids, so that switching language keeps a learner's progress.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    """A learner taking a course; created by "Start this course" or the first lesson visit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course_key = models.UUIDField(_("course"), db_index=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # First pre-test and post-test scores (%), kept for learning gain and reports.
    pre_test_score = models.DecimalField(
        _("pre-test score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    post_test_score = models.DecimalField(
        _("post-test score"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("enrolment")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="one_enrolment_per_course")
        ]
        indexes = [models.Index(fields=["started_at"]), models.Index(fields=["completed_at"])]
        permissions = [("view_programme_reports", _("Can view programme reports"))]

    def __str__(self):
        return f"{self.user} · {self.course_key}"


class LessonCompletion(models.Model):
    """A lesson the learner marked as complete (once, whatever the language)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    course_key = models.UUIDField(db_index=True)
    lesson_key = models.UUIDField()
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    completed_at = models.DateTimeField(auto_now_add=True)
    # From the first opening of the lesson to its completion, capped (courses/progress.py);
    # null for completions recorded before opening times were (unknown, not zero).
    seconds_on_task = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson completion")
        indexes = [models.Index(fields=["user", "course_key"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson_key"], name="complete_a_lesson_once")
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson_key}"


class LessonVisit(models.Model):
    """When the learner first opened a lesson, in any language: the server's record that
    reading time has passed, not the learner's word for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_visits"
    )
    course_key = models.UUIDField()
    lesson_key = models.UUIDField()
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    first_opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lesson visit")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson_key"], name="open_a_lesson_first_once")
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson_key} · {self.first_opened_at:%Y-%m-%d %H:%M}"
