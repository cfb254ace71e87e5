"""Follow-up surveys some months after a course, and the log of reminders and follow-ups sent
(courses/followup.py, courses/reminders.py)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from django_countries.fields import CountryField

from courses.choices import Audience, Sex


def default_days():
    return settings.FOLLOWUP_DAYS


class Frequency(models.TextChoices):
    """How often a learner applies what they learned (the follow-up's second question)."""

    WEEKLY = "weekly", _("Every week or more often")
    MONTHLY = "monthly", _("About every month")
    RARELY = "rarely", _("A few times since the course")
    NOT_YET = "not_yet", _("Not yet")


class ExtraQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)

    class Meta:
        icon = "help"
        label = _("Question with a written answer")


class FollowUpSurvey(TranslatableMixin, models.Model):
    """The questions sent some days after a learner completes a course: site-wide (no course)
    or for one course. Translate it in the admin like a page: the question texts are content."""

    name = models.CharField(_("name"), max_length=120, help_text=_("Only editors see this."))
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty for the site-wide survey."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only an active survey is sent.")
    )
    days_after = models.PositiveSmallIntegerField(
        _("days after completion"),
        default=default_days,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    introduction = models.CharField(_("introduction"), max_length=500, blank=True)
    applied_question = models.CharField(
        _("question: did you apply it?"),
        max_length=300,
        help_text=_("Answered yes or no."),
    )
    frequency_question = models.CharField(
        _("question: how often?"),
        max_length=300,
        help_text=_("Answered with a choice from “every week” to “not yet”."),
    )
    obstacles_question = models.CharField(
        _("question: what stood in the way?"),
        max_length=300,
        help_text=_("Answered in writing; optional for the learner."),
    )
    more_questions = StreamField(
        [("question", ExtraQuestionBlock())],
        verbose_name=_("more questions"),
        blank=True,
        max_num=5,
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("course"),
        FieldPanel("active"),
        FieldPanel("days_after"),
        FieldPanel("introduction"),
        FieldPanel("applied_question"),
        FieldPanel("frequency_question"),
        FieldPanel("obstacles_question"),
        FieldPanel("more_questions"),
    ]
    translatable_fields = [
        TranslatableField("introduction"),
        TranslatableField("applied_question"),
        TranslatableField("frequency_question"),
        TranslatableField("obstacles_question"),
        TranslatableField("more_questions"),
        SynchronizedField("name"),
        SynchronizedField("course"),
        SynchronizedField("active"),
        SynchronizedField("days_after"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("follow-up survey")
        verbose_name_plural = _("follow-up surveys")

    def __str__(self):
        return self.name


class FollowUpInvitation(models.Model):
    """A follow-up sent to one learner for one course: once ever (the unique constraint),
    answered once (``used_at``). The profile snapshot at sending gives the response rate by
    sex, country and role on the same footing as the answers."""

    # Emptied when the account is erased: the row stays, anonymous like its answer, so that
    # the response rate keeps counting both sides of an answer from a deleted account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="followup_invitations",
    )
    course_key = models.UUIDField(_("course"))
    survey_key = models.UUIDField(_("survey"))
    sent_at = models.DateTimeField(_("sent at"))
    nonce = models.CharField(max_length=32)
    used_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    country = CountryField(blank=True)
    sex = models.CharField(max_length=12, choices=Sex.choices, blank=True)
    role = models.CharField(max_length=20, choices=Audience.choices, blank=True)

    class Meta:
        verbose_name = _("follow-up invitation")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="one_followup_per_course")
        ]
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self):
        return f"{self.user} · {self.course_key}"


class FollowUpResponse(models.Model):
    """An answer to a follow-up, stored without the person: their sex, country and role as
    the invitation noted them, the course, and the day the invitation went out (shared by
    everyone invited that day)."""

    course_key = models.UUIDField(_("course"), db_index=True)
    invited_on = models.DateField(_("invited on"))
    country = CountryField(blank=True)
    sex = models.CharField(max_length=12, choices=Sex.choices, blank=True)
    role = models.CharField(max_length=20, choices=Audience.choices, blank=True)
    applied = models.BooleanField(_("applied what they learned"))
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency)
    obstacles = models.TextField(_("what stood in the way"), blank=True, max_length=2000)
    # {question block id: written answer} for the survey's further questions.
    more = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("follow-up response")

    def __str__(self):
        return f"follow-up response · {self.course_key}"


class NudgeKind(models.TextChoices):
    SESSION = "session", pgettext_lazy("reminder kind", "Workshop session")
    INACTIVE = "inactive", pgettext_lazy("reminder kind", "Course not touched")
    FOLLOWUP = "followup", pgettext_lazy("reminder kind", "Follow-up survey")


class Nudge(models.Model):
    """A reminder or follow-up email sent: the weekly cap counts these, one inactivity spell
    or one session gets one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=NudgeKind)
    course_key = models.UUIDField(null=True, blank=True)
    session = models.ForeignKey(
        "courses.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        indexes = [models.Index(fields=["user", "sent_at"])]

    def __str__(self):
        return f"{self.kind} → {self.user} at {self.sent_at:%Y-%m-%d %H:%M}"
