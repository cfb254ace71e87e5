"""A learner's work on a lesson's exercises: the draft, its submission, their own check
against the model answer, and the comments of the instructors of their workshop.

Keyed by the lesson's translation key and the exercise block's id, which translations keep:
a learner who switches language keeps their draft. The rules are in courses/exercises.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Bounded, so that one learner cannot fill the database; each limit is stated on the form.
MAX_ANSWER_CHARS = 5000
MAX_NOTE_CHARS = 2000
MAX_COMMENT_CHARS = 2000


class SelfRating(models.IntegerChoices):
    """How close the learner judges their draft to the model answer."""

    NOT_YET = 1, _("Not yet: my draft misses most of the points")
    PARTLY = 2, _("Partly: I covered some of the points")
    MOSTLY = 3, _("Mostly: I missed one or two points")
    FULLY = 4, _("Fully: my draft covers every point")


class ExerciseWork(models.Model):
    """One learner's work on one exercise, in whichever language they wrote it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_work"
    )
    course_key = models.UUIDField(_("course"))
    lesson_key = models.UUIDField(_("lesson"))
    # The exercise block's id in the lesson's body (the same in every language).
    exercise_id = models.CharField(_("exercise"), max_length=64)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    # {field key: text}, at most MAX_ANSWER_CHARS characters each.
    answers = models.JSONField(_("draft"), default=dict, blank=True)
    # Keys of the checklist items the learner ticked after comparing.
    ticked = models.JSONField(_("checklist ticks"), default=list, blank=True)
    self_rating = models.PositiveSmallIntegerField(
        _("self-assessment"), choices=SelfRating, null=True, blank=True
    )
    self_note = models.TextField(_("note to self"), blank=True, max_length=MAX_NOTE_CHARS)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    saved_at = models.DateTimeField(_("last saved"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("self-assessed"), null=True, blank=True)

    class Meta:
        verbose_name = _("exercise work")
        verbose_name_plural = _("exercise work")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson_key", "exercise_id"], name="one_work_per_exercise"
            )
        ]
        indexes = [models.Index(fields=["course_key", "submitted_at"])]

    def __str__(self):
        return f"{self.user} · {self.lesson_key} · {self.exercise_id}"

    @property
    def submitted(self):
        return self.submitted_at is not None


class ExerciseComment(models.Model):
    """An instructor's comment on a participant's submitted work, shown to the learner on
    the lesson. It goes with the work when the learner deletes their account."""

    work = models.ForeignKey(ExerciseWork, on_delete=models.CASCADE, related_name="comments")
    workshop = models.ForeignKey(
        "courses.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructor"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="exercise_comments_written",
    )
    text = models.TextField(_("comment"), max_length=MAX_COMMENT_CHARS)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("exercise comment")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"comment on {self.work}"
