"""Course versions: the legal updates editors publish, and what holders did about them.

A course is at version 1 until its first legal update is published; each published update
adds one. The version belongs to the course in every language, so everything is keyed by
the course's ``translation_key``. An update is a snippet translated like the rest of the
content (wagtail-localize); publishing writes its version, date, course and lessons on every
translation, so a translation made before or after publishing reads the same facts.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField


class LegalUpdateForm(WagtailAdminModelForm):
    """The changed lessons and the update quiz must belong to the chosen course."""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.published_at:
            raise forms.ValidationError(_("A published legal update can no longer be changed."))
        course = cleaned_data.get("course")
        if course is None:
            return cleaned_data
        inside = Page.objects.descendant_of(course)
        lessons = cleaned_data.get("lessons") or []
        outside = [lesson for lesson in lessons if not inside.filter(pk=lesson.pk).exists()]
        if outside:
            self.add_error("lessons", _("Choose lessons of this course only."))
        quiz = cleaned_data.get("update_quiz")
        if quiz is not None and not inside.filter(pk=quiz.pk).exists():
            self.add_error("update_quiz", _("Choose an update quiz of this course."))
        return cleaned_data


class LegalUpdate(TranslatableMixin, models.Model):
    """What changed in the law or a treaty, which lessons now explain it, and why.

    A draft until an editor publishes it (courses/versions.py ``publish``); published, it
    is a record and no longer changes."""

    base_form_class = LegalUpdateForm

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(
        _("what changed"),
        max_length=600,
        help_text=_("One or two sentences, shown to verifiers and certificate holders."),
    )
    reason = models.TextField(
        _("why"),
        max_length=1200,
        help_text=_("The change in the law or treaty behind the update, with its date."),
    )
    effective_date = models.DateField(_("effective date"))
    lessons = models.ManyToManyField(
        "courses.LessonPage",
        verbose_name=_("changed lessons"),
        related_name="+",
        blank=True,
        help_text=_("Holders of older certificates read these lessons again."),
    )
    update_quiz = models.ForeignKey(
        "courses.QuizPage",
        verbose_name=_("update quiz"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "update"},
        help_text=_("A quiz of kind “update quiz” placed directly under the course."),
    )
    # Written on every translation when the update is published.
    version = models.PositiveIntegerField(_("course version"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    course_key = models.UUIDField(null=True, blank=True, db_index=True)
    lesson_keys = models.JSONField(default=list, blank=True)
    quiz_key = models.UUIDField(null=True, blank=True)

    panels = [
        FieldPanel("course"),
        FieldPanel("summary"),
        FieldPanel("reason"),
        FieldPanel("effective_date"),
        FieldPanel("lessons", widget=forms.CheckboxSelectMultiple),
        FieldPanel("update_quiz"),
    ]
    translatable_fields = [
        TranslatableField("summary"),
        TranslatableField("reason"),
        SynchronizedField("course"),
        SynchronizedField("effective_date"),
        SynchronizedField("update_quiz"),
        SynchronizedField("version"),
        SynchronizedField("published_at"),
        SynchronizedField("course_key"),
        SynchronizedField("lesson_keys"),
        SynchronizedField("quiz_key"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("legal update")
        verbose_name_plural = _("legal updates")
        constraints = [
            models.UniqueConstraint(
                fields=["course_key", "version", "locale"], name="one_update_per_course_version"
            )
        ]

    def __str__(self):
        return self.summary[:60]


class UpdateNotice(models.Model):
    """A holder was emailed about a course version: once, whatever the task does."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course_key = models.UUIDField()
    version = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("legal update notice")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_key", "version"], name="tell_a_holder_once"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.course_key} · {self.version}"


class UpdateReading(models.Model):
    """A changed lesson the holder read again for an update (once per version)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course_key = models.UUIDField()
    version = models.PositiveIntegerField()
    lesson_key = models.UUIDField()
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("changed lesson read")
        indexes = [models.Index(fields=["user", "course_key"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "version", "lesson_key"], name="read_a_changed_lesson_once"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson_key} · v{self.version}"


def current_version(course_key):
    """The course's version: 1 plus the legal updates published on it."""
    latest = (
        LegalUpdate.objects.filter(course_key=course_key, published_at__isnull=False)
        .aggregate(latest=models.Max("version"))
        .get("latest")
    )
    return latest or 1
